"""The order detector (first version: a few keyword cues; replaced by the trained classifier)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from varde.records import Cue, TextView

_CUES = re.compile(r"\b(oppdrag|uppdrag|opgave|smälla|skyte|skjuta|skyde|torped|hit)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Detection:
    is_order: bool
    score: float
    violence_types: tuple[str, ...]
    cues: tuple[Cue, ...]


class Detector:
    def detect(
        self, views: Sequence[TextView], normalised: Sequence[str], languages: Sequence[str | None]
    ) -> list[Detection]:
        out = []
        for view in views:
            cues = tuple(Cue("lexicon", m.group(0), m.start(), m.end()) for m in _CUES.finditer(view.text))
            score = min(1.0, 0.4 * len(cues))
            out.append(Detection(score >= 0.5, score, (), cues))
        return out


def load_detector() -> Detector:
    return Detector()
