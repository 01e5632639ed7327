"""`varde export evidence CASE -o FILE` (acting as a user), `varde export verify FILE` and `varde export pubkey`."""

from __future__ import annotations

from pathlib import Path

import click

from varde.cli.case import acting, as_option, open_service
from varde.cli.common import database_option, load_settings
from varde.errors import ConfigError, IntegrityError
from varde.keys import installed_public_key, load_public_key, signer

# The audit log, the bundle checker and the store (SQLAlchemy) are imported where a command uses them, so
# `export … --help` answers at once.

VERIFY_EXIT_CODES = """\b
Exit codes:
  0  the bundle verifies
  2  the file cannot be read (missing, not a file, no permission)
  3  no public key to check against (no installation key here and no --pubkey), or a bad key file
  4  the database for the audit check cannot be opened
  8  the bundle does not verify: a file changed, added or missing, a bad signature, no export of it in the
     audit log, an unsafe or duplicate entry name, over a size limit, or not a readable zip"""


@click.group("export")
def export_group() -> None:
    """Export evidence and check exported bundles."""


@export_group.command("evidence")
@click.argument("case_id", type=int, metavar="CASE")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="The zip file to write.")
@as_option
@database_option
def evidence(case_id: int, output: str, as_user: str | None, database_url: str | None) -> None:
    """Write the evidence bundle of CASE: raw posts, media, records, history, manifest with SHA-256 of all, signed
    with the installation key."""
    settings = load_settings(database_url)
    with open_service(database_url) as service:
        digest = service.export_evidence(
            acting(service, as_user), case_id, output, media_folder=settings.media_folder, keys=settings.key_folder
        )
    click.echo(f"wrote {output}\nmanifest sha256 {digest}")


@export_group.command("verify", epilog=VERIFY_EXIT_CODES)
@click.argument("bundle", type=click.Path(dir_okay=False))
@click.option(
    "--pubkey",
    type=click.Path(dir_okay=False),
    help="The exporting installation's public key (from `varde export pubkey`); default: this installation's.",
)
@click.option(
    "--audit/--no-audit",
    "check_audit",
    default=None,
    help="Check that the audit log recorded this export (default: yes, unless only --pubkey is given).",
)
@database_option
def verify(bundle: str, pubkey: str | None, check_audit: bool | None, database_url: str | None) -> None:
    """Check an evidence bundle: its signature, every file against the manifest, the manifest against its hash and
    the audit log's record of the export."""
    from varde.cases import audit
    from varde.cases.evidence import verify_bundle
    from varde.store import Store

    settings = load_settings(database_url)
    if pubkey:
        public = load_public_key(Path(pubkey))
    else:
        found = installed_public_key(settings.key_folder)
        if found is None:
            raise ConfigError(
                f"no installation key in {settings.key_folder}: give the exporter's key with --pubkey FILE"
            )
        public = found
    if check_audit is None:
        check_audit = pubkey is None or database_url is not None
    if check_audit:
        store = Store.open(settings.database_url)
        try:
            with store.engine.connect() as conn:
                check = verify_bundle(bundle, public, exported=lambda digest: audit.recorded_export(conn, digest))
        finally:
            store.close()
    else:
        check = verify_bundle(bundle, public)
    if not check.ok:
        for problem in check.problems:
            click.echo(f"FAIL {problem}", err=True)
        raise IntegrityError(f"{bundle} does not verify ({len(check.problems)} problem(s))")
    click.echo(f"OK case {check.case_id}: {check.files} files, manifest sha256 {check.manifest_sha256}")


@export_group.command("pubkey")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write it to this file (default: print it).")
@database_option
def pubkey(output: str | None, database_url: str | None) -> None:
    """The installation's public key (PEM), for checking its bundles and audit checkpoints elsewhere."""
    settings = load_settings(database_url)
    pem = signer(settings.key_folder).public_pem()
    if output:
        Path(output).write_bytes(pem)
        click.echo(f"wrote {output}")
    else:
        click.echo(pem.decode("ascii"), nl=False)


def register(group: click.Group) -> None:
    group.add_command(export_group)
