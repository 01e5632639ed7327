"""Cases, case events, audit events, users and tokens (cases issue).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Slot reserved in the chain; filled in by the issue that owns these tables.
    pass


def downgrade() -> None:
    pass
