"""Signal banks (issue 22): banks, their contents and signals; API token scopes long enough for `bank:NAME`.

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from varde.store.tables import UTCDateTime

revision = "0013"
down_revision = "0012"


def upgrade() -> None:
    op.create_table(
        "signal_banks",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(128), nullable=False),
    )
    op.create_table(
        "signal_contents",
        sa.Column("bank", sa.String(64), sa.ForeignKey("signal_banks.name"), primary_key=True),
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("case_id", sa.Integer),
        sa.Column("violence_types", sa.JSON, nullable=False),
        sa.Column("first_seen", sa.String(6)),
        sa.Column("added_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_signal_contents_case_id", "signal_contents", ["case_id"])
    op.create_table(
        "signals",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("bank", sa.String(64), sa.ForeignKey("signal_banks.name"), nullable=False),
        sa.Column("content_id", sa.String(64), nullable=False),
        sa.Column("signal_type", sa.String(16), nullable=False),
        sa.Column("value", sa.String(80), nullable=False),
        sa.Column("added_at", UTCDateTime(), nullable=False),
        sa.Column("quarantined_at", UTCDateTime()),
        sa.Column("window_start", UTCDateTime()),
        sa.Column("window_hits", sa.Integer, nullable=False),
        sa.UniqueConstraint("bank", "signal_type", "value", name="uq_signals_bank_type_value"),
    )
    op.create_index("ix_signals_bank_id", "signals", ["bank", "id"])
    with op.batch_alter_table("api_tokens") as batch:
        batch.alter_column("scope", type_=sa.String(80), existing_type=sa.String(8), existing_nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("api_tokens") as batch:
        batch.alter_column("scope", type_=sa.String(8), existing_type=sa.String(80), existing_nullable=False)
    op.drop_index("ix_signals_bank_id", table_name="signals")
    op.drop_table("signals")
    op.drop_index("ix_signal_contents_case_id", table_name="signal_contents")
    op.drop_table("signal_contents")
    op.drop_table("signal_banks")
