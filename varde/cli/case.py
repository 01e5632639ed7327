"""`varde case …`: list, show and change cases, acting as a user (`--as USER` or `VARDE_USER`).

The command-line operator on the server is trusted to name the user; everything else — which cases the user sees,
what they may change — is decided by `CaseService`, exactly as for the web and the API. Every read and change is
written to the audit log with the operating system account and host as its source."""

from __future__ import annotations

import getpass
import json
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import click

from varde.cases.access import Actor
from varde.cases.lifecycle import STATES
from varde.cases.values import TIME_FILTERS, CaseChange, CaseFilter, dumps
from varde.cli.case_text import detail_lines
from varde.cli.common import console, database_option, known_districts, load_settings
from varde.cli.messages import _, term
from varde.errors import InputError
from varde.i18n import clock, zone_label
from varde.vocab import PLATFORMS, VIOLENCE_TYPES

if TYPE_CHECKING:  # the service, the store, SQLAlchemy and rich load when a command runs, not for --help
    from varde.cases.service import CaseService


def cli_source() -> str:
    """Where a command comes from, for the audit log: the OS account and host."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return f"cli:{user}@{socket.gethostname()}"


as_option = click.option(
    "--as",
    "as_user",
    envvar="VARDE_USER",
    metavar="USER",
    help="Act as this Varde user (default: VARDE_USER).",
)


@contextmanager
def open_service(database_url: str | None) -> Iterator[CaseService]:
    from varde.cases.service import CaseService
    from varde.store import Store

    settings = load_settings(database_url)
    store = Store.open(settings.database_url)
    try:
        yield CaseService(store)
    finally:
        store.close()


def acting(service: CaseService, as_user: str | None) -> Actor:
    if not as_user:
        raise InputError("say who you act as: --as USER or VARDE_USER")
    from varde.cases.accounts import AccountService

    return AccountService(service.store).actor(as_user, source=cli_source())


def _when(value: str | None, name: str) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"not an ISO 8601 date or time: {value!r}", param_hint=name) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@click.group("case")
def case_group() -> None:
    """List, show and change cases (one case per detected order)."""


@case_group.command("list")
@click.option("--status", "states", multiple=True, type=click.Choice(STATES), help="Only cases in this state.")
@click.option(
    "--district", "districts", multiple=True, callback=known_districts, help="Only cases of this district (repeatable)."
)
@click.option("--violence", "violence", multiple=True, type=click.Choice(VIOLENCE_TYPES), help="Violence type.")
@click.option("--platform", "platforms", multiple=True, type=click.Choice(sorted(PLATFORMS)), help="Platform.")
@click.option("--language", "languages", multiple=True, help="Language code (nb, nn, sv, da, en).")
@click.option("--since", help="First seen at or after (ISO 8601).")
@click.option("--until", help="First seen before (ISO 8601).")
@click.option(
    "--time",
    "time_filter",
    type=click.Choice(TIME_FILTERS),
    help="preventable: no time stated or not yet over; passed: time passed — check outcome.",
)
@click.option("--sort", type=click.Choice(["priority", "newest", "oldest", "updated"]), default="priority")
@click.option("--page", type=int, default=1, show_default=True)
@click.option("--per-page", type=int, default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (items, total, counts per status).")
@as_option
@database_option
def list_cases(
    states: tuple[str, ...],
    districts: tuple[str, ...],
    violence: tuple[str, ...],
    platforms: tuple[str, ...],
    languages: tuple[str, ...],
    since: str | None,
    until: str | None,
    time_filter: str | None,
    sort: str,
    page: int,
    per_page: int,
    as_json: bool,
    as_user: str | None,
    database_url: str | None,
) -> None:
    """Cases you may see, most urgent first."""
    flt = CaseFilter(
        states=states,
        districts=districts,
        violence_types=violence,
        platforms=platforms,
        languages=languages,
        since=_when(since, "--since"),
        until=_when(until, "--until"),
        time=time_filter,
    )
    with open_service(database_url) as service:
        result = service.list_cases(acting(service, as_user), flt, page=page, per_page=per_page, sort=sort)
        now = service.now()
    if as_json:
        click.echo(dumps(result.to_dict()))
        return
    from rich.table import Table

    zone = load_settings(database_url).zone
    title = _("cases: %(total)s (page %(page)s of %(pages)s)")
    table = Table(
        title=title % {"total": result.total, "page": result.page, "pages": result.pages}, header_style="bold"
    )
    # At 80 columns the free-text columns give way; ids, dates and districts are never cut or wrapped.
    for column in ("id", _("state"), _("prio"), _("time"), _("district")):
        table.add_column(column, no_wrap=True)
    table.add_column(_("violence"), overflow="fold", ratio=1)
    table.add_column(_("posts"), no_wrap=True, justify="right")
    table.add_column(_("first seen (%(zone)s)") % {"zone": zone_label(zone)}, no_wrap=True)
    table.add_column(_("assignee"), overflow="ellipsis", ratio=1)
    bands = {"imminent": _("imminent"), "soon": _("soon"), "later": _("later"), "undated": _("undated")}
    bands["time_passed"] = _("time passed")
    for case in result.items:
        band = case.urgency_band(now)
        table.add_row(
            str(case.id),
            term(case.state),
            str(case.priority),
            bands.get(band, band.replace("_", " ")),  # as seen now: "time passed" — check the outcome
            case.district_label,
            ", ".join(term(v) for v in case.violence_types) or "–",
            str(case.n_posts),
            clock(case.first_seen_at, zone, labelled=False),
            case.assignee or "–",
        )
    console("stdout").print(table, soft_wrap=True)
    console("stdout").print(
        "  ".join(f"{term(state)}: {n}" for state, n in result.counts.items()), highlight=False, soft_wrap=True
    )


@case_group.command("show")
@click.argument("case_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (case, posts, history).")
@as_option
@database_option
def show(case_id: int, as_json: bool, as_user: str | None, database_url: str | None) -> None:
    """One case with its posts, every fact found in each (with the words it was read from), and its history."""
    with open_service(database_url) as service:
        detail = service.get_case(acting(service, as_user), case_id)
        now = service.now()
    if as_json:
        click.echo(dumps(detail.to_dict()))
    else:
        click.echo("\n".join(detail_lines(detail, load_settings(database_url).zone, now)))


def _report(case: Any) -> None:
    click.echo(f"case {case.id}: {case.state} (version {case.version})")


expect_option = click.option(
    "--expect-version", type=int, help="Refuse (conflict) unless the case is still at this version."
)


@case_group.command("set-status")
@click.argument("case_id", type=int)
@click.argument("status", type=click.Choice([s for s in STATES if s != "merged"]))
@click.option("--reason", required=True, help="Why (kept in the case history and the audit log).")
@expect_option
@as_option
@database_option
def set_status(
    case_id: int,
    status: str,
    reason: str,
    expect_version: int | None,
    as_user: str | None,
    database_url: str | None,
) -> None:
    """Move a case along its lifecycle: detected → uncovered → prevented | executed | dismissed."""
    with open_service(database_url) as service:
        _report(service.set_status(acting(service, as_user), case_id, status, reason, expected_version=expect_version))


@case_group.command("merge")
@click.argument("case_id", type=int)
@click.argument("into", type=int)
@click.option("--reason", required=True, help="Why it is a duplicate.")
@as_option
@database_option
def merge(case_id: int, into: int, reason: str, as_user: str | None, database_url: str | None) -> None:
    """Mark CASE_ID a duplicate of INTO (supervisors)."""
    with open_service(database_url) as service:
        _report(service.merge(acting(service, as_user), case_id, into, reason))


@case_group.command("assign")
@click.argument("case_id", type=int)
@click.argument("user", required=False)
@click.option("--reason", required=True)
@as_option
@database_option
def assign(case_id: int, user: str | None, reason: str, as_user: str | None, database_url: str | None) -> None:
    """Assign a case to USER, or unassign it without USER (supervisors)."""
    with open_service(database_url) as service:
        case = service.assign(acting(service, as_user), case_id, user, reason)
    click.echo(f"case {case.id}: assigned to {case.assignee or 'nobody'} (version {case.version})")


@case_group.command("set-district")
@click.argument("case_id", type=int)
@click.argument("district")
@click.option("--reason", required=True)
@as_option
@database_option
def set_district(case_id: int, district: str, reason: str, as_user: str | None, database_url: str | None) -> None:
    """Override the district taken from the post's place (analysts, supervisors)."""
    with open_service(database_url) as service:
        case = service.set_district(acting(service, as_user), case_id, district, reason)
    click.echo(f"case {case.id}: district {case.district} (version {case.version})")


