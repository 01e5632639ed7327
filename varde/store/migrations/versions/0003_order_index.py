"""Database-backed de-duplication index shared by `varde scan` and the workers (orders issue).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    op.create_table(
        "order_index_lock",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("counter", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_index_lock")),
    )
    op.create_table(
        "order_index_members",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("post_id", sa.String(length=512), nullable=False),
        sa.Column("order_id", sa.String(length=64), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=True),
        sa.Column("slots", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_index_members")),
        sa.UniqueConstraint("post_id", name=op.f("uq_order_index_members_post_id")),
    )
    op.create_index(op.f("ix_order_index_members_order_id"), "order_index_members", ["order_id"], unique=False)
    op.create_table(
        "order_index_orders",
        sa.Column("order_id", sa.String(length=64), nullable=False),
        sa.Column("first_post_id", sa.String(length=512), nullable=False),
        sa.PrimaryKeyConstraint("order_id", name=op.f("pk_order_index_orders")),
    )
    op.create_table(
        "order_index_skeletons",
        sa.Column("skeleton_key", sa.String(length=64), nullable=False),
        sa.Column("order_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("skeleton_key", name=op.f("pk_order_index_skeletons")),
    )
    op.create_table(
        "order_index_keys",
        sa.Column("key", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("member_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["order_index_members.id"],
            name=op.f("fk_order_index_keys_member_id_order_index_members"),
        ),
        sa.PrimaryKeyConstraint("key", "member_id", name=op.f("pk_order_index_keys")),
    )


def downgrade() -> None:
    op.drop_table("order_index_keys")
    op.drop_table("order_index_skeletons")
    op.drop_table("order_index_orders")
    op.drop_index(op.f("ix_order_index_members_order_id"), table_name="order_index_members")
    op.drop_table("order_index_members")
    op.drop_table("order_index_lock")
