"""The dashboard's figures as last read, per district scope (`varde.store.report_tables`): a restarted workbench
shows them at once instead of waiting about a second and a half for the first read at 100,000 cases.

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from varde.store.tables import UTCDateTime

revision = "0015"
down_revision = "0014"


def upgrade() -> None:
    op.create_table(
        "dashboard_tallies",
        sa.Column("scope", sa.String(64), primary_key=True),
        sa.Column("format", sa.Integer, nullable=False),
        sa.Column("built_at", UTCDateTime(), nullable=False),
        sa.Column("cases", sa.Integer, nullable=False),
        sa.Column("figures", sa.JSON, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("dashboard_tallies")
