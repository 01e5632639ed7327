"""Varde: detect, merge and triage orders for contract violence posted on social media — offline."""

from __future__ import annotations

__version__ = "0.1.0"

from varde.posts import Post  # noqa: E402
from varde.records import Record  # noqa: E402

__all__ = ["Post", "Record", "__version__"]
