"""Signs that minors are recruited (first version: "NN+" age floors)."""

from __future__ import annotations

import re

from varde.records import Cue

_AGE_FLOOR = re.compile(r"\b1[2-7]\s?\+")


def extract_minor_signals(text: str) -> tuple[Cue, ...]:
    return tuple(Cue("minor", m.group(0), m.start(), m.end()) for m in _AGE_FLOOR.finditer(text))
