"""Entity graph, links and judgements (network issue).

Must match `varde.store.network_tables` (tests/network/test_store.py compares them).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from varde.store.tables import UTCDateTime

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    op.create_table(
        "entities",
        sa.Column("id", sa.String(512), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("platform", sa.String(32)),
        sa.Column("attrs", sa.JSON, nullable=False),
        sa.Column("first_seen", UTCDateTime()),
        sa.Column("last_seen", UTCDateTime()),
        sa.Column("built_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_entities_kind", "entities", ["kind"])
    op.create_table(
        "entity_edges",
        sa.Column("source", sa.String(512), primary_key=True),
        sa.Column("target", sa.String(512), primary_key=True),
        sa.Column("type", sa.String(32), primary_key=True),
        sa.Column("weight", sa.Float, nullable=False),
        sa.Column("first_seen", UTCDateTime()),
        sa.Column("last_seen", UTCDateTime()),
        sa.Column("post_ids", sa.JSON, nullable=False),
    )
    op.create_index("ix_entity_edges_target", "entity_edges", ["target"])
    op.create_table(
        "entity_links",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("a", sa.String(512), nullable=False),
        sa.Column("b", sa.String(512), nullable=False),
        sa.Column("judgement", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_entity_links_a_b", "entity_links", ["a", "b"])


def downgrade() -> None:
    op.drop_table("entity_links")
    op.drop_table("entity_edges")
    op.drop_table("entities")
