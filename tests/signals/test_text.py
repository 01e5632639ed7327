"""Text signals: the normalisation a platform can repeat, the length/entropy rule, MD5 and TLSH."""

from __future__ import annotations

import pytest

from varde.signals.text import MIN_CHARS, entropy, normalise, shareable, text_signals

AD = "Oppdrag i kveld 🔫 Holmlia. Skyte mot ei dør, ingen skal treffes. 80k cash rett etter. Kun seriøse, dm @kveld"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hei,  VERDEN!!", "hei verden"),
        ("ｊｏｂｂ\u200b i\u00adkveld 🔥", "jobb ikveld"),
        ("Skyt—ham\n\n50k", "skyt ham 50k"),
        ("", ""),
    ],
)
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected


def test_reposts_that_change_only_case_spacing_and_emoji_share_an_md5() -> None:
    a, b = text_signals(AD), text_signals("🔥 " + AD.upper().replace(" ", "   ") + " 💰")
    assert a is not None and b is not None and a.md5 == b.md5


def test_only_long_varied_texts_are_shared() -> None:
    assert not shareable(normalise("Skyt ham i kveld, 50k, dm @x"))
    assert len(normalise("a" * MIN_CHARS)) == MIN_CHARS and not shareable("a" * MIN_CHARS)
    assert entropy("ab" * 50) == pytest.approx(1.0)
    assert shareable(normalise(AD))
    signals = text_signals(AD)
    assert signals is not None and signals.tlsh is not None and signals.tlsh.startswith("T1")
