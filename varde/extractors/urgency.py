"""Urgency (first version: severity only)."""

from __future__ import annotations

from varde.records import Record

_SEVERE = {"murder", "shooting", "explosion", "kidnapping"}


def compute_urgency(record: Record) -> float:
    return 0.6 if _SEVERE & set(record.violence_types) else 0.3
