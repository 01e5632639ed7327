"""Violence types an order states through the trade it asks for ("hitmen", "klivare", "blasting 100 tons") rather
than through a violence word (pure functions on text; the words live in `data/implied_types.yaml`, with sources).

The lexicon files these words under `job` (or a lawful-work context) and counts a word in one group only, so an
order written with them alone would list no violence type. The detector adds these types to an order's stated ones.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

import yaml


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    text = resources.files("varde.detect").joinpath("data", "implied_types.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    return tuple(
        (str(kind), re.compile(r"(?<!\w)(?:" + "|".join(f"(?:{p})" for p in patterns) + r")(?!\w)", re.IGNORECASE))
        for kind, patterns in data.items()
    )


def implied_types(text: str, excluded: Sequence[tuple[int, int]] = ()) -> set[str]:
    """The violence types the trade words of `text` imply, ignoring matches that start inside `excluded` spans
    (handles, links: "@hitman_22" is a name)."""
    found = set()
    for kind, pattern in _patterns():
        for match in pattern.finditer(text):
            if not any(a <= match.start() < b for a, b in excluded):
                found.add(kind)
                break
    return found
