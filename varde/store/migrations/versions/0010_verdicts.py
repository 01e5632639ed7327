"""Analysts' verdicts on posts (append-only); the model registry (models, the active model, the model that scored
each record).

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from varde.store.tables import UTCDateTime

revision = "0010"
down_revision = "0009"


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
    op.create_table(
        "models",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("trained_by", sa.String(128), nullable=False),
        sa.Column("provenance", sa.JSON, nullable=False),
        sa.Column("metrics", sa.JSON),
        sa.Column("folder", sa.Text),
    )
    op.create_table(
        "active_model",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("model_id", sa.String(32), nullable=False),
        sa.Column("changed_at", UTCDateTime(), nullable=False),
        sa.Column("changed_by", sa.String(128), nullable=False),
    )
    op.add_column("records", sa.Column("model_id", sa.String(32)))


def downgrade() -> None:
    with op.batch_alter_table("records") as batch:
        batch.drop_column("model_id")
    op.drop_table("active_model")
    op.drop_table("models")
    op.drop_index("ix_verdicts_post_id_user_name", table_name="verdicts")
    op.drop_table("verdicts")
