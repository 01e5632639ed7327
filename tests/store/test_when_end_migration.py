"""Migration 0009 fills the end of the time window of existing orders and cases from their records."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command

from varde.cases.ingest import ingest
from varde.posts import Post
from varde.records import Record, When
from varde.store import Store, migrate
from varde.store.case_tables import cases
from varde.store.tables import orders

T0 = datetime(2025, 9, 14, 18, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'when.db'}"
    return str(request.getfixturevalue("postgres_url"))


def _record(post_id: str, order_id: str | None, when: When | None) -> Record:
    post = Post(id=post_id, platform="telegram", text="jobb i kveld", created_at=T0, raw=b"{}", origin="test")
    record = Record(post=post, is_order=order_id is not None, order_id=order_id, score=0.9, when=when)
    return record if order_id else replace(record, post=replace(post, platform="tip", source="tip"))


def test_upgrade_fills_when_end_of_orders_and_cases(url: str) -> None:
    window = When("i kveld", T0 + timedelta(hours=2), T0 + timedelta(hours=8))
    store = Store.open(url)
    try:
        ingest(store, [_record("p:1", "o-1", window), _record("tip:1", None, window)], now=T0)
        command.downgrade(migrate.alembic_config(store.engine), "0008")
        migrate.upgrade(store.engine)
        with store.engine.connect() as conn:
            order_end = conn.execute(sa.select(orders.c.when_end).where(orders.c.id == "o-1")).scalar_one()
            case_ends = conn.execute(sa.select(cases.c.when_end).order_by(cases.c.id)).scalars().all()
        assert [order_end, *case_ends] == [T0 + timedelta(hours=8)] * 3
    finally:
        store.close()
