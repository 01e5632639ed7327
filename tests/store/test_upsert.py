"""`varde.store.upsert`: the same answers on SQLite and PostgreSQL, whatever the values."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import BigInteger, Column, Engine, MetaData, String, Table, select

from varde.store.database import create_store_engine
from varde.store.upsert import insert_ignore, one_of, upsert

things = Table(
    "upsert_things",
    MetaData(),
    Column("key", String(64), primary_key=True),
    Column("number", BigInteger),
    Column("note", String(64)),
)

STRINGS = ["plain", "", "with 'quote' and \"double\"", "Tøyen 🔥", "back\\slash", "[1, 2]", "null", "tab\tline\nend"]
NUMBERS = [0, 1, -1, 42, 2**62, 2**63 - 1, -(2**63), 12345678901234567]


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_store_engine(database_url)
    things.create(engine)
    yield engine
    engine.dispose()


def test_one_of_finds_exactly_the_given_values(engine: Engine) -> None:
    rows = [{"key": s, "number": n, "note": None} for s, n in zip(STRINGS, NUMBERS, strict=True)]
    rows.append({"key": "other", "number": 7, "note": None})
    with engine.begin() as conn:
        insert_ignore(conn, things, rows, ["key"])
        by_key = conn.execute(select(things.c.key).where(one_of(conn, things.c.key, STRINGS))).scalars().all()
        assert sorted(by_key) == sorted(STRINGS)
        wanted = [*NUMBERS, 99]  # 99 is not there
        by_number = conn.execute(select(things.c.number).where(one_of(conn, things.c.number, wanted))).scalars()
        assert sorted(by_number) == sorted(NUMBERS)
        assert conn.execute(select(things.c.key).where(one_of(conn, things.c.key, ["1", "absent"]))).all() == []


def test_insert_ignore_keeps_the_first_row_of_a_key(engine: Engine) -> None:
    with engine.begin() as conn:
        insert_ignore(conn, things, [{"key": "a", "number": 1, "note": "first"}], ["key"])
        again = [
            {"key": "a", "number": 2, "note": "again"},
            {"key": "b", "number": 3, "note": "b1"},
            {"key": "b", "number": 4, "note": "b2"},
        ]
        insert_ignore(conn, things, again, ["key"])
        stored = {r.key: (r.number, r.note) for r in conn.execute(select(things))}
    assert stored == {"a": (1, "first"), "b": (3, "b1")}


def test_upsert_updates_only_the_named_columns(engine: Engine) -> None:
    with engine.begin() as conn:
        upsert(conn, things, [{"key": "a", "number": 1, "note": "first"}], ["key"], ["number"])
        upsert(conn, things, [{"key": "a", "number": 2, "note": "second"}], ["key"], ["number"])
        upsert(conn, things, [{"key": "a", "number": 3, "note": "third"}], ["key"], ["number", "note"])
        stored = {r.key: (r.number, r.note) for r in conn.execute(select(things))}
    assert stored == {"a": (3, "third")}
