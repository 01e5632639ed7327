"""The model registry's tables: every detector model Varde has used (id = digest of its files, who trained it,
its training data summary and cross-validation metrics) and which one is active.

The shipped model is registered, and made active, on first use (`active_model_id`), so a fresh database needs no
set-up step. Every stored record names the model that scored it (`records.model_id`)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Column, Connection, Integer, String, Table, Text, select

from varde.store.tables import UTCDateTime, metadata
from varde.store.upsert import insert_ignore

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
