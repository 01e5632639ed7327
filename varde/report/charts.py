"""Charts for the report, drawn with matplotlib's object API (no pyplot state, safe in servers and threads).

Each `draw_*` function draws one chart on the axes it is given, so `render.py` can put it in a figure of its own
(inline SVG for HTML, `chart_figure`) or on an A4 page of the PDF. Text that
comes from data (districts, networks) goes through `label`, which stops matplotlib reading `$…$` as math."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

import numpy as np
from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.cm import ScalarMappable
from matplotlib.collections import PolyCollection
from matplotlib.colors import LinearSegmentedColormap, Normalize
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from varde.report.build import Report
from varde.report.districtmap import CREDITS, load_district_map
from varde.report.palette import MAP_HIGH, MAP_LOW, MAP_OUT_OF_SCOPE, METRIC_COLOURS
from varde.report.stats import METRIC_LABELS
from varde.report.svgmap import short_name
from varde.report.text import tr

COLOURS = METRIC_COLOURS  # one colour per status, as on the dashboard (palette.py)
COUNTRY_TITLES = {
    "NO": "Police districts of Norway",
    "SE": "Police regions of Sweden",
    "DK": "Police districts of Denmark",
}
# Districts too small to hold a label: (lon, lat) of a label beside them, with a leader line.
_LABEL_OUTSIDE = {
    "NO": {"Oslo": (13.9, 60.5), "Øst": (13.9, 59.3)},
    "SE": {},
    "DK": {
        "Københavns Politi": (13.6, 55.45),
        "Københavns Vestegns Politi": (13.6, 55.95),
        "Nordsjællands Politi": (12.9, 56.45),
    },
}
# lon/lat limits and the latitude whose scale the map keeps
_EXTENT = {
    "NO": (4.0, 31.5, 57.8, 71.3, 65.0),
    "SE": (10.5, 24.5, 55.0, 69.3, 62.0),
    "DK": (7.9, 15.5, 54.5, 57.9, 56.0),
}
_SVG_STRIP = (
    re.compile(r"<\?xml[^>]*\?>\s*"),
    re.compile(r"<!DOCTYPE[^>]*>\s*", re.DOTALL),
    re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL),
    re.compile(r'\s+xmlns(:\w+)?="[^"]*"'),
)


def label(text: str, limit: int = 40) -> str:
    """Data text made safe for matplotlib: `$` escaped (no mathtext), long names cut."""
    short = text if len(text) <= limit else text[: limit - 1] + "…"
    return short.replace("\\", "\\\\").replace("$", r"\$")


def to_svg(figure: Figure) -> str:
    """The figure as an SVG fragment for inline use in HTML: no XML prolog, metadata or namespace URLs (the HTML
    parser puts inline <svg> in the SVG namespace by itself). Text stays text (escaped by matplotlib)."""
    buffer = io.StringIO()
    with rc_context({"svg.fonttype": "none", "svg.hashsalt": "varde"}):
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    svg = buffer.getvalue()
    for pattern in _SVG_STRIP:
        svg = pattern.sub("", svg)
    return svg


def draw_trend(axes: Axes, report: Report) -> None:
    x = np.arange(len(report.history))
    for metric in ("unique_orders", "uncovered", "prevented", "executed"):
        axes.plot(x, report.series[metric], marker="o", label=tr(METRIC_LABELS[metric]), color=COLOURS[metric])
    axes.set_xticks(x, report.history)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylabel(tr("cases"))
    axes.set_title(tr("Orders by quarter"))
    axes.grid(axis="y", alpha=0.3)
    axes.legend(frameon=False, fontsize=8, ncols=4, loc="upper left")
    axes.set_ylim(bottom=0)


def draw_districts(axes: Axes, report: Report) -> None:
    districts = list(report.district_figures)
    y = np.arange(len(districts))
    height = 0.27
    for offset, metric in zip((-height, 0.0, height), ("unique_orders", "uncovered", "prevented"), strict=True):
        values = [report.district_figures[d][metric] for d in districts]
        axes.barh(y + offset, values, height=height, label=tr(METRIC_LABELS[metric]), color=COLOURS[metric])
    axes.set_yticks(y, [label(d) for d in districts])
    axes.invert_yaxis()
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_title(f"{tr('Police districts of Norway')}, {report.quarter}")
    axes.grid(axis="x", alpha=0.3)
    axes.legend(frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.05), ncols=3)


def draw_map(axes: Axes, report: Report, metric: str = "unique_orders", country: str = "NO") -> None:
    """Choropleth of a figure per police district of `country`; districts outside the user's scope are grey."""
    geo = load_district_map(country)
    values = {d: figures[metric] for d, figures in report.country_figures.get(country, {}).items()}
    top = max(values.values(), default=0) or 1
    norm = Normalize(vmin=0, vmax=top)
    cmap = LinearSegmentedColormap.from_list("varde-map", [MAP_LOW, MAP_HIGH])
    outside = _LABEL_OUTSIDE[country]
    rings: list[np.ndarray] = []
    colours: list[Any] = []
    for feature in geo["features"]:
        district = feature["properties"]["district"]
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        colour = cmap(norm(values[district])) if district in values else MAP_OUT_OF_SCOPE
        for polygon in polygons:
            rings.append(np.asarray(polygon[0]))
            colours.append(colour)
        if district in values:
            properties = feature["properties"]
            dark = norm(values[district]) > 0.6
            anchor = (properties["label_lon"], properties["label_lat"])
            name = short_name(district) if country == "DK" else district
            text = f"{label(name)}\n{values[district]}"
            if district in outside:  # too small to hold a label: put it beside, with a leader line
                axes.annotate(
                    text,
                    anchor,
                    xytext=outside[district],
                    ha="center",
                    va="center",
                    fontsize=6.5,
                    arrowprops={"arrowstyle": "-", "color": "#404040", "linewidth": 0.5},
                )
            else:
                axes.text(*anchor, text, ha="center", va="center", fontsize=6.5, color="white" if dark else "#202020")
    # One collection for all rings (mainland and islands): far faster than a patch each.
    axes.add_collection(PolyCollection(rings, facecolors=colours, edgecolors="#404040", linewidths=0.3))
    lon0, lon1, lat0, lat1, middle = _EXTENT[country]
    axes.set_xlim(lon0, lon1)
    axes.set_ylim(lat0, lat1)
    axes.set_aspect(1 / np.cos(np.radians(middle)))
    axes.set_axis_off()
    scale = axes.figure.colorbar(ScalarMappable(norm=norm, cmap=cmap), ax=axes, shrink=0.5, location="right")
    scale.set_label(f"{tr(METRIC_LABELS[metric])}, {report.quarter}")
    scale.ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # counts: whole-number ticks only
    axes.set_title(f"{tr(METRIC_LABELS[metric])}: {tr(COUNTRY_TITLES[country])}, {report.quarter}")
    axes.text(
        0.99, 0.01, CREDITS[country], transform=axes.transAxes, ha="right", va="bottom", fontsize=7, color="#404040"
    )


