"""Alembic environment: migrations run on the engine handed in by `varde.store.migrate`."""

from __future__ import annotations

from alembic import context

from varde.store.schema import load_all

target_metadata = load_all()
engine = context.config.attributes["engine"]

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    context.run_migrations()
