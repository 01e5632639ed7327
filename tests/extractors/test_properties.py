"""Properties every extractor keeps on any text: no crash, spans inside the text and equal to the value's text."""

from __future__ import annotations

from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from varde.extractors import (
    extract_contacts,
    extract_minor_signals,
    extract_payment,
    extract_places,
    extract_target,
    extract_when,
)

CREATED = datetime.fromisoformat("2025-09-10T14:00:00+02:00")
PIECES = st.sampled_from(
    [
        "i kveld", "ikväll", "fredag", "kl 22", "22:00", "14.9", "Oslo", "Moss", "i Lund", "Rinkeby", "Nørrebro",
        "50k", "100 ton", "60 lapper", "tg @jobb_nu", "snap: jobb.osl", "ring 412 34 567", "15+", "16 år",
        "en kille", "bilen", "huset", "ordre 45812345", " ", "\n", ".", ",", "🔫", "s k y t", "0", "O", "l",
    ]
)  # fmt: skip
TEXTS = st.one_of(st.text(max_size=120), st.lists(PIECES, max_size=14).map(" ".join))


@settings(max_examples=60, deadline=None)
@given(TEXTS, st.sampled_from(["nb", "nn", "sv", "da", "en", None]))
def test_spans_point_into_the_text(text: str, language: str | None) -> None:
    when = extract_when(text, CREATED, language)
    if when is not None:
        assert when.span is not None and text[when.span[0] : when.span[1]] == when.text
        assert when.start < when.end and when.start.tzinfo is not None
    for place in extract_places(text, language):
        assert place.span is not None and text[place.span[0] : place.span[1]] == place.text
        assert place.country in ("NO", "SE", "DK")
    payment = extract_payment(text, language, None)
    if payment is not None:
        assert payment.span is not None and text[payment.span[0] : payment.span[1]] == payment.text
        assert payment.amount is None or payment.amount > 0
    for contact in extract_contacts(text):
        assert contact.span is not None and 0 <= contact.span[0] < contact.span[1] <= len(text)
    target = extract_target(text, language)
    if target is not None:
        assert target.span is not None and text[target.span[0] : target.span[1]] == target.text
    for cue in extract_minor_signals(text):
        assert text[cue.start : cue.end] == cue.text
