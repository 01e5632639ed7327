"""Core tables: posts, records, orders, rejects.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from varde.store.tables import UTCDateTime

revision = "0001"
down_revision = None


def upgrade() -> None:
    op.create_table(
        "posts",
        sa.Column("id", sa.String(512), primary_key=True),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("channel", sa.Text),
        sa.Column("author", sa.Text),
        sa.Column("author_id", sa.Text),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("source", sa.String(32)),
        sa.Column("reply_to", sa.String(512)),
        sa.Column("forwarded_from", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("media", sa.JSON, nullable=False),
        sa.Column("raw", sa.LargeBinary, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("origin", sa.Text, nullable=False),
        sa.Column("captured_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_posts_created_at", "posts", ["created_at"])
    op.create_table(
        "records",
        sa.Column("post_id", sa.String(512), primary_key=True),
        sa.Column("is_order", sa.Boolean, nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("language", sa.String(8)),
        sa.Column("order_id", sa.String(64)),
        sa.Column("country", sa.String(2)),
        sa.Column("district", sa.String(64)),
        sa.Column("violence_types", sa.JSON, nullable=False),
        sa.Column("urgency", sa.Float, nullable=False),
        sa.Column("when_start", UTCDateTime()),
        sa.Column("when_end", UTCDateTime()),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("analysed_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_records_order_id", "records", ["order_id"])
    op.create_table(
        "orders",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("first_post_id", sa.String(512), nullable=False),
        sa.Column("first_seen_at", UTCDateTime(), nullable=False),
        sa.Column("last_seen_at", UTCDateTime(), nullable=False),
        sa.Column("n_posts", sa.Integer, nullable=False),
        sa.Column("language", sa.String(8)),
        sa.Column("country", sa.String(2)),
        sa.Column("district", sa.String(64)),
        sa.Column("violence_types", sa.JSON, nullable=False),
        sa.Column("urgency", sa.Float, nullable=False),
        sa.Column("when_start", UTCDateTime()),
        sa.Column("payment_amount", sa.Integer),
        sa.Column("payment_currency", sa.String(3)),
        sa.Column("detected_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_orders_district", "orders", ["district"])
    op.create_table(
        "rejects",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("location", sa.Text, nullable=False),
        sa.Column("field", sa.Text),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("raw", sa.LargeBinary, nullable=False),
        sa.Column("rejected_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("rejects")
    op.drop_table("orders")
    op.drop_table("records")
    op.drop_table("posts")
