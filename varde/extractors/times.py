"""When (first version: none)."""

from __future__ import annotations

from datetime import datetime

from varde.records import When


def extract_when(text: str, created_at: datetime, language: str | None) -> When | None:
    return None
