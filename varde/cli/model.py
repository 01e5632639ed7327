"""`varde model …`: the registered detector models (id, who trained them, on what, how well), which one is active,
and the lifecycle steps — backtest a candidate, run it in shadow, promote it, roll back, re-score open cases.

Every step but `list` acts as a user (`--as USER` or `VARDE_USER`); `varde.cases.models.ModelService` checks the
user's role and audits the step."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import click

from varde.cli.common import database_option, load_settings
from varde.errors import InputError
from varde.store import Store
from varde.store.model_tables import list_models

if TYPE_CHECKING:
    from varde.cases.access import Actor
    from varde.cases.models import ModelService


@click.group("model")
def model_group() -> None:
    """The detector models this database knows, and which one scans use."""


as_option = click.option("--as", "as_user", envvar="VARDE_USER", metavar="USER", help="Act as this Varde user.")


@contextmanager
def acting(as_user: str | None, database_url: str | None) -> Iterator[tuple[ModelService, Actor]]:
    """The model service and the user it acts as (InputError without one)."""
    from varde.cases.accounts import AccountService
    from varde.cases.models import ModelService
    from varde.cli.case import cli_source
    from varde.store.model_files import ModelFiles

    if not as_user:
        raise InputError("say who you act as: --as USER or VARDE_USER")
    settings = load_settings(database_url)
    store = Store.open(settings.database_url)
    try:
        actor = AccountService(store).actor(as_user, source=cli_source())
        yield ModelService(store, ModelFiles(settings.model_folder), media_dir=settings.media_folder), actor
    finally:
        store.close()


@model_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list (id, active, created_at, trained_by, …).")
@database_option
def list_command(as_json: bool, database_url: str | None) -> None:
    """List the registered models (the shipped model is registered on first use)."""
    store = Store.open(load_settings(database_url).database_url)
    try:
        with store.begin() as conn:
            found = list_models(conn)
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps([m.to_dict() for m in found], ensure_ascii=False))
        return
    for m in found:
        examples = m.provenance.get("examples", "?")
        mark = "*" if m.active else " "
        click.echo(f"{mark} {m.id}  {m.created_at:%Y-%m-%d %H:%M}  {m.trained_by}  trained on {examples} examples")


@model_group.command("promote")
@click.argument("model_id", metavar="ID")
@click.option("--reason", required=True, help="Why (kept in the audit log).")
@as_option
@database_option
def promote(model_id: str, reason: str, as_user: str | None, database_url: str | None) -> None:
    """Make model ID the active one (supervisors); scans, workers and tips use it from their next batch."""
    with acting(as_user, database_url) as (service, actor):
        previous = service.promote(actor, model_id, reason)
    click.echo(f"active model: {model_id} (was {previous}); re-score open cases with: varde model rescore --open-cases")


@model_group.command("rollback")
@click.option("--reason", required=True, help="Why (kept in the audit log).")
@as_option
@database_option
def rollback(reason: str, as_user: str | None, database_url: str | None) -> None:
    """Make the previously active model active again (supervisors)."""
    with acting(as_user, database_url) as (service, actor):
        previous, target = service.rollback(actor, reason)
    click.echo(f"active model: {target} (was {previous})")


@model_group.command("shadow")
@click.argument("model_id", metavar="CANDIDATE", required=False)
@click.option("--off", is_flag=True, help="Turn shadow mode off.")
@click.option("--reason", default="", help="Why (kept in the audit log).")
@as_option
@database_option
def shadow(model_id: str | None, off: bool, reason: str, as_user: str | None, database_url: str | None) -> None:
    """Also score with CANDIDATE in scans and workers, storing its outputs beside the active model's (supervisors);
    it never opens cases. --off stops it."""
    if off == (model_id is not None):
        raise InputError("give a CANDIDATE or --off")
    with acting(as_user, database_url) as (service, actor):
        service.shadow(actor, None if off else model_id, reason)
    click.echo("shadow mode off" if off else f"shadow model: {model_id}")


@model_group.command("backtest")
@click.argument("candidate")
@click.option("--since", help="Only posts created at or after this date (ISO 8601).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@as_option
@database_option
def backtest(candidate: str, since: str | None, as_json: bool, as_user: str | None, database_url: str | None) -> None:
    """Re-score stored posts with CANDIDATE beside the active model: what it newly flags or no longer flags (by
    district, language, violence type) and how each agrees with the analysts' verdicts."""
    moment = None
    if since:
        try:
            moment = datetime.fromisoformat(since)
        except ValueError:
            raise click.BadParameter(f"not an ISO 8601 date: {since!r}", param_hint="--since") from None
        moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    with acting(as_user, database_url) as (service, actor):
        report = service.backtest(actor, candidate, since=moment)
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False))
        return
    click.echo(text_report(report))


def text_report(report: dict[str, Any]) -> str:
    """The backtest report for a terminal. Pure."""
    lines = [
        f"{report['candidate']} against the active {report['active']} on {report['posts']} posts "
        f"({report['seconds']} s, {report['cpu_seconds']} s CPU)",
        f"newly flagged {report['newly_flagged']}, no longer flagged {report['unflagged']}, "
        f"stored orders no longer flagged {report['orders_unflagged']}",
    ]
    for name in ("active", "candidate"):
        agreement = report["labelled"][name]
        lines.append(
            f"{name}: precision {agreement['precision']}, recall {agreement['recall']} on {agreement['n']} verdicts"
        )
    for title, key in (("district", "by_district"), ("language", "by_language"), ("violence type", "by_violence_type")):
        for group, counts in report[key].items():
            lines.append(f"  {title} {group}: +{counts['newly_flagged']} −{counts['unflagged']}")
    for change in report["changes"]:
        verdict = {None: "no verdict", True: "verdict: order", False: "verdict: not an order"}[change["verdict"]]
        lines.append(
            f"  {change['change']:>13} {change['post_id']}  {change['active']['score']:.3f} → "
            f"{change['candidate']['score']:.3f}  ({verdict})"
        )
    return "\n".join(lines)


@model_group.command("rescore")
@click.option("--open-cases", "open_cases", is_flag=True, required=True, help="Re-score the posts of open cases.")
@as_option
@database_option
def rescore(open_cases: bool, as_user: str | None, database_url: str | None) -> None:
    """Analyse the posts of every open case again with the active model (supervisors; after a promotion)."""
    with acting(as_user, database_url) as (service, actor):
        done = service.rescore_open_cases(actor)
    click.echo(
        f"re-scored {done['posts']} post(s) of {done['cases']} open case(s) with {done['model']}: "
        f"{done['scores_changed']} score(s) changed"
    )


def register(group: click.Group) -> None:
    group.add_command(model_group)
