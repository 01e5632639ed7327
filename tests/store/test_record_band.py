"""The detector's band is stored with each record (migration 0011): `possible` survives a save and a read back, and
rows stored before 0011 are filled from is_order."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command

from varde.posts import Post
from varde.records import Record
from varde.store import Store, migrate
from varde.store.tables import records

T0 = datetime(2025, 9, 14, 18, 0, tzinfo=UTC)


def _record(post_id: str, band: str) -> Record:
    post = Post(id=post_id, platform="telegram", text="jobb i kveld", created_at=T0, raw=b"{}", origin="test")
    is_order = band == "order"
    return Record(post=post, is_order=is_order, order_id="o-1" if is_order else None, score=0.5, band=band)


def _bands(store: Store) -> dict[str, tuple[str, str]]:
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(records.c.post_id, records.c.band, records.c.data)).all()
    return {row.post_id: (row.band, row.data["band"]) for row in rows}


def test_a_possible_record_keeps_its_band_through_the_store(store: Store) -> None:
    store.save([_record("p:1", "order"), _record("p:2", "possible"), _record("p:3", "none")])
    assert _bands(store) == {"p:1": ("order", "order"), "p:2": ("possible", "possible"), "p:3": ("none", "none")}


def test_a_new_analysis_replaces_the_band(store: Store) -> None:
    store.save([_record("p:2", "possible")])
    store.save([_record("p:2", "none")])
    assert _bands(store)["p:2"] == ("none", "none")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'band.db'}"
    return str(request.getfixturevalue("postgres_url"))


def test_upgrade_fills_the_band_of_existing_records_from_is_order(url: str) -> None:
    store = Store.open(url)
    try:
        command.downgrade(migrate.alembic_config(store.engine), "0010")
        with store.engine.begin() as conn:
            old = sa.table("records", *[sa.column(c.name, c.type) for c in records.c if c.name != "band"])
            for post_id, is_order in (("p:1", True), ("p:2", False)):
                conn.execute(
                    old.insert().values(
                        post_id=post_id,
                        is_order=is_order,
                        score=0.5,
                        violence_types=[],
                        urgency=0.0,
                        data={},
                        analysed_at=T0,
                    )
                )
        migrate.upgrade(store.engine)
        with store.engine.connect() as conn:
            bands = {row.post_id: row.band for row in conn.execute(sa.select(records.c.post_id, records.c.band))}
        assert bands == {"p:1": "order", "p:2": "none"}
    finally:
        store.close()
