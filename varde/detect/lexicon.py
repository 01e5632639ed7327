"""Lexicon cues: the words, prices and emojis that make a post look like an order (or like a look-alike).

The vocabulary lives in `data/lexicon.yaml` (with its sources) and `data/emoji_tokens.yaml`. `find_cues` scans
cleaned text and returns `Match`es (group, violence type, span); `features` turns them into the classifier's lexicon
feature vector, whose names are `FEATURE_NAMES`.

Matching is done per word start: patterns are bucketed by their first two literal letters so each word tries only
the few patterns that can match there (a single alternation of ~900 patterns is far too slow for the always-on
path); patterns that start with a class or group are tried over the whole text. Results are kept in a bounded LRU
cache per lexicon, because re-posts are common.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import yaml

from varde.cache import LruCache
from varde.detect.normalise import signal_emojis
from varde.vocab import VIOLENCE_TYPES

# Cue kind shown to analysts for each lexicon group (negative groups all show as "negative").
_TOKEN = re.compile(r"^[A-Z]{2,}$")
_SPECIAL = set("\\()[].*+?{}|^$")


@dataclass(frozen=True, slots=True)
class Match:
    group: str  # "job", "payment", "violence", "negative:news" …
    kind: str  # cue kind: lexicon, payment, recruitment, violence, emoji, negative
    violence_type: str | None
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Entry:
    group: str
    kind: str
    violence_type: str | None


def _expand(pattern: str) -> list[str]:
    """Split a leading "(?:a|b|c)rest" into "arest", "brest", "crest" so each gets a literal prefix."""
    if not pattern.startswith("(?:"):
        return [pattern]
    depth = 0
    for i, char in enumerate(pattern):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                inner, rest = pattern[3:i], pattern[i + 1 :]
                if "(" in inner or rest[:1] in ("?", "*", "+", "{"):
                    return [pattern]
                return [alt + rest for alt in inner.split("|")]
    return [pattern]


def _literal_prefix(pattern: str) -> str:
    out: list[str] = []
    for i, char in enumerate(pattern):
        if char in _SPECIAL:
            break
        if i + 1 < len(pattern) and pattern[i + 1] in "?*{":
            break
        out.append(char)
    return "".join(out).lower()


class Lexicon:
    """Compiled lexicon: per-prefix pattern buckets, whole-text patterns, and emoji token groups."""

    def __init__(self, data: dict[str, Any]) -> None:
        entries: list[tuple[_Entry, str]] = []
        self.token_entries: dict[str, list[_Entry]] = {}
        for group, spec in data["groups"].items():
            for pattern in spec["patterns"]:
                entries.append((_Entry(group, spec["kind"], None), pattern))
        for vtype, patterns in data["violence"].items():
            if vtype not in VIOLENCE_TYPES:
                raise ValueError(f"lexicon: unknown violence type {vtype!r}")
            for pattern in patterns:
                entries.append((_Entry("violence", "violence", vtype), pattern))
        for name, patterns in data["negative"].items():
            for pattern in patterns:
                entries.append((_Entry(f"negative:{name}", "negative", None), pattern))
        buckets: dict[tuple[str, _Entry], list[str]] = {}
        general: dict[_Entry, list[str]] = {}
        self._cache: LruCache[str, tuple[Match, ...]] = LruCache(_CACHE_SIZE)
        for entry, raw in entries:
            if _TOKEN.match(raw):
                self.token_entries.setdefault(raw, []).append(entry)
                continue
            for pattern in _expand(raw):
                prefix = _literal_prefix(pattern)
                if pattern.startswith("\\d") or pattern[:1].isdigit():
                    buckets.setdefault(("#", entry), []).append(pattern)
                elif prefix:
                    buckets.setdefault((prefix[:2], entry), []).append(pattern)
                else:
                    general.setdefault(entry, []).append(pattern)
        # One regex per prefix key; a named group per entry says which entry matched (the first that matches wins).
        self.entries: list[_Entry] = []
        per_key: dict[str, list[str]] = {}
        for (prefix, entry), patterns in buckets.items():
            name = f"e{len(self.entries)}"
            self.entries.append(entry)
            alternation = "|".join(f"(?:{p})" for p in patterns)
            per_key.setdefault(prefix, []).append(f"(?P<{name}>(?:{alternation})(?!\\w))")
        self.buckets: dict[str, re.Pattern[str]] = {
            key: re.compile("|".join(parts), re.IGNORECASE) for key, parts in per_key.items()
        }
        self.general = [
            (entry, re.compile(r"(?<!\w)(?:" + "|".join(f"(?:{p})" for p in ps) + r")(?!\w)", re.IGNORECASE))
            for entry, ps in general.items()
        ]
        compound_parts = []
        self.compound_types: list[str] = []
        for vtype, stems in data.get("compounds", {}).items():
            self.compound_types.append(vtype)
            alternation = "|".join(stems)
            compound_parts.append(f"(?P<c{len(self.compound_types) - 1}>(?:{alternation})\\w*)")
        # Inside a word: at least two letters before the stem. The lookahead on the stems' first letters comes first
        # because it is the cheapest test to fail at most positions (same matches, half the time).
        firsts = sorted({stem[0] for stems in data.get("compounds", {}).values() for stem in stems})
        gate = "(?=[" + "".join(re.escape(c) for c in firsts) + "])"
        self.compounds = re.compile(gate + r"(?<=[^\W\d_]{2})(?:" + "|".join(compound_parts) + ")", re.IGNORECASE)
        # For a Latin-1 text, re.IGNORECASE matches a stem exactly where the lower-cased text contains it (and lower
        # case keeps letters letters), so one case-sensitive scan of the lower-cased text for two letters and a stem
        # skips the costlier regex for most posts ("från" holds "rån" but not after two letters); texts with other
        # characters always get the scan.
        stems = [stem for group in data.get("compounds", {}).values() for stem in group]
        literal = all(s.isalpha() for s in stems)
        alternation = "|".join(sorted({s.lower() for s in stems}, key=lambda s: (-len(s), s)))
        self._compound_gate = re.compile(r"[^\W\d_]{2}(?:" + alternation + ")") if literal else None
        # Per word head, the regexes to try (filled as heads are seen; heads are few, so the cache stays small).
        self._by_head: dict[str, tuple[re.Pattern[str], ...]] = {}
        self._entry_by_name = {f"e{i}": entry for i, entry in enumerate(self.entries)}
        groups = sorted({e.group for e, _ in entries})
        self.groups = groups

    def _regexes_for(self, head: str) -> tuple[re.Pattern[str], ...]:
        """The bucket regexes to try at a word starting with `head` (its first two characters, lower case): the
        two-letter bucket, then the one-letter one; digits all share "#"."""
        keys = (head, head[:1]) if not head[:1].isdigit() else ("#",)
        return tuple(self.buckets[key] for key in keys if key in self.buckets)

    def _may_have_compound(self, text: str) -> bool:
        if self._compound_gate is None or not text or max(text) > "\xff":
            return True
        return self._compound_gate.search(text.lower()) is not None

    def find(self, text: str) -> list[Match]:
        """All cue matches in `text` (cleaned text), in order of position."""
        cached = self._cache.get_many([text])
        if cached:
            return list(cached[text])
        found = self._find(text)
        self._cache.put_many([(text, tuple(found))])
        return found

    def _find(self, text: str) -> list[Match]:
        found: list[Match] = []
        by_head = self._by_head
        by_name = self._entry_by_name
        for word in _WORD_START.finditer(text):
            start = word.start()
            head = text[start : start + 2].lower()
            regexes = by_head.get(head)
            if regexes is None:
                regexes = by_head[head] = self._regexes_for(head)
            for regex in regexes:
                match = regex.match(text, start)
                if match:
                    entry = by_name[match.lastgroup]  # type: ignore[index]
                    found.append(Match(entry.group, entry.kind, entry.violence_type, start, match.end()))
        for entry, regex in self.general:
            for match in regex.finditer(text):
                found.append(Match(entry.group, entry.kind, entry.violence_type, match.start(), match.end()))
        for match in self.compounds.finditer(text) if self._may_have_compound(text) else ():
            vtype = self.compound_types[int(match.lastgroup[1:])]  # type: ignore[index]
            start = match.start()
            while start > 0 and (text[start - 1].isalpha()):
                start -= 1
            found.append(Match("violence", "violence", vtype, start, match.end()))
        if not text.isascii():
            for start, end, token in signal_emojis(text):
                found.append(Match(f"emoji:{token}", "emoji", None, start, end))
                for entry in self.token_entries.get(token, ()):
                    found.append(Match(entry.group, "emoji", entry.violence_type, start, end))
        if len(found) < 2:
            return found
        unique = {(m.start, m.end, m.group, m.violence_type): m for m in found}
        return [unique[key] for key in sorted(unique, key=lambda k: (k[0], k[1], k[2], k[3] or ""))]


_WORD_START = re.compile(r"(?<![\w€$£])[\w€$£]")
# Texts whose matches are cached per lexicon: about 400 bytes an entry.
_CACHE_SIZE = 20_000

_EMOJI_FEATURES = ("GUN", "BOMB", "FIRE", "KNIFE", "SKULL", "FIST", "MONEY", "CAR", "HOUSE", "TARGET", "PHONE")
_POSITIVE_GROUPS = ("job", "self_ad", "recruitment", "payment", "secrecy", "urgency", "minor", "property")


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    text = resources.files("varde.detect").joinpath("data", "lexicon.yaml").read_text(encoding="utf-8")
    return Lexicon(yaml.safe_load(text))


def _negative_names() -> tuple[str, ...]:
    return tuple(sorted(g.split(":", 1)[1] for g in load_lexicon().groups if g.startswith("negative:")))


NEGATIVE_GROUPS = _negative_names()
FEATURE_NAMES: tuple[str, ...] = (
    *(f"g:{g}" for g in _POSITIVE_GROUPS),
    "g:violence",
    *(f"v:{t}" for t in VIOLENCE_TYPES),
    *(f"n:{n}" for n in NEGATIVE_GROUPS),
    "n:any",
    *(f"e:{t}" for t in _EMOJI_FEATURES),
    "x:violence*payment",
    "x:violence*job",
    "x:violence*recruitment",
    "x:job*payment",
    "x:job*recruitment",
    "x:violence*urgency",
    "x:violence*negative",
    "x:payment*negative",
    "x:violence*secrecy",
    "x:selfad*violence",
    "x:short",
)
_INDEX = {name: i for i, name in enumerate(FEATURE_NAMES)}


@lru_cache(maxsize=4096)
def _counted_keys(group: str, violence_type: str | None) -> tuple[str, ...]:
    """The feature counts one match adds to (an emoji outside the feature list adds to none)."""
    if group.startswith("emoji:"):
        key = "e:" + group[6:]
        return (key,) if key in _INDEX else ()
    if group.startswith("negative:"):
        return ("n:any", "n:" + group[9:])
    if group == "violence":
        return (f"v:{violence_type}", "g:violence")
    return (f"g:{group}",)


_SIZE = len(FEATURE_NAMES)
_SHORT = _INDEX["x:short"]
_X = {name: _INDEX[name] for name in FEATURE_NAMES if name.startswith("x:")}


def features(matches: Sequence[Match], text_length: int) -> list[float]:
    """The lexicon feature vector (log-scaled counts and a few conjunctions) for one post's matches."""
    vector = [0.0] * _SIZE
    vector[_SHORT] = 1.0 if text_length < 60 else 0.0
    if not matches:
        return vector
    counts: dict[str, int] = {}
    for m in matches:
        for key in _counted_keys(m.group, m.violence_type):
            counts[key] = counts.get(key, 0) + 1
    for key, count in counts.items():
        vector[_INDEX[key]] = math.log1p(count)
    # Conjunctions: 1.0 when both sides have a match (recruitment: a recruitment or a self-advertising match).
    violence, payment, job = "g:violence" in counts, "g:payment" in counts, "g:job" in counts
    self_ad, negative = "g:self_ad" in counts, "n:any" in counts
    recruitment = self_ad or "g:recruitment" in counts
    x = _X
    if violence:
        vector[x["x:violence*payment"]] = 1.0 if payment else 0.0
        vector[x["x:violence*job"]] = 1.0 if job else 0.0
        vector[x["x:violence*recruitment"]] = 1.0 if recruitment else 0.0
        vector[x["x:violence*urgency"]] = 1.0 if "g:urgency" in counts else 0.0
        vector[x["x:violence*negative"]] = 1.0 if negative else 0.0
        vector[x["x:violence*secrecy"]] = 1.0 if "g:secrecy" in counts else 0.0
        vector[x["x:selfad*violence"]] = 1.0 if self_ad else 0.0
    if job:
        vector[x["x:job*payment"]] = 1.0 if payment else 0.0
        vector[x["x:job*recruitment"]] = 1.0 if recruitment else 0.0
    if payment and negative:
        vector[x["x:payment*negative"]] = 1.0
    return vector


def feature_matrix(match_lists: Sequence[Sequence[Match]], lengths: Sequence[int]) -> np.ndarray[Any, Any]:
    """Stack `features` for a batch into a float64 matrix (rows = posts, columns = FEATURE_NAMES)."""
    rows = [features(m, n) for m, n in zip(match_lists, lengths, strict=True)]
    return np.asarray(rows, dtype=np.float64).reshape(len(rows), len(FEATURE_NAMES))
