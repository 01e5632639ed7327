"""`varde audit …`: verify the audit chain (no user needed: it reveals only integrity) and read the log
(auditors)."""

from __future__ import annotations

from pathlib import Path

import click

from varde.cases import audit
from varde.cases.values import dumps
from varde.cli.case import acting, as_option, open_service
from varde.cli.common import database_option, load_settings
from varde.errors import ConfigError, InputError, IntegrityError
from varde.keys import installed_public_key, load_public_key, signer
from varde.store import Store


@click.group("audit")
def audit_group() -> None:
    """The tamper-evident audit log."""


@audit_group.command("verify")
@click.option(
    "--checkpoint",
    "checkpoints",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="A checkpoint written by `audit checkpoint`; fails if the chain no longer holds its head (repeatable).",
)
@click.option("--pubkey", type=click.Path(dir_okay=False), help="Key that signed the checkpoints (default: ours).")
@database_option
def verify(checkpoints: tuple[str, ...], pubkey: str | None, database_url: str | None) -> None:
    """Walk the whole chain; name the first altered or deleted event if any. With --checkpoint, also check that the
    chain still holds the signed head kept elsewhere (cutting off the newest events, or wiping the chain, is found
    only that way).

    \b
    Exit codes: 0 intact; 8 altered, cut or a checkpoint that does not hold (or whose signature is bad);
    2 a checkpoint file cannot be read; 3 no key to check checkpoints against; 4 the database cannot be opened."""
    with open_service(database_url) as service:
        result = service.verify_audit()
    if not result.ok:
        raise IntegrityError(result.message)
    click.echo(result.message)
    if not checkpoints:
        return
    settings = load_settings(database_url)
    public = load_public_key(Path(pubkey)) if pubkey else installed_public_key(settings.key_folder)
    if public is None:
        raise ConfigError(f"no installation key in {settings.key_folder}: give the signer's key with --pubkey FILE")
    store = Store.open(settings.database_url)
    try:
        for name in checkpoints:
            try:
                data = Path(name).read_bytes()[: audit.MAX_CHECKPOINT_BYTES + 1]
            except OSError as error:
                raise InputError(f"cannot read checkpoint {name}: {error.strerror or error}") from None
            with store.engine.connect() as conn:
                held = audit.check_checkpoint(conn, data, public)
            if not held.ok:
                raise IntegrityError(f"{name}: {held.message}")
            click.echo(f"{name}: {held.message}")
    finally:
        store.close()


@audit_group.command("checkpoint")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="The file to write.")
@database_option
def checkpoint(output: str, database_url: str | None) -> None:
    """Write the chain's current head (sequence number and hash), signed with the installation key, to a file. Keep
    it somewhere else (another machine, the case file); `audit verify --checkpoint FILE` checks it later."""
    settings = load_settings(database_url)
    signing = signer(settings.key_folder)
    store = Store.open(settings.database_url)
    try:
        with store.engine.connect() as conn:
            data = audit.checkpoint(conn, signing)
    finally:
        store.close()
    Path(output).write_bytes(data)
    click.echo(f"wrote {output}: {data.decode('utf-8').strip()}")


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
