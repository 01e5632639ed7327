"""Quarterly police statistics — the ONE place their definitions live (docs/statistics.md repeats them in prose).

Figures are computed from each case's state *now* (as of the report), so a later dismissal or merge corrects
earlier quarters instead of leaving them inflated. Quarters are Oslo local time (`quarters.py`).

Each figure for a quarter counts cases (never posts, except raw ads) as follows:

- `raw_ads`: every post of the case (re-posts, forwards, variants), in the quarter of its first post, unless the
  case is dismissed or merged (merging moves a duplicate's posts into the case it joined, so they count there).
- `unique_orders`: the case once, in the quarter of its first post, unless dismissed (not an order) or merged
  (counted in the case it joined).
- `uncovered`: the case once if it ever reached *uncovered* (identified and under investigation) — also when it
  went on to prevented or executed — in the quarter of the first of uncovered_at and prevented_at (a case
  prevented without a recorded uncovered step counts: intervention presupposes identification).
- `prevented`: the case once if it reached *prevented* (a concrete police intervention), by prevented_at.
- `executed`: the case once if it reached *executed* (the act happened), identified beforehand or not, by
  executed_at.
- `dismissed`: the case once if its state is *dismissed* (found not to be an order), by dismissed_at.

Cases now dismissed or merged count in none of uncovered/prevented/executed. So "uncovered in 2025Q3" answers
"how many orders did the police identify and start investigating during Q3", whatever became of them later.

Breakdowns: by Norwegian police district (`district_no`), Swedish police region (`region_se`), Danish police
district (`district_dk`), `country`, `violence_type`, `platform`, `network` and `source`. A case with several
violence types, platforms, networks or sources counts once under each, so those breakdowns do not add up to the
total. Missing values are shown as "(unknown)" ("(none)" for a case tied to no known network).
Comparisons: quarter over quarter (the quarter before) and year over year (the same quarter a year before).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from datetime import datetime
from itertools import repeat
from typing import Any

from varde.report.facts import CaseFact
from varde.report.quarters import quarter_of, shift_quarter

METRICS: tuple[str, ...] = ("raw_ads", "unique_orders", "uncovered", "prevented", "executed", "dismissed")
METRIC_LABELS: dict[str, str] = {
    "raw_ads": "Raw ads",
    "unique_orders": "Unique orders",
    "uncovered": "Uncovered",
    "prevented": "Prevented",
    "executed": "Executed",
    "dismissed": "Dismissed",
}
DIMENSIONS: tuple[str, ...] = (
    "all",
    "country",
    "district_no",
    "region_se",
    "district_dk",
    "violence_type",
    "platform",
    "network",
    "source",
)
DIMENSION_LABELS: dict[str, str] = {
    "all": "All",
    "country": "Country",
    "district_no": "Police district (Norway)",
    "region_se": "Police region (Sweden)",
    "district_dk": "Police district (Denmark)",
    "violence_type": "Violence type",
    "platform": "Platform",
    "network": "Network",
    "source": "Source",
}
UNKNOWN = "(unknown)"
NO_NETWORK = "(none)"
_COUNTRY_DIMENSION = {"NO": "district_no", "SE": "region_se", "DK": "district_dk"}
_INDEX = {metric: index for index, metric in enumerate(METRICS)}
_EXCLUDED_FROM_STATES = frozenset({"dismissed", "merged"})


@dataclass(frozen=True, slots=True)
class Counts:
    raw_ads: int = 0
    unique_orders: int = 0
    uncovered: int = 0
    prevented: int = 0
    executed: int = 0
    dismissed: int = 0

    def get(self, metric: str) -> int:
        value: int = getattr(self, metric)
        return value


def _earliest(*instants: datetime | None) -> datetime | None:
    present = [instant for instant in instants if instant is not None]
    return min(present) if present else None


def fact_events(fact: CaseFact) -> Iterator[tuple[str, str, int]]:
    """(metric, quarter, amount) for every figure this case contributes to, per the table above."""
    if fact.status not in _EXCLUDED_FROM_STATES:
        yield "raw_ads", quarter_of(fact.first_post_at), fact.n_posts
    if fact.status == "dismissed":
        if fact.dismissed_at is not None:
            yield "dismissed", quarter_of(fact.dismissed_at), 1
        return
    if fact.status == "merged":
        return
    yield "unique_orders", quarter_of(fact.first_post_at), 1
    uncovered = _earliest(fact.uncovered_at, fact.prevented_at)
    if uncovered is not None:
        yield "uncovered", quarter_of(uncovered), 1
    if fact.prevented_at is not None:
        yield "prevented", quarter_of(fact.prevented_at), 1
    if fact.executed_at is not None:
        yield "executed", quarter_of(fact.executed_at), 1


def fact_keys(fact: CaseFact) -> list[tuple[str, str]]:
    """The (dimension, value) cells this case counts in, "all" included."""
    keys = [("all", "all"), ("country", fact.country or UNKNOWN)]
    place_dimension = _COUNTRY_DIMENSION.get(fact.country or "")
    if place_dimension is not None:
        keys.append((place_dimension, fact.district or UNKNOWN))
    for dimension, values, empty in (
        ("violence_type", fact.violence_types, UNKNOWN),
        ("platform", fact.platforms, UNKNOWN),
        ("network", fact.networks, NO_NETWORK),
        ("source", fact.sources, UNKNOWN),
    ):
        if values:
            keys.extend((dimension, value) for value in values)
        else:
            keys.append((dimension, empty))
    return keys


class QuarterStats:
    """Every figure for every (dimension, value, quarter), tallied in one pass over the facts."""

    def __init__(self, facts: Iterable[CaseFact], weights: Iterable[int] | None = None) -> None:
        """`weights`, when given, pairs each fact with the number of cases it stands for (a group of cases that
        count alike, `load_tally_groups`); its `n_posts` is then the group's posts. Without: one case each."""
        self._cells: dict[tuple[str, str, str], list[int]] = {}
        self._values: dict[str, set[str]] = {dimension: set() for dimension in DIMENSIONS}
        self.quarters: set[str] = set()
        for fact, weight in zip(facts, weights if weights is not None else repeat(1), strict=False):
            events = [
                (_INDEX[metric], quarter, amount if metric == "raw_ads" else amount * weight)
                for metric, quarter, amount in fact_events(fact)
            ]
            keys = fact_keys(fact)
            for dimension, value in keys:
                self._values[dimension].add(value)
            for index, quarter, amount in events:
                self.quarters.add(quarter)
                for dimension, value in keys:
                    cell = self._cells.get((dimension, value, quarter))
                    if cell is None:
                        cell = self._cells[(dimension, value, quarter)] = [0] * len(METRICS)
                    cell[index] += amount

    def to_json(self) -> dict[str, Any]:
        """The tallied figures as JSON values (`from_json` reads them back), to keep them between runs."""
        return {
            "cells": [[*key, *cell] for key, cell in self._cells.items()],
            "values": {dimension: sorted(values) for dimension, values in self._values.items()},
            "quarters": sorted(self.quarters),
        }

    @classmethod
    def from_json(cls, data: Any) -> QuarterStats:
        """The figures `to_json` wrote; ValueError when `data` is not what it writes."""
        stats = cls(())
        try:
            for row in data["cells"]:
                dimension, value, quarter, *cell = row
                if len(cell) != len(METRICS) or not all(type(n) is int for n in cell):
                    raise ValueError(f"a cell of {len(METRICS)} counts expected, got {cell!r}")
                stats._cells[(str(dimension), str(value), str(quarter))] = cell
            for dimension, values in data["values"].items():
                stats._values[str(dimension)] = {str(value) for value in values}
            stats.quarters = {str(quarter) for quarter in data["quarters"]}
        except (KeyError, TypeError, AttributeError) as error:
            raise ValueError(f"not a tally: {error}") from None
        return stats

    def counts(self, quarter: str, dimension: str = "all", value: str = "all") -> Counts:
        cell = self._cells.get((dimension, value, quarter))
        return Counts(*cell) if cell is not None else Counts()

    def values(self, dimension: str) -> list[str]:
        """The values seen for a dimension, sorted by name (unknown last)."""
        return sorted(self._values.get(dimension, set()), key=lambda value: (value.startswith("("), value))

    def series(self, metric: str, quarters: list[str], dimension: str = "all", value: str = "all") -> list[int]:
        return [self.counts(quarter, dimension, value).get(metric) for quarter in quarters]


