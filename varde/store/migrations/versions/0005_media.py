"""Image hashes (image issue).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    # Slot reserved in the chain; filled in by the issue that owns these tables.
    pass


def downgrade() -> None:
    pass
