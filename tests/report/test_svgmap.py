"""The district maps: every police district of the three countries is on its map, drawn as inline SVG that
escapes names, shades by value and greys what is outside the scope."""

from __future__ import annotations

import re

import pytest

from varde.report.districtmap import MAP_FILES, load_district_map
from varde.report.palette import MAP_HIGH, MAP_LOW, MAP_OUT_OF_SCOPE, shade
from varde.report.svgmap import district_map_svg, short_name
from varde.vocab import DISTRICTS_DK, DISTRICTS_NO, REGIONS_SE

NAMES = {"NO": DISTRICTS_NO, "SE": REGIONS_SE, "DK": DISTRICTS_DK}


@pytest.mark.parametrize("country", sorted(MAP_FILES))
def test_each_map_has_every_district_once(country: str) -> None:
    geo = load_district_map(country)
    districts = [f["properties"]["district"] for f in geo["features"]]
    assert sorted(districts) == sorted(NAMES[country])
    for feature in geo["features"]:
        lon, lat = feature["properties"]["label_lon"], feature["properties"]["label_lat"]
        assert 4 < lon < 32 and 54 < lat < 72
        assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")


def test_svg_shades_values_and_greys_the_rest() -> None:
    svg = str(district_map_svg("SE", {"Syd": 4, "Nord": 0}, title="Orders <b>2025Q3</b>"))
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "<b>" not in svg and "Orders &lt;b&gt;2025Q3&lt;/b&gt;" in svg
    assert re.search(rf'fill="{MAP_HIGH}"[^>]*data-district="Syd" data-value="4"', svg)
    assert re.search(rf'fill="{MAP_LOW}"[^>]*data-district="Nord" data-value="0"', svg)
    assert re.search(rf'fill="{MAP_OUT_OF_SCOPE}"[^>]*data-district="Väst" data-value=""', svg)
    assert len(re.findall(r"<path ", svg)) == len(REGIONS_SE)
    assert "Natural Earth" in svg


def test_danish_map_says_its_borders_are_approximate() -> None:
    svg = str(district_map_svg("DK", dict.fromkeys(DISTRICTS_DK, 1), title="DK"))
    assert "approximate" in svg
    assert short_name("Midt- og Vestjyllands Politi") == "Midt- og Vestjylland"
    assert short_name("Københavns Politi") == "København"


def test_shade_runs_from_low_to_high() -> None:
    assert shade(0, 10) == MAP_LOW and shade(10, 10) == MAP_HIGH and shade(3, 0) == MAP_LOW
    middle = shade(5, 10)
    assert middle not in (MAP_LOW, MAP_HIGH) and re.fullmatch(r"#[0-9a-f]{6}", middle)
