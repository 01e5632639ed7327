"""Storage edge: one `Store` over SQLite (default) or PostgreSQL, with Alembic migrations."""

from varde.store.store import SaveResult, Store

__all__ = ["SaveResult", "Store"]
