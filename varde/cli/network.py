"""`varde network backmen|show|link|build`: the network analysis from the command line.

Every command acts as a named user (`--as`, like the other commands of a trusted operator); what it shows is
limited by that user's role and districts, and it is audited (see `varde.network.service`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from varde.cli.common import console, database_option, load_settings
from varde.cli.messages import _, term

if TYPE_CHECKING:  # the services, the store and SQLAlchemy load when a command runs, not for --help
    from varde.cases.access import Actor
    from varde.network.service import NetworkService

as_option = click.option(
    "--as",
    "user",
    required=True,
    envvar="VARDE_USER",
    metavar="USER",
    help="Act as this user (role and districts; default: VARDE_USER).",
)
watchlist_option = click.option(
    "--watchlist", type=click.Path(exists=True, dir_okay=False), help="Watchlist YAML (default: the shipped example)."
)


def open_service(database_url: str | None, user: str, watchlist: str | None) -> tuple[NetworkService, Actor]:
    settings = load_settings(database_url)
    from varde.cases.accounts import AccountService
    from varde.network.attribution import load_watchlist
    from varde.network.service import NetworkService
    from varde.store import Store

    store = Store.open(settings.database_url)
    actor = AccountService(store).actor(user, source=f"cli:{user}")
    loaded = load_watchlist(Path(watchlist).read_text(encoding="utf-8")) if watchlist else None
    return NetworkService(store, watchlist=loaded), actor


def echo_json(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2, default=str))


@click.group("network")
def network() -> None:
    """Accounts, contacts and orders as a graph: backmen, entities, same/not-same judgements."""


@network.command("backmen")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option("--limit", default=20, show_default=True, help="How many to list.")
@as_option
@watchlist_option
@database_option
def backmen(as_json: bool, limit: int, user: str, watchlist: str | None, database_url: str | None) -> None:
    """Clients and recruiters behind the orders, ranked, with country and legal route from Norway."""
    service, actor = open_service(database_url, user, watchlist)
    ranked = service.backmen(actor, limit=limit)
    if as_json:
        echo_json([b.to_dict() for b in ranked])
        return
    from rich.table import Table  # here: `export verify` registers this group's commands and prints no table

    table = Table(title="Backmen", header_style="bold")
    for column in ("#", "actor", "role", "score", "orders", "recruits", "reach", "network", "country", "route"):
        table.add_column(column, justify="right" if column in ("#", "score", "orders", "recruits", "reach") else "left")
    for i, b in enumerate(ranked, start=1):
        networks = ", ".join(f"{n} ({c:.2f})" for n, c in b.networks) or "-"
        table.add_row(
            str(i),
            b.label,
            b.role,
            f"{b.score:.3f}",
            str(b.orders),
            str(b.recruits),
            str(b.reach),
            networks,
            b.country or "?",
            b.route.route,
        )
    console("stdout").print(table)
    unresolved: dict[str, int] = {}
    for b in ranked:
        if b.unresolved:
            unresolved[b.unresolved] = unresolved.get(b.unresolved, 0) + 1
    for code, count in sorted(unresolved.items()):
        console("stdout").print(
            _("route unknown for %(count)s: %(why)s To resolve: %(fix)s")
            % {"count": count, "why": term(code), "fix": term(f"{code}.fix")},
            highlight=False,
        )


@network.command("show")
@click.argument("entity")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.option("--depth", default=1, show_default=True, help="Hops of neighbourhood to include.")
@as_option
@watchlist_option
@database_option
def show(entity: str, as_json: bool, depth: int, user: str, watchlist: str | None, database_url: str | None) -> None:
    """One entity (id such as acct:telegram:name, order id, or @handle): its actor, links with evidence,
    attribution, backman figures and neighbourhood."""
    service, actor = open_service(database_url, user, watchlist)
    view = service.show(actor, entity, depth=depth)
    if as_json:
        echo_json(view)
        return
    e = view["entity"]
    click.echo(f"{e['id']}  ({e['kind']}, {e['label']})  seen {e['first_seen']} … {e['last_seen']}")
    click.echo(f"actor: {view['actor']}  members: {', '.join(view['actor_members'])}")
    for link in view["links"]:
        evidence = "; ".join(f"{x['kind']} ({x['strength']}): {x['detail']}" for x in link["evidence"])
        click.echo(f"  same-as {link['a']} ~ {link['b']}  p={link['probability']:.3f}  {evidence}")
    for judgement in view["judgements"]:
        click.echo(
            f"  judged {judgement['judgement']} {judgement['a']} ~ {judgement['b']} by {judgement['actor']}: "
            f"{judgement['reason']}"
        )
    for found in view["attribution"]:
        click.echo(f"  attributed to {found['network']} ({found['confidence']:.2f})")
        for step in found["evidence"]:
            click.echo(f"    {step['kind']} {step['weight']:.2f}: {step['detail']}  [{' → '.join(step['path'])}]")
    if view["backman"]:
        b = view["backman"]
        click.echo(
            f"  backman score {b['score']:.3f}: {b['orders']} orders, {b['recruits']} recruits, reach "
            f"{b['reach']}; country {b['country'] or '?'} ({b['country_basis']}); route {b['route']['route']}"
        )
        if b["unresolved"]:
            click.echo(
                "  "
                + _("route unknown: %(why)s To resolve: %(fix)s")
                % {"why": term(b["unresolved"]), "fix": term(b["unresolved"] + ".fix")}
            )
    click.echo(f"neighbourhood: {len(view['nodes'])} entities, {len(view['edges'])} edges")
    for edge in view["edges"]:
        click.echo(f"  {edge['source']} -{edge['type']}-> {edge['target']}  ×{edge['weight']:g}")


@network.command("link")
@click.argument("a")
@click.argument("b")
@click.option("--same/--not-same", "same", required=True, default=None, help="Same actor, or not the same.")
@click.option("--reason", required=True, help="Why (kept in the audit log).")
@as_option
@database_option
def link(a: str, b: str, same: bool, reason: str, user: str, database_url: str | None) -> None:
    """Record that A and B are (--same) or are not (--not-same) the same actor. Later runs respect it, also
    transitively: a rejected pair is never linked again, directly or through others."""
    service, actor = open_service(database_url, user, None)
    stored = service.link(actor, a, b, same=same, reason=reason)
    click.echo(f"judgement {stored.id}: {stored.a} {'same as' if same else 'not same as'} {stored.b}")


@network.command("build")
@as_option
@watchlist_option
@database_option
def build(user: str, watchlist: str | None, database_url: str | None) -> None:
    """Rebuild the entities and entity_edges tables from the stored posts (for SQL users and other tools)."""
    service, actor = open_service(database_url, user, watchlist)
    counts = service.build(actor)
    click.echo(f"{counts['entities']} entities, {counts['edges']} edges")


def register(group: click.Group) -> None:
    group.add_command(network)
