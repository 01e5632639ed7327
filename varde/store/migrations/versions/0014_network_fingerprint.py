"""Indexes on the columns whose latest value tells the network analysis that the data changed
(`varde.network.service._fingerprint`): without them each look costs a scan of posts, records and cases, about
220 ms at 100,000 cases, on every network page.

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

from alembic import op

revision = "0014"
down_revision = "0013"


def upgrade() -> None:
    op.create_index("ix_posts_captured_at", "posts", ["captured_at"])
    op.create_index("ix_records_analysed_at", "records", ["analysed_at"])
    op.create_index("ix_cases_updated_at", "cases", ["updated_at"])


def downgrade() -> None:
    op.drop_index("ix_cases_updated_at", table_name="cases")
    op.drop_index("ix_records_analysed_at", table_name="records")
    op.drop_index("ix_posts_captured_at", table_name="posts")
