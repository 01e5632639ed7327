"""Urgency in [0, 1]: how soon, how grave and how concrete an order is — for sorting an analyst's queue.

    urgency = 0.45 · imminence + 0.35 · severity + 0.20 · specificity            (rounded to 4 decimals)

- imminence, from the hours between the reference time `now` (by default the post's `created_at`) and `when.start`:
  ≤ 24 h (or the window is open now) → 1.0, ≤ 72 h → 0.8, ≤ 7 days → 0.6, later → 0.3; 0.0 once the whole window
  (`when.end`) lies before `now`: what was ordered for then can no longer be prevented, so the case leaves the
  top of the queue and is marked for a check of what happened. Without a `when`: 0.7 when the text says it is
  urgent ("asap", "nå", "nu", "snarest", "straks", "omgående", "haster", "brådskande", "urgent", "now", "today"),
  otherwise 0.2.
- severity, the gravest violence type: murder 1.0, explosion 0.95, shooting 0.9, kidnapping 0.85, stabbing 0.8,
  arson 0.75, robbery 0.6, assault 0.55, threat 0.4, vandalism 0.3; 0.3 when no type is stated.
- specificity: 0.4 for a named target + 0.35 for a place resolved to a municipality (0.15 for a region or country
  only) + 0.25 for a way to make contact.
The band (`assess_urgency`, carried by `Record.urgency_band`) says which of these held: `imminent` (≤ 24 h or open),
`soon` (≤ 7 days), `later`, `undated` (no `when`) or `time_passed` ("time passed — check outcome").
A shooting tonight at a named person in a named municipality with a Telegram handle scores 0.965 (a murder 1.0);
a vague recruitment post with only a contact (no time, type, place or target) scores
0.45 · 0.2 + 0.35 · 0.3 + 0.2 · 0.25 = 0.245.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the record type only: the case list reads bands (`band_now`) without loading records and posts
    from varde.records import Record

IMMINENT = "imminent"
SOON = "soon"
LATER = "later"
UNDATED = "undated"
TIME_PASSED = "time_passed"
BANDS = (IMMINENT, SOON, LATER, UNDATED, TIME_PASSED)

SEVERITY = {
    "murder": 1.0,
    "explosion": 0.95,
    "shooting": 0.9,
    "kidnapping": 0.85,
    "stabbing": 0.8,
    "arson": 0.75,
    "robbery": 0.6,
    "assault": 0.55,
    "threat": 0.4,
    "vandalism": 0.3,
}
_URGENT = re.compile(
    r"(?<!\w)(?:asap|a\.s\.a\.p|nå(?!\s+(?:meg|oss|deg|dere|han|henne|dem))|"
    r"nu|snarest|snarast|snarast möjligt|straks|omgående|omgaaende|med en gang|"
    r"med det samme|haster|hastar|brådskande|akut|urgent|urgently|now|right now|today|idag|i dag)(?!\w)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Urgency:
    """An order's urgency score and its time band (one of `BANDS`)."""

    score: float
    band: str

    @property
    def time_passed(self) -> bool:
        return self.band == TIME_PASSED


def _aware(moment: datetime) -> datetime:
    """A naive time is read as UTC, so it can be compared with the tz-aware times of a `When`."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def timing(record: Record, now: datetime | None = None) -> tuple[float, str]:
    """Imminence and band as seen at `now` (default: when the post was written)."""
    if record.when is None:
        text = record.view.text if record.view else record.post.text
        return (0.7 if _URGENT.search(text) else 0.2), UNDATED
    return window_timing(record.when.start, record.when.end, now if now is not None else record.post.created_at)


def window_timing(start: datetime, end: datetime, now: datetime) -> tuple[float, str]:
    """Imminence and band of the time window `start`–`end` as seen at `now` (naive times are UTC)."""
    reference = _aware(now)
    if _aware(end) <= reference:
        return 0.0, TIME_PASSED
    hours = max(0.0, (_aware(start) - reference).total_seconds() / 3600)
    if hours <= 24:
        return 1.0, IMMINENT
    if hours <= 72:
        return 0.8, SOON
    if hours <= 24 * 7:
        return 0.6, SOON
    return 0.3, LATER


def band_now(start: datetime | None, end: datetime | None, now: datetime) -> str:
    """The band of a stored window as seen at `now` (for the queue at read time): `undated` without a start; a
    window without an end is read as ending at its start."""
    if start is None:
        return UNDATED
    return window_timing(start, end if end is not None else start, now)[1]


def imminence(record: Record, now: datetime | None = None) -> float:
    return timing(record, now)[0]


def severity(record: Record) -> float:
    return max((SEVERITY.get(kind, 0.3) for kind in record.violence_types), default=0.3)


def specificity(record: Record) -> float:
    score = 0.4 if record.target is not None else 0.0
    if any(p.municipality for p in record.places):
        score += 0.35
    elif record.places:
        score += 0.15
    if record.contacts:
        score += 0.25
    return score


def assess_urgency(record: Record, now: datetime | None = None) -> Urgency:
    """Urgency of an order in [0, 1] and its band, as seen at `now` (default: the post's `created_at`); see the
    module docstring for the formula."""
    soon, band = timing(record, now)
    value = 0.45 * soon + 0.35 * severity(record) + 0.20 * specificity(record)
    return Urgency(round(min(1.0, max(0.0, value)), 4), band)


def compute_urgency(record: Record, now: datetime | None = None) -> float:
    """Urgency of an order in [0, 1] as seen at `now` (default: the post's `created_at`); see the module docstring."""
    return assess_urgency(record, now).score
