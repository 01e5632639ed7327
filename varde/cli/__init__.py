"""The `varde` command: a thin click group; each command group lives in its own module here.

Commands build `Settings` once, open what they need, call the service/pipeline, and map `VardeError`s to exit
codes. No domain logic lives in this package.

The group is lazy: it knows each command's name, module and one-line help from `COMMANDS` and imports a command's
module only when that command runs, so `varde --help` and the commands that need no model start without loading
scikit-learn, scipy or pandas."""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass

import click

from varde import __version__
from varde.errors import VardeError, exit_code


@dataclass(frozen=True)
class CommandEntry:
    """One top-level command: its name, the modules whose `register(group)` add it (in order), its one-line help
    (the first paragraph of its docstring; a test checks they agree)."""

    name: str
    modules: tuple[str, ...]
    help: str


# One line per command keeps merges trivial. A module may register several commands (worker: publish, worker) and
# a command may be built by several modules (export: evidence, then the network formats).
COMMANDS = (
    CommandEntry(
        "analyze",
        ("varde.cli.analyze",),
        "Analyse posts without a database and write one JSON object per post, in input order.",
    ),
    CommandEntry(
        "scan",
        ("varde.cli.scan",),
        "Analyse posts and store them with their records, orders and cases (SQLite file by default).",
    ),
    CommandEntry("db", ("varde.cli.db",), "The database schema."),
    CommandEntry("case", ("varde.cli.case",), "List, show and change cases (one case per detected order)."),
    CommandEntry(
        "review",
        ("varde.cli.review",),
        "Posts in the detector's review band (possible orders, which have no case) for analysts to label.",
    ),
    CommandEntry("users", ("varde.cli.users",), "Manage users: roles, districts, passwords and API tokens."),
    CommandEntry("audit", ("varde.cli.audit",), "The tamper-evident audit log."),
    CommandEntry(
        "export", ("varde.cli.export", "varde.cli.export_network"), "Export evidence and check exported bundles."
    ),
    CommandEntry(
        "network",
        ("varde.cli.network",),
        "Accounts, contacts and orders as a graph: backmen, entities, same/not-same judgements.",
    ),
    CommandEntry(
        "train",
        ("varde.cli.train",),
        "Rebuild the order detector from the training corpus (deterministic: same corpus, same bytes).",
    ),
    CommandEntry(
        "eval",
        ("varde.cli.eval",),
        "Score detection, extraction and de-duplication on labelled posts (the format of shared/eval/dev.jsonl).",
    ),
    CommandEntry(
        "serve",
        ("varde.cli.serve",),
        "Serve the workbench: triage queue, cases, tips, dashboard; JSON API under /api (schema: /api/openapi.json).",
    ),
    CommandEntry(
        "report",
        ("varde.cli.report",),
        "Write the quarterly report: headline figures, districts map, dark figure, time to action, forecast.",
    ),
    CommandEntry(
        "publish",
        ("varde.cli.worker",),
        "Publish posts (JSONL, CSV, Telegram export, '-') to the JetStream stream for the workers.",
    ),
    CommandEntry(
        "worker",
        ("varde.cli.worker",),
        "Consume posts from the stream: analyse, store (commit), publish alerts, then acknowledge.",
    ),
    CommandEntry(
        "label",
        ("varde.cli.label",),
        "Record your verdict on POST_ID: an order (--order, optionally --types and --district) or not "
        "(--not-order). Your last verdict on a post is the one that counts; earlier ones are kept.",
    ),
    CommandEntry("labels", ("varde.cli.label",), "Analysts' verdicts as labelled data."),
    CommandEntry("model", ("varde.cli.model",), "The detector models this database knows, and which one scans use."),
    CommandEntry(
        "signals",
        ("varde.cli.signals",),
        "Signal banks: hashes of confirmed orders to share with platforms, and banks imported from them.",
    ),
)


def build_command(entry: CommandEntry) -> click.Command:
    """Import the entry's modules and return the command they register under its name."""
    scratch = click.Group()
    for module in entry.modules:
        importlib.import_module(module).register(scratch)
    return scratch.commands[entry.name]


class LazyGroup(click.Group):
    """A group that lists its commands from a table and imports a command's module only when it is looked up."""

    def __init__(self, *args: object, entries: tuple[CommandEntry, ...] = (), **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.entries = {entry.name: entry for entry in entries}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.entries) | set(self.commands))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.entries:
            self.commands[cmd_name] = build_command(self.entries[cmd_name])
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # The same rows click writes, from the table's help, so that `varde --help` imports no command module.
        rows: list[tuple[str, click.Command]] = []
        for name in self.list_commands(ctx):
            loaded = self.commands.get(name)
            rows.append((name, loaded if loaded is not None else click.Command(name, help=self.entries[name].help)))
        limit = formatter.width - 6 - max(len(name) for name, _ in rows)
        with formatter.section("Commands"):
            formatter.write_dl([(name, command.get_short_help_str(limit)) for name, command in rows])


@click.group(cls=LazyGroup, entries=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="varde")
def cli() -> None:
    """Varde: detect, merge and triage orders for contract violence posted on social media."""


def main() -> None:
    """Entry point: run the group; turn Varde errors into a one-line message and an exit code."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        from varde.cli.messages import _

        click.echo(_("aborted"), err=True)
        sys.exit(130)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except VardeError as error:
        from varde.cli.messages import _

        click.echo(_("error: %(message)s") % {"message": error}, err=True)
        sys.exit(exit_code(error))
    except SystemExit:
        raise
