"""Varde: detect, merge and triage orders for contract violence posted on social media — offline."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from varde.posts import Post
    from varde.records import Record

__all__ = ["Post", "Record", "__version__"]


def __getattr__(name: str) -> Any:
    """`varde.Post` and `varde.Record` load on first use: every `varde.*` import goes through this package, and a
    command that reads no posts (`users list`, `--help`) should not pay for them (nor for the vocabulary's YAML)."""
    if name == "Post":
        from varde.posts import Post

        return Post
    if name == "Record":
        from varde.records import Record

        return Record
    raise AttributeError(f"module 'varde' has no attribute {name!r}")
