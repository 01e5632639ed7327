"""Analysts' verdicts on posts (append-only).

Revision ID: 0010
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from varde.store.tables import UTCDateTime

revision = "0010"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "verdicts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("post_id", sa.String(512), nullable=False),
        sa.Column("user_name", sa.String(128), nullable=False),
        sa.Column("is_order", sa.Boolean, nullable=False),
        sa.Column("violence_types", sa.JSON, nullable=False),
        sa.Column("district", sa.String(64)),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("case_id", sa.Integer),
        sa.Column("source", sa.String(256), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_verdicts_post_id_user_name", "verdicts", ["post_id", "user_name"])


def downgrade() -> None:
    op.drop_index("ix_verdicts_post_id_user_name", table_name="verdicts")
    op.drop_table("verdicts")
