"""Storage edge: one `Store` over SQLite (default) or PostgreSQL, with Alembic migrations."""

from varde.store.database import SaveResult, Store

__all__ = ["SaveResult", "Store"]
