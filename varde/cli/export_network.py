"""`varde export ftm|stix|graphml|gexf -o FILE`: the network for Aleph, OpenCTI/MISP, Gephi/i2/Maltego.

These commands join the `export` group of `varde.cli.export` (evidence, verify) when it is registered first, and
create the group otherwise. What is exported is limited to the user's districts, validated with the official
library (followthemoney, stix2) before it is written, and audited."""

from __future__ import annotations

import click

from varde.cli.common import database_option
from varde.cli.network import as_option, open_service, watchlist_option


def _command(fmt: str, help_text: str) -> click.Command:
    @click.command(fmt, help=help_text)
    @click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="File to write.")
    @as_option
    @watchlist_option
    @database_option
    def command(output: str, user: str, watchlist: str | None, database_url: str | None) -> None:
        service, actor = open_service(database_url, user, watchlist)
        result = service.export(actor, fmt, output)
        click.echo(f"{result['objects']} objects written to {result['path']} ({fmt})")

    return command


COMMANDS = [
    _command("ftm", "FollowTheMoney entities (JSON lines) for Aleph/OpenAleph, validated by followthemoney."),
    _command("stix", "A STIX 2.1 bundle for OpenCTI/MISP, validated by stix2."),
    _command("graphml", "GraphML of the entity graph for Gephi, i2, Maltego (round-trips through networkx)."),
    _command("gexf", "GEXF of the entity graph for Gephi."),
]


def register(group: click.Group) -> None:
    existing = group.commands.get("export")
    if isinstance(existing, click.Group):
        export = existing
    else:

        @click.group("export")
        def export() -> None:
            """Export evidence and the network for other tools."""

        group.add_command(export)
    for command in COMMANDS:
        export.add_command(command)
