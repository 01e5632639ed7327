"""`Store`: the database behind `varde scan`, the workers and the web app.

Ids come from content (post ids, order ids), so saving the same records twice changes nothing. Schema changes go
through Alembic; an empty database is upgraded on first use."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import Connection, Engine, create_engine, event, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, ProgrammingError

from varde.errors import StoreError
from varde.store import migrate
from varde.store.model_tables import active_model_id, save_shadow_scores
from varde.store.tables import orders, posts, records, rejects
from varde.store.upsert import insert_ignore, upsert

if TYPE_CHECKING:  # numpy loads only where orders are de-duplicated; records where they are saved
    from varde.dedupe import OrderIndex
    from varde.records import Record


class Rejected(Protocol):
    """A record that could not be read (`varde.readers.Rejected`), as the rejects table stores it."""

    @property
    def path(self) -> str: ...
    @property
    def location(self) -> str: ...
    @property
    def field(self) -> str | None: ...
    @property
    def reason(self) -> str: ...
    @property
    def raw(self) -> bytes: ...


@dataclass(frozen=True, slots=True)
class SaveResult:
    posts: int
    orders: tuple[str, ...]


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")  # a commit survives power loss (audit, ack-after-commit); see bench_cases
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def create_store_engine(url: str) -> Engine:
    """An engine for `url`; SQLite files get WAL and a busy timeout so several processes can share them."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.get_backend_name() == "postgresql":
        try:
            import psycopg  # noqa: F401
        except ImportError:
            raise StoreError("PostgreSQL needs the driver: pip install 'varde[postgres]'") from None
        return create_engine(url, pool_pre_ping=True)
    raise StoreError(f"unsupported database URL {parsed.render_as_string(hide_password=True)!r}")


class Store:
    """The database: posts, records, orders (and, through other modules, cases, audit, entities)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, url: str, *, upgrade: bool = True) -> Store:
        """Connect, and bring the schema up to date unless `upgrade` is False."""
        engine = create_store_engine(url)
        store = cls(engine)
        if upgrade:
            try:
                migrate.upgrade(engine)
            except (OperationalError, ProgrammingError) as error:
                raise StoreError(f"cannot open database: {error.orig}") from None
        return store

    def order_index(self) -> OrderIndex:
        """The de-duplication index that every process using this database shares."""
        from varde.store.order_index import DatabaseOrderIndex

        return DatabaseOrderIndex(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """A transaction: committed when the block ends, rolled back on error."""
        with self.engine.begin() as conn:
            yield conn

    def save(self, batch: Sequence[Record], *, now: datetime | None = None) -> SaveResult:
        """Store posts and their records, and create or update their orders, in one transaction (no cases: those
        are opened by `varde.cases.ingest`)."""
        now = now or datetime.now(UTC)
        with self.begin() as conn:
            return save_records(conn, batch, now=now)

    def save_rejects(self, items: Sequence[Rejected], *, now: datetime | None = None) -> None:
        now = now or datetime.now(UTC)
        rows = [
            {
                "id": hashlib.sha256(f"{r.path}\0{r.location}\0".encode() + r.raw).hexdigest(),
                "path": r.path,
                "location": r.location,
                "field": r.field,
                "reason": r.reason,
                "raw": r.raw,
                "rejected_at": now,
            }
            for r in items
        ]
        with self.begin() as conn:
            insert_ignore(conn, rejects, rows, ["id"])

    def counts(self) -> dict[str, int]:
        """Row counts of the main tables."""
        with self.engine.connect() as conn:
            return {
                table.name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
                for table in (posts, records, orders, rejects)
            }


def text_column(value: str | None) -> str | None:
    """PostgreSQL text cannot hold NUL; the original bytes stay in `raw`, so store U+FFFD in its place."""
    return value.replace("\x00", "\ufffd") if value and "\x00" in value else value


def post_row(record: Record, now: datetime) -> dict[str, Any]:
    post = record.post
    return {
        "id": post.id,
        "platform": post.platform,
        "channel": text_column(post.channel),
        "author": text_column(post.author),
        "author_id": text_column(post.author_id),
        "created_at": post.created_at,
        "text": text_column(post.text),
        "source": post.source,
        "reply_to": text_column(post.reply_to),
        "forwarded_from": text_column(post.forwarded_from),
        "url": text_column(post.url),
        "media": list(post.media),
        "media_files": [file.to_dict() for file in record.media_files],
        "raw": post.raw or post.text.encode("utf-8"),
        "sha256": post.sha256,
        "origin": text_column(post.origin),
        "captured_at": now,
    }


def record_row(record: Record, now: datetime, model_id: str | None = None) -> dict[str, Any]:
    primary = record.primary_place  # country and district together, from one place
    data = record.to_contract_dict()  # JSON escapes NUL as \u0000, which the json type accepts
    return {
        "post_id": record.id,
        "is_order": record.is_order,
        "score": float(record.score),
        "language": record.language,
        "order_id": record.order_id if record.is_order else None,
        "country": primary.country if primary else None,
        "district": primary.district if primary else None,
        "violence_types": list(record.violence_types),
        "urgency": float(record.urgency),
        "when_start": record.when.start if record.when else None,
        "when_end": record.when.end if record.when else None,
        "data": data,
        "analysed_at": now,
        "model_id": model_id,
        "band": str(data["band"]),  # the contract's, so it always agrees with is_order
    }


def shadow_row(record: Record, now: datetime) -> dict[str, Any]:
    """The shadow model's output on `record` as stored in `shadow_scores`."""
    assert record.shadow is not None
    shadow = record.shadow
    return {
        "post_id": record.id,
        "model_id": shadow.model_id,
        "score": float(shadow.score),
        "is_order": shadow.is_order,
        "band": "order" if shadow.is_order else ("possible" if shadow.band == "possible" else "none"),
        "violence_types": list(shadow.violence_types),
        "scored_at": now,
    }


