"""Signal banks (issue 22): named sets of hashes of confirmed orders, shareable with platforms and partners.

    signal_banks ──< signal_contents ──< signals
    (name, kind)     (bank-content id,    (type: pdq | md5_text | text_tlsh, value, quarantine and flood counters)
                      violence types, first-seen quarter; case_id stays local and is never exported)

Written and read by `varde.signals.service`; migration 0013_signal_banks creates them (a test compares the two)."""

from __future__ import annotations

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint

from varde.store.tables import UTCDateTime, metadata

signal_banks = Table(
    "signal_banks",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("kind", String(8), nullable=False),  # positive: matches raise urgency; negative: known false positives
    Column("origin", String(16), nullable=False),  # varde (collected from confirmed cases) or import
    Column("description", Text, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("created_by", String(128), nullable=False),
)

signal_contents = Table(
    "signal_contents",
    metadata,
    Column("bank", String(64), ForeignKey("signal_banks.name"), primary_key=True),
    Column("id", String(64), primary_key=True),  # the bank-content id: random for Varde's, the source's on import
    Column("case_id", Integer),  # local only (never exported); NULL for imported contents
    Column("violence_types", JSON, nullable=False),
    Column("first_seen", String(6)),  # quarter, e.g. 2025Q3
    Column("added_at", UTCDateTime(), nullable=False),
)
Index("ix_signal_contents_case_id", signal_contents.c.case_id)

signals = Table(
    "signals",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("bank", String(64), ForeignKey("signal_banks.name"), nullable=False),
    Column("content_id", String(64), nullable=False),
    Column("signal_type", String(16), nullable=False),
    Column("value", String(80), nullable=False),
    Column("added_at", UTCDateTime(), nullable=False),
    Column("quarantined_at", UTCDateTime()),  # flood protection: set when it matched too many posts too fast
    Column("window_start", UTCDateTime()),  # the flood window the hit count belongs to
    Column("window_hits", Integer, nullable=False),
    UniqueConstraint("bank", "signal_type", "value", name="uq_signals_bank_type_value"),
)
Index("ix_signals_bank_id", signals.c.bank, signals.c.id)