@dataclass(frozen=True, slots=True)
class Comparison:
    """One figure in a quarter against the quarter before and the same quarter a year before."""

    metric: str
    current: int
    previous: int
    year_ago: int

    @property
    def change_qoq(self) -> float | None:
        return _change(self.current, self.previous)

    @property
    def change_yoy(self) -> float | None:
        return _change(self.current, self.year_ago)


def _change(current: int, before: int) -> float | None:
    """Relative change (0.25 = +25 %); None when there is nothing to compare with."""
    return None if before == 0 else (current - before) / before


def compare(stats: QuarterStats, quarter: str, dimension: str = "all", value: str = "all") -> list[Comparison]:
    """Each figure for `quarter` with its quarter-over-quarter and year-over-year baselines."""
    now = stats.counts(quarter, dimension, value)
    before = stats.counts(shift_quarter(quarter, -1), dimension, value)
    year_ago = stats.counts(shift_quarter(quarter, -4), dimension, value)
    return [Comparison(f.name, now.get(f.name), before.get(f.name), year_ago.get(f.name)) for f in fields(Counts)]


def breakdown(stats: QuarterStats, quarter: str, dimension: str) -> list[tuple[str, Counts]]:
    """(value, counts in `quarter`) for every value of a dimension; values with nothing in any of the quarter,
    the quarter before or a year before are left out."""
    rows = []
    for value in stats.values(dimension):
        counts = stats.counts(quarter, dimension, value)
        if counts != Counts() or any(
            stats.counts(shift_quarter(quarter, step), dimension, value) != Counts() for step in (-1, -4)
        ):
            rows.append((value, counts))
    return rows


# The definitions above in plain words, as printed at the end of every report.
DEFINITIONS: tuple[str, ...] = (
    "Figures count cases as they stand when the report is made; a later dismissal or merge corrects past quarters.",
    "Quarters follow Norwegian local time.",
    "Raw ads: every post of an order (re-posts, forwards, variants), in the quarter of the order's first post; "
    "posts of cases found not to be orders are left out, and a merged duplicate's posts count with the case it "
    "joined.",
    "Unique orders: each order once, in the quarter of its first post; duplicates merged into another case and "
    "cases found not to be orders are left out.",
    "Uncovered: orders that an analyst confirmed and that are under investigation (identified), counted in the "
    "quarter this first happened — including those later prevented or carried out.",
    "Prevented: orders stopped by a concrete police intervention, in the quarter of the intervention.",
    "Executed: orders whose act was carried out, in the quarter it happened.",
    "Dismissed: cases found not to be orders, in the quarter of the decision.",
    "Breakdowns by violence type, platform, network and source count a case under each of its values, so they can "
    "add up to more than the total.",
)
