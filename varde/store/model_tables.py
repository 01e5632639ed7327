"""The model registry's tables: every detector model Varde has used (id = digest of its files, who trained it,
its training data summary and cross-validation metrics) and which one is active.

The shipped model is registered, and made active, on first use (`active_model_id`), so a fresh database needs no
set-up step. Every stored record names the model that scored it (`records.model_id`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Connection,
    Float,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    delete,
    insert,
    select,
    update,
)

from varde.store.tables import UTCDateTime, metadata
from varde.store.upsert import insert_ignore, upsert

if TYPE_CHECKING:
    from varde.detect.registry import ModelInfo

models = Table(
    "models",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("created_at", UTCDateTime(), nullable=False),  # when it was registered
    Column("trained_by", String(128), nullable=False),
    Column("provenance", JSON, nullable=False),  # model.json's training data summary
    Column("metrics", JSON),  # cross-validation metrics, if training recorded them
    Column("folder", Text),  # where its files are kept; NULL: the model shipped in the package
)

# One row (id 1): the model scans use.
active_model = Table(
    "active_model",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("model_id", String(32), nullable=False),
    Column("changed_at", UTCDateTime(), nullable=False),
    Column("changed_by", String(128), nullable=False),
)

ACTIVE_ROW = 1

# Every change of the active model (migration 0012): what was active before, so a rollback can go back to it.
model_changes = Table(
    "model_changes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("action", String(16), nullable=False),  # promote | rollback
    Column("model_id", String(32), nullable=False),  # active after the change
    Column("previous_id", String(32), nullable=False),  # active before it
    Column("reason", Text, nullable=False),
    Column("changed_at", UTCDateTime(), nullable=False),
    Column("changed_by", String(128), nullable=False),
)

# At most one row (id 1): the candidate that scans and workers also score with (`varde model shadow`).
shadow_model = Table(
    "shadow_model",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("model_id", String(32), nullable=False),
    Column("changed_at", UTCDateTime(), nullable=False),
    Column("changed_by", String(128), nullable=False),
)

# The shadow model's outputs, beside the active model's in `records`; never opens cases.
shadow_scores = Table(
    "shadow_scores",
    metadata,
    Column("post_id", String(512), nullable=False),
    Column("model_id", String(32), nullable=False),
    Column("score", Float, nullable=False),
    Column("is_order", Boolean, nullable=False),
    Column("band", String(8), nullable=False),
    Column("violence_types", JSON, nullable=False),
    Column("scored_at", UTCDateTime(), nullable=False),
    PrimaryKeyConstraint("post_id", "model_id"),
)

# Every backtest's report (`varde model backtest`), for the Model page.
model_backtests = Table(
    "model_backtests",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("candidate", String(32), nullable=False),
    Column("active", String(32), nullable=False),
    Column("run_at", UTCDateTime(), nullable=False),
    Column("run_by", String(128), nullable=False),
    Column("report", JSON, nullable=False),  # without the list of changes (kept to the counts)
)

PROMOTE = "promote"
ROLLBACK = "rollback"


def register_shipped(conn: Connection, *, now: datetime | None = None) -> str:
    """Register the shipped model if it is not yet, and make it active if no model is; returns the active id."""
    from varde.detect.registry import SHIPPED_BY, shipped_files, shipped_model_id, summary  # the model's files: lazily

    now = now or datetime.now(UTC)
    shipped = shipped_model_id()
    if conn.execute(select(models.c.id).where(models.c.id == shipped)).first() is None:
        provenance, metrics = summary(shipped_files()[0])
        row = {"id": shipped, "created_at": now, "trained_by": SHIPPED_BY, "provenance": provenance}
        # Concurrent first uses (two scans, a scan and a worker) may both get here: the first row wins.
        insert_ignore(conn, models, [dict(row, metrics=metrics, folder=None)], ["id"])
    first = {"id": ACTIVE_ROW, "model_id": shipped, "changed_at": now, "changed_by": "system"}
    insert_ignore(conn, active_model, [first], ["id"])
    active = conn.execute(select(active_model.c.model_id).where(active_model.c.id == ACTIVE_ROW)).scalar_one()
    return str(active)


def active_model_id(conn: Connection) -> str:
    """The active model's id (registering the shipped model on first use)."""
    active = conn.execute(select(active_model.c.model_id).where(active_model.c.id == ACTIVE_ROW)).scalar()
    return str(active) if active is not None else register_shipped(conn)


def list_models(conn: Connection) -> list[ModelInfo]:
    """Every registered model, oldest first, with which one is active."""
    from varde.detect.registry import ModelInfo

    active = active_model_id(conn)
    rows = conn.execute(select(models).order_by(models.c.created_at, models.c.id)).all()
    return [
        ModelInfo(
            id=r.id,
            created_at=r.created_at,
            trained_by=r.trained_by,
            provenance=dict(r.provenance or {}),
            metrics=dict(r.metrics) if r.metrics is not None else None,
            active=r.id == active,
        )
        for r in rows
    ]


def model_exists(conn: Connection, model: str) -> bool:
    return conn.execute(select(models.c.id).where(models.c.id == model)).first() is not None


def add_model(conn: Connection, row: dict[str, Any]) -> bool:
    """Register a model (`models` row); False if it was registered already (same files, same id)."""
    if model_exists(conn, str(row["id"])):
        return False
    conn.execute(insert(models).values(**row))
    return True


def set_active(conn: Connection, model: str, *, action: str, reason: str, by: str, now: datetime) -> str:
    """Make `model` the active one and record the change (with what was active before); returns the previous id."""
    previous = active_model_id(conn)
    conn.execute(
        update(active_model)
        .where(active_model.c.id == ACTIVE_ROW)
        .values(model_id=model, changed_at=now, changed_by=by)
    )
    conn.execute(
        insert(model_changes).values(
            action=action, model_id=model, previous_id=previous, reason=reason, changed_at=now, changed_by=by
        )
    )
    return previous


def rollback_target(conn: Connection) -> str | None:
    """The model a rollback goes back to: what was active before the latest promotion of the active model (so
    rollbacks walk back through the promotions); None when the active model was never promoted."""
    active = active_model_id(conn)
    row = conn.execute(
        select(model_changes.c.previous_id)
        .where(model_changes.c.action == PROMOTE, model_changes.c.model_id == active)
        .order_by(model_changes.c.id.desc())
        .limit(1)
    ).first()
    return None if row is None else str(row.previous_id)


def shadow_model_id(conn: Connection) -> str | None:
    """The shadow model's id, or None when shadow mode is off."""
    found = conn.execute(select(shadow_model.c.model_id).where(shadow_model.c.id == ACTIVE_ROW)).scalar()
    return None if found is None else str(found)


def set_shadow(conn: Connection, model: str | None, *, by: str, now: datetime) -> None:
    """Turn shadow mode on with `model`, or off (None)."""
    conn.execute(delete(shadow_model))
    if model is not None:
        conn.execute(insert(shadow_model).values(id=ACTIVE_ROW, model_id=model, changed_at=now, changed_by=by))


def save_shadow_scores(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Store shadow outputs (the latest scoring of a post by a model wins)."""
    columns = ["score", "is_order", "band", "violence_types", "scored_at"]
    upsert(conn, shadow_scores, list(rows), ["post_id", "model_id"], columns)
