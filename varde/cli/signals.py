"""`varde signals …`: signal banks — hashes of confirmed orders shared with platforms and partners (docs/signals.md)."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click

from varde.cases.accounts import AccountService
from varde.cli.case import as_option, cli_source
from varde.cli.common import database_option, load_settings
from varde.errors import InputError
from varde.media.store import MediaStore
from varde.signals.formats import FORMATS, read_lines, write_lines
from varde.signals.service import SignalService, bank_scope
from varde.store import Store

MAX_IMPORT_BYTES = 512 * 1024 * 1024


@contextlib.contextmanager
def open_signals(database_url: str | None) -> Iterator[SignalService]:
    settings = load_settings(database_url)
    store = Store.open(settings.database_url)
    try:
        yield SignalService(store, media_store=MediaStore(settings.media_folder))
    finally:
        store.close()


def _since(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"not an ISO 8601 date or time: {value!r}", param_hint="--since") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@click.group("signals")
def signals_group() -> None:
    """Signal banks: hashes of confirmed orders to share with platforms, and banks imported from them."""


@signals_group.command("banks")
@as_option
@database_option
def banks(as_user: str | None, database_url: str | None) -> None:
    """List the banks: name, kind (positive/negative), origin, signals, quarantined signals, contents."""
    with open_signals(database_url) as service:
        actor = AccountService(service.store).actor(_user(as_user), source=cli_source())
        for info in service.list_banks(actor):
            click.echo(
                f"{info.name}\t{info.kind}\t{info.origin}\t{info.signals} signals\t"
                f"{info.quarantined} quarantined\t{info.contents} contents"
            )


@signals_group.command("create")
@click.argument("name")
@click.option("--negative", is_flag=True, help="A bank of known false positives: its matches suppress others.")
@click.option("--description", default="", help="What the bank holds.")
@as_option
@database_option
def create(name: str, negative: bool, description: str, as_user: str | None, database_url: str | None) -> None:
    """Create bank NAME (supervisors)."""
    with open_signals(database_url) as service:
        actor = AccountService(service.store).actor(_user(as_user), source=cli_source())
        info = service.create_bank(actor, name, negative=negative, description=description)
    click.echo(f"created {info.kind} bank {info.name}")


@signals_group.command("collect")
@click.argument("name")
@as_option
@database_option
def collect(name: str, as_user: str | None, database_url: str | None) -> None:
    """Add to bank NAME the signals of every case an analyst confirmed (uncovered, prevented, executed) that it
    does not hold yet: MD5 and TLSH of long enough texts, PDQ of images (supervisors; audited)."""
    with open_signals(database_url) as service:
        actor = AccountService(service.store).actor(_user(as_user), source=cli_source())
        added = service.collect(actor, name)
    click.echo(f"added {added} signals to {name}")


@signals_group.command("export")
@click.option("--bank", default=None, help="Only this bank (default: every positive bank).")
@click.option("--since", default=None, help="Only signals added at or after this ISO 8601 date or time.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="varde",
    show_default=True,
    help="varde: JSON lines with content id, violence types, quarter; threatexchange: '<type> <signal>' lines.",
)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="The file to write ('-': stdout).")
@as_option
@database_option
def export(
    bank: str | None, since: str | None, fmt: str, output: str, as_user: str | None, database_url: str | None
) -> None:
    """Write the active signals of a bank to a file (supervisors; audited with the list of signals)."""
    with open_signals(database_url) as service:
        actor = AccountService(service.store).actor(_user(as_user), source=cli_source())
        found = service.export(actor, bank=bank, since=_since(since), fmt=fmt)
    lines = list(write_lines(found, fmt))
    if output == "-":
        sys.stdout.write("".join(lines))
    else:
        Path(output).write_text("".join(lines), encoding="utf-8")
    click.echo(f"wrote {len(lines)} signals to {output}", err=True)


@signals_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--bank", required=True, help="The bank to add them to (created when missing).")
@click.option("--negative", is_flag=True, help="Known false positives: matches in this bank suppress others.")
@as_option
@database_option
def import_(file: str, bank: str, negative: bool, as_user: str | None, database_url: str | None) -> None:
    """Add the signals in FILE (Varde's JSON lines or a threatexchange signal file) to a bank (supervisors;
    audited). A malformed line stops the import before anything is stored."""
    path = Path(file)
    try:
        if path.stat().st_size > MAX_IMPORT_BYTES:
            raise InputError(f"{file}: larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MiB")
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read {file}: {error}") from None
    found = list(read_lines(text.split("\n"), source=path.stem[:40] or "import"))
    with open_signals(database_url) as service:
        actor = AccountService(service.store).actor(_user(as_user), source=cli_source())
        result = service.import_signals(actor, bank, found, negative=negative)
    click.echo(f"{bank}: {result.added} signals added, {result.known} already there")


@signals_group.command("quarantined")
@click.option("--bank", default=None, help="Only this bank.")
@as_option
@database_option
def quarantined(bank: str | None, as_user: str | None, database_url: str | None) -> None:
    """Signals taken out of use by flood protection or withdrawn with their case: id, bank, type, value, since."""
    with open_signals(database_url) as service:
        actor = AccountService(service.store).actor(_user(as_user), source=cli_source())
        for signal_id, name, signal, since in service.quarantined(actor, bank):
            click.echo(f"{signal_id}\t{name}\t{signal.signal_type}\t{signal.value}\t{since.isoformat()}")


@signals_group.command("release")
@click.argument("signal_id", type=int)
@click.option("--reason", required=True, help="Why it is safe to match on again (audited).")
@as_option
@database_option
def release(signal_id: int, reason: str, as_user: str | None, database_url: str | None) -> None:
    """Put quarantined signal SIGNAL_ID back in use, its flood count reset (supervisors; audited)."""
    with open_signals(database_url) as service:
        actor = AccountService(service.store).actor(_user(as_user), source=cli_source())
        service.release(actor, signal_id, reason)
    click.echo(f"signal {signal_id} is in use again")


@signals_group.command("token")
@click.argument("bank")
@click.option("--user", "user_name", required=True, help="The account the platform uses.")
@click.option("--label", default="", help="What the token is for (e.g. the platform).")
@click.option("--expires-days", type=click.IntRange(1, 3650), default=365, show_default=True)
@as_option
@database_option
def token(
    bank: str, user_name: str, label: str, expires_days: int, as_user: str | None, database_url: str | None
) -> None:
    """Issue a read-only API token that reads BANK's feed (GET /api/signals/banks/BANK) and nothing else (admins).
    Printed once on standard output."""
    scope = bank_scope(bank)
    with open_signals(database_url) as service:
        accounts = AccountService(service.store)
        actor = accounts.actor(_user(as_user), source=cli_source())
        expires = accounts.now() + timedelta(days=expires_days)
        issued = accounts.issue_token(actor, user_name, label=label, scope=scope, expires_at=expires)
    click.echo(f"token id {issued.id} for {user_name}: scope {scope}", err=True)
    click.echo(issued.token)


def _user(as_user: str | None) -> str:
    if not as_user:
        raise InputError("say who you act as: --as USER or VARDE_USER")
    return as_user


def register(group: click.Group) -> None:
    group.add_command(signals_group)
