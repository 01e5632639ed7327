"""Insert-or-ignore, insert-or-update and look-ups by many values: the one place where SQLite and PostgreSQL
differ."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, String, Table, any_, bindparam, func, select

# Each dialect's module is imported where it is used: a command on SQLite need not load the PostgreSQL dialect (and
# asyncpg's parts) at start-up.

# One statement object per (dialect, table, keys, update columns), built on first use: SQLAlchemy memoises a
# statement's cache key on the object, so a statement built once is found in the compiled cache without being walked
# again for every batch.
_statements: dict[tuple[str, Table, tuple[str, ...], tuple[str, ...] | None], Any] = {}


def _insert(conn: Connection, table: Table) -> Any:
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert(table)
    if conn.dialect.name == "sqlite":
        from sqlalchemy.dialects import sqlite

        return sqlite.insert(table)
    raise NotImplementedError(f"unsupported database dialect {conn.dialect.name!r}")


def _statement(conn: Connection, table: Table, keys: Sequence[str], update: Sequence[str] | None) -> Any:
    """INSERT … ON CONFLICT (keys) DO NOTHING, or DO UPDATE SET the `update` columns to the new values."""
    cache_key = (conn.dialect.name, table, tuple(keys), None if update is None else tuple(update))
    statement = _statements.get(cache_key)
    if statement is None:
        statement = _insert(conn, table)
        if update is None:
            statement = statement.on_conflict_do_nothing(index_elements=list(keys))
        else:
            statement = statement.on_conflict_do_update(
                index_elements=list(keys), set_={name: statement.excluded[name] for name in update}
            )
        _statements[cache_key] = statement
    return statement


def insert_ignore(conn: Connection, table: Table, rows: Sequence[dict[str, Any]], keys: Sequence[str]) -> None:
    """Insert rows whose key is not there yet; existing rows are left as they are."""
    if not rows:
        return
    conn.execute(_statement(conn, table, keys, None), list(rows))


def upsert(
    conn: Connection, table: Table, rows: Sequence[dict[str, Any]], keys: Sequence[str], update: Sequence[str]
) -> None:
    """Insert rows, or update the `update` columns of rows whose key exists."""
    if not rows:
        return
    conn.execute(_statement(conn, table, keys, update), list(rows))


def one_of(conn: Connection, column: ColumnElement[Any], values: Sequence[Any]) -> ColumnElement[bool]:
    """`column IN values` with one parameter whatever the number of values, so the statement text never changes:
    it is compiled once (and prepared once by the server or kept in sqlite3's statement cache); a long IN list is
    rendered, sent and planned anew each time. On PostgreSQL `column = ANY(:array)`; on SQLite
    `column IN (SELECT value FROM json_each(:json))`, the values as a JSON array (strings and integers, which
    json_each gives back as TEXT and INTEGER)."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects import postgresql

        return column == any_(bindparam(None, list(values), type_=postgresql.ARRAY(column.type)))
    if conn.dialect.name == "sqlite":
        listed = func.json_each(bindparam(None, json.dumps(list(values)), type_=String())).table_valued("value")
        return column.in_(select(listed.c.value))
    return column.in_(list(values))
