"""Tables of the scale-out workers: one alert per urgent order (the primary key makes it once per order)."""

from __future__ import annotations

from sqlalchemy import JSON, Column, Float, Index, Integer, String, Table, Text

from varde.store.tables import UTCDateTime, metadata

alerts = Table(
    "alerts",
    metadata,
    Column("order_id", String(64), primary_key=True),
    Column("district", String(64)),
    Column("urgency", Float, nullable=False),
    Column("payload", JSON, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("sent_at", UTCDateTime()),
    Column("attempts", Integer, nullable=False),
    Column("last_error", Text),
)
Index("ix_alerts_sent_at", alerts.c.sent_at)