def _draw_country(country: str) -> Callable[[Axes, Report], None]:
    def draw(axes: Axes, report: Report) -> None:
        draw_map(axes, report, country=country)

    return draw


def draw_dark(axes: Axes, report: Report) -> None:
    dark = report.dark
    if dark.chosen is None:
        axes.text(0.5, 0.5, tr("No estimate:") + " " + label(dark.note, 90), ha="center", va="center", wrap=True)
        axes.set_axis_off()
        return
    est = dark.chosen
    upper = est.upper if np.isfinite(est.upper) else est.estimate * 2
    axes.barh([1], [dark.observed], color=COLOURS["unique_orders"], label=tr("seen by a source"))
    axes.barh([0], [est.estimate], color="#9dc3e6", label=tr("estimated in all"))
    axes.errorbar(
        [est.estimate],
        [0],
        xerr=[[est.estimate - est.lower], [upper - est.estimate]],
        fmt="none",
        ecolor="black",
        capsize=4,
    )
    axes.set_yticks([0, 1], [tr("estimated in all") + "\n" + tr("(95 % interval)"), tr("seen")])
    axes.set_xlabel(tr("orders"))
    axes.set_title(
        f"{tr('Dark figure')}, {report.quarter}: "
        + tr("about %(count)s orders never seen") % {"count": f"{est.unseen:.0f}"}
    )
    axes.grid(axis="x", alpha=0.3)


