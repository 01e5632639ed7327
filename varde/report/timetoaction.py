"""Time to action, the police's key performance figure: how long from an order's first post until it was
detected (machine-flagged), uncovered (an analyst confirmed it and an investigation started; a case prevented
without a recorded uncovered step counts from its prevention, as in stats.py) and prevented.

Durations are in hours; a negative one (clock skew between sources) counts as zero. Summaries give the number of
cases, the median and the 90th percentile (linear interpolation between ranks, numpy's default) per district and
quarter, the quarter being that of the first post. Dismissed and merged cases are left out, like in stats.py.

"Reached its deadline before anyone acted": the order states when the act is to happen (`when_start`), and at
that instant nobody had yet uncovered or prevented it — either it was acted on later, or not at all and the
deadline has passed at `as_of`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from varde.report.facts import CaseFact
from varde.report.quarters import quarter_of

MEASURES: tuple[str, ...] = ("detection", "uncovered", "prevented")
MEASURE_LABELS = {
    "detection": "First post → detected",
    "uncovered": "First post → uncovered",
    "prevented": "First post → prevented",
}
ALL = "all"
UNKNOWN = "(unknown)"


@dataclass(frozen=True, slots=True)
class Spread:
    n: int
    median_h: float | None
    p90_h: float | None


@dataclass(frozen=True, slots=True)
class TimeRow:
    """Time to action for one district (or "all") and quarter."""

    district: str
    quarter: str
    cases: int
    detection: Spread
    uncovered: Spread
    prevented: Spread
    with_deadline: int
    deadline_passed_first: int

    def spread(self, measure: str) -> Spread:
        value: Spread = getattr(self, measure)
        return value


def _hours(start: datetime, end: datetime | None) -> float | None:
    if end is None:
        return None
    return max((end - start).total_seconds() / 3600.0, 0.0)


def first_action(fact: CaseFact) -> datetime | None:
    """When somebody first acted on the order: uncovered it or prevented it."""
    present = [instant for instant in (fact.uncovered_at, fact.prevented_at) if instant is not None]
    return min(present) if present else None


def durations(fact: CaseFact) -> dict[str, float | None]:
    """Hours from first post to detection, uncovered and prevented (None where the case never got there)."""
    return {
        "detection": _hours(fact.first_post_at, fact.detected_at),
        "uncovered": _hours(fact.first_post_at, first_action(fact)),
        "prevented": _hours(fact.first_post_at, fact.prevented_at),
    }


def deadline_passed_first(fact: CaseFact, as_of: datetime) -> bool | None:
    """True when the order's deadline came before any action; None when it states no deadline."""
    if fact.when_start is None:
        return None
    acted = first_action(fact)
    if acted is None:
        return fact.when_start <= as_of
    return fact.when_start < acted


def spread(values: Sequence[float]) -> Spread:
    if not values:
        return Spread(0, None, None)
    data = np.asarray(values, dtype=float)
    return Spread(len(values), float(np.median(data)), float(np.percentile(data, 90)))


def time_to_action(
    facts: Iterable[CaseFact], quarters: Sequence[str], as_of: datetime, districts: Sequence[str] | None = None
) -> list[TimeRow]:
    """One row per (district, quarter) over `quarters` — "all" first, then each district with cases (or each of
    `districts`, in that order, when given)."""
    wanted = set(quarters)
    values: dict[tuple[str, str], dict[str, list[float]]] = defaultdict(lambda: {m: [] for m in MEASURES})
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    seen_districts: set[str] = set()
    for fact in facts:
        if fact.status in ("dismissed", "merged"):
            continue
        quarter = quarter_of(fact.first_post_at)
        if quarter not in wanted:
            continue
        district = fact.district or UNKNOWN
        seen_districts.add(district)
        spans = durations(fact)
        passed = deadline_passed_first(fact, as_of)
        for key in ((ALL, quarter), (district, quarter)):
            tally = counts[key]
            tally[0] += 1
            if passed is not None:
                tally[1] += 1
                tally[2] += int(passed)
            for measure, hours in spans.items():
                if hours is not None:
                    values[key][measure].append(hours)
    order = [ALL, *(districts if districts is not None else sorted(seen_districts))]
    rows = []
    for district in order:
        for quarter in quarters:
            key = (district, quarter)
            lists = values.get(key, {m: [] for m in MEASURES})
            cases, with_deadline, passed_first = counts.get(key, [0, 0, 0])
            rows.append(
                TimeRow(
                    district,
                    quarter,
                    cases,
                    spread(lists["detection"]),
                    spread(lists["uncovered"]),
                    spread(lists["prevented"]),
                    with_deadline,
                    passed_first,
                )
            )
    return rows
