"""Building the Swedish and Danish maps from Natural Earth admin-1 features (here: tiny invented squares)."""

from __future__ import annotations

import pytest

from varde.report.districtmap import denmark, sweden

pytest.importorskip("shapely")


def square(x: float, y: float, size: float = 1.0) -> dict[str, object]:
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


def feature(country: str, name: str, code: str, geometry: dict[str, object]) -> dict[str, object]:
    return {
        "type": "Feature",
        "properties": {"iso_a2": country, "name": name, "iso_3166_2": code},
        "geometry": geometry,
    }


def test_sweden_dissolves_counties_into_police_regions() -> None:
    world = {
        "features": [
            feature("SE", "Orebro", "SE-T", square(14, 59)),
            feature("SE", "Värmland", "SE-S", square(13, 59)),
            feature("SE", "Skåne", "SE-M", square(13, 55)),
            feature("NO", "Oslo", "NO-03", square(10, 59)),
        ]
    }
    table = (
        "kommunkod,kommun,lan,police_region\n1880,Örebro,Örebro län,Bergslagen\n"
        "1780,Karlstad,Värmlands län,Bergslagen\n1280,Malmö,Skåne län,Syd\n"
    )
    result = sweden(world, table)
    areas = {f["properties"]["district"]: f["geometry"] for f in result["features"]}
    assert set(areas) == {"Bergslagen", "Syd"}
    assert areas["Bergslagen"]["type"] == "Polygon"  # the two counties are one region
    assert "public domain" in result["attribution"]


def test_sweden_refuses_a_county_without_region() -> None:
    world = {"features": [feature("SE", "Gotland", "SE-I", square(18, 57))]}
    with pytest.raises(ValueError, match="Gotland"):
        sweden(world, "kommunkod,kommun,lan,police_region\n1280,Malmö,Skåne län,Syd\n")


def test_denmark_splits_a_region_by_the_nearest_town() -> None:
    world = {"features": [feature("DK", "Hovedstaden", "DK-84", square(12, 55, 2.0))]}
    towns = "district,region,town,lat,lon\nA,DK-84,West,56,12.2\nB,DK-84,East,56,13.8\n"
    result = denmark(world, towns)
    parts = {f["properties"]["district"]: f for f in result["features"]}
    assert set(parts) == {"A", "B"}
    assert parts["A"]["properties"]["label_lon"] < 13 < parts["B"]["properties"]["label_lon"]
    assert "approximate" in result["attribution"]
