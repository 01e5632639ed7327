"""`varde.store.upsert`: the same answers on SQLite and PostgreSQL, whatever the values."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from unittest.mock import patch

import pytest
from sqlalchemy import JSON, BigInteger, Boolean, Column, Engine, Float, LargeBinary, MetaData, String, Table, select
from sqlalchemy.exc import IntegrityError

from varde.store import upsert as upsert_module
from varde.store.database import create_store_engine
from varde.store.tables import UTCDateTime
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


kinds = Table(
    "upsert_kinds",
    MetaData(),
    Column("key", String(64), primary_key=True),
    Column("other", String(64), unique=True),
    Column("payload", JSON),
    Column("blob", LargeBinary),
    Column("at", UTCDateTime()),
    Column("ratio", Float),
    Column("flag", Boolean),
    Column("count", BigInteger),
)


def kind_rows(n: int, tag: str) -> list[dict[str, Any]]:
    moment = datetime(2025, 9, 12, 20, 0, tzinfo=UTC)
    return [
        {
            "key": f"k{i % (n - 3)}",  # the last three keys come again
            "other": None if i % 5 == 0 else f"{tag}{i}",
            "payload": {"i": i, "tag": tag, "list": [1, "ø", None]} if i % 7 else None,
            "blob": bytes([i % 256, 0, 255]) * (i % 3),
            "at": None if i % 11 == 0 else moment + timedelta(minutes=i),
            "ratio": i / 3,
            "flag": i % 2 == 0,
            "count": 2**62 + i,
        }
        for i in range(n)
    ]


@pytest.mark.parametrize("update", [None, ["payload", "blob", "at", "ratio"]])
def test_long_batches_store_what_short_ones_do(database_url: str, update: list[str] | None) -> None:
    """On PostgreSQL a batch of COPY_MIN_ROWS rows or more is loaded with COPY; same rows as row by row."""
    engine = create_store_engine(database_url)
    kinds.create(engine)
    stored = []
    n = upsert_module.COPY_MIN_ROWS + 10
    try:
        for copy_from in (upsert_module.COPY_MIN_ROWS, 10**9):
            with engine.begin() as conn:
                conn.execute(kinds.delete())
            with patch.object(upsert_module, "COPY_MIN_ROWS", copy_from), engine.begin() as conn:
                for tag in ("first", "second"):  # the second batch meets the first's keys
                    rows = kind_rows(n, tag)
                    if update is None:
                        insert_ignore(conn, kinds, rows, ["key"])
                    else:
                        upsert(conn, kinds, rows, ["key"], update)
            with engine.connect() as conn:
                stored.append([tuple(r) for r in conn.execute(select(kinds).order_by(kinds.c.key))])
    finally:
        engine.dispose()
    assert stored[0] == stored[1]
    assert len(stored[0]) == n - 3


def test_a_long_batch_that_breaks_a_constraint_raises_integrity_error(database_url: str) -> None:
    engine = create_store_engine(database_url)
    kinds.create(engine)
    rows = kind_rows(upsert_module.COPY_MIN_ROWS + 10, "t")
    rows[-1] = {**rows[-1], "key": "fresh", "other": rows[1]["other"]}  # `other` is unique: not the conflict key
    try:
        with pytest.raises(IntegrityError), engine.begin() as conn:
            insert_ignore(conn, kinds, rows, ["key"])
    finally:
        engine.dispose()
