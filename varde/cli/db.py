"""`varde db upgrade` / `varde db current`: schema migrations (the store also upgrades an empty database itself)."""

from __future__ import annotations

import click
from sqlalchemy.engine import make_url

from varde.cli.common import database_option, load_settings
from varde.store import Store, migrate


@click.group("db")
def db_group() -> None:
    """The database schema."""


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Alembic revision to upgrade to.")
@database_option
def upgrade(revision: str, database_url: str | None) -> None:
    """Migrate the database to the newest schema (or REVISION)."""
    settings = load_settings(database_url)
    store = Store.open(settings.database_url, upgrade=False)
    try:
        before = migrate.current(store.engine)
        migrate.upgrade(store.engine, revision)
        after = migrate.current(store.engine)
    finally:
        store.close()
    where = make_url(settings.database_url).render_as_string(hide_password=True)
    click.echo(f"{where}: {before or 'empty'} → {after}")


@db_group.command("current")
@database_option
def current(database_url: str | None) -> None:
    """The schema revision of the database and of this Varde."""
    settings = load_settings(database_url)
    store = Store.open(settings.database_url, upgrade=False)
    try:
        click.echo(f"database {migrate.current(store.engine) or 'empty'}; code {migrate.head()}")
    finally:
        store.close()


def register(group: click.Group) -> None:
    group.add_command(db_group)
