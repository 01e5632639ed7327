"""Tables of the reports: the dashboard's figures as last read, per district scope, kept between runs so that a
restarted workbench shows them at once (labelled with when they were read) while it reads them again.

They live on the shared `metadata` (see `varde.store.tables`); migration 0015 creates them with explicit
`op.create_table` calls that must match these definitions (tests/store/test_report_tables.py compares the two).

    dashboard_tallies (scope)   the figures (`QuarterStats.to_json`), their format, when read, over how many cases

The figures are counts per district, violence type and quarter: no post, person or case is stored here."""

from __future__ import annotations

from sqlalchemy import JSON, Column, Integer, String, Table

from varde.store.tables import UTCDateTime, metadata

dashboard_tallies = Table(
    "dashboard_tallies",
    metadata,
    Column("scope", String(64), primary_key=True),  # "all", or the SHA-256 of the scope's sorted district names
    Column("format", Integer, nullable=False),
    Column("built_at", UTCDateTime(), nullable=False),
    Column("cases", Integer, nullable=False),
    Column("figures", JSON, nullable=False),
)
