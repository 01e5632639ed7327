"""District maps as small inline SVG, drawn in Python from the shipped GeoJSON (`districtmap.py`): no JavaScript,
no map library, nothing fetched. Used by the workbench's dashboard and report page; the PDF draws the same
geometry with matplotlib (`charts.draw_map`).

Each district is one `<path>` with its name and value in a `<title>` (shown on hover) and `data-district` /
`data-value` attributes; names are escaped. The projection is plate carrée with longitude shrunk by the cosine of
the map's middle latitude, which is near-true at these latitudes."""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from markupsafe import Markup

from varde.report.districtmap import CREDITS, load_district_map
from varde.report.palette import MAP_OUT_OF_SCOPE, shade

WIDTH = 260.0
# Districts too small on the map for a label inside: their label is left out (the title and the table hold it).
_MIN_LABEL_SHARE = 0.012


@dataclass(frozen=True, slots=True)
class _Shape:
    district: str
    path: str
    label: tuple[float, float]
    share: float  # of the map's bounding box, to decide whether a label fits


@cache
def _shapes(country: str) -> tuple[tuple[_Shape, ...], float]:
    """Each district's projected SVG path (computed once per country) and the map's height."""
    geo = load_district_map(country)
    rings: list[tuple[str, list[list[list[float]]]]] = []
    for feature in geo["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        rings.append((feature["properties"]["district"], [ring for polygon in polygons for ring in polygon]))
    points = [point for _, parts in rings for ring in parts for point in ring]
    lon0, lon1 = min(p[0] for p in points), max(p[0] for p in points)
    lat0, lat1 = min(p[1] for p in points), max(p[1] for p in points)
    squash = math.cos(math.radians((lat0 + lat1) / 2))
    scale = WIDTH / ((lon1 - lon0) * squash)
    height = (lat1 - lat0) * scale

    def project(lon: float, lat: float) -> tuple[float, float]:
        return (lon - lon0) * squash * scale, (lat1 - lat) * scale

    shapes = []
    for feature, (district, parts) in zip(geo["features"], rings, strict=True):
        commands = []
        area = 0.0
        for ring in parts:
            xy = [project(lon, lat) for lon, lat in ring]
            commands.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in xy) + "Z")
            area += abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(xy))) / 2
        properties = feature["properties"]
        label = project(properties["label_lon"], properties["label_lat"])
        shapes.append(_Shape(district, "".join(commands), label, area / (WIDTH * height)))
    return tuple(shapes), height


def district_map_svg(
    country: str,
    values: Mapping[str, int],
    *,
    title: str,
    short: Mapping[str, str] | None = None,
) -> Markup:
    """A choropleth of `values` (district → count); districts not in `values` are grey (outside the scope).
    `short` gives shorter label text for long names (Danish districts)."""
    shapes, height = _shapes(country)
    top = max(values.values(), default=0)
    parts = [
        Markup(
            '<svg class="district-map" viewBox="0 0 {w:.0f} {h:.0f}" role="img" aria-label="{t}" data-country="{c}">'
        ).format(w=WIDTH, h=height + 14, t=title, c=country),
        Markup("<title>{}</title>").format(title),
    ]
    for item in shapes:
        inside = item.district in values
        value = values.get(item.district, 0)
        fill = shade(value, top) if inside else MAP_OUT_OF_SCOPE
        shown = f"{item.district}: {value}" if inside else f"{item.district}: –"
        parts.append(
            Markup(
                '<path d="{d}" fill="{f}" stroke="#404040" stroke-width="0.4" data-district="{n}" data-value="{v}">'
                "<title>{s}</title></path>"
            ).format(d=item.path, f=fill, n=item.district, v=value if inside else "", s=shown)
        )
    for item in shapes:
        if item.district not in values or item.share < _MIN_LABEL_SHARE:
            continue
        dark = top > 0 and values[item.district] / top > 0.55
        name = (short or {}).get(item.district, item.district)
        half = len(name) * 1.9 + 2  # about half the label's width at font size 7: keep it on the map
        x = min(max(item.label[0], half), WIDTH - half)
        parts.append(
            Markup(
                '<text x="{x:.1f}" y="{y:.1f}" text-anchor="middle" font-size="7" fill="{c}">{n}'
                '<tspan x="{x:.1f}" dy="8" font-weight="bold">{v}</tspan></text>'
            ).format(x=x, y=item.label[1], c="#ffffff" if dark else "#1f2937", n=name, v=values[item.district])
        )
    # The scale: the lightest colour is none, the darkest the most in any district shown.
    parts.append(
        Markup(
            '<g class="map-scale"><rect x="2" y="{y:.0f}" width="8" height="6" fill="{low}" stroke="#404040" '
            'stroke-width="0.3"/><text x="12" y="{t:.1f}" font-size="6.5" fill="#4b5563">0</text>'
            '<rect x="24" y="{y:.0f}" width="8" height="6" fill="{high}" stroke="#404040" stroke-width="0.3"/>'
            '<text x="34" y="{t:.1f}" font-size="6.5" fill="#4b5563">{top}</text></g>'
        ).format(y=height + 5, t=height + 10.5, low=shade(0, 1), high=shade(1, 1), top=max(top, 1))
    )
    parts.append(
        Markup(
            '<text x="{x:.0f}" y="{y:.0f}" text-anchor="end" font-size="6.5" fill="#4b5563">{c}</text></svg>'
        ).format(x=WIDTH - 2, y=height + 11, c=CREDITS[country])
    )
    return Markup("").join(parts)


def short_name(district: str) -> str:
    """ "Midt- og Vestjyllands Politi" → "Midt- og Vestjylland": the Danish districts without "Politi" and the
    genitive, so the label fits."""
    name = district.removesuffix(" Politi")
    return name.removesuffix("s") if name.endswith("s") and not name.endswith("ss") else name
