"""Run the Alembic migrations shipped inside the package (no alembic.ini needed)."""

from __future__ import annotations

from importlib import resources

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, inspect

HEAD = "head"


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("varde.store").joinpath("migrations")))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = HEAD) -> None:
    """Bring the schema to `revision`; cheap when it is already there."""
    if revision == HEAD and _at_head(engine):
        return
    command.upgrade(alembic_config(engine), revision)


def current(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        from sqlalchemy import text

        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def head() -> str:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config_without_engine())
    return str(script.get_current_head())


def alembic_config_without_engine() -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("varde.store").joinpath("migrations")))
    return config


def _at_head(engine: Engine) -> bool:
    return current(engine) == head()
