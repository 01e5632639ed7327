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
    batch_size: int = 512  # posts per batch: scan, analyze, eval and the workers (the one place it is set)

    @property
    def subject_prefix(self) -> str:
        return self.stream.lower()


def sqlite_url(path: str | Path) -> str:
    return f"sqlite:///{Path(path)}"
