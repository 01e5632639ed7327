"""`varde review …`: the detector's review band — posts scored `possible` (not orders, so no case) — for analysts
to read and label. Acts as a user (`--as USER` or `VARDE_USER`); who sees what is decided by `ReviewService`, with
the same rules as for cases, and every read is audited."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click
from rich.table import Table

from varde.cases.accounts import AccountService
from varde.cases.review import ReviewService
from varde.cases.service import dumps
from varde.cli.case import as_option, cli_source
from varde.cli.common import console, database_option, known_districts, load_settings
from varde.errors import InputError
from varde.i18n import clock, zone_label
from varde.store import Store


@contextmanager
def open_review(database_url: str | None) -> Iterator[ReviewService]:
    store = Store.open(load_settings(database_url).database_url)
    try:
        yield ReviewService(store)
    finally:
        store.close()


@click.group("review")
def review_group() -> None:
    """Posts in the detector's review band (possible orders, which have no case) for analysts to label."""


@review_group.command("list")
@click.option(
    "--district", "districts", multiple=True, callback=known_districts, help="Only posts of this district (repeatable)."
)
@click.option("--page", type=int, default=1, show_default=True)
@click.option("--per-page", type=int, default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (items, total, page, pages).")
@as_option
@database_option
def list_possible(
    districts: tuple[str, ...], page: int, per_page: int, as_json: bool, as_user: str | None, database_url: str | None
) -> None:
    """Possible posts you may see, highest score first."""
    if not as_user:
        raise InputError("say who you act as: --as USER or VARDE_USER")
    with open_review(database_url) as service:
        actor = AccountService(service.store).actor(as_user, source=cli_source())
        result = service.list_possible(actor, districts=districts, page=page, per_page=per_page)
    if as_json:
        click.echo(dumps(result.to_dict()))
        return
    zone = load_settings(database_url).zone
    table = Table(title=f"possible posts: {result.total} (page {result.page} of {result.pages})", header_style="bold")
    for column in ("post", "score", "district", f"posted ({zone_label(zone)})"):
        table.add_column(column, no_wrap=True)
    table.add_column("text", overflow="ellipsis", ratio=1)
    for item in result.items:
        table.add_row(
            item.id,
            f"{item.score:.2f}",
            item.district or "–",
            clock(item.created_at, zone, labelled=False),
            " ".join(item.text.split()),
        )
    console("stdout").print(table, soft_wrap=True)


def register(group: click.Group) -> None:
    group.add_command(review_group)
