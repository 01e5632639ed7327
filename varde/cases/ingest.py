"""Ingest: store analysed records, then open the cases they call for, in one transaction.

`varde scan`, the workers and web tips all come through here, so every stored order has its `detected` case and
every tip the detector did not flag has one of its own (`varde.cases.intake`). The store itself knows nothing of
cases: it saves posts, records and orders. Before saving, every record is matched against the signal banks
(`varde.signals.service.match_banks`: `bank_match` cues, urgency, flood protection) in the same transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import Connection

from varde.cases.intake import open_cases, open_tip_cases
from varde.records import Record
from varde.signals.service import match_banks
from varde.store.database import SaveResult, Store, save_records


def ingest_records(conn: Connection, batch: Sequence[Record], *, now: datetime) -> SaveResult:
    """Save `batch` (posts, records, orders) and open or refresh the cases of its orders and unflagged tips."""
    batch = match_banks(conn, batch, now=now)  # one cheap query when the banks are empty
    saved = save_records(conn, batch, now=now)
    open_cases(conn, saved.orders, now=now)  # one `detected` case per new order
    open_tip_cases(conn, batch, now=now)  # and one per tip the detector did not flag: a person reported it
    return saved


def ingest(store: Store, batch: Sequence[Record], *, now: datetime | None = None) -> SaveResult:
    """`ingest_records` in a transaction of its own."""
    now = now or datetime.now(UTC)
    with store.begin() as conn:
        return ingest_records(conn, batch, now=now)
