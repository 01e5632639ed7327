"""`varde label POST_ID …` (an analyst's verdict on a post) and `varde labels export` (the verdicts as a labelled
set). Both act as a user (`--as USER` or `VARDE_USER`); `VerdictService` decides what they may label and see."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from varde.cases.accounts import AccountService
from varde.cases.verdicts import VerdictService
from varde.cli.case import as_option, cli_source
from varde.cli.common import database_option, load_settings
from varde.errors import InputError
from varde.store import Store


@contextmanager
def open_verdicts(database_url: str | None) -> Iterator[VerdictService]:
    store = Store.open(load_settings(database_url).database_url)
    try:
        yield VerdictService(store)
    finally:
        store.close()


def _types(value: str | None) -> list[str]:
    return [t for t in (value or "").split(",") if t.strip()]


@click.command("label")
@click.argument("post_id")
@click.option("--order/--not-order", "is_order", default=None, help="Whether the post is an order.")
@click.option("--types", "types", metavar="T,...", help="Violence types of an order (comma-separated).")
@click.option("--district", help="District of an order.")
@click.option("--reason", required=True, help="Why (kept with the verdict and in the audit log).")
@as_option
@database_option
@click.option("--json", "as_json", is_flag=True, help="Print the stored verdict as JSON.")
def label(
    post_id: str,
    is_order: bool | None,
    types: str | None,
    district: str | None,
    reason: str,
    as_user: str | None,
    database_url: str | None,
    as_json: bool,
) -> None:
    """Record your verdict on POST_ID: an order (--order, optionally --types and --district) or not (--not-order).
    Your last verdict on a post is the one that counts; earlier ones are kept."""
    if is_order is None:
        raise InputError("say --order or --not-order")
    if not as_user:
        raise InputError("say who you act as: --as USER or VARDE_USER")
    with open_verdicts(database_url) as service:
        actor = AccountService(service.store).actor(as_user, source=cli_source())
        verdict = service.label(
            actor, post_id, is_order=is_order, violence_types=_types(types), district=district, reason=reason
        )
    if as_json:
        click.echo(json.dumps(verdict.to_dict(), ensure_ascii=False))
        return
    click.echo(f"{verdict.post_id}: {'order' if verdict.is_order else 'not an order'} (by {verdict.user_name})")


@click.group("labels")
def labels_group() -> None:
    """Analysts' verdicts as labelled data."""


@labels_group.command("export")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="JSONL file.")
@as_option
@database_option
def export(output: Path, as_user: str | None, database_url: str | None) -> None:
    """Write the verdicts you may see as a labelled set (one post per line, the format of the evaluation sets)."""
    if not as_user:
        raise InputError("say who you act as: --as USER or VARDE_USER")
    with open_verdicts(database_url) as service:
        actor = AccountService(service.store).actor(as_user, source=cli_source())
        lines = service.export(actor)
    with output.open("w", encoding="utf-8") as handle:
        for line in lines:
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")
    click.echo(f"wrote {len(lines)} labelled post(s) to {output}")


def register(group: click.Group) -> None:
    group.add_command(label)
    group.add_command(labels_group)
