"""The `varde` command: a thin click group; each command group lives in its own module here.

Commands build `Settings` once, open what they need, call the service/pipeline, and map `VardeError`s to exit
codes. No domain logic lives in this package."""

from __future__ import annotations

import importlib
import sys

import click

from varde import __version__
from varde.errors import VardeError, exit_code

# Command modules; each defines `register(group)`. One line per module keeps merges trivial.
COMMAND_MODULES = [
    "varde.cli.analyze",
    "varde.cli.scan",
    "varde.cli.db",
    "varde.cli.case",
    "varde.cli.users",
    "varde.cli.audit",
    "varde.cli.export",
    "varde.cli.export_network",
    "varde.cli.network",
    "varde.cli.train",
    "varde.cli.eval",
    "varde.cli.serve",
    "varde.cli.report",
    "varde.cli.worker",
    "varde.cli.label",
    "varde.cli.model",
]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="varde")
def cli() -> None:
    """Varde: detect, merge and triage orders for contract violence posted on social media."""


for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(cli)


def main() -> None:
    """Entry point: run the group; turn Varde errors into a one-line message and an exit code."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except VardeError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(exit_code(error))
    except SystemExit:
        raise
