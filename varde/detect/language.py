"""Language identification among nb, nn, sv, da, en (first version: function-word counts)."""

from __future__ import annotations

from collections.abc import Sequence

_MARKERS = {
    "nb": {"jeg", "ikke", "og", "det", "er", "på", "til", "med", "har", "kveld", "jobb", "oppdrag"},
    "sv": {"jag", "inte", "och", "det", "är", "på", "till", "med", "har", "ikväll", "jobb", "uppdrag"},
    "da": {"jeg", "ikke", "og", "det", "er", "på", "til", "med", "har", "aften", "job", "opgave"},
    "en": {"i", "not", "and", "the", "is", "on", "to", "with", "have", "tonight", "job"},
}


def detect_language(text: str) -> str | None:
    words = set(text.lower().split())
    scores = {lang: len(words & markers) for lang, markers in _MARKERS.items()}
    best = max(scores, key=lambda lang: scores[lang])
    return best if scores[best] else None


def detect_languages(texts: Sequence[str]) -> list[str | None]:
    return [detect_language(t) for t in texts]
