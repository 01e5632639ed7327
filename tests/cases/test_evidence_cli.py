"""`varde export evidence|verify|pubkey`: documented exit codes, and checking a bundle elsewhere with the public key."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from varde.cli import cli

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
