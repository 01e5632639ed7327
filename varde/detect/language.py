"""Language identification among nb, nn, sv, da and en.

`lingua-language-detector` restricted to those five languages (it ships its own models, so this works offline).
The detector is built once per process, in low-accuracy mode with preloaded models: the posts are short, the five
candidates are few, and the fast mode keeps the always-on path above 10,000 posts/s. Letters only one language uses
(ä/ö Swedish; æ/ø Danish-Norwegian) are hard evidence lingua sometimes ignores in very short texts, so they overrule
it. None when the text has fewer than two letters-words to go on.

Lingua is most of the cost, so a text that uses function words of exactly one language (`data/function_words.yaml`,
words only that language uses, such as Swedish "och"/"inte", Nynorsk "ikkje"/"kva", Danish "nogen"/"hvad", English
"the"/"with") and no letters against it is decided without lingua; on the generated training corpus, its handwritten
examples and the demo corpus this is as accurate as lingua or more in every language (lingua's trigrams confuse short
Scandinavian posts).

Re-posts are common, so results are kept in a bounded LRU cache per process (the answer for a text never changes):
only texts not seen recently reach lingua.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

import yaml
from lingua import Language, LanguageDetector, LanguageDetectorBuilder

from varde.cache import LruCache

_CODES = {
    Language.BOKMAL: "nb",
    Language.NYNORSK: "nn",
    Language.SWEDISH: "sv",
    Language.DANISH: "da",
    Language.ENGLISH: "en",
}
_WORD = re.compile(r"[^\W\d_]{2,}")
_SWEDISH_ONLY = re.compile(r"[äöÄÖ]")
_NORDIC_ONLY = re.compile(r"[æøÆØ]")


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    return (
        LanguageDetectorBuilder.from_languages(*_CODES)
        .with_low_accuracy_mode()
        .with_preloaded_language_models()
        .build()
    )


def _load_function_words() -> dict[str, str]:
    """word → the one language that uses it (`data/function_words.yaml`, with its sources)."""
    text = resources.files("varde.detect").joinpath("data/function_words.yaml").read_text(encoding="utf-8")
    return {str(word): str(code) for code, words in yaml.safe_load(text).items() for word in words}


_ONLY_IN = _load_function_words()
_LETTERS = re.compile(r"[^\W\d_]+")
_SCANDINAVIAN = re.compile(r"[æøåäöÆØÅÄÖ]")


def _by_function_words(text: str) -> str | None:
    """The language whose function words the text uses when no other's appear and its letters agree, else None."""
    found: str | None = None
    for word in _LETTERS.findall(text.lower()):
        code = _ONLY_IN.get(word)
        if code is not None and code != found:
            if found is not None:
                return None
            found = code
    if found is None or _overrule(text, found) != found:
        return None
    if found == "en" and _SCANDINAVIAN.search(text) is not None:
        return None
    return found


def _too_short(text: str) -> bool:
    return len(_WORD.findall(text, 0, 400)) < 2


def _overrule(text: str, code: str | None) -> str | None:
    swedish = _SWEDISH_ONLY.search(text) is not None
    nordic = _NORDIC_ONLY.search(text) is not None
    if swedish and not nordic and code in ("nb", "nn", "da"):
        return "sv"
    if nordic and not swedish and code in ("sv", "en"):
        return "nb"
    return code


def detect_language(text: str) -> str | None:
    """The language code of `text`, or None when it is too short to tell."""
    return detect_languages([text])[0]


# Text → code for recently seen texts. About 150 bytes an entry.
_CACHE: LruCache[str, str | None] = LruCache(20_000)
# Whether lingua may use its thread pool (one thread per core). A worker process turns it off (`use_one_thread`).
_IN_PARALLEL = True


def use_one_thread(one: bool = True) -> None:
    """Identify languages in the calling thread only (or, `one` false, in lingua's pool again), from now on in this
    process: for worker processes, which share the cores among themselves, and which may be forked from a process
    whose thread pool they do not get. The answers are the same (lingua's answer for a text does not depend on how
    it is called)."""
    global _IN_PARALLEL
    _IN_PARALLEL = not one


def _uncached(texts: Sequence[str]) -> list[str | None]:
    out: list[str | None] = [None] * len(texts)
    candidates: list[int] = []
    for i, text in enumerate(texts):
        if _too_short(text):
            continue
        code = _by_function_words(text)
        if code is None:
            candidates.append(i)
        else:
            out[i] = code
    if not candidates:
        return out
    detector = _detector()
    unknown = [texts[i] for i in candidates]
    found = (
        detector.detect_languages_in_parallel_of(unknown)
        if _IN_PARALLEL
        else [detector.detect_language_of(text) for text in unknown]
    )
    for i, language in zip(candidates, found, strict=True):
        code = _CODES.get(language) if language is not None else None
        out[i] = _overrule(texts[i], code)
    return out


def detect_languages(texts: Sequence[str]) -> list[str | None]:
    """Language codes for a batch (lingua runs the texts not in the cache in parallel)."""
    out: list[str | None] = [None] * len(texts)
    positions: dict[str, list[int]] = {}
    for i, text in enumerate(texts):
        positions.setdefault(text, []).append(i)
    known = _CACHE.get_many(positions)
    missing = [text for text in positions if text not in known]
    found = dict(zip(missing, _uncached(missing), strict=True)) if missing else {}
    _CACHE.put_many(found.items())
    for text, indexes in positions.items():
        code = known[text] if text in known else found[text]
        for i in indexes:
            out[i] = code
    return out
