"""Targets (first version: none)."""

from __future__ import annotations

from varde.records import Target


def extract_target(text: str, language: str | None) -> Target | None:
    return None
