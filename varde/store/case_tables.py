"""Tables of the cases issue: cases and their posts and history, the audit chain, users, API tokens, tip contacts.

They live on the shared `metadata` (see `varde.store.tables`); migration 0002 creates them with explicit
`op.create_table` calls that must match these definitions (a test compares the two).

    cases ──< case_posts >── posts          one case per order (unique order_id), linked to all its posts
      ├──< case_tags                        violence:TYPE and platform:NAME, for indexed triage filters
      │ └──< case_events                    every change of a case: who, when, why, from/to state
      └── merged_into → cases.id
    audit_events (seq 1, 2, 3 …)            append-only; each row hashes the previous one
    audit_head (one row)                    last seq and hash; updated with every append, so appends serialise
    users ──< api_tokens                    argon2 password hashes; tokens stored as SHA-256 only; scope read|write
      └──< web_sessions                     server-side web sessions (cookie holds a random id; SHA-256 stored)
    login_throttle                          failed logins per user and per address, and lockouts (migration 0008)
    tip_contacts                            tipsters' contact details, apart from posts; supervisors only
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from varde.store.tables import UTCDateTime, metadata

cases = Table(
    "cases",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("order_id", String(64), unique=True),  # NULL only for cases opened by hand (tips)
    Column("state", String(16), nullable=False),
    Column("version", Integer, nullable=False),  # optimistic concurrency: every change bumps it
    Column("district", String(64)),
    Column("district_overridden", Boolean, nullable=False),
    Column("country", String(2)),
    Column("language", String(8)),
    Column("platform", String(32)),  # platform of the first post
    Column("platforms", Text, nullable=False),  # "|telegram|x|": all platforms, for LIKE filters
    Column("violence_tags", Text, nullable=False),  # "|shooting|arson|"
    Column("urgency", Float, nullable=False),
    Column("priority", Integer, nullable=False),  # 1 (low) … 5 (critical); from urgency unless overridden
    Column("priority_overridden", Boolean, nullable=False),
    Column("assignee", String(128)),
    Column("notes", Text, nullable=False),
    Column("n_posts", Integer, nullable=False),
    Column("first_seen_at", UTCDateTime(), nullable=False),
    Column("last_seen_at", UTCDateTime(), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Column("state_changed_at", UTCDateTime(), nullable=False),  # retention counts from here
    Column("merged_into", Integer, ForeignKey("cases.id")),
    # The order's time window (a tip's own), so the queue can tell at read time whether it has passed.
    Column("when_start", UTCDateTime()),
    Column("when_end", UTCDateTime()),
)
# The triage list sorts by priority then urgency, filtered by state and/or district.
Index("ix_cases_state_priority", cases.c.state, cases.c.priority, cases.c.urgency)
Index("ix_cases_district_state_priority", cases.c.district, cases.c.state, cases.c.priority, cases.c.urgency)
Index("ix_cases_priority", cases.c.priority, cases.c.urgency, cases.c.id)
Index("ix_cases_first_seen_at", cases.c.first_seen_at)
Index("ix_cases_assignee", cases.c.assignee)
Index("ix_cases_updated_at", cases.c.updated_at)  # the network analysis's change check (0014)

case_posts = Table(
    "case_posts",
    metadata,
    Column("case_id", Integer, ForeignKey("cases.id"), primary_key=True),
    Column("post_id", String(512), primary_key=True),
)
Index("ix_case_posts_post_id", case_posts.c.post_id)

# One row per violence type and platform of a case, so the triage filters use an index instead of scanning.
case_tags = Table(
    "case_tags",
    metadata,
    Column("case_id", Integer, ForeignKey("cases.id"), primary_key=True),
    Column("tag", String(64), primary_key=True),  # violence:shooting, platform:telegram
)
Index("ix_case_tags_tag", case_tags.c.tag, case_tags.c.case_id)

case_events = Table(
    "case_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False),
    Column("at", UTCDateTime(), nullable=False),
    Column("actor", String(128), nullable=False),
    Column("action", String(32), nullable=False),  # created, status, merge, assign, district, priority, note
    Column("from_state", String(16)),
    Column("to_state", String(16)),
    Column("reason", Text, nullable=False),
    Column("data", JSON, nullable=False),
)
Index("ix_case_events_case_id", case_events.c.case_id, case_events.c.id)

audit_events = Table(
    "audit_events",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),  # 1, 2, 3 … assigned under the head lock
    Column("at", UTCDateTime(), nullable=False),
    Column("actor", String(128), nullable=False),
    Column("action", String(64), nullable=False),  # case.read, case.search, case.change, export, login …
    Column("object", String(256), nullable=False),  # case:42, user:kari, cases (a search) …
    Column("source", String(256), nullable=False),  # from where: cli:user@host, web:10.0.0.7, system
    Column("details", Text, nullable=False),  # canonical JSON, hashed as stored
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)
Index("ix_audit_events_object", audit_events.c.object)
Index("ix_audit_events_actor", audit_events.c.actor)

audit_head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),  # always 1
    Column("seq", Integer, nullable=False),
    Column("hash", String(64), nullable=False),
)

users = Table(
    "users",
    metadata,
    Column("name", String(128), primary_key=True),
    Column("role", String(16), nullable=False),
    Column("districts", JSON, nullable=False),  # investigators: the districts they may see
    Column("password_hash", Text),  # argon2id; NULL: no password login (tokens only)
    Column("active", Boolean, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", String(32), primary_key=True),  # public part of the token
    Column("user_name", String(128), ForeignKey("users.name"), nullable=False),
    Column("secret_sha256", String(64), nullable=False),  # tokens are random, so a plain hash suffices
    Column("label", Text, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime()),
    Column("revoked_at", UTCDateTime()),
    # read: GET only; write: everything; bank:NAME: only that signal bank's feed (varde.signals)
    Column("scope", String(80), nullable=False, server_default="write"),
)
Index("ix_api_tokens_user_name", api_tokens.c.user_name)

# A web session lives here, not in the cookie, so logout, a password change or deactivation ends it at once.
web_sessions = Table(
    "web_sessions",
    metadata,
    Column("id_sha256", String(64), primary_key=True),  # the cookie's random id is a secret: only its hash is kept
    Column("user_name", String(128), ForeignKey("users.name"), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("source", String(256), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("last_seen_at", UTCDateTime(), nullable=False),  # idle timeout counts from here
    Column("expires_at", UTCDateTime(), nullable=False),  # absolute timeout
    Column("ended_at", UTCDateTime()),
    Column("ended_why", String(32)),  # logout, password, deactivated, revoked
)
Index("ix_web_sessions_user_name", web_sessions.c.user_name)

# Failed password logins per key ("user:kari", "addr:10.0.0.7"); a key with too many is locked for a while.
login_throttle = Table(
    "login_throttle",
    metadata,
    Column("key", String(300), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("last_failure_at", UTCDateTime(), nullable=False),
    Column("locked_until", UTCDateTime()),
)

tip_contacts = Table(
    "tip_contacts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("post_id", String(512), nullable=False),  # the tip post; the contact never goes into posts
    Column("contact", Text, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("created_by", String(128), nullable=False),
)
Index("ix_tip_contacts_post_id", tip_contacts.c.post_id)
