"""Quarters as strings like "2025Q3", in Norwegian local time (Europe/Oslo; Sweden and Denmark share the zone).

An instant belongs to the quarter of its local date, so a post at 23:30 on 30 September Oslo time is in Q3."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

LOCAL_ZONE = ZoneInfo("Europe/Oslo")
_PATTERN = re.compile(r"^(\d{4})Q([1-4])$")


def parse_quarter(text: str) -> tuple[int, int]:
    """ "2025Q3" → (2025, 3); raises ValueError on anything else."""
    match = _PATTERN.match(text.strip().upper())
    if match is None:
        raise ValueError(f"not a quarter like 2025Q3: {text!r}")
    return int(match.group(1)), int(match.group(2))


def format_quarter(year: int, quarter: int) -> str:
    return f"{year}Q{quarter}"


def quarter_of(instant: datetime) -> str:
    """The quarter of an aware instant's local (Oslo) date."""
    local = instant.astimezone(LOCAL_ZONE)
    return format_quarter(local.year, (local.month - 1) // 3 + 1)


def shift_quarter(text: str, steps: int) -> str:
    """The quarter `steps` quarters after `text` (negative for before)."""
    year, quarter = parse_quarter(text)
    index = year * 4 + (quarter - 1) + steps
    return format_quarter(index // 4, index % 4 + 1)


def quarter_range(first: str, last: str) -> list[str]:
    """Every quarter from `first` to `last`, both included (empty when last < first)."""
    year_a, q_a = parse_quarter(first)
    year_b, q_b = parse_quarter(last)
    count = (year_b * 4 + q_b) - (year_a * 4 + q_a) + 1
    return [shift_quarter(first, step) for step in range(max(count, 0))]


def quarter_bounds(text: str) -> tuple[datetime, datetime]:
    """The half-open interval [start, end) of a quarter, as aware Oslo-time instants."""
    year, quarter = parse_quarter(text)
    start = datetime(year, 3 * quarter - 2, 1, tzinfo=LOCAL_ZONE)
    next_year, next_quarter = parse_quarter(shift_quarter(text, 1))
    end = datetime(next_year, 3 * next_quarter - 2, 1, tzinfo=LOCAL_ZONE)
    return start, end
