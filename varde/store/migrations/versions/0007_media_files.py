"""Captured media by digest (security hardening: evidence).

`posts.media_files`: per media entry, the name the post gave (inert text) and either the SHA-256 under which the
media store keeps the file, or why it was refused. Evidence export reads media only through these digests.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"


def upgrade() -> None:
    with op.batch_alter_table("posts") as batch:
        batch.add_column(sa.Column("media_files", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("posts") as batch:
        batch.drop_column("media_files")
