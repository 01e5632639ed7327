"""docs/settings.md documents every setting of `varde.settings.Settings`, with its default."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from varde.settings import Settings

DOC = Path(__file__).resolve().parents[1] / "docs" / "settings.md"
ROW = re.compile(r"^\| `VARDE_([A-Z_]+)` \| ([^|]+) \|")


def documented() -> dict[str, str]:
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        match = ROW.match(line)
        if match:
            rows[match.group(1).lower()] = match.group(2).strip()
    return rows


def shown(default: Any) -> str:
    if default is None:
        return "unset"
    if default == "":
        return "empty"
    return f"`{default}`"


def test_every_setting_is_documented_and_nothing_else() -> None:
    assert set(documented()) == set(Settings.model_fields)


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_the_documented_default_is_the_real_one(name: str) -> None:
    assert documented()[name] == shown(Settings.model_fields[name].default)


def test_the_environment_sets_them(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VARDE_BATCH_SIZE", "64")
    monkeypatch.setenv("VARDE_RETENTION_DAYS", "30")
    assert (Settings().batch_size, Settings().retention_days) == (64, 30)
