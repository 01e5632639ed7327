"""The database-backed order index: same answers as the in-memory one, shared safely between processes."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine

from varde.dedupe import MemoryOrderIndex
from varde.posts import Post
from varde.records import Contact, Payment, Place, Record
from varde.store.database import create_store_engine
from varde.store.order_index import TABLES, DatabaseOrderIndex
from varde.store.tables import metadata

T0 = datetime.fromisoformat("2025-09-12T20:00:00+02:00")
PLACES = [
    Place("Holmlia", "NO", "Oslo", "0301", "Oslo"),
    Place("Sarpsborg", "NO", "Sarpsborg", "3105", "Øst"),
    Place("Fredrikstad", "NO", "Fredrikstad", "3107", "Øst"),
    Place("Rinkeby", "SE", "Stockholm", "0180", "Stockholm"),
]
TEMPLATES = [
    "Trenger en som kan ta en jobb i {p} i kveld. {k}k cash etter utført jobb. Skriv til {c}",
    "🔥 JOBB I {p} ‼️ {k}k, kun seriøse. {c}",
    "Behöver någon för ett uppdrag i {p} ikväll, {k}k kontant. Hör av dig {c}",
    "Looking for someone to do a job in {p} tonight. {k}k cash. Contact {c}",
]


def make(n: int, template: int, place: int, price: int, contact: str, days: float = 0.0, edit: str = "") -> Record:
    where = PLACES[place]
    text = TEMPLATES[template].format(p=where.text, k=price, c=contact) + edit
    post = Post(id=f"p{n}", platform="telegram", text=text, created_at=T0 + timedelta(days=days))
    return Record(
        post=post,
        normalised=" ".join(text.lower().split()),
        language=["nb", "nb", "sv", "en"][template],
        is_order=True,
        places=(where,),
        payment=Payment(f"{price}k", price * 1000, None, None),
        contacts=(Contact("telegram", contact),),
    )


def corpus() -> list[Record]:
    """Orders with exact re-posts, light edits, translations and look-alikes in another place or at another price."""
    out = []
    n = 0
    for place in range(len(PLACES)):
        for price in (40, 60):
            contact = f"@jobb_{place}_{price}"
            for template, days, edit in [(0, 0, ""), (0, 1, ""), (1, 2, " 💰💰"), (3, 3, ""), (0, 4, "!!")]:
                out.append(make(n, template, place, price, contact, days, edit))
                n += 1
    return out


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_store_engine(database_url)
    metadata.create_all(engine, tables=list(TABLES))
    yield engine
    engine.dispose()


def test_gives_the_same_ids_as_the_memory_index(engine: Engine) -> None:
    records = corpus()
    memory = MemoryOrderIndex()
    expected = [memory.assign(r) for r in records]
    database = DatabaseOrderIndex(engine)
    assert [database.assign(r) for r in records] == expected
    assert len(database) == len(memory) == 8


def test_a_second_process_sees_the_orders_of_the_first(engine: Engine) -> None:
    first, second = DatabaseOrderIndex(engine), DatabaseOrderIndex(engine)
    a = first.assign(make(1, 0, 0, 40, "@a"))
    b = second.assign(make(2, 0, 0, 40, "@a", days=1, edit=" 🔫🔫"))
    c = second.assign(make(3, 0, 1, 40, "@a", days=1))
    assert a == b
    assert c != a


def test_a_redelivered_post_gets_its_id_back(engine: Engine) -> None:
    index = DatabaseOrderIndex(engine)
    post = make(1, 0, 0, 40, "@a")
    first = index.assign(post)
    index.assign(make(2, 0, 1, 80, "@b"))
    assert index.assign(post) == first
    assert len(index) == 2


def _race(engine: Engine, pairs: Sequence[tuple[Record, Record]]) -> list[tuple[str, str]]:
    """Assign each pair's two posts at the same moment from two threads, each with its own index object."""
    results: list[list[str]] = [["", ""] for _ in pairs]
    errors: list[BaseException] = []

    def work(side: int, barrier: threading.Barrier) -> None:
        index = DatabaseOrderIndex(engine)
        try:
            for i, pair in enumerate(pairs):
                barrier.wait()
                results[i][side] = index.assign(pair[side])
        except BaseException as error:  # reported to the main thread
            errors.append(error)
            barrier.abort()

    barrier = threading.Barrier(2)
    threads = [threading.Thread(target=work, args=(side, barrier)) for side in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return [(a, b) for a, b in results]


def test_two_workers_seeing_two_reposts_of_a_new_order_at_once_make_one_order(engine: Engine) -> None:
    pairs = []
    for i in range(12):
        place, price = i % len(PLACES), 20 + 10 * i
        pairs.append(
            (
                make(2 * i, 0, place, price, f"@w{i}"),
                make(2 * i + 1, 0, place, price, f"@w{i}", edit=" 🔫 ring meg"),
            )
        )
    for a, b in _race(engine, pairs):
        assert a == b
    assert len(DatabaseOrderIndex(engine)) == 12


def test_two_workers_seeing_the_same_text_at_once_make_one_order(engine: Engine) -> None:
    pairs = [(make(2 * i, 1, 0, 30 + i, "@x"), make(2 * i + 1, 1, 0, 30 + i, "@x")) for i in range(8)]
    for a, b in _race(engine, pairs):
        assert a == b
    assert len(DatabaseOrderIndex(engine)) == 8


def test_a_batch_gives_the_same_ids_as_one_post_at_a_time(engine: Engine) -> None:
    records = corpus()
    memory = MemoryOrderIndex()
    expected = [memory.assign(r) for r in records]
    assert DatabaseOrderIndex(engine).assign_many(records) == expected


def test_two_workers_with_overlapping_batches_agree_on_every_order(engine: Engine) -> None:
    records = corpus()
    evens, odds = records[0::2], records[1::2][::-1]  # each order's posts split between workers, met in any order
    results: dict[int, list[str]] = {}
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def work(side: int, batch: list[Record]) -> None:
        try:
            barrier.wait()
            results[side] = DatabaseOrderIndex(engine).assign_many(batch)
        except BaseException as error:  # reported to the main thread
            errors.append(error)

    threads = [threading.Thread(target=work, args=(i, b)) for i, b in enumerate((evens, odds))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    found = dict(zip([r.id for r in evens], results[0], strict=True))
    found.update(zip([r.id for r in odds], results[1], strict=True))
    memory = MemoryOrderIndex()
    truth = {r.id: memory.assign(r) for r in records}
    # The same partition into orders as the in-memory index (ids may differ: which post came first is a race).
    by_truth: dict[str, set[str]] = {}
    for post_id, order_id in truth.items():
        by_truth.setdefault(order_id, set()).add(found[post_id])
    assert all(len(ids) == 1 for ids in by_truth.values())
    assert len(set(found.values())) == len(set(truth.values()))


def test_the_migration_creates_these_tables_as_defined(database_url: str) -> None:
    import sqlalchemy as sa
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from varde.store import Store

    store = Store.open(database_url)
    try:
        names = {table.name for table in TABLES}
        assert names <= set(sa.inspect(store.engine).get_table_names()), "migration lacks order index tables"
        with store.engine.connect() as conn:
            diffs = compare_metadata(MigrationContext.configure(conn), metadata)
        mine = [d for d in diffs if _table_of(d) in names]
        assert not mine, mine
    finally:
        store.close()


def _table_of(diff: Any) -> str | None:
    """The table an Alembic compare_metadata difference is about."""
    import sqlalchemy as sa

    for part in (diff[0] if isinstance(diff, list) else diff)[1:]:
        if isinstance(part, sa.Table):
            return str(part.name)
        if isinstance(part, sa.Index | sa.UniqueConstraint | sa.ForeignKeyConstraint) and part.table is not None:
            return str(part.table.name)
        if isinstance(part, str) and part.startswith("order_index_"):
            return part
    return None


def test_near_identical_images_are_found_through_the_database(engine: Engine) -> None:
    base = int("9e37" * 16, 16)

    def with_image(n: int, image: int) -> Record:
        post = Post(id=f"img{n}", platform="telegram", text="", created_at=T0)
        return Record(post=post, is_order=True, image_hashes=(format(image, "064x"),))

    index = DatabaseOrderIndex(engine)
    first = index.assign(with_image(1, base))
    assert index.assign(with_image(2, base ^ ((1 << 31) - 1))) == first  # 31 bits apart
    assert index.assign(with_image(3, base ^ (((1 << 40) - 1) << 100))) != first  # 40+ bits from both


def test_a_batch_costs_a_few_statements_whatever_its_size(engine: Engine) -> None:
    from sqlalchemy import event

    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    records = corpus()
    DatabaseOrderIndex(engine).assign_many(records[:4])
    small = len(statements)
    statements.clear()
    DatabaseOrderIndex(engine).assign_many(records[4:])  # 36 posts, new orders and re-posts of stored ones
    # Look-ups and inserts are multi-row: read (≤ 6), lock, read again (≤ 6), write (≤ 4); a post at a time was ~10
    # statements per post.
    assert small <= 17 and len(statements) <= 17, statements


def test_a_post_twice_in_one_batch_gets_one_order(engine: Engine) -> None:
    post = make(1, 0, 0, 40, "@a")
    index = DatabaseOrderIndex(engine)
    first, second, other = index.assign_many([post, post, make(2, 0, 1, 80, "@b")])
    assert first == second != other
    assert len(index) == 2
    assert index.assign(post) == first
