"""Controlled vocabularies, read once from `vocab.yaml` (the single place they are defined)."""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml

SAFE_LOADER: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load(loader: type[Any] = SAFE_LOADER) -> dict[str, Any]:
    """The vocabulary, read with libyaml's safe loader where PyYAML has it (0.3 ms against the pure-Python loader's
    2.5 ms, at every command's start), else the pure-Python one; `tests/test_vocab.py` checks both read the same."""
    text = resources.files("varde").joinpath("vocab.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.load(text, Loader=loader)
    return data


_VOCAB = _load()

PLATFORMS: frozenset[str] = frozenset(_VOCAB["platforms"])
SOURCES: frozenset[str] = frozenset(_VOCAB["sources"])
LANGUAGES: tuple[str, ...] = tuple(_VOCAB["languages"])
VIOLENCE_TYPES: tuple[str, ...] = tuple(_VOCAB["violence_types"])
CONTACT_KINDS: frozenset[str] = frozenset(_VOCAB["contact_kinds"])
TARGET_KINDS: frozenset[str] = frozenset(_VOCAB["target_kinds"])
CASE_STATES: tuple[str, ...] = tuple(_VOCAB["case_states"])
ROLES: tuple[str, ...] = tuple(_VOCAB["roles"])
DISTRICTS_NO: tuple[str, ...] = tuple(_VOCAB["districts_no"])
REGIONS_SE: tuple[str, ...] = tuple(_VOCAB["regions_se"])
DISTRICTS_DK: tuple[str, ...] = tuple(_VOCAB["districts_dk"])
ALL_DISTRICTS: tuple[str, ...] = DISTRICTS_NO + REGIONS_SE + DISTRICTS_DK
# The country each police district/region belongs to (no name is shared between the three lists).
DISTRICT_COUNTRY: dict[str, str] = (
    dict.fromkeys(DISTRICTS_NO, "NO") | dict.fromkeys(REGIONS_SE, "SE") | dict.fromkeys(DISTRICTS_DK, "DK")
)
COUNTRY_NAMES: dict[str, str] = {"NO": "Norway", "SE": "Sweden", "DK": "Denmark"}


def district_label(district: str | None, country: str | None = None) -> str:
    """A district as shown where its country is not implied: "Øst (NO)", "Öst (SE)"; "–" when unknown. The country
    is the district's own (`DISTRICT_COUNTRY`), else `country`."""
    if not district:
        return "–"
    owner = DISTRICT_COUNTRY.get(district) or country
    return f"{district} ({owner})" if owner else district
