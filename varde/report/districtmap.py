"""The map of Norway's 12 police districts: loading the shipped GeoJSON, and (re)building it.

`data/norway-police-districts.geojson` is made once, offline, by dissolving the 2024 municipality polygons
(Kartverket, © Kartverket, CC BY 4.0) by the police district of each municipality, which is read from
`varde/extractors/data/no_municipalities.csv` (the one place that rule lives: county + the 2016/2020 exceptions).
Rebuild with:

    python -m varde.report.districtmap /path/to/norway-municipalities-2024.geojson

Building needs `shapely`; reading and drawing the shipped file does not."""

from __future__ import annotations

import csv
import json
import sys
from importlib import resources
from pathlib import Path
from typing import Any

MAP_FILE = "norway-police-districts.geojson"
CREDIT = "© Kartverket"
_SIMPLIFY_DEGREES = 0.01  # ~0.5–1 km: invisible at report scale, keeps the file small


def load_district_map() -> dict[str, Any]:
    """The shipped GeoJSON FeatureCollection, one feature per district (property `district`)."""
    text = resources.files("varde.report").joinpath("data", MAP_FILE).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def municipality_districts() -> dict[str, str]:
    """Municipality number (4 digits) → police district, from the extractors' gazetteer."""
    text = resources.files("varde.extractors").joinpath("data", "no_municipalities.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return {row["code"]: row["district"] for row in rows}


def dissolve(municipalities: dict[str, Any], districts: dict[str, str]) -> dict[str, Any]:
    """Union the municipality polygons of each district into one (multi)polygon feature."""
    from shapely.geometry import mapping, shape
    from shapely.ops import unary_union

    groups: dict[str, list[Any]] = {}
    for feature in municipalities["features"]:
        code = str(feature["properties"]["kommunenummer"]).zfill(4)
        if code not in districts:
            raise ValueError(f"municipality {code} has no police district")
        groups.setdefault(districts[code], []).append(shape(feature["geometry"]).buffer(0))
    features = []
    for district in sorted(groups):
        merged = unary_union(groups[district]).simplify(_SIMPLIFY_DEGREES, preserve_topology=True)
        geometry = json.loads(json.dumps(mapping(merged)), parse_float=lambda text: round(float(text), 3))
        # A point inside the district (largest part) to put its label on; found here so drawing needs no shapely.
        parts = list(getattr(merged, "geoms", [merged]))
        anchor = max(parts, key=lambda part: part.area).representative_point()
        properties = {"district": district, "label_lon": round(anchor.x, 3), "label_lat": round(anchor.y, 3)}
        features.append({"type": "Feature", "properties": properties, "geometry": geometry})
    return {
        "type": "FeatureCollection",
        "attribution": "© Kartverket (CC BY 4.0); police districts dissolved from 2024 municipalities",
        "features": features,
    }


def main(argv: list[str]) -> None:
    source = Path(argv[0])
    result = dissolve(json.loads(source.read_text(encoding="utf-8")), municipality_districts())
    target = Path(__file__).with_name("data") / MAP_FILE
    target.write_text(json.dumps(result, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"wrote {target} ({len(result['features'])} districts, {target.stat().st_size} bytes)")


if __name__ == "__main__":
    main(sys.argv[1:])
