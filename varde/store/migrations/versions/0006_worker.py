"""Worker bookkeeping: dead letters and alerts (scale-out issue).

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Slot reserved in the chain; filled in by the issue that owns these tables.
    pass


def downgrade() -> None:
    pass
