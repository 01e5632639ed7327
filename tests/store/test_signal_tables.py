"""Migration 0013_signal_banks creates exactly the signal tables `varde.store.signal_tables` defines (and widens
`api_tokens.scope` for `bank:NAME`), on both databases."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from tests.store.schema_diff import tables_of
from varde.store import Store
from varde.store.schema import load_all

TABLES = {"signal_banks", "signal_contents", "signals", "api_tokens"}


def test_migration_matches_the_signal_tables(database_url: str) -> None:
    store = Store.open(database_url)
    try:
        with store.engine.connect() as conn:
            diffs = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), load_all())
        mine = [d for d in diffs if tables_of(d) & TABLES]
        assert not mine, mine
        columns = {c["name"]: c for c in sa.inspect(store.engine).get_columns("api_tokens")}
        assert getattr(columns["scope"]["type"], "length", None) == 80
    finally:
        store.close()
