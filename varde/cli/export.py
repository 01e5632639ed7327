"""`varde export evidence CASE -o FILE` (acting as a user) and `varde export verify FILE` (no user needed)."""

from __future__ import annotations

import click

from varde.cases.evidence import verify_bundle
from varde.cli.case import acting, as_option, open_service
from varde.cli.common import database_option
from varde.errors import IntegrityError


@click.group("export")
def export_group() -> None:
    """Export evidence and check exported bundles."""


@export_group.command("evidence")
@click.argument("case_id", type=int, metavar="CASE")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="The zip file to write.")
@as_option
@database_option
def evidence(case_id: int, output: str, as_user: str | None, database_url: str | None) -> None:
    """Write the evidence bundle of CASE: raw posts, media, records, history, manifest with SHA-256 of all."""
    with open_service(database_url) as service:
        digest = service.export_evidence(acting(service, as_user), case_id, output)
    click.echo(f"wrote {output}\nmanifest sha256 {digest}")


@export_group.command("verify")
@click.argument("bundle", type=click.Path(exists=True, dir_okay=False))
def verify(bundle: str) -> None:
    """Check an evidence bundle: every file against the manifest, the manifest against its hash (exit 8 if not)."""
    check = verify_bundle(bundle)
    if not check.ok:
        for problem in check.problems:
            click.echo(f"FAIL {problem}", err=True)
        raise IntegrityError(f"{bundle} does not verify ({len(check.problems)} problem(s))")
    click.echo(f"OK case {check.case_id}: {check.files} files, manifest sha256 {check.manifest_sha256}")


def register(group: click.Group) -> None:
    group.add_command(export_group)
