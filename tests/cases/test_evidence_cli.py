"""`varde export evidence|verify|pubkey`: documented exit codes, and checking a bundle elsewhere with the public key."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from varde.cli import cli
from varde.store import Store

from .test_cli import run


@pytest.fixture
def cli_db(db_url: str, oslo_and_vest: dict[str, int]) -> str:
    code, output = run(["users", "add", "ana", "--role", "analyst", "--no-password", "--db", db_url])
    assert code == 0, output
    return db_url


def test_verify_exit_codes_and_checking_elsewhere(cli_db: str, oslo_and_vest: dict[str, int], tmp_path: Path) -> None:
    here = {"VARDE_KEY_DIR": str(tmp_path / "keys"), "VARDE_MEDIA_DIR": str(tmp_path / "media")}
    elsewhere = {"VARDE_KEY_DIR": str(tmp_path / "court-keys")}  # a machine with no installation key
    bundle = tmp_path / "case.zip"
    oslo = str(oslo_and_vest["oslo"])
    code, output = run(["export", "evidence", oslo, "-o", str(bundle), "--as", "ana", "--db", cli_db], env=here)
    assert code == 0
    assert run(["export", "verify", str(bundle), "--db", cli_db], env=here)[0] == 0
    pem = tmp_path / "varde.pub"
    code, output = run(["export", "pubkey", "-o", str(pem), "--db", cli_db], env=here)
    assert code == 0 and pem.read_bytes().startswith(b"-----BEGIN PUBLIC KEY-----")
    code, output = run(["export", "verify", str(bundle), "--pubkey", str(pem)], env=elsewhere)
    assert code == 0 and output.startswith("OK"), output
    assert run(["export", "verify", str(bundle)], env=elsewhere)[0] == 3  # no key to check against
    other = tmp_path / "other.pub"
    run(["export", "pubkey", "-o", str(other)], env={"VARDE_KEY_DIR": str(tmp_path / "other-keys")})
    code, output = run(["export", "verify", str(bundle), "--pubkey", str(other)], env=elsewhere)
    assert code == 8 and "not a valid signature" in output
    # The right key, but a database whose audit log never recorded this export.
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    code, output = run(["export", "verify", str(bundle), "--pubkey", str(pem), "--db", fresh], env=elsewhere)
    assert code == 8 and "records no export" in output
    assert run(["export", "verify", str(tmp_path / "missing.zip"), "--db", cli_db], env=here)[0] == 2
    (tmp_path / "empty.zip").write_bytes(b"")
    assert run(["export", "verify", str(tmp_path / "empty.zip"), "--db", cli_db], env=here)[0] == 8
    with zipfile.ZipFile(tmp_path / "evil.zip", "w") as archive:
        archive.writestr("../../evil", b"x")
    code, output = run(["export", "verify", str(tmp_path / "evil.zip"), "--db", cli_db], env=here)
    assert code == 8 and "unsafe entry name" in output


def test_verify_help_documents_the_exit_codes() -> None:
    result = CliRunner().invoke(cli, ["export", "verify", "--help"])
    assert result.exit_code == 0
    for line in ("0  the bundle verifies", "2  the file cannot be read", "3  no public key", "8  the bundle does not"):
        assert line in result.output


def test_scan_then_export_never_bundles_a_file_a_post_named(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CRITICAL, end to end: `varde scan` of posts naming server files, then `varde export evidence`."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "varde.db").write_bytes(b"SQLite format 3\0 not evidence")
    (inputs / "escape.png").symlink_to("/etc/passwd")
    monkeypatch.chdir(inputs)  # the old export also looked in the working directory
    media = ["/etc/passwd", "../../../../etc/hostname", "/proc/self/environ", "escape.png", "varde.db"]
    post = {
        "id": "1001",
        "platform": "telegram",
        "channel": "jobbkanal",
        "text": "Betaler 40k for å skade en fyr i Oslo i kveld, DM @nattjobb",
        "created_at": "2025-09-14T18:00:00+00:00",
        "media": media,
    }
    (inputs / "posts.jsonl").write_text(json.dumps(post) + "\n", encoding="utf-8")
    env = {"VARDE_KEY_DIR": str(tmp_path / "keys"), "VARDE_MEDIA_DIR": str(tmp_path / "media")}
    code, output = run(["scan", str(inputs / "posts.jsonl"), "--db", db_url], env=env)
    assert code == 0, output
    assert run(["users", "add", "ana", "--role", "analyst", "--no-password", "--db", db_url])[0] == 0
    store = Store.open(db_url)
    with store.engine.connect() as conn:
        case_id = conn.execute(sa.text("SELECT case_id FROM case_posts")).scalar_one()
    store.close()
    bundle = tmp_path / "case.zip"
    code, output = run(["export", "evidence", str(case_id), "-o", str(bundle), "--as", "ana", "--db", db_url], env=env)
    assert code == 0, output
    with zipfile.ZipFile(bundle) as archive:
        contents = {name: archive.read(name) for name in archive.namelist()}
    assert not [name for name in contents if name.startswith("media/")]
    leaks = [Path("/etc/passwd").read_bytes(), Path("/etc/hostname").read_bytes().strip(), b"not evidence"]
    # A short host name ("vm") turns up by chance in base64 (the signature): only distinctive contents are probes.
    leaks = [leak for leak in leaks if len(leak) >= 12]
    assert not [name for name, data in contents.items() if name != "posts/0001.raw" and any(x in data for x in leaks)]
    manifest = json.loads(contents["manifest.json"])
    assert [m["media"] for m in manifest["missing_media"]] == media
    assert not list((tmp_path / "media").rglob("*")) or all(p.is_dir() for p in (tmp_path / "media").rglob("*"))
    assert run(["export", "verify", str(bundle), "--db", db_url], env=env)[0] == 0
