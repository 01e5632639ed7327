"""Migration 0002 creates exactly the tables that `varde.store.case_tables` defines, on both databases."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from varde.store import Store, migrate
from varde.store import case_tables as ct
from varde.store.schema import load_all

CASE_TABLES = {
    t.name
    for t in (
        ct.cases,
        ct.case_posts,
        ct.case_tags,
        ct.case_events,
        ct.audit_events,
        ct.audit_head,
        ct.users,
        ct.api_tokens,
        ct.tip_contacts,
        ct.web_sessions,
        ct.login_throttle,
    )
}


def _table_of(diff: Any) -> str | None:
    """The table a compare_metadata difference is about."""
    item = diff[0] if isinstance(diff, list) else diff
    for part in item[1:]:
        if isinstance(part, sa.Table):
            return part.name
        if isinstance(part, sa.Index | sa.UniqueConstraint | sa.ForeignKeyConstraint) and part.table is not None:
            return part.table.name
        if isinstance(part, str) and part in CASE_TABLES:
            return part
    return None


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'schema.db'}"
    return str(request.getfixturevalue("postgres_url"))


def test_migration_matches_the_table_definitions(url: str) -> None:
    store = Store.open(url)
    try:
        with store.engine.connect() as conn:
            diffs = compare_metadata(MigrationContext.configure(conn), load_all())
        mine = [d for d in diffs if _table_of(d) in CASE_TABLES]
        assert not mine, mine
        assert set(sa.inspect(store.engine).get_table_names()) >= CASE_TABLES
    finally:
        store.close()


def test_downgrade_to_core_removes_case_tables(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'down.db'}")
    try:
        from alembic import command

        command.downgrade(migrate.alembic_config(store.engine), "0001")
        assert not CASE_TABLES & set(sa.inspect(store.engine).get_table_names())
        migrate.upgrade(store.engine)
        assert set(sa.inspect(store.engine).get_table_names()) >= CASE_TABLES
    finally:
        store.close()