RECORD_UPDATE = [
    "is_order",
    "score",
    "language",
    "order_id",
    "country",
    "district",
    "violence_types",
    "urgency",
    "when_start",
    "when_end",
    "data",
    "analysed_at",
    "model_id",
    "band",
]


def save_records(conn: Connection, batch: Sequence[Record], *, now: datetime) -> SaveResult:
    """Upsert posts (first capture wins), records (latest analysis wins) and the orders they advertise; cases are
    opened by the caller (`varde.cases.ingest`)."""
    insert_ignore(conn, posts, [post_row(r, now) for r in batch], ["id"])
    # Records name the registered model that scored them; one scored outside the registry (a test's own detector)
    # is filed under the active model.
    fallback = active_model_id(conn) if any(r.model_id is None for r in batch) else None
    upsert(conn, records, [record_row(r, now, r.model_id or fallback) for r in batch], ["post_id"], RECORD_UPDATE)
    save_shadow_scores(conn, [shadow_row(r, now) for r in batch if r.shadow is not None])
    order_ids = sorted({r.order_id for r in batch if r.is_order and r.order_id})
    refresh_orders(conn, order_ids, now=now)
    return SaveResult(posts=len(batch), orders=tuple(order_ids))


def _order_place(members: Sequence[Any]) -> Any:
    """The member record (earliest first) whose primary place the order takes: the first with a district, else the
    first with a country. Country and district come from the same record, never one from each."""
    return next((m for m in members if m.country and m.district), None) or next((m for m in members if m.country), None)


def refresh_orders(conn: Connection, order_ids: Sequence[str], *, now: datetime) -> None:
    """Recompute each order's summary from all of its records (so re-runs and redeliveries change nothing)."""
    if not order_ids:
        return
    rows = conn.execute(
        select(
            records.c.order_id,
            records.c.post_id,
            records.c.language,
            records.c.country,
            records.c.district,
            records.c.violence_types,
            records.c.urgency,
            records.c.when_start,
            records.c.when_end,
            records.c.data["payment"].label("payment"),  # not the whole record: an order may have thousands
            posts.c.created_at,
        )
        .join(posts, posts.c.id == records.c.post_id)
        .where(records.c.order_id.in_(order_ids))
        .order_by(records.c.order_id, posts.c.created_at, records.c.post_id)
    ).all()
    by_order: dict[str, list[Any]] = {}
    for row in rows:
        by_order.setdefault(row.order_id, []).append(row)
    summaries = []
    for order_id, members in by_order.items():
        first = members[0]
        types = sorted({t for m in members for t in (m.violence_types or [])})
        payment = next((m.payment for m in members if m.payment), None) or {}
        placed = _order_place(members)
        timed = next((m for m in members if m.when_start), None)  # start and end from the same record
        summaries.append(
            {
                "id": order_id,
                "first_post_id": first.post_id,
                "first_seen_at": first.created_at,
                "last_seen_at": members[-1].created_at,
                "n_posts": len(members),
                "language": first.language,
                "country": placed.country if placed else None,
                "district": placed.district if placed else None,
                "violence_types": types,
                "urgency": max(float(m.urgency) for m in members),
                "when_start": timed.when_start if timed else None,
                "when_end": timed.when_end if timed else None,
                "payment_amount": payment.get("amount"),
                "payment_currency": payment.get("currency"),
                "detected_at": now,
            }
        )
    update = [c for c in summaries[0] if c not in ("id", "detected_at")] if summaries else []
    upsert(conn, orders, summaries, ["id"], update)
