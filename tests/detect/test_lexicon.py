from __future__ import annotations

import math
import random
from types import ModuleType

import pytest

from varde.detect.lexicon import FEATURE_NAMES, Match, features, load_lexicon
from varde.vocab import VIOLENCE_TYPES


def _groups(text: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for match in load_lexicon().find(text):
        out.setdefault(match.group, []).append(text[match.start : match.end])
    return out


def test_finds_job_violence_payment_and_emoji() -> None:
    text = "Söker folk för att smälla i Sthlm 100 ton, skriv på tele 🔫 inga frågor"
    found = _groups(text)
    assert "smälla" in found["violence"]
    assert "100 ton" in found["payment"]
    assert "Söker" in found["recruitment"]
    assert "🔫" in found["emoji:GUN"]


def test_price_slang() -> None:
    for price in ["50k", "25 lax", "60 lapper", "en halv mille", "100 ton", "50 000 kr", "€500"]:
        assert price in _groups(f"betaler {price} for det")["payment"], price


def test_violence_types_of_matches() -> None:
    matches = load_lexicon().find("trenger noen til å sprenge en dør og tenne på en bil")
    assert {m.violence_type for m in matches if m.violence_type} == {"explosion", "arson"}


def test_negative_context_groups() -> None:
    found = _groups("Politiet advarer foreldre: selger airsoft pistol, ny låt på spotify")
    assert "negative:warning" in found
    assert "negative:sale" in found
    assert "negative:lyrics" in found


def test_features_vector_shape_and_conjunctions() -> None:
    text = "trenger en kar til å skyte, 50k"
    vector = features(load_lexicon().find(text), len(text))
    assert len(vector) == len(FEATURE_NAMES)
    assert vector[FEATURE_NAMES.index("x:violence*payment")] == 1.0
    assert vector[FEATURE_NAMES.index("v:shooting")] > 0
    assert features([], 0)[FEATURE_NAMES.index("g:violence")] == 0.0


def test_violence_inside_compound_words() -> None:
    text = "bilbrann i natt, håndgranat, husbrand, knivjobb"
    types = [(m.violence_type, text[m.start : m.end]) for m in load_lexicon().find(text) if m.violence_type]
    assert ("arson", "bilbrann") in types
    assert ("explosion", "håndgranat") in types
    assert ("arson", "husbrand") in types
    assert ("stabbing", "knivjobb") in types


def test_compound_scan_ignores_ordinary_words() -> None:
    text = "transport veranda orange Colombia"
    assert [m for m in load_lexicon().find(text) if m.violence_type] == []


def test_cached_find_equals_uncached_and_is_not_shared_mutably(monkeypatch: pytest.MonkeyPatch) -> None:
    lex = load_lexicon()
    texts = ["trenger en kar til å skyte, 50k", "Söker folk för att smälla i Sthlm 100 ton", "hei"]
    monkeypatch.setattr(lex._cache, "size", 2)
    lex._cache.clear()
    for _ in range(2):
        for text in texts:
            first = lex.find(text)
            assert first == lex._find(text)
            first.clear()  # a caller changing its list must not change the cached answer
            assert lex.find(text) == lex._find(text)
            assert len(lex._cache) <= 2
    lex._cache.clear()


def _reference_features(matches: list[Match], text_length: int) -> list[float]:
    """The feature vector as first defined (counts, then products of presence flags), to check the fast version."""
    counts: dict[str, int] = {}
    for m in matches:
        if m.group.startswith("emoji:"):
            keys = [f"e:{m.group[6:]}"] if f"e:{m.group[6:]}" in FEATURE_NAMES else []
        elif m.group.startswith("negative:"):
            keys = ["n:any", f"n:{m.group[9:]}"]
        elif m.group == "violence":
            keys = [f"v:{m.violence_type}", "g:violence"]
        else:
            keys = [f"g:{m.group}"]
        for key in keys:
            counts[key] = counts.get(key, 0) + 1
    vector = [0.0] * len(FEATURE_NAMES)
    for key, count in counts.items():
        vector[FEATURE_NAMES.index(key)] = math.log1p(count)

    def has(key: str) -> float:
        return 1.0 if counts.get(key) else 0.0

    violence, payment, job = has("g:violence"), has("g:payment"), has("g:job")
    recruitment = max(has("g:recruitment"), has("g:self_ad"))
    products = {
        "x:violence*payment": violence * payment,
        "x:violence*job": violence * job,
        "x:violence*recruitment": violence * recruitment,
        "x:job*payment": job * payment,
        "x:job*recruitment": job * recruitment,
        "x:violence*urgency": violence * has("g:urgency"),
        "x:violence*negative": violence * has("n:any"),
        "x:payment*negative": payment * has("n:any"),
        "x:violence*secrecy": violence * has("g:secrecy"),
        "x:selfad*violence": has("g:self_ad") * violence,
        "x:short": 1.0 if text_length < 60 else 0.0,
    }
    for name, value in products.items():
        vector[FEATURE_NAMES.index(name)] = value
    return vector


def test_features_equal_the_reference_definition() -> None:
    rng = random.Random(7)
    groups = [g for g in load_lexicon().groups if g != "violence"] + ["emoji:GUN", "emoji:FIRE", "emoji:OTHER"]
    for _ in range(3000):
        matches = [
            Match("violence", "violence", rng.choice(VIOLENCE_TYPES), 0, 1)
            if rng.random() < 0.3
            else Match(rng.choice(groups), "lexicon", None, 0, 1)
            for _ in range(rng.randrange(0, 9))
        ]
        length = rng.randrange(0, 120)
        assert features(matches, length) == _reference_features(matches, length)


def test_compound_gate_never_skips_a_compound(generator: ModuleType) -> None:
    lex = load_lexicon()
    texts = [e["text"] for e in generator.generate(5, 1500)]
    texts += ["Bilbrann i natt", "BILBRANN", "HUSBRAND", "ifrån", "från", "MOTORSYKKELBRANN", "knivJOBB"]
    with_compounds = [t for t in texts if lex.compounds.search(t)]
    assert len(with_compounds) >= 20  # the generator writes compounds, so the check below has cases
    assert all(lex._may_have_compound(t) for t in with_compounds)
    assert not lex._may_have_compound("från Malmö till Oslo")  # "rån" right after a word start is no compound
