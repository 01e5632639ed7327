"""`varde users …`: add, disable and enable users, set passwords, issue, list and revoke API tokens, end sessions.

The operator on the server is trusted: without `--as` these commands act as the operator with administrator rights
(so the first administrator can be created); with `--as` the named user must be an administrator."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import TYPE_CHECKING

import click

from varde.cases.access import ADMIN, Actor
from varde.cases.users import TOKEN_SCOPES
from varde.cli.case import cli_source
from varde.cli.common import database_option, load_settings
from varde.errors import InputError
from varde.vocab import ROLES

if TYPE_CHECKING:  # the account service, the store and SQLAlchemy load when a command runs, not for --help
    from varde.cases.accounts import AccountService

DEFAULT_TOKEN_DAYS = 90  # tokens that nobody remembers should not work for ever; 0 asks for that explicitly


@contextmanager
def open_accounts(database_url: str | None) -> Iterator[AccountService]:
    from varde.cases.accounts import AccountService
    from varde.store import Store

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
            raise InputError("no password on standard input")
        return password
    if not sys.stdin.isatty():
        raise InputError("no terminal to ask for a password: use --password-stdin or --no-password")
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
@click.option(
    "--scope", type=click.Choice(TOKEN_SCOPES), default="write", show_default=True, help="read: GET requests only."
)
@click.option(
    "--expires-days",
    type=click.IntRange(0, 3650),
    default=DEFAULT_TOKEN_DAYS,
    show_default=True,
    help="Days until the token stops working (0: never).",
)
@users_as_option
@database_option
def token(name: str, label: str, scope: str, expires_days: int, as_user: str | None, database_url: str | None) -> None:
    """Issue an API token for NAME; printed once on standard output, stored only as a hash. Its id (for
    `varde users revoke-token`) goes to standard error."""
    with open_accounts(database_url) as service:
        expires = service.now() + timedelta(days=expires_days) if expires_days else None
        issued = service.issue_token(operator(service, as_user), name, label=label, scope=scope, expires_at=expires)
    until = expires.isoformat(timespec="minutes") if expires else "never"
    click.echo(f"token id {issued.id} for {name}: scope {scope}, expires {until}", err=True)
    click.echo(issued.token)


@users_group.command("tokens")
@click.argument("name", required=False)
@users_as_option
@database_option
def tokens(name: str | None, as_user: str | None, database_url: str | None) -> None:
    """API tokens (id, user, scope, expiry, revoked), of NAME or of everyone; never their secrets."""
    with open_accounts(database_url) as service:
        for info in service.list_tokens(operator(service, as_user), name):
            expires = info.expires_at.isoformat(timespec="minutes") if info.expires_at else "never"
            revoked = f"  revoked {info.revoked_at.isoformat(timespec='minutes')}" if info.revoked_at else ""
            click.echo(f"{info.id}\t{info.user}\t{info.scope}\texpires {expires}\t{info.label}{revoked}")


@users_group.command("revoke-token")
@click.argument("token_id")
@users_as_option
@database_option
def revoke_token(token_id: str, as_user: str | None, database_url: str | None) -> None:
    """Revoke the API token TOKEN_ID (as listed by `varde users tokens` and at issue)."""
    with open_accounts(database_url) as service:
        service.revoke_token(operator(service, as_user), token_id)
    click.echo(f"revoked token {token_id}")


@users_group.command("disable")
@click.argument("name")
@users_as_option
@database_option
def disable(name: str, as_user: str | None, database_url: str | None) -> None:
    """Deactivate NAME: their web sessions end now and their tokens stop working."""
    with open_accounts(database_url) as service:
        service.set_active(operator(service, as_user), name, False)
    click.echo(f"disabled {name}")


@users_group.command("enable")
@click.argument("name")
@users_as_option
@database_option
def enable(name: str, as_user: str | None, database_url: str | None) -> None:
    """Reactivate NAME (old sessions stay ended)."""
    with open_accounts(database_url) as service:
        service.set_active(operator(service, as_user), name, True)
    click.echo(f"enabled {name}")


@users_group.command("passwd")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the new password from standard input (one line).")
@users_as_option
@database_option
def passwd(name: str, password_stdin: bool, as_user: str | None, database_url: str | None) -> None:
    """Set NAME's password (asks on a terminal); every web session of NAME ends."""
    password = read_password(password_stdin)
    with open_accounts(database_url) as service:
        service.set_password(operator(service, as_user), name, password)
    click.echo(f"password of {name} changed; their sessions ended")


@users_group.command("logout")
@click.argument("name")
@users_as_option
@database_option
def logout(name: str, as_user: str | None, database_url: str | None) -> None:
    """End every web session of NAME now."""
    with open_accounts(database_url) as service:
        ended = service.end_sessions(operator(service, as_user), name)
    click.echo(f"ended {ended} session(s) of {name}")


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
