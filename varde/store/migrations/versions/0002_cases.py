"""Cases, case posts, case tags, case events, audit chain, users, API tokens, tip contacts (cases issue).

Must match `varde.store.case_tables` (tests/store/test_case_tables.py compares them).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from varde.store.tables import UTCDateTime

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("order_id", sa.String(64)),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("district", sa.String(64)),
        sa.Column("district_overridden", sa.Boolean, nullable=False),
        sa.Column("country", sa.String(2)),
        sa.Column("language", sa.String(8)),
        sa.Column("platform", sa.String(32)),
        sa.Column("platforms", sa.Text, nullable=False),
        sa.Column("violence_tags", sa.Text, nullable=False),
        sa.Column("urgency", sa.Float, nullable=False),
        sa.Column("priority", sa.Integer, nullable=False),
        sa.Column("priority_overridden", sa.Boolean, nullable=False),
        sa.Column("assignee", sa.String(128)),
        sa.Column("notes", sa.Text, nullable=False),
        sa.Column("n_posts", sa.Integer, nullable=False),
        sa.Column("first_seen_at", UTCDateTime(), nullable=False),
        sa.Column("last_seen_at", UTCDateTime(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("state_changed_at", UTCDateTime(), nullable=False),
        sa.Column("merged_into", sa.Integer, sa.ForeignKey("cases.id", name="fk_cases_merged_into_cases")),
        sa.UniqueConstraint("order_id", name="uq_cases_order_id"),
    )
    op.create_index("ix_cases_state_priority", "cases", ["state", "priority", "urgency"])
    op.create_index("ix_cases_district_state_priority", "cases", ["district", "state", "priority", "urgency"])
    op.create_index("ix_cases_priority", "cases", ["priority", "urgency", "id"])
    op.create_index("ix_cases_first_seen_at", "cases", ["first_seen_at"])
    op.create_index("ix_cases_assignee", "cases", ["assignee"])
    op.create_table(
        "case_posts",
        sa.Column(
            "case_id",
            sa.Integer,
            sa.ForeignKey("cases.id", name="fk_case_posts_case_id_cases"),
            primary_key=True,
        ),
        sa.Column("post_id", sa.String(512), primary_key=True),
    )
    op.create_index("ix_case_posts_post_id", "case_posts", ["post_id"])
    op.create_table(
        "case_tags",
        sa.Column(
            "case_id",
            sa.Integer,
            sa.ForeignKey("cases.id", name="fk_case_tags_case_id_cases"),
            primary_key=True,
        ),
        sa.Column("tag", sa.String(64), primary_key=True),
    )
    op.create_index("ix_case_tags_tag", "case_tags", ["tag", "case_id"])
    op.create_table(
        "case_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "case_id",
            sa.Integer,
            sa.ForeignKey("cases.id", name="fk_case_events_case_id_cases"),
            nullable=False,
        ),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("from_state", sa.String(16)),
        sa.Column("to_state", sa.String(16)),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
    )
    op.create_index("ix_case_events_case_id", "case_events", ["case_id", "id"])
    op.create_table(
        "audit_events",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("object", sa.String(256), nullable=False),
        sa.Column("source", sa.String(256), nullable=False),
        sa.Column("details", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_index("ix_audit_events_object", "audit_events", ["object"])
    op.create_index("ix_audit_events_actor", "audit_events", ["actor"])
    audit_head = op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    # The chain's head exists from the start, so every append is one UPDATE … RETURNING that serialises appends.
    op.bulk_insert(audit_head, [{"id": 1, "seq": 0, "hash": "0" * 64}])
    op.create_table(
        "users",
        sa.Column("name", sa.String(128), primary_key=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("districts", sa.JSON, nullable=False),
        sa.Column("password_hash", sa.Text),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column(
            "user_name",
            sa.String(128),
            sa.ForeignKey("users.name", name="fk_api_tokens_user_name_users"),
            nullable=False,
        ),
        sa.Column("secret_sha256", sa.String(64), nullable=False),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime()),
        sa.Column("revoked_at", UTCDateTime()),
    )
    op.create_index("ix_api_tokens_user_name", "api_tokens", ["user_name"])
    op.create_table(
        "tip_contacts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("post_id", sa.String(512), nullable=False),
        sa.Column("contact", sa.Text, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(128), nullable=False),
    )
    op.create_index("ix_tip_contacts_post_id", "tip_contacts", ["post_id"])


def downgrade() -> None:
    op.drop_table("tip_contacts")
    op.drop_table("api_tokens")
    op.drop_table("users")
    op.drop_table("audit_head")
    op.drop_table("audit_events")
    op.drop_table("case_events")
    op.drop_table("case_tags")
    op.drop_table("case_posts")
    op.drop_table("cases")
