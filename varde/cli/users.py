"""`varde users …`: add users, issue API tokens, list users.

The operator on the server is trusted: without `--as` these commands act as the operator with administrator rights
(so the first administrator can be created); with `--as` the named user must be an administrator."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click

from varde.cases.access import ADMIN, Actor
from varde.cases.accounts import AccountService
from varde.cli.case import cli_source
from varde.cli.common import database_option, load_settings
from varde.errors import ConfigError
from varde.store import Store
from varde.vocab import ROLES


@contextmanager
def open_accounts(database_url: str | None) -> Iterator[AccountService]:
    store = Store.open(load_settings(database_url).database_url)
    try:
        yield AccountService(store)
    finally:
        store.close()


def operator(service: AccountService, as_user: str | None) -> Actor:
    if as_user:
        return service.actor(as_user, source=cli_source())
    source = cli_source()
    return Actor(f"operator:{source.removeprefix('cli:')}", ADMIN, frozenset(), source)


def read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        password = line.rstrip("\r\n")
        if not password:
            raise ConfigError("no password on standard input")
        return password
    if not sys.stdin.isatty():
        raise ConfigError("no terminal to ask for a password: use --password-stdin or --no-password")
    value: str = click.prompt("password", hide_input=True, confirmation_prompt=True)
    return value


users_as_option = click.option(
    "--as", "as_user", metavar="USER", help="Act as this administrator (default: the trusted operator)."
)


@click.group("users")
def users_group() -> None:
    """Manage users: roles, districts, passwords and API tokens."""


@users_group.command("add")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--district", "districts", multiple=True, help="District the user works in (repeatable).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input (one line).")
@click.option("--no-password", is_flag=True, help="No password login (API tokens only).")
@users_as_option
@database_option
def add(
    name: str,
    role: str,
    districts: tuple[str, ...],
    password_stdin: bool,
    no_password: bool,
    as_user: str | None,
    database_url: str | None,
) -> None:
    """Add user NAME with ROLE (investigators need --district); asks for a password on a terminal."""
    password = None if no_password else read_password(password_stdin)
    with open_accounts(database_url) as service:
        user = service.add_user(operator(service, as_user), name, role, districts=districts, password=password)
    where = f" ({', '.join(sorted(user.districts))})" if user.districts else ""
    click.echo(f"added {user.name}: {user.role}{where}")


@users_group.command("token")
@click.argument("name")
@click.option("--label", default="", help="What the token is for.")
@users_as_option
@database_option
def token(name: str, label: str, as_user: str | None, database_url: str | None) -> None:
    """Issue an API token for NAME; printed once on standard output, stored only as a hash."""
    with open_accounts(database_url) as service:
        issued = service.issue_token(operator(service, as_user), name, label=label)
    click.echo(issued.token)


@users_group.command("list")
@users_as_option
@database_option
def list_users(as_user: str | None, database_url: str | None) -> None:
    """All users with role and districts."""
    with open_accounts(database_url) as service:
        for user in service.list_users(operator(service, as_user)):
            state = "" if user.active else "  (inactive)"
            click.echo(f"{user.name}\t{user.role}\t{','.join(sorted(user.districts))}{state}")


def register(group: click.Group) -> None:
    group.add_command(users_group)
