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
    monkeypatch.setattr(language._CACHE, "size", 2)
    language._CACHE.clear()
    assert detect_languages(texts) == expected  # duplicates inside one batch
    assert len(language._CACHE) == 2
    assert detect_languages(texts[::-1]) == expected[::-1]  # hits and misses mixed
    assert len(language._CACHE) == 2
    language._CACHE.clear()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jag vill inte, det är för sent", "sv"),
        ("Eg veit ikkje kva du meiner", "nn"),
        ("Hvad med nogen i aften", "da"),
        ("Need someone with a car tonight", "en"),
        ("the job, och pengar direkt", None),  # two languages' function words: lingua decides
        ("the best kebab in Malmö", None),  # English words but Scandinavian letters
        ("och inte på møte", None),  # Swedish words but Danish-Norwegian letters
        ("oppdrag i Oslo 50k", None),  # no function words
    ],
)
def test_function_word_fast_path(text: str, expected: str | None) -> None:
    from varde.detect import language

    assert language._by_function_words(text) == expected


def test_function_words_belong_to_one_language() -> None:
    from importlib import resources

    import yaml

    text = resources.files("varde.detect").joinpath("data/function_words.yaml").read_text(encoding="utf-8")
    lists = yaml.safe_load(text)
    assert set(lists) == {"nb", "nn", "sv", "da", "en"}
    words = [w for ws in lists.values() for w in ws]
    assert all(isinstance(w, str) and w.isalpha() and w == w.lower() for w in words), "quote YAML booleans (on, no)"
    assert len(words) == len(set(words)), "a word is listed for two languages"


def test_fast_path_is_at_least_as_accurate_as_lingua_on_the_demo_corpus(monkeypatch: pytest.MonkeyPatch) -> None:
    import json
    from pathlib import Path

    from varde.detect import clean, language

    demo = Path(__file__).resolve().parents[2] / "corpus" / "demo"
    with (demo / "posts.jsonl").open(encoding="utf-8") as lines:
        texts = {p["id"]: p["text"] for p in map(json.loads, lines)}
    with (demo / "labels.jsonl").open(encoding="utf-8") as lines:
        gold = {p["id"]: p["label"]["language"] for p in map(json.loads, lines)}
    ids = [i for i in texts if gold.get(i)]
    cleaned = [clean(texts[i]).text for i in ids]
    with_fast_path = language._uncached(cleaned)
    monkeypatch.setattr(language, "_by_function_words", lambda text: None)
    lingua_only = language._uncached(cleaned)
    assert with_fast_path != lingua_only  # the fast path decides some of them differently

    def correct(found: list[str | None]) -> int:
        return sum(code == gold[i] for code, i in zip(found, ids, strict=True))

    assert correct(with_fast_path) >= correct(lingua_only)


def test_one_thread_gives_the_answers_of_lingua_s_pool() -> None:
    """Worker processes identify languages in one thread (`use_one_thread`): the same answers, text for text, on the
    dev set and the demo corpus (lingua decides most of them: the function-word shortcut is off here)."""
    import json

    from tests.conftest import DEMO, DEV_SET
    from varde.detect import clean, language

    paths = [DEMO / "posts.jsonl", *([DEV_SET] if DEV_SET.exists() else [])]
    texts = [clean(json.loads(line)["text"]).text for path in paths for line in path.open(encoding="utf-8")]
    candidates = [text for text in texts if not language._too_short(text)]
    detector = language._detector()
    pooled = detector.detect_languages_in_parallel_of(candidates)
    try:
        language.use_one_thread()
        language._CACHE.clear()
        one_thread = language.detect_languages(texts)
    finally:
        language.use_one_thread(False)
        language._CACHE.clear()
    assert [detector.detect_language_of(text) for text in candidates] == pooled
    assert one_thread == language.detect_languages(texts)
    assert len(set(one_thread)) == 6  # nb, nn, sv, da, en and None all occur
