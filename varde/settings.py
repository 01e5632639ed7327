"""Settings, read once at the edge from `VARDE_*` environment variables and passed in."""

from __future__ import annotations

from pathlib import Path

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
    secret_key: str = ""
    batch_size: int = 512
    # Web accounts (defaults as MISP's: 5 failed logins lock for 5 minutes; sessions end after 1 hour idle).
    session_idle_minutes: int = 60
    session_hours: int = 8  # absolute: one working shift
    login_max_failures: int = 5  # per user name, then a lockout that doubles with each further failure
    login_max_failures_per_address: int = 20  # per source address (many names tried from one place)
    login_lockout_seconds: int = 300
    max_body_bytes: int = 16 * 1024 * 1024  # larger requests get 413 before their body is read
    trusted_proxies: list[str] = []  # addresses whose X-Forwarded-For is believed (JSON list in VARDE_TRUSTED_PROXIES)

    @property
    def subject_prefix(self) -> str:
        return self.stream.lower()


def sqlite_url(path: str | Path) -> str:
    return f"sqlite:///{Path(path)}"