def draw_time(axes: Axes, report: Report) -> None:
    rows = [r for r in report.time_rows if r.quarter == report.quarter]
    names = [label(r.district) for r in rows]
    medians = [r.uncovered.median_h or 0.0 for r in rows]
    p90s = [r.uncovered.p90_h or 0.0 for r in rows]
    y = np.arange(len(rows))
    axes.barh(y, p90s, color="#f4b183", label=tr("90th percentile"))
    axes.barh(y, medians, color=COLOURS["uncovered"], height=0.5, label=tr("median"))
    axes.set_yticks(y, names)
    axes.invert_yaxis()
    axes.set_xlabel(tr("hours from first post to uncovered"))
    axes.set_title(f"{tr('Time to action')}, {report.quarter}")
    axes.grid(axis="x", alpha=0.3)
    axes.legend(frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncols=2)


def draw_forecast(axes: Axes, report: Report) -> None:
    forecast = report.national
    if forecast is None:
        axes.text(0.5, 0.5, tr("Too little history for a forecast (at least 4 quarters needed)."), ha="center")
        axes.set_axis_off()
        return
    past = [q for q, _ in forecast.history]
    future = [p.quarter for p in forecast.points]
    x_past = np.arange(len(past))
    x_future = np.arange(len(past), len(past) + len(future))
    axes.plot(
        x_past,
        [c for _, c in forecast.history],
        marker="o",
        color=COLOURS["unique_orders"],
        label=tr("unique orders (measured)"),
    )
    axes.fill_between(
        x_future,
        [p.lower for p in forecast.points],
        [p.upper for p in forecast.points],
        color="#f4b183",
        alpha=0.5,
        label=tr("95 % prediction interval"),
    )
    axes.plot(
        x_future, [p.mean for p in forecast.points], marker="o", linestyle="--", color="#c55a11", label=tr("FORECAST")
    )
    ticks = list(x_past) + list(x_future)
    names = past + future
    step = max(1, len(ticks) // 12)
    axes.set_xticks(ticks[::step], names[::step], rotation=45, fontsize=8)
    axes.axvline(len(past) - 0.5, color="grey", linewidth=0.8)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_title(tr("FORECAST: unique orders a year ahead (model extrapolation, not a measurement)"))
    axes.set_ylim(bottom=0)
    axes.grid(axis="y", alpha=0.3)
    axes.legend(frameon=False, fontsize=8, loc="upper left")


# name → (draw function, figure size in inches for a chart of its own)
CHARTS: dict[str, tuple[Callable[[Axes, Report], None], Callable[[Report], tuple[float, float]]]] = {
    "trend": (draw_trend, lambda report: (7.5, 3.2)),
    "districts": (draw_districts, lambda report: (7.5, 0.35 * len(report.district_figures) + 1.4)),
    "map": (draw_map, lambda report: (5.2, 6.2)),
    "map_se": (_draw_country("SE"), lambda report: (5.2, 5.4)),
    "map_dk": (_draw_country("DK"), lambda report: (5.2, 3.4)),
    "dark": (draw_dark, lambda report: (5.5, 2.6)),
    "time": (draw_time, lambda report: (7.5, 0.3 * sum(r.quarter == report.quarter for r in report.time_rows) + 1.2)),
    "forecast": (draw_forecast, lambda report: (7.5, 3.2)),
}


def chart_figure(name: str, report: Report) -> Figure:
    """One chart in a figure of its own."""
    draw, size = CHARTS[name]
    figure = Figure(figsize=size(report), layout="tight")
    draw(figure.add_subplot(), report)
    return figure
