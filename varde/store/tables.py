"""The database schema (SQLAlchemy Core), one definition for SQLite and PostgreSQL.

Tables of other concerns (cases, audit, entities, indexes) live in their own modules on this same `metadata`;
`varde.store.schema.load_all()` imports them all so migrations and tests see the whole schema."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Dialect,
    Float,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.types import DateTime, TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware datetimes stored as UTC on both databases (SQLite has no time zones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        moment: datetime = datetime.fromisoformat(value) if isinstance(value, str) else value
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


posts = Table(
    "posts",
    metadata,
    Column("id", String(512), primary_key=True),
    Column("platform", String(32), nullable=False),
    Column("channel", Text),
    Column("author", Text),
    Column("author_id", Text),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("text", Text, nullable=False),
    Column("source", String(32)),
    Column("reply_to", String(512)),
    Column("forwarded_from", Text),
    Column("url", Text),
    Column("media", JSON, nullable=False),  # the names the post gave: inert text, never opened
    Column("media_files", JSON),  # [{name, sha256, bytes} | {name, refused}]: captured files by digest (media store)
    Column("raw", LargeBinary, nullable=False),  # the original record, byte for byte (evidence)
    Column("sha256", String(64), nullable=False),
    Column("origin", Text, nullable=False),
    Column("captured_at", UTCDateTime(), nullable=False),
)
Index("ix_posts_created_at", posts.c.created_at)
Index("ix_posts_captured_at", posts.c.captured_at)  # the network analysis's change check (0014)

records = Table(
    "records",
    metadata,
    Column("post_id", String(512), primary_key=True),
    Column("is_order", Boolean, nullable=False),
    Column("score", Float, nullable=False),
    Column("language", String(8)),
    Column("order_id", String(64)),
    Column("country", String(2)),
    Column("district", String(64)),
    Column("violence_types", JSON, nullable=False),
    Column("urgency", Float, nullable=False),
    Column("when_start", UTCDateTime()),
    Column("when_end", UTCDateTime()),
    Column("data", JSON, nullable=False),  # the CONTRACT §2 object
    Column("analysed_at", UTCDateTime(), nullable=False),
    Column("model_id", String(32)),  # the detector model that scored it (varde.store.model_tables); NULL: before 0010
    # The detector's band (CONTRACT §2): order, possible (the review band: not an order, so no case) or none.
    Column("band", String(8), nullable=False, server_default="none"),
)
Index("ix_records_order_id", records.c.order_id)
Index("ix_records_band", records.c.band)
Index("ix_records_analysed_at", records.c.analysed_at)  # the network analysis's change check (0014)

orders = Table(
    "orders",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("first_post_id", String(512), nullable=False),
    Column("first_seen_at", UTCDateTime(), nullable=False),
    Column("last_seen_at", UTCDateTime(), nullable=False),
    Column("n_posts", Integer, nullable=False),
    Column("language", String(8)),
    Column("country", String(2)),
    Column("district", String(64)),
    Column("violence_types", JSON, nullable=False),
    Column("urgency", Float, nullable=False),
    Column("when_start", UTCDateTime()),
    Column("when_end", UTCDateTime()),  # of the same record as when_start
    Column("payment_amount", Integer),
    Column("payment_currency", String(3)),
    Column("detected_at", UTCDateTime(), nullable=False),
)
Index("ix_orders_district", orders.c.district)

rejects = Table(
    "rejects",
    metadata,
    Column("id", String(64), primary_key=True),  # hash of path, location and bytes: re-runs do not add rows
    Column("path", Text, nullable=False),
    Column("location", Text, nullable=False),
    Column("field", Text),
    Column("reason", Text, nullable=False),
    Column("raw", LargeBinary, nullable=False),
    Column("rejected_at", UTCDateTime(), nullable=False),
)
