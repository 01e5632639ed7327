"""The end of an order's time window, on orders and cases (urgency as seen now).

`orders.when_end` beside `when_start` (both from the same record), and `cases.when_start`/`when_end` taken from
the case's order (or from a tip's own record), so the queue can tell at read time, with the clock, which cases can
still be prevented and which are "time passed — check outcome". Existing rows are filled from the records.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from varde.store.tables import UTCDateTime

revision = "0009"
down_revision = "0008"


def upgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        batch.add_column(sa.Column("when_end", UTCDateTime(), nullable=True))
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("when_start", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("when_end", UTCDateTime(), nullable=True))
    op.execute(
        "UPDATE orders SET when_end = (SELECT max(r.when_end) FROM records r"
        " WHERE r.order_id = orders.id AND r.when_start = orders.when_start)"
        " WHERE when_start IS NOT NULL"
    )
    op.execute(
        "UPDATE cases SET when_start = (SELECT o.when_start FROM orders o WHERE o.id = cases.order_id),"
        " when_end = (SELECT o.when_end FROM orders o WHERE o.id = cases.order_id)"
        " WHERE order_id IS NOT NULL"
    )
    op.execute(
        "UPDATE cases SET when_start = (SELECT min(r.when_start) FROM records r JOIN case_posts cp"
        " ON cp.post_id = r.post_id WHERE cp.case_id = cases.id),"
        " when_end = (SELECT min(r.when_end) FROM records r JOIN case_posts cp"
        " ON cp.post_id = r.post_id WHERE cp.case_id = cases.id)"
        " WHERE order_id IS NULL"
    )


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite ≥ 3.35 has it): a batch copy of `cases` would trip the foreign keys of its rows.
    op.drop_column("cases", "when_end")
    op.drop_column("cases", "when_start")
    op.drop_column("orders", "when_end")
