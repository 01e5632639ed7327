"""How long until an order's deadline, in words, and how urgent a score looks (pure helpers for the views)."""

from __future__ import annotations

from datetime import datetime
from typing import Any


def _span(seconds: float) -> str:
    minutes = round(abs(seconds) / 60)
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    if hours:
        return f"{hours} h {mins} min" if mins else f"{hours} h"
    return f"{mins} min"


def time_left(start: datetime | None, end: datetime | None, now: datetime) -> dict[str, Any] | None:
    """Words and a CSS class for the time until `start` (and `end`, the end of the window) as seen at `now`."""
    if start is None:
        return None
    until_start = (start - now).total_seconds()
    until_end = (end - now).total_seconds() if end is not None else until_start
    if until_start > 0:
        phase, span = "before", _span(until_start)
        text, css = f"in {span}", "soon" if until_start < 6 * 3600 else "today" if until_start < 86400 else ""
    elif until_end > 0:
        phase, span = "during", _span(until_end)
        text, css = f"now (window ends in {span})", "soon"
    else:
        phase, span = "after", _span(until_end)
        text, css = f"passed {span} ago", "overdue"
    return {
        "text": text,  # English, for the API; pages word it in their language from `phase` and `span`
        "phase": phase,
        "span": span,
        "css": css,
        "seconds": int(until_start),
        "start": start.isoformat(),
        "end": end.isoformat() if end is not None else start.isoformat(),
    }


def urgency_level(urgency: float) -> str:
    return "high" if urgency >= 0.7 else "medium" if urgency >= 0.4 else "low"
