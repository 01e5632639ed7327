"""The detector's band on each record (order, possible, none), so the review band survives the store; existing rows
are filled from is_order (a record stored before 0011 was never `possible`).

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"


def upgrade() -> None:
    op.add_column("records", sa.Column("band", sa.String(8), nullable=False, server_default="none"))
    records = sa.table("records", sa.column("is_order", sa.Boolean), sa.column("band", sa.String(8)))
    op.execute(records.update().where(records.c.is_order == sa.true()).values(band="order"))
    op.create_index("ix_records_band", "records", ["band"])


def downgrade() -> None:
    op.drop_index("ix_records_band", table_name="records")
    with op.batch_alter_table("records") as batch:
        batch.drop_column("band")
