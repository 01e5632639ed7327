from __future__ import annotations

import pytest

from varde.errors import ConfigError
from varde.network.cooperation import load_cooperation, parse_cooperation


@pytest.mark.parametrize(
    ("country", "route"),
    [
        ("NO", "domestic"),
        ("SE", "nordic_arrest_warrant"),
        ("IS", "nordic_arrest_warrant"),
        ("ES", "eu_surrender_agreement"),
        ("DE", "eu_surrender_agreement"),
        ("TR", "extradition_convention"),
        ("GB", "extradition_convention"),
        ("US", "bilateral_treaty"),
        ("AE", "none_known"),
        ("RU", "unknown"),
        ("ZZ", "unknown"),
        (None, "unknown"),
    ],
)
def test_routes(country: str | None, route: str) -> None:
    assert load_cooperation().route(country).route == route


def test_every_entry_cites_a_source() -> None:
    table = load_cooperation()
    assert len(table.routes) >= 50
    for route in table.routes.values():
        assert route.sources, route.country
    assert "1 November 2019" in table.route("FR").instrument
    assert any("LOV-2012-01-20-4" in s for s in table.route("SE").sources)
    assert any("ETS No. 024" in s or "Treaty 024" in s for s in table.route("CH").sources)


def test_unquoted_norway_is_refused() -> None:
    with pytest.raises(ConfigError):
        parse_cooperation({"countries": {False: {"route": "domestic", "sources": ["x"]}}})
    with pytest.raises(ConfigError):
        parse_cooperation({"countries": {"SE": {"route": "nordic_arrest_warrant"}}})  # no source
