"""docs/settings.md documents every setting of `varde.settings.Settings`, with its default."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from varde.errors import ConfigError
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


def test_keywords_win_over_the_environment_which_wins_over_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("varde_stream", "FROM_ENV")  # names are matched without regard to case
    monkeypatch.setenv("VARDE_TRUSTED_PROXIES", '["10.0.0.1", "10.0.0.2"]')
    monkeypatch.setenv("VARDE_ALERT_URGENCY", "0.5")
    monkeypatch.setenv("VARDE_NOT_A_SETTING", "ignored")
    settings = Settings(batch_size="32", user=None, unknown_keyword=1)
    assert (settings.stream, settings.trusted_proxies, settings.alert_urgency) == (
        "FROM_ENV",
        ["10.0.0.1", "10.0.0.2"],
        0.5,
    )
    assert (settings.batch_size, settings.user, settings.nats_url) == (32, None, "nats://127.0.0.1:4222")
    assert Settings(stream="KW").stream == "KW"
    assert not hasattr(settings, "unknown_keyword") and not hasattr(settings, "not_a_setting")


def test_defaults_are_not_shared_and_copies_are_separate() -> None:
    first, second = Settings(), Settings()
    first.trusted_proxies.append("10.0.0.9")
    assert second.trusted_proxies == [] and Settings.model_fields["trusted_proxies"].default == []
    copy = second.model_copy(update={"database_url": "sqlite:///other.db"})
    assert (copy.database_url, second.database_url, copy.batch_size) == (
        "sqlite:///other.db",
        "sqlite:///varde.db",
        512,
    )
    assert copy != second and second == Settings()


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("VARDE_BATCH_SIZE", "many"),
        ("VARDE_BATCH_SIZE", "2.5"),
        ("VARDE_ALERT_URGENCY", "high"),
        ("VARDE_TRUSTED_PROXIES", "10.0.0.1"),
        ("VARDE_TRUSTED_PROXIES", "[1]"),
    ],
)
def test_a_value_that_does_not_parse_names_its_variable(monkeypatch: pytest.MonkeyPatch, name: str, text: str) -> None:
    monkeypatch.setenv(name, text)
    with pytest.raises(ConfigError, match=name):
        Settings()


def test_a_keyword_of_the_wrong_type_is_refused() -> None:
    with pytest.raises(ConfigError, match="VARDE_STREAM"):
        Settings(stream=5)
