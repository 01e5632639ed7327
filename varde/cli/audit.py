"""`varde audit …`: verify the audit chain (no user needed: it reveals only integrity) and read the log
(auditors)."""

from __future__ import annotations

import click

from varde.cases.service import dumps
from varde.cli.case import acting, as_option, open_service
from varde.cli.common import database_option
from varde.errors import IntegrityError


@click.group("audit")
def audit_group() -> None:
    """The tamper-evident audit log."""


@audit_group.command("verify")
@database_option
def verify(database_url: str | None) -> None:
    """Walk the whole chain; name the first altered or deleted event (exit code 8) if any."""
    with open_service(database_url) as service:
        result = service.verify_audit()
    if not result.ok:
        raise IntegrityError(result.message)
    click.echo(result.message)


@audit_group.command("log")
@click.option("--limit", type=int, default=50, show_default=True)
@click.option("--user", help="Only events by this user.")
@click.option("--object", "object_", help="Only events about this object, e.g. case:42.")
@click.option("--action", help="Only this action, e.g. case.read.")
@as_option
@database_option
def log(
    limit: int,
    user: str | None,
    object_: str | None,
    action: str | None,
    as_user: str | None,
    database_url: str | None,
) -> None:
    """The newest audit events as JSON lines (auditors)."""
    with open_service(database_url) as service:
        events = service.audit_log(acting(service, as_user), limit=limit, user=user, object_=object_, action=action)
    for event in events:
        click.echo(dumps(event.to_dict()).replace("\n", "").replace("  ", " "))


def register(group: click.Group) -> None:
    group.add_command(audit_group)
