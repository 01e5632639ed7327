"""Analysts' verdicts on posts: order or not, append-only (the history is kept; the last verdict per post per user
counts). Written by `varde.cases.verdicts.VerdictService`; read back as training labels."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, Index, Integer, String, Table, Text

from varde.store.tables import UTCDateTime, metadata

verdicts = Table(
    "verdicts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("post_id", String(512), nullable=False),
    Column("user_name", String(128), nullable=False),
    Column("is_order", Boolean, nullable=False),
    Column("violence_types", JSON, nullable=False),
    Column("district", String(64)),
    Column("reason", Text, nullable=False),
    Column("case_id", Integer),  # the case whose status change recorded it; NULL for a label given directly
    Column("source", String(256), nullable=False),
    Column("at", UTCDateTime(), nullable=False),
)
Index("ix_verdicts_post_id_user_name", verdicts.c.post_id, verdicts.c.user_name)
