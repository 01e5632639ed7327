from __future__ import annotations

import pytest

from varde.extractors import extract_minor_signals


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("Vi tar ungdom 14+", "14+"),
        ("Vi søger unge fyre (15-17) til job", "15-17"),
        ("15–17 år passer fint", "15–17 år"),
        ("17 år, Oslo-området. Tar oppdrag", "17 år"),
        ("han er 16-åring", "16-åring"),
        ("under 15 får ingen straff", "under 15"),
        ("Under 18 is fine, we train you", "Under 18"),
        ("Du trenger ikke være 18", "trenger ikke være 18"),
        ("ålder spelar ingen roll", "ålder spelar ingen roll"),
        ("alder spiller ingen rolle", "alder spiller ingen rolle"),
        ("age doesn't matter", "age doesn't matter"),
        ("går du på ungdomsskolen?", "ungdomsskolen"),
        ("Går du i nian? Hör av dig", "Går du i nian"),
        ("Jag är 15 och redo", "Jag är 15"),
        ("Unga killar välkomna, 15 är perfekt", "15 är perfekt"),
        ("Klivare, 16, Stockholm", "16"),
        ("Du er ikke strafferettslig myndig? Perfekt, du er straffri", "straffri"),
        ("16 years old and ready", "16 years old"),
        ("Tjena, är 16 och kan göra jobb", "är 16 och"),
    ],
)
def test_minor_cue(text: str, cue: str) -> None:
    cues = extract_minor_signals(text)
    assert cue in [c.text for c in cues]
    for c in cues:
        assert c.kind == "minor" and text[c.start : c.end] == c.text


@pytest.mark.parametrize(
    "text",
    [
        "Åpent kl 14-17 hver dag",
        "Festival 14-17 september",
        "Betaler 15-20k",
        "15k for jobben",
        "2 år i fengsel",
        "Kun 18+",
        "Vi er 25 år og eldre",
        "under 150k",
        "Mellom 15-17 timer",
        "",
    ],
)
def test_not_minor(text: str) -> None:
    assert extract_minor_signals(text) == ()
