from __future__ import annotations

import pytest

from varde.detect import detect_language, detect_languages


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Trenger noen som kan ta et oppdrag i kveld, god betaling. Send melding", "nb"),
        ("Behöver någon som kan ta ett uppdrag ikväll, bra betalt. Hör av dig", "sv"),
        ("Mangler nogen der kan tage en opgave i aften, god betaling. Skriv til mig", "da"),
        ("Need someone who can do a job tonight, good pay. Message me", "en"),
        ("Eg treng nokon som kan hjelpe meg i kveld, eg betalar godt for det", "nn"),
    ],
)
def test_detect_language(text: str, expected: str) -> None:
    assert detect_language(text) == expected


def test_too_short_is_none() -> None:
    assert detect_language("🔫") is None
    assert detect_language("") is None


def test_batch_keeps_order_and_length() -> None:
    texts = ["Behöver någon ikväll, bra betalt", "", "Need someone tonight, good pay"]
    assert detect_languages(texts) == ["sv", None, "en"]