@case_group.command("note")
@click.argument("case_id", type=int)
@click.argument("text")
@as_option
@database_option
def note(case_id: int, text: str, as_user: str | None, database_url: str | None) -> None:
    """Add a note to a case."""
    with open_service(database_url) as service:
        _report(service.add_note(acting(service, as_user), case_id, text))


def read_changes(path: str) -> list[CaseChange]:
    """The changes in a JSON Lines file (`-`: standard input), one object per line; blank lines are skipped.
    InputError names the file and line of the first bad one."""
    name = "<stdin>" if path == "-" else path
    with click.open_file(path, encoding="utf-8") as handle:
        lines = list(handle)
    changes = []
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        origin = f"{name}:{number}"
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise InputError(f"{origin}: not JSON ({error.msg} at column {error.colno})") from None
        changes.append(CaseChange.from_dict(data, origin=origin))
    return changes


@case_group.command("bulk")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--json", "as_json", is_flag=True, help="Print each case as it is after its last change (JSON).")
@as_option
@database_option
def bulk(file: str, as_json: bool, as_user: str | None, database_url: str | None) -> None:
    """Apply the changes in FILE (JSON Lines, `-` for standard input) in one transaction: all or none.

    One change per line: {"case": 42, "status": "uncovered", "reason": "…"}, or "assign" (a user, or null),
    "priority" (1-5), "district", "note" (its text is the reason) in place of "status"; optionally
    "expect_version": 3. Each change is checked like the single commands (access, version, lifecycle) and gets its
    own history entry and audit event; the first refused one is named by FILE:LINE and nothing is changed."""
    changes = read_changes(file)
    with open_service(database_url) as service:
        after = service.apply_changes(acting(service, as_user), changes)
    if as_json:
        click.echo(dumps([case.to_dict() for case in after]))
        return
    click.echo(f"applied {len(changes)} change(s) to {len(after)} case(s) in one transaction")


@case_group.command("purge")
@click.option("--days", type=int, help="Retention in days (default: VARDE_RETENTION_DAYS, 90).")
@as_option
@database_option
def purge(days: int | None, as_user: str | None, database_url: str | None) -> None:
    """Delete dismissed cases older than the retention period, keeping hashes of what went in the audit log."""
    settings = load_settings(database_url)
    with open_service(database_url) as service:
        purged = service.purge_expired(
            acting(service, as_user), days=days if days is not None else settings.retention_days
        )
    click.echo(f"purged {len(purged)} dismissed case(s)" + (f": {', '.join(map(str, purged))}" if purged else ""))


def register(group: click.Group) -> None:
    group.add_command(case_group)
