"""The case commands act as a user (--as or VARDE_USER) and obey that user's access, like the service."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from varde.cli import cli
from varde.errors import VardeError, exit_code
from varde.store import Store


def run(args: list[str], *, env: dict[str, str] | None = None, stdin: str | None = None) -> tuple[int, str]:
    """Run a command as `varde` would: Varde errors become their exit codes and one-line messages."""
    result: Result = CliRunner().invoke(cli, args, env=env, input=stdin)
    if isinstance(result.exception, VardeError):
        return exit_code(result.exception), result.output + str(result.exception)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


@pytest.fixture
def cli_db(db_url: str, oslo_and_vest: dict[str, int]) -> str:
    for name, role, district in [
        ("ana", "analyst", None),
        ("vera", "investigator", "Vest"),
        ("sig", "supervisor", None),
    ]:
        args = ["users", "add", name, "--role", role, "--no-password", "--db", db_url]
        if district:
            args += ["--district", district]
        code, output = run(args)
        assert code == 0, output
    return db_url


def test_users_add_reads_password_from_stdin(db_url: str, store: Store) -> None:
    code, output = run(
        ["users", "add", "kari", "--role", "investigator", "--district", "Oslo", "--password-stdin", "--db", db_url],
        stdin="a good long password\n",
    )
    assert code == 0 and "added kari: investigator (Oslo)" in output
    from varde.cases.accounts import AccountService

    assert AccountService(store).login("kari", "a good long password", source="test").name == "kari"
    code, output = run(["users", "add", "bad", "--role", "analyst", "--password-stdin", "--db", db_url], stdin="\n")
    assert code == 2  # bad input (InputError), not bad configuration


def test_case_commands_need_a_user(cli_db: str) -> None:
    code, output = run(["case", "list", "--db", cli_db])
    assert code == 2 and "--as USER" in output
    code, output = run(["case", "list", "--db", cli_db, "--as", "nobody"])
    assert code == 4


def test_vest_investigator_cannot_reach_oslo_case_by_cli(
    cli_db: str, oslo_and_vest: dict[str, int], tmp_path: Path
) -> None:
    oslo, vest = str(oslo_and_vest["oslo"]), str(oslo_and_vest["vest"])
    env = {"VARDE_USER": "vera"}
    code, output = run(["case", "list", "--json", "--db", cli_db], env=env)
    assert code == 0
    assert [c["id"] for c in json.loads(output)["items"]] == [int(vest)]
    code, output = run(["case", "list", "--district", "Oslo", "--json", "--db", cli_db], env=env)
    assert json.loads(output)["total"] == 0
    for args in (
        ["case", "show", oslo],
        ["case", "show", oslo, "--json"],
        ["case", "set-status", oslo, "uncovered", "--reason", "x"],
        ["case", "note", oslo, "x"],
        ["export", "evidence", oslo, "-o", str(tmp_path / "b.zip")],
    ):
        code, output = run([*args, "--db", cli_db], env=env)
        assert code == 4 and f"no case {oslo}" in output, (args, output)
        assert "Oslo" not in output and "nattjobb" not in output
    assert not (tmp_path / "b.zip").exists()
    code, output = run(["case", "merge", vest, oslo, "--reason", "dup", "--db", cli_db], env=env)
    assert code in (4, 6)
    # The analyst sees it untouched.
    code, output = run(["case", "show", oslo, "--json", "--as", "ana", "--db", cli_db])
    assert code == 0 and json.loads(output)["state"] == "detected"


def test_case_workflow_by_cli(cli_db: str, oslo_and_vest: dict[str, int], tmp_path: Path) -> None:
    oslo, vest = str(oslo_and_vest["oslo"]), str(oslo_and_vest["vest"])
    code, output = run(["case", "list", "--status", "detected", "--as", "ana", "--db", cli_db])
    assert code == 0 and "detected: 2" in output
    code, output = run(
        ["case", "set-status", oslo, "uncovered", "--reason", "confirmed", "--as", "ana", "--db", cli_db]
    )
    assert code == 0 and "uncovered (version 2)" in output
    code, output = run(["case", "set-status", oslo, "detected", "--reason", "back", "--as", "ana", "--db", cli_db])
    assert code == 7 and "cannot go from 'uncovered' to 'detected'" in output
    code, output = run(
        [
            "case",
            "set-status",
            oslo,
            "prevented",
            "--reason",
            "x",
            "--expect-version",
            "1",
            "--as",
            "ana",
            "--db",
            cli_db,
        ]
    )
    assert code == 5
    code, output = run(["case", "merge", vest, oslo, "--reason", "dup", "--as", "ana", "--db", cli_db])
    assert code == 6
    code, output = run(["case", "merge", vest, oslo, "--reason", "dup", "--as", "sig", "--db", cli_db])
    assert code == 0 and "merged" in output
    code, output = run(["case", "show", oslo, "--as", "ana", "--db", cli_db])
    assert code == 0 and "detected → uncovered: confirmed" in output
    bundle = tmp_path / "evidence.zip"
    folders = {"VARDE_KEY_DIR": str(tmp_path / "keys"), "VARDE_MEDIA_DIR": str(tmp_path / "media")}
    code, output = run(["export", "evidence", oslo, "-o", str(bundle), "--as", "ana", "--db", cli_db], env=folders)
    assert code == 0 and bundle.exists()
    code, output = run(["export", "verify", str(bundle), "--db", cli_db], env=folders)
    assert code == 0 and output.startswith("OK")
    bundle.write_bytes(bundle.read_bytes().replace(b"manifest", b"manifestX", 1))
    code, output = run(["export", "verify", str(bundle), "--db", cli_db], env=folders)
    assert code == 8
    code, output = run(["audit", "verify", "--db", cli_db])
    assert code == 0 and "intact" in output


def test_case_show_text_has_the_facts_and_labelled_times(cli_db: str, oslo_and_vest: dict[str, int]) -> None:
    code, output = run(["case", "show", str(oslo_and_vest["oslo"]), "--as", "ana", "--db", cli_db])
    assert code == 0, output
    assert "first seen 2025-09-14 20:00 (Oslo)" in output  # T0 is 18:00 UTC
    assert "score 0.90  order yes" in output and "place: 'Oslo' → Oslo · NO" in output
    code, output = run(
        ["case", "show", str(oslo_and_vest["oslo"]), "--as", "ana", "--db", cli_db], env={"VARDE_TIMEZONE": "UTC"}
    )
    assert "first seen 2025-09-14 18:00 (UTC)" in output
    code, output = run(["case", "list", "--as", "ana", "--db", cli_db, "--json"])
    assert json.loads(output)["items"][0]["first_seen_at"].endswith("+00:00")  # ISO 8601 with its offset


def test_case_list_keeps_dates_and_districts_whole_at_80_columns(cli_db: str, oslo_and_vest: dict[str, int]) -> None:
    code, output = run(["case", "list", "--as", "ana", "--db", cli_db], env={"COLUMNS": "80"})
    assert code == 0, output
    lines = output.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert any("first seen (Oslo)" in line for line in lines)  # the zone is named once, in the heading
    rows = [line for line in lines if "2025-09-14 20:" in line]
    assert len(rows) == 2  # dates whole, on their case's line (violence may fold below)
    assert "│ Oslo " in rows[0] and "│ Vest " in rows[1]


def test_db_upgrade_and_current(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    code, output = run(["db", "upgrade", "--db", url])
    assert code == 0 and "empty →" in output
    code, output = run(["db", "current", "--db", url])
    versions = Path(__file__).resolve().parents[2] / "varde" / "store" / "migrations" / "versions"
    newest = max(path.name[:4] for path in versions.glob("[0-9][0-9][0-9][0-9]_*.py"))
    assert (code == 0 and output.count(newest) == 2) or "database" in output


def test_supervisor_commands_tokens_and_audit_log(cli_db: str, oslo_and_vest: dict[str, int]) -> None:
    oslo, vest = str(oslo_and_vest["oslo"]), str(oslo_and_vest["vest"])
    code, output = run(["case", "assign", oslo, "vera", "--reason", "help Oslo", "--as", "sig", "--db", cli_db])
    assert code == 0 and "assigned to vera" in output
    code, output = run(["case", "set-district", vest, "Agder", "--reason", "moved", "--as", "ana", "--db", cli_db])
    assert code == 0 and "district Agder" in output
    code, output = run(["case", "purge", "--days", "0", "--as", "vera", "--db", cli_db])
    assert code == 6
    code, output = run(["case", "purge", "--days", "90", "--as", "sig", "--db", cli_db])
    assert code == 0 and "purged 0" in output
    code, output = run(["users", "token", "ana", "--label", "script", "--db", cli_db])
    assert code == 0 and output.splitlines()[-1].startswith("vt_")  # the token id line goes to stderr
    code, output = run(["users", "list", "--db", cli_db])
    assert code == 0 and "vera\tinvestigator\tVest" in output
    code, output = run(["users", "add", "aud", "--role", "auditor", "--no-password", "--db", cli_db])
    assert code == 0
    code, output = run(["audit", "log", "--limit", "3", "--as", "ana", "--db", cli_db])
    assert code == 6
    code, output = run(["audit", "log", "--limit", "3", "--action", "case.change", "--as", "aud", "--db", cli_db])
    lines = [json.loads(line) for line in output.splitlines()]
    assert code == 0 and [e["details"]["change"] for e in lines] == ["district", "assign"]


def test_case_show_of_a_tip_names_no_order_and_districts_carry_their_country(cli_db: str, store: Store) -> None:
    from dataclasses import replace

    from varde.cases.ingest import ingest

    from .conftest import T0, make_record

    tip = make_record("tip:77", None, platform="tip", district="Øst")
    ingest(store, [replace(tip, post=replace(tip.post, source="tip"))], now=T0)
    code, output = run(["case", "list", "--as", "ana", "--db", cli_db, "--json"])
    [tip_case] = [c for c in json.loads(output)["items"] if c["order_id"] is None]
    code, output = run(["case", "show", str(tip_case["id"]), "--as", "ana", "--db", cli_db])
    assert code == 0, output
    assert "order none (tip)" in output and "None" not in output
    assert "opened as detected" in output and "→ detected" not in output
    assert "district Øst (NO)" in output
    code, output = run(["case", "list", "--as", "ana", "--db", cli_db], env={"COLUMNS": "200"})
    assert code == 0 and "Øst (NO)" in output and "Vest (NO)" in output


def test_case_list_filters_and_marks_cases_whose_time_passed(cli_db: str, store: Store) -> None:
    from dataclasses import replace
    from datetime import timedelta

    from varde.cases.ingest import ingest
    from varde.records import When

    from .conftest import T0, make_record

    when = When("i kveld", T0 + timedelta(hours=2), T0 + timedelta(hours=8))  # long over by the real clock
    ingest(store, [replace(make_record("p:gone", "o-gone", urgency=0.98), when=when)], now=T0)
    code, output = run(["case", "list", "--time", "passed", "--as", "ana", "--db", cli_db, "--json"])
    assert code == 0 and [c["order_id"] for c in json.loads(output)["items"]] == ["o-gone"]
    code, output = run(["case", "list", "--time", "preventable", "--as", "ana", "--db", cli_db, "--json"])
    assert code == 0 and "o-gone" not in {c["order_id"] for c in json.loads(output)["items"]}
    code, output = run(["case", "list", "--as", "ana", "--db", cli_db], env={"COLUMNS": "200"})
    assert code == 0 and "time passed" in output
    [gone] = json.loads(run(["case", "list", "--time", "passed", "--as", "ana", "--db", cli_db, "--json"])[1])["items"]
    code, output = run(["case", "show", str(gone["id"]), "--as", "ana", "--db", cli_db])
    assert code == 0 and "time passed — check outcome" in output
