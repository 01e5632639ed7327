"""Varde: detect, merge and triage orders for contract violence posted on social media — offline."""

from __future__ import annotations

__version__ = "0.1.0"

from varde.posts import Post
from varde.records import Record

__all__ = ["Post", "Record", "__version__"]
