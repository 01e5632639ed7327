"""Migration 0015_dashboard_tallies creates exactly the table `varde.store.report_tables` defines, on both
databases, and removes it on the way down."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from tests.store.schema_diff import tables_of
from varde.store import Store, migrate
from varde.store.schema import load_all


def test_migration_matches_the_report_tables(database_url: str) -> None:
    store = Store.open(database_url)
    try:
        with store.engine.connect() as conn:
            diffs = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), load_all())
        assert not [d for d in diffs if "dashboard_tallies" in tables_of(d)]
        assert "dashboard_tallies" in sa.inspect(store.engine).get_table_names()
    finally:
        store.close()


def test_downgrade_removes_the_kept_figures(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'down.db'}")
    try:
        command.downgrade(migrate.alembic_config(store.engine), "0014")
        assert "dashboard_tallies" not in sa.inspect(store.engine).get_table_names()
        migrate.upgrade(store.engine)
        assert "dashboard_tallies" in sa.inspect(store.engine).get_table_names()
    finally:
        store.close()
