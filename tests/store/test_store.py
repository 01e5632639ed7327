from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from varde.pipeline import build_pipeline
from varde.posts import Post
from varde.records import Record
from varde.store import Store

CET = timezone(timedelta(hours=1))


def records() -> list[Record]:
    posts = [
        Post(
            id=f"t:{i}",
            platform="telegram",
            text=text,
            created_at=datetime(2025, 11, 3, 20, i, tzinfo=CET),
            raw=f'{{"id": "t:{i}"}}'.encode(),
        )
        for i, text in enumerate(
            [
                "Oppdrag i kveld: skyte på døra i Oslo, 50k. Tg @nattjobb_01",
                "Oppdrag i kveld: skyte på døra i Oslo, 50k!! Tg @nattjobb_01",
                "Selger sykkel, 500 kr",
            ]
        )
    ]
    return build_pipeline().run([Record(post=p) for p in posts])


def test_save_is_idempotent(store: Store) -> None:
    batch = records()
    store.save(batch)
    first = store.counts()
    store.save(batch)
    assert store.counts() == first
    assert first["posts"] == 3 and first["records"] == 3


def test_raw_bytes_and_times_round_trip(store: Store) -> None:
    from sqlalchemy import select

    from varde.store.tables import posts

    store.save(records())
    with store.engine.connect() as conn:
        row = conn.execute(select(posts).where(posts.c.id == "t:0")).one()
    assert row.raw == b'{"id": "t:0"}'
    assert row.created_at == datetime(2025, 11, 3, 19, 0, tzinfo=UTC)


def test_orders_are_summarised_from_their_posts(store: Store) -> None:
    from sqlalchemy import select

    from varde.store.tables import orders

    batch = records()
    order_ids = {r.order_id for r in batch if r.is_order}
    store.save(batch)
    with store.engine.connect() as conn:
        rows = conn.execute(select(orders)).all()
    assert {row.id for row in rows} == order_ids
    assert sum(row.n_posts for row in rows) == sum(1 for r in batch if r.is_order)
    # The price comes from the first post that states one (read as a JSON field, on both databases).
    assert [(row.payment_amount, row.payment_currency) for row in rows] == [(50_000, "NOK")]


def test_an_order_without_a_price_has_none(store: Store) -> None:
    from sqlalchemy import select

    from varde.store.tables import orders

    post = Post(
        id="np:1",
        platform="telegram",
        text="Oppdrag i kveld: skyte på døra i Oslo. Tg @nattjobb_02",
        created_at=datetime(2025, 11, 3, 20, tzinfo=CET),
    )
    batch = build_pipeline().run([Record(post=post)])
    assert batch[0].is_order and batch[0].payment is None
    store.save(batch)
    with store.engine.connect() as conn:
        row = conn.execute(select(orders.c.payment_amount, orders.c.payment_currency)).one()
    assert (row.payment_amount, row.payment_currency) == (None, None)


def test_nul_characters_are_stored_on_both_databases(store: Store) -> None:
    from sqlalchemy import select

    from varde.store.tables import posts

    raw = b'{"text": "a\\u0000b"}'
    post = Post(id="nul:1", platform="x", text="a\x00b", created_at=datetime(2025, 1, 1, tzinfo=UTC), raw=raw)
    store.save(build_pipeline().run([Record(post=post)]))
    with store.engine.connect() as conn:
        row = conn.execute(select(posts.c.text, posts.c.raw).where(posts.c.id == "nul:1")).one()
    assert row.text == "a\ufffdb"
    assert row.raw == raw


def test_the_head_read_from_the_migration_files_is_alembics() -> None:
    from varde.store import migrate

    assert migrate.shipped_head() is not None
    assert migrate.shipped_head() == migrate.head()
