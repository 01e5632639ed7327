"""`CaseFact`: one case reduced to what the statistics need — the pure input of every report function.

Facts are built by `load.py` from the case store, by tests by hand, or read from JSON lines (`fact_from_dict`).
Timestamps are timezone-aware; `district` is the Norwegian police district, Swedish police region or Danish
politikreds of the order's place (None when unknown)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from varde.vocab import CASE_STATES, SOURCES

_TIME_FIELDS = (
    "first_post_at",
    "detected_at",
    "uncovered_at",
    "prevented_at",
    "executed_at",
    "dismissed_at",
    "when_start",
)
_SET_FIELDS = ("violence_types", "platforms", "networks", "sources")


@dataclass(frozen=True, slots=True)
class CaseFact:
    """One case (one unique order) as the statistics see it.

    `sources` are the distinct `source` values of the case's posts (monitoring, tip, platform_report, partner);
    the dark-figure estimate treats them as the capture occasions. `*_at` are the instants the case first entered
    each state (None if it never did); `when_start` is the start of the act's deadline/time window."""

    case_id: str
    order_id: str
    status: str
    country: str | None
    district: str | None
    violence_types: frozenset[str]
    platforms: frozenset[str]
    networks: frozenset[str]
    sources: frozenset[str]
    n_posts: int
    first_post_at: datetime
    detected_at: datetime
    uncovered_at: datetime | None = None
    prevented_at: datetime | None = None
    executed_at: datetime | None = None
    dismissed_at: datetime | None = None
    when_start: datetime | None = None

    def __post_init__(self) -> None:
        if self.status not in CASE_STATES:
            raise ValueError(f"case {self.case_id}: unknown status {self.status!r}")
        unknown = self.sources - SOURCES
        if unknown:
            raise ValueError(f"case {self.case_id}: unknown sources {sorted(unknown)}")
        for name in _TIME_FIELDS:
            value = getattr(self, name)
            if value is not None and value.tzinfo is None:
                raise ValueError(f"case {self.case_id}: {name} has no timezone")


def fact_to_dict(fact: CaseFact) -> dict[str, Any]:
    """A JSON-ready dict (sets as sorted lists, instants as ISO 8601)."""
    out: dict[str, Any] = {}
    for name in CaseFact.__slots__:
        value = getattr(fact, name)
        if isinstance(value, frozenset):
            out[name] = sorted(value)
        elif isinstance(value, datetime):
            out[name] = value.isoformat()
        else:
            out[name] = value
    return out


def fact_from_dict(data: Mapping[str, Any]) -> CaseFact:
    """The inverse of `fact_to_dict`; missing optional fields default to None/empty."""
    kwargs: dict[str, Any] = {}
    for name in CaseFact.__slots__:
        value = data.get(name)
        if name in _SET_FIELDS:
            kwargs[name] = frozenset(value or ())
        elif name in _TIME_FIELDS:
            kwargs[name] = datetime.fromisoformat(value) if value else None
        else:
            kwargs[name] = value
    kwargs["n_posts"] = int(kwargs["n_posts"] or 0)
    return CaseFact(**kwargs)


def visible_facts(facts: Iterable[CaseFact], districts: Collection[str] | None) -> list[CaseFact]:
    """The facts a user may see: all when `districts` is None, otherwise only cases placed in one of them
    (cases without a district are then hidden, since nobody can tell whose they are)."""
    if districts is None:
        return list(facts)
    allowed = frozenset(districts)
    return [fact for fact in facts if fact.district is not None and fact.district in allowed]
