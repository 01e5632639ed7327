"""The legal route from Norway to a person in another country, from the sourced table `data/cooperation.yaml`.

Routes, strongest first: `domestic` (Norway itself), `nordic_arrest_warrant` (Nordic countries),
`eu_surrender_agreement` (EU member states:
the Norway–EU surrender agreement, in force 1 November 2019), `extradition_convention` (parties to the European
Convention on Extradition, ETS No. 024), `bilateral_treaty`, `none_known`, and `unknown` where no source was found.
Every entry names its sources; a country missing from the table is `unknown`."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from varde.errors import ConfigError

ROUTES = (
    "domestic",
    "nordic_arrest_warrant",
    "eu_surrender_agreement",
    "extradition_convention",
    "bilateral_treaty",
    "none_known",
    "unknown",
)


@dataclass(frozen=True, slots=True)
class Route:
    country: str | None
    name: str | None
    route: str
    instrument: str
    sources: tuple[str, ...]
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "country": self.country,
            "country_name": self.name,
            "route": self.route,
            "instrument": self.instrument,
            "sources": list(self.sources),
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class CooperationTable:
    routes: dict[str, Route]
    instruments: dict[str, dict[str, Any]]

    def route(self, country: str | None) -> Route:
        if country is None:
            return Route(None, None, "unknown", "", (), "country not known")
        found = self.routes.get(country.upper())
        if found is None:
            return Route(country.upper(), None, "unknown", "", (), "country not in the cooperation table")
        return found


def parse_cooperation(data: dict[str, Any]) -> CooperationTable:
    instruments: dict[str, dict[str, Any]] = dict(data.get("instruments") or {})
    for key, instrument in instruments.items():
        if not instrument.get("sources"):
            raise ConfigError(f"cooperation table: instrument {key} has no sources")
    routes: dict[str, Route] = {}
    for code, raw in (data.get("countries") or {}).items():
        if not isinstance(code, str) or len(code) != 2:
            # YAML reads an unquoted NO as false: country codes must be quoted.
            raise ConfigError(f"cooperation table: country key {code!r} is not a quoted two-letter code")
        route = str(raw.get("route"))
        if route not in ROUTES:
            raise ConfigError(f"cooperation table: {code}: unknown route {route!r}")
        instrument_key = raw.get("instrument")
        instrument = instruments.get(instrument_key, {}) if instrument_key else {}
        sources = tuple(str(s) for s in (raw.get("sources") or [])) + tuple(
            str(s) for s in instrument.get("sources") or []
        )
        if not sources:
            raise ConfigError(f"cooperation table: {code} cites no source")
        routes[str(code).upper()] = Route(
            str(code).upper(),
            str(raw.get("name") or code),
            route,
            str(instrument.get("name") or ""),
            sources,
            str(raw.get("note") or ""),
        )
    return CooperationTable(routes, instruments)


@lru_cache(maxsize=1)
def load_cooperation() -> CooperationTable:
    """The table shipped with Varde (read once)."""
    text = resources.files("varde.network").joinpath("data/cooperation.yaml").read_text(encoding="utf-8")
    return parse_cooperation(yaml.safe_load(text))
