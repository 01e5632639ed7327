"""What an Alembic `compare_metadata` difference is about, for the tests that check a migration against the table
definitions."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa


def tables_of(diff: Any) -> set[str]:
    """The names of the tables a difference is about."""
    item = diff[0] if isinstance(diff, list) else diff
    found = set()
    for part in item[1:]:
        if isinstance(part, sa.Table):
            found.add(part.name)
        elif isinstance(part, sa.Index | sa.UniqueConstraint | sa.ForeignKeyConstraint) and part.table is not None:
            found.add(part.table.name)
        elif isinstance(part, str):
            found.add(part)
    return found
