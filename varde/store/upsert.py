"""Insert-or-ignore, insert-or-update and look-ups by many values: the one place where SQLite and PostgreSQL
differ."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, String, Table, any_, bindparam, func, select
from sqlalchemy.exc import DBAPIError

# Each dialect's module is imported where it is used: a command on SQLite need not load the PostgreSQL dialect (and
# asyncpg's parts) at start-up.

# One statement object per (dialect, table, keys, update columns), built on first use: SQLAlchemy memoises a
# statement's cache key on the object, so a statement built once is found in the compiled cache without being walked
# again for every batch.
_statements: dict[tuple[str, Table, tuple[str, ...], tuple[str, ...] | None], Any] = {}

COPY_MIN_ROWS = 64  # on PostgreSQL, batches this long or longer are loaded with COPY (`_copy_in`)
_copy_plans: dict[tuple[Table, tuple[str, ...], tuple[str, ...], tuple[str, ...] | None], _CopyPlan | None] = {}


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
    if not rows or _copy_in(conn, table, rows, keys, None):
        return
    conn.execute(_statement(conn, table, keys, None), list(rows))


def upsert(
    conn: Connection, table: Table, rows: Sequence[dict[str, Any]], keys: Sequence[str], update: Sequence[str]
) -> None:
    """Insert rows, or update the `update` columns of rows whose key exists."""
    if not rows or _copy_in(conn, table, rows, keys, update):
        return
    conn.execute(_statement(conn, table, keys, update), list(rows))


def _one_per_key(
    rows: Sequence[dict[str, Any]], keys: Sequence[str], update: Sequence[str] | None
) -> list[dict[str, Any]]:
    """The rows as one statement may hold them, with the outcome of inserting them one at a time: a key that comes
    again is ignored (no `update`), or updates the `update` columns of the row it first came with (PostgreSQL
    refuses to update a row twice in one statement)."""
    first: dict[tuple[Any, ...], int] = {}
    out: list[dict[str, Any]] = []
    for row in rows:
        key = tuple(row[name] for name in keys)
        if any(value is None for value in key):  # NULLs never conflict
            out.append(row)
            continue
        seen = first.get(key)
        if seen is None:
            first[key] = len(out)
            out.append(row)
        elif update is not None:
            out[seen] = {**out[seen], **{name: row[name] for name in update}}
    return out


@dataclass(frozen=True, slots=True)
class _CopyPlan:
    columns: tuple[str, ...]
    processors: tuple[Callable[[Any], Any] | None, ...]  # each column's bind processor, as an INSERT applies it
    create: str
    copy: str
    insert: str
    clear: str


def _copy_plan(
    conn: Connection, table: Table, columns: tuple[str, ...], keys: Sequence[str], update: Sequence[str] | None
) -> _CopyPlan | None:
    """The statements that load rows with these columns through a temporary table; None where a plain INSERT
    would add values of its own (a Python-side default of a column left out, an `onupdate`)."""
    if any(c.onupdate is not None or (c.default is not None and c.name not in columns) for c in table.c):
        return None
    dialect = conn.dialect
    quote = dialect.identifier_preparer.quote
    target = dialect.identifier_preparer.format_table(table)
    digest = hashlib.sha256("\0".join([table.fullname, *columns]).encode()).hexdigest()[:16]
    scratch = quote(f"varde_bulk_{table.name[:24]}_{digest}")
    listed = ", ".join(quote(name) for name in columns)
    if update is None:
        conflict = "DO NOTHING"
    else:
        conflict = "DO UPDATE SET " + ", ".join(f"{quote(name)} = EXCLUDED.{quote(name)}" for name in update)
    return _CopyPlan(
        columns=columns,
        processors=tuple(table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in columns),
        # Created once per session (IF NOT EXISTS: a transaction that rolled back took its creation with it), with
        # the columns' types and no constraints; emptied at every commit.
        create=f"CREATE TEMPORARY TABLE IF NOT EXISTS {scratch} ON COMMIT DELETE ROWS AS "
        f"SELECT CAST(NULL AS BIGINT) AS varde_row, {listed} FROM {target} WITH NO DATA",
        copy=f"COPY {scratch} (varde_row, {listed}) FROM STDIN",
        insert=f"INSERT INTO {target} ({listed}) SELECT {listed} FROM {scratch} ORDER BY varde_row "
        f"ON CONFLICT ({', '.join(quote(key) for key in keys)}) {conflict}",
        clear=f"DELETE FROM {scratch}",
    )


def _copy_in(
    conn: Connection, table: Table, rows: Sequence[dict[str, Any]], keys: Sequence[str], update: Sequence[str] | None
) -> bool:
    """On PostgreSQL, a batch of COPY_MIN_ROWS rows or more: COPY the rows into a temporary table, then one
    INSERT … SELECT … ON CONFLICT, in the rows' order; True if done so. psycopg sends an executemany a row at a
    time (pipelined, but a Bind and an Execute per row, which cost the client and the server more than the rows'
    data); COPY streams them. Same rows as the executemany: values go through the same bind processors, a key that
    comes twice has the outcome of two inserts in turn (`_one_per_key`), and rows with differing columns take the
    executemany."""
    if conn.dialect.name != "postgresql" or len(rows) < COPY_MIN_ROWS:
        return False
    columns = rows[0].keys()
    if any(row.keys() != columns for row in rows):
        return False
    cache_key = (table, tuple(columns), tuple(keys), None if update is None else tuple(update))
    if cache_key not in _copy_plans:
        _copy_plans[cache_key] = _copy_plan(conn, table, tuple(columns), keys, update)
    plan = _copy_plans[cache_key]
    if plan is None:
        return False
    conn.exec_driver_sql(plan.create)
    pairs = list(zip(plan.columns, plan.processors, strict=True))
    dbapi_error = conn.dialect.loaded_dbapi.Error
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        with cursor.copy(plan.copy) as copy:
            for number, row in enumerate(_one_per_key(rows, keys, update)):
                copy.write_row([number, *(row[n] if p is None else p(row[n]) for n, p in pairs)])
    except dbapi_error as error:  # raised as SQLAlchemy raises the executemany's (IntegrityError, DataError, …)
        raise DBAPIError.instance(plan.copy, None, error, dbapi_error) from error
    finally:
        cursor.close()
    conn.exec_driver_sql(plan.insert)
    conn.exec_driver_sql(plan.clear)
    return True


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
