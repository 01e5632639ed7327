"""Run the Alembic migrations shipped inside the package (no alembic.ini needed)."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

if TYPE_CHECKING:  # alembic loads only when a migration runs or the head is read (start-up time)
    from alembic.config import Config

HEAD = "head"


def alembic_config(engine: Engine | None = None) -> Config:
    """Alembic's config for the packaged migrations; `engine` is what env.py migrates (not needed to read heads)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(resources.files("varde.store").joinpath("migrations")))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = HEAD) -> None:
    """Bring the schema to `revision`; cheap when it is already there."""
    if revision == HEAD and _at_head(engine):
        return
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


def current(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


@cache  # the migrations ship in the package: their head cannot change while the process runs
def head() -> str:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return str(script.get_current_head())


# `revision = "0008"` and `down_revision = "0007"` lines as our migration files write them.
_REVISION_LINE = re.compile(r'^(down_revision|revision)\s*(?::[^=]*)?=\s*(?:"([^"]*)"|None)\s*$', re.MULTILINE)


@cache
def shipped_head() -> str | None:
    """The head read from the migration files' revision lines without loading alembic (start-up time: every
    command that opens the store checks the schema); None when the files do not say it plainly (a merge, an
    unusual layout), and alembic answers."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for file in resources.files("varde.store").joinpath("migrations", "versions").iterdir():
        if not file.name.endswith(".py"):
            continue
        found = dict((key, value) for key, value in _REVISION_LINE.findall(file.read_text(encoding="utf-8")))
        if "revision" not in found or not found["revision"]:
            continue
        revisions.add(found["revision"])
        if found.get("down_revision"):
            parents.add(found["down_revision"])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _at_head(engine: Engine) -> bool:
    return current(engine) == (shipped_head() or head())
