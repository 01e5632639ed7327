"""One colour per case status, everywhere: the dashboard's charts and map, the report's charts (HTML and PDF), and
the status badges of the workbench (`varde/web/static/app.css` uses the tints; a test holds them equal).

A figure of the statistics takes the colour of the status it counts (`unique_orders` counts detected orders);
raw ads, which count posts rather than cases, are a neutral slate."""

from __future__ import annotations

STATUS_COLOURS: dict[str, str] = {
    "detected": "#d97706",
    "uncovered": "#2563eb",
    "prevented": "#16a34a",
    "executed": "#dc2626",
    "dismissed": "#6b7280",
    "merged": "#7c3aed",
}
# Light tints of the same hues, for backgrounds (badges) where dark text must stay readable.
STATUS_TINTS: dict[str, str] = {
    "detected": "#fde68a",
    "uncovered": "#bfdbfe",
    "prevented": "#bbf7d0",
    "executed": "#fecaca",
    "dismissed": "#e5e7eb",
    "merged": "#ddd6fe",
}
POSTS_COLOUR = "#94a3b8"
METRIC_STATUS: dict[str, str] = {
    "unique_orders": "detected",
    "uncovered": "uncovered",
    "prevented": "prevented",
    "executed": "executed",
    "dismissed": "dismissed",
}
METRIC_COLOURS: dict[str, str] = {"raw_ads": POSTS_COLOUR} | {
    metric: STATUS_COLOURS[status] for metric, status in METRIC_STATUS.items()
}
# The map's scale: from almost white (none) to the darkest blue (the most in any district); grey = not in scope.
MAP_LOW = "#eff6ff"
MAP_HIGH = "#1e3a8a"
MAP_OUT_OF_SCOPE = "#d9d9d9"


def shade(value: int, top: int) -> str:
    """The map colour for `value` on a scale up to `top` (linear between MAP_LOW and MAP_HIGH)."""
    share = 0.0 if top <= 0 else min(max(value / top, 0.0), 1.0)
    low = [int(MAP_LOW[i : i + 2], 16) for i in (1, 3, 5)]
    high = [int(MAP_HIGH[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(a + (b - a) * share):02x}" for a, b in zip(low, high, strict=True))
