"""The model lifecycle: every change of the active model (for rollbacks), the shadow model, its scores stored
beside the active model's records, and backtest reports.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from varde.store.tables import UTCDateTime

revision = "0012"
down_revision = "0011"


def upgrade() -> None:
    op.create_table(
        "model_changes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("model_id", sa.String(32), nullable=False),
        sa.Column("previous_id", sa.String(32), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("changed_at", UTCDateTime(), nullable=False),
        sa.Column("changed_by", sa.String(128), nullable=False),
    )
    op.create_table(
        "shadow_model",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("model_id", sa.String(32), nullable=False),
        sa.Column("changed_at", UTCDateTime(), nullable=False),
        sa.Column("changed_by", sa.String(128), nullable=False),
    )
    op.create_table(
        "shadow_scores",
        sa.Column("post_id", sa.String(512), nullable=False),
        sa.Column("model_id", sa.String(32), nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("is_order", sa.Boolean, nullable=False),
        sa.Column("band", sa.String(8), nullable=False),
        sa.Column("violence_types", sa.JSON, nullable=False),
        sa.Column("scored_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("post_id", "model_id"),
    )
    op.create_table(
        "model_backtests",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("candidate", sa.String(32), nullable=False),
        sa.Column("active", sa.String(32), nullable=False),
        sa.Column("run_at", UTCDateTime(), nullable=False),
        sa.Column("run_by", sa.String(128), nullable=False),
        sa.Column("report", sa.JSON, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("model_backtests")
    op.drop_table("shadow_scores")
    op.drop_table("shadow_model")
    op.drop_table("model_changes")
