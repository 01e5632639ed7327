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


def test_cache_gives_the_uncached_answer_and_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from varde.detect import language

    texts = [
        "Behöver någon ikväll, bra betalt",
        "Need someone tonight, good pay",
        "Behöver någon ikväll, bra betalt",
        "Trenger noen i kveld, god betaling",
        "🔫",
    ]
    expected = language._uncached(texts)
    monkeypatch.setattr(language, "_CACHE_SIZE", 2)
    language._CACHE.clear()
    assert detect_languages(texts) == expected  # duplicates inside one batch
    assert len(language._CACHE) == 2
    assert detect_languages(texts[::-1]) == expected[::-1]  # hits and misses mixed
    assert len(language._CACHE) == 2
    language._CACHE.clear()
