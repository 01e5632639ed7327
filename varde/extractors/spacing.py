"""Re-join words written letter by letter ("i  m o r g e n", "4 5 k") and drop keycap marks ("5️⃣0️⃣k" → "50k"),
with a map back to the input's offsets."""

from __future__ import annotations

import bisect
import re

# Three or more single characters one space apart; or two, when the words around are set two spaces apart.
_SPACED = re.compile(r"(?<!\S)(?:[^\W_] ){2,}[^\W_](?!\S)|(?:^|(?<=\s\s))[^\W_] [^\W_](?=\s\s|\s*$|\s?[.,!?:;])")


_DROP = frozenset("\u20e3\ufe0f")  # combining keycap and emoji variation selector


def despace(text: str) -> tuple[str, list[int]]:
    """`text` with letter-spaced runs joined, and for each character of the result its offset in `text`
    (plus one final entry for the end)."""
    out: list[str] = []
    offsets: list[int] = []
    pos = 0
    for m in _SPACED.finditer(text):
        for i in range(pos, m.start()):
            if text[i] in _DROP:
                continue
            out.append(text[i])
            offsets.append(i)
        for i in range(m.start(), m.end()):
            if text[i] != " ":
                out.append(text[i])
                offsets.append(i)
        pos = m.end()
    for i in range(pos, len(text)):
        if text[i] in _DROP:
            continue
        out.append(text[i])
        offsets.append(i)
    offsets.append(len(text))
    return "".join(out), offsets


def span_back(offsets: list[int], start: int, end: int) -> tuple[int, int]:
    """Map a half-open span of the de-spaced text back to the input."""
    if end <= start:
        return offsets[start], offsets[start]
    return offsets[start], offsets[end - 1] + 1


def inside_any(spans: list[tuple[int, int]], position: int) -> bool:
    """Whether `position` falls inside one of `spans` (sorted by start, not overlapping), in O(log n)."""
    i = bisect.bisect_right(spans, (position, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= position < spans[i][1]


def overlaps_any(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) overlaps one of `spans` (sorted, not overlapping each other), in O(log n)."""
    i = bisect.bisect_left(spans, (start, start))
    if i > 0 and spans[i - 1][1] > start:
        return True
    return i < len(spans) and spans[i][0] < end


def add_span(spans: list[tuple[int, int]], start: int, end: int) -> None:
    """Insert a span that overlaps none of `spans`, keeping them sorted."""
    bisect.insort(spans, (start, end))
