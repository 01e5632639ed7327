"""Text signals: MD5 of the normalised text (exact copies) and TLSH of it (near copies).

The normalisation is deliberately simple, so a platform can do the same in a few lines (docs/signals.md):
Unicode NFKC, case folding, format characters (zero-width joiners and spaces, soft hyphens) removed, and every run
of characters that are neither letters nor digits (spaces, punctuation, emoji, line breaks) replaced by one space,
trimmed. Re-posts that only change spacing, case, punctuation or emoji then give the same MD5, and TLSH sees the
same words.

A hash of a short or repetitive text can be guessed (hash every likely sentence and compare), so a text gives
signals only when its normalised form has at least `MIN_CHARS` characters and a character entropy of at least
`MIN_ENTROPY` bits. `TLSH_DISTANCE` is the largest TLSH distance counted as a match; `bench/measure_text_signals.py`
measured it on the re-post pairs of the demo corpus and on generated re-posts (see docs/signals.md).
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

MIN_CHARS = 60
MIN_ENTROPY = 3.5  # bits per character (Shannon, over the characters of the normalised text)
TLSH_DISTANCE = 30  # measured: bench/measure_text_signals.py (docs/signals.md); threatexchange uses 30 too
MD5 = "md5_text"  # Varde's name: threatexchange has no text-MD5 type (its "video_md5" hashes file bytes)
TLSH = "text_tlsh"  # the name of threatexchange's TLSH text extension (TextTLSHSignal)

_NOT_WORD = re.compile(r"[\W_]+")
_TLSH_PATTERN = re.compile(r"^T1[0-9A-F]{70}$")
_MD5_PATTERN = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True, slots=True)
class TextSignals:
    """The signals of one text: its MD5 and TLSH (None when the library is missing or the text too uniform)."""

    md5: str
    tlsh: str | None


def normalise(text: str) -> str:
    """NFKC, casefold, no format characters, non-word runs as one space (see the module docstring)."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = "".join(ch for ch in folded if unicodedata.category(ch) != "Cf")
    return _NOT_WORD.sub(" ", folded).strip()


def entropy(text: str) -> float:
    """Shannon entropy of the characters of `text`, in bits per character (0 for an empty text)."""
    if not text:
        return 0.0
    total = len(text)
    return -sum(n / total * math.log2(n / total) for n in Counter(text).values())


def shareable(normalised: str) -> bool:
    """Whether a normalised text is long and varied enough that its hashes cannot be guessed (module docstring)."""
    return len(normalised) >= MIN_CHARS and entropy(normalised) >= MIN_ENTROPY


def md5_of(normalised: str) -> str:
    return hashlib.md5(normalised.encode("utf-8"), usedforsecurity=False).hexdigest()


def tlsh_of(normalised: str) -> str | None:
    """TLSH of the normalised text as "T1" + 70 hex digits, or None (py-tlsh missing, or too little variation)."""
    try:
        import tlsh
    except ImportError:
        return None
    value = str(tlsh.hash(normalised.encode("utf-8")))
    return value if _TLSH_PATTERN.match(value) else None


def text_signals(text: str) -> TextSignals | None:
    """The signals of a post's text, or None when it is too short or too uniform to share safely."""
    normalised = normalise(text)
    if not shareable(normalised):
        return None
    return TextSignals(md5_of(normalised), tlsh_of(normalised))


def valid_md5(value: str) -> bool:
    return bool(_MD5_PATTERN.match(value))


def valid_tlsh(value: str) -> bool:
    return bool(_TLSH_PATTERN.match(value))


def tlsh_distance(a: str, b: str) -> int:
    """TLSH distance (with the length term), as threatexchange's TextTLSHSignal compares."""
    import tlsh

    return int(tlsh.diff(a, b))
