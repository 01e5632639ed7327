"""Places (first version: none)."""

from __future__ import annotations

from varde.records import Place


def extract_places(text: str, language: str | None) -> tuple[Place, ...]:
    return ()
