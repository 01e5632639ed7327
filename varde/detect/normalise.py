"""Text normalisation with an offset map back to the original (first version: NFKC and zero-width removal)."""

from __future__ import annotations

import unicodedata

from varde.records import TextView

_ZERO_WIDTH = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}


def clean(text: str) -> TextView:
    """Fold compatibility characters (NFKC) and drop zero-width ones, keeping case and a map to the original."""
    chars: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        if char in _ZERO_WIDTH:
            continue
        for folded in unicodedata.normalize("NFKC", char):
            chars.append(folded)
            offsets.append(index)
    offsets.append(len(text))
    return TextView("".join(chars), tuple(offsets))


def model_text(text: str) -> str:
    """The classifier's input: lower case, whitespace collapsed."""
    return " ".join(text.lower().split())
