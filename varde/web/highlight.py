"""Cue highlighting built on the server: the post text cut at cue offsets into plain-text segments.

Templates print each segment with autoescaping, so hostile text stays text; no HTML is ever assembled here."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import pairwise
from typing import Any


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of the original text; `kinds` are the cue kinds covering it (empty for plain text)."""

    text: str
    kinds: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "kinds": list(self.kinds)}


def _spans(text: str, cues: Iterable[Mapping[str, Any]]) -> list[tuple[int, int, str]]:
    """Valid (start, end, kind) spans of cues read from the post's own text; others are ignored."""
    spans = []
    for cue in cues:
        if cue.get("origin", "text") != "text":
            continue  # cues read from images (OCR) have offsets into the image text, not the post
        start, end, kind = cue.get("start"), cue.get("end"), cue.get("kind")
        if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool):
            continue
        start, end = max(0, start), min(len(text), end)
        if end > start:
            spans.append((start, end, str(kind or "cue")))
    return spans


def highlight(text: str, cues: Iterable[Mapping[str, Any]]) -> list[Segment]:
    """Cut `text` at every cue boundary; overlapping cues give a segment with several kinds."""
    spans = _spans(text, cues)
    cuts = sorted({0, len(text)} | {s for s, _, _ in spans} | {e for _, e, _ in spans})
    segments: list[Segment] = []
    for left, right in pairwise(cuts):
        kinds = tuple(sorted({kind for s, e, kind in spans if s <= left and right <= e}))
        if segments and segments[-1].kinds == kinds:
            segments[-1] = Segment(segments[-1].text + text[left:right], kinds)
        else:
            segments.append(Segment(text[left:right], kinds))
    return segments


# Bidirectional controls and invisible characters reorder or hide text on screen (an "exe.png" that is really
# "gnp.exe"); on the case page they are shown as visible marks so the analyst sees the text as it was written.
INVISIBLE = {
    **{chr(c): f"[U+{c:04X}]" for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))},
    "\u200e": "[LRM]",
    "\u200f": "[RLM]",
    "\u061c": "[ALM]",
    "\u200b": "[ZWSP]",
    "\u2060": "[WJ]",
    "\ufeff": "[BOM]",
}
_REVEAL = str.maketrans(INVISIBLE)


def reveal(text: str) -> str:
    """`text` with bidi controls and invisible characters replaced by visible marks like [U+202E]."""
    return text.translate(_REVEAL)
