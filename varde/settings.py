"""Settings, read once at the edge from `VARDE_*` environment variables and passed in.

`Settings` keeps the part of pydantic-settings' `BaseSettings` interface that Varde uses — `Settings(**values)`,
`model_copy(update=…)`, `Settings.model_fields[name].default` — and its rules: a keyword given to the constructor
wins over the environment, which wins over the default; variable names are matched without regard to case; numbers
are parsed from text, a list is given as a JSON list; unknown keywords and variables are ignored. It is plain Python
because every command reads its settings first: pydantic-settings took about 0.09 s of a 0.5 s start-up budget
(`bench/bench_startup.py`). A value that does not parse raises `ConfigError` naming the variable (exit code 3)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from varde.errors import ConfigError

DEFAULT_DATABASE_FILE = "varde.db"
ENV_PREFIX = "VARDE_"


@dataclass(frozen=True, slots=True)
class SettingField:
    """One setting as declared: its type (as written in the class) and its default."""

    annotation: str
    default: Any


def _parse_int(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        number = float(text)  # "5.0" is 5, as pydantic's lax mode reads it; "5.5" is not an integer
        if not number.is_integer():
            raise
        return int(number)


def _coerce(name: str, annotation: str, value: Any) -> Any:
    """`value` (text from the environment, or a keyword's value) as the setting's type; ConfigError if it is not."""
    where = f"{ENV_PREFIX}{name.upper()}"
    try:
        if annotation == "str | None" and value is None:
            return None
        if annotation in ("str", "str | None") and isinstance(value, str):
            return value
        if annotation == "int" and isinstance(value, int) and not isinstance(value, bool):
            return value
        if annotation == "int" and isinstance(value, float) and value.is_integer():
            return int(value)
        if annotation == "int" and isinstance(value, str):
            return _parse_int(value)
        if annotation == "float" and isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        if annotation == "float" and isinstance(value, str):
            return float(value)
        if annotation == "list[str]":
            items = json.loads(value) if isinstance(value, str) else value
            if isinstance(items, list | tuple) and all(isinstance(item, str) for item in items):
                return list(items)
    except ValueError:  # json.JSONDecodeError is a ValueError
        pass
    raise ConfigError(f"{where}: {value!r} is not a valid {annotation}")


class Settings:
    """Every setting has a working default: SQLite in the working directory, NATS on localhost."""

    model_fields: ClassVar[dict[str, SettingField]]

    database_url: str = f"sqlite:///{DEFAULT_DATABASE_FILE}"
    nats_url: str = "nats://127.0.0.1:4222"
    stream: str = "VARDE"
    user: str | None = None
    retention_days: int = 90
    alert_webhook: str | None = None
    alert_urgency: float = 0.7
    secret_key: str = ""  # overrides the key file (`keys.secret_key`); leave empty so it never sits in the environment
    batch_size: int = 512  # posts per batch: scan, analyze, eval and the workers (the one place it is set)
    media_dir: str | None = None  # content-addressed media store; default beside the SQLite file (`varde.db.media/`)
    model_dir: str | None = None  # registered detector models, one folder per id; default `varde.db.models/`
    key_dir: str | None = None  # installation keys (0600 files); default beside the SQLite file (`varde.db.keys/`)
    # Web accounts (defaults as MISP's: 5 failed logins lock for 5 minutes; sessions end after 1 hour idle).
    session_idle_minutes: int = 60
    session_hours: int = 8  # absolute: one working shift
    login_max_failures: int = 5  # per user name, then a lockout that doubles with each further failure
    login_max_failures_per_address: int = 20  # per source address (many names tried from one place)
    login_lockout_seconds: int = 300
    max_body_bytes: int = 16 * 1024 * 1024  # larger requests get 413 before their body is read
    lang: str = ""  # the command line's language (nb, sv, da, en); empty: the locale's if one of those, else nb
    timezone: str = "Europe/Oslo"  # times are stored in UTC and shown in this zone, labelled, by the web and the CLI
    # addresses whose X-Forwarded-For is believed (JSON list in VARDE_TRUSTED_PROXIES); each Settings gets its own copy
    trusted_proxies: list[str] = []  # noqa: RUF012

    def __init__(self, **values: Any) -> None:
        environment = {name.lower(): text for name, text in os.environ.items()}
        for name, field in self.model_fields.items():
            if name in values:
                value = _coerce(name, field.annotation, values[name])
            elif (text := environment.get(f"{ENV_PREFIX}{name}".lower())) is not None:
                value = _coerce(name, field.annotation, text)
            else:
                value = list(field.default) if isinstance(field.default, list) else field.default
            setattr(self, name, value)

    def model_copy(self, *, update: dict[str, Any] | None = None) -> Settings:
        """A copy with `update`'s values set as given (not parsed, as pydantic's `model_copy`)."""
        copy = object.__new__(type(self))
        copy.__dict__.update(self.__dict__)
        copy.__dict__.update(update or {})
        return copy

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Settings) and self.__dict__ == other.__dict__

    __hash__ = None  # type: ignore[assignment]  # mutable, as a pydantic model

    def __repr__(self) -> str:
        shown = {name: "**********" if name == "secret_key" and value else value for name, value in vars(self).items()}
        return f"Settings({', '.join(f'{name}={value!r}' for name, value in shown.items())})"

    @property
    def subject_prefix(self) -> str:
        return self.stream.lower()

    @property
    def zone(self) -> ZoneInfo:
        """The zone times are shown in (VARDE_TIMEZONE); an unknown name raises ZoneInfoNotFoundError."""
        return ZoneInfo(self.timezone)

    @property
    def media_folder(self) -> Path:
        """Where captured media are kept by SHA-256 (VARDE_MEDIA_DIR, else beside the database)."""
        return Path(self.media_dir) if self.media_dir else beside_database(self.database_url, "media")

    @property
    def model_folder(self) -> Path:
        """Where registered models' files are kept, `<id>/` each (VARDE_MODEL_DIR, else beside the database)."""
        return Path(self.model_dir) if self.model_dir else beside_database(self.database_url, "models")

    @property
    def key_folder(self) -> Path:
        """Where the installation's key files live (VARDE_KEY_DIR, else beside the database)."""
        return Path(self.key_dir) if self.key_dir else beside_database(self.database_url, "keys")


Settings.model_fields = {
    name: SettingField(str(annotation), getattr(Settings, name))
    for name, annotation in Settings.__annotations__.items()
    if not str(annotation).startswith("ClassVar")
}


def beside_database(database_url: str, kind: str) -> Path:
    """`<db file>.<kind>/` for a SQLite file; `varde-<kind>/` in the working directory for a server database (set
    VARDE_MEDIA_DIR / VARDE_KEY_DIR there: every process that shares the database must see the same folder)."""
    from sqlalchemy.engine import make_url  # here: a command that opens no database need not load SQLAlchemy

    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        path = Path(url.database).expanduser()
        return path.with_name(f"{path.name}.{kind}").resolve()
    return Path(f"varde-{kind}").resolve()


def sqlite_url(path: str | Path) -> str:
    return f"sqlite:///{Path(path)}"
