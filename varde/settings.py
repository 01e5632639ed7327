"""Settings, read once at the edge from `VARDE_*` environment variables and passed in."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_FILE = "varde.db"


class Settings(BaseSettings):
    """Every setting has a working default: SQLite in the working directory, NATS on localhost."""

    model_config = SettingsConfigDict(env_prefix="VARDE_", extra="ignore")

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
    trusted_proxies: list[str] = []  # addresses whose X-Forwarded-For is believed (JSON list in VARDE_TRUSTED_PROXIES)

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
