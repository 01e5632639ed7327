"""Observed precision: the share of the detector's flags that analysts confirmed, per district and quarter.

A flag is a post the detector scored as an order; it is judged when analysts gave a verdict on it (`varde label`,
or a case dismissed or confirmed), and confirmed when their verdict (the consensus of each user's latest) is
"order". Observed precision = confirmed / judged. Unjudged flags are shown beside it and never counted as either:
the figure is only as representative as the flags analysts happened to judge. Pure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from varde.report.quarters import quarter_of

ALL = "All districts"
NO_DISTRICT = "(no district)"


@dataclass(frozen=True, slots=True)
class FlagFact:
    """One flagged post: where it is filed, when it was posted, and the analysts' verdict (None: not judged)."""

    post_id: str
    district: str | None
    posted_at: datetime
    confirmed: bool | None


@dataclass(frozen=True, slots=True)
class PrecisionRow:
    district: str
    flags: int
    judged: int
    confirmed: int

    @property
    def precision(self) -> float | None:
        return self.confirmed / self.judged if self.judged else None


def observed_precision(flags: Iterable[FlagFact], quarter: str) -> list[PrecisionRow]:
    """One row per district with flags posted in `quarter` (by name), then all districts together."""
    counts: dict[str, list[int]] = {}
    total = [0, 0, 0]
    for flag in flags:
        if quarter_of(flag.posted_at) != quarter:
            continue
        row = counts.setdefault(flag.district or NO_DISTRICT, [0, 0, 0])
        for entry in (row, total):
            entry[0] += 1
            entry[1] += flag.confirmed is not None
            entry[2] += flag.confirmed is True
    rows = [PrecisionRow(district, *row) for district, row in sorted(counts.items())]
    return [*rows, PrecisionRow(ALL, *total)]
