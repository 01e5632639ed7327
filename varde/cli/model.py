"""`varde model list`: the registered detector models (id, who trained them, on what, how well) and the active one."""

from __future__ import annotations

import json

import click

from varde.cli.common import database_option, load_settings
from varde.store import Store
from varde.store.model_tables import list_models


@click.group("model")
def model_group() -> None:
    """The detector models this database knows, and which one scans use."""


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


def register(group: click.Group) -> None:
    group.add_command(model_group)
