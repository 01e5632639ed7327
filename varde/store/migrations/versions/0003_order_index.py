"""Database-backed de-duplication index (orders issue).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Slot reserved in the chain; filled in by the issue that owns these tables.
    pass


def downgrade() -> None:
    pass
