"""`varde signals …`: create, collect, export (both formats), import, banks, token — acting as a user, audited."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result
from sqlalchemy import select

from tests.signals.conftest import media_root, source_db  # noqa: F401  (fixtures: the flyer order, confirmed)
from varde.cases.access import Actor
from varde.cli import cli
from varde.errors import VardeError, exit_code
from varde.signals.service import SignalService
from varde.store import Store
from varde.store.case_tables import audit_events


def run(args: list[str]) -> tuple[int, str]:
    result: Result = CliRunner().invoke(cli, args)
    if isinstance(result.exception, VardeError):
        return exit_code(result.exception), result.output + str(result.exception)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def test_signals_commands_round_trip(
    source_db: tuple[Store, SignalService, dict[str, Actor]],  # noqa: F811
    tmp_path: Path,
) -> None:
    store, _, _ = source_db
    db = str(store.engine.url)
    assert run(["signals", "create", "orders", "--as", "sig", "--db", db])[0] == 0
    code, output = run(["signals", "collect", "orders", "--as", "sig", "--db", db])
    assert code == 0 and "added 4 signals" in output  # MD5 + TLSH of the text, PDQ of the frame and its ink box
    varde_file, tx_file = tmp_path / "orders.jsonl", tmp_path / "orders.txt"
    assert run(["signals", "export", "--bank", "orders", "-o", str(varde_file), "--as", "sig", "--db", db])[0] == 0
    args = ["signals", "export", "--format", "threatexchange", "-o", str(tx_file), "--as", "sig", "--db", db]
    assert run(args)[0] == 0
    rows = [json.loads(line) for line in varde_file.read_text("utf-8").splitlines()]
    assert {r["signal_type"] for r in rows} == {"md5_text", "text_tlsh", "pdq"}
    assert sorted(line.split()[0] for line in tx_file.read_text("utf-8").splitlines()) == [
        "pdq",
        "pdq",
        "text_tlsh",
    ]
    code, output = run(["signals", "export", "-o", str(tmp_path / "x"), "--as", "ana", "--db", db])
    assert code != 0 and "may not export signals" in output

    code, output = run(["signals", "import", str(tx_file), "--bank", "fp", "--negative", "--as", "sig", "--db", db])
    assert code == 0 and "3 signals added" in output
    code, output = run(["signals", "banks", "--as", "ana", "--db", db])
    assert code == 0 and "fp\tnegative\timport\t3 signals" in output and "orders\tpositive\tvarde\t4 signals" in output
    assert run(["signals", "quarantined", "--as", "ana", "--db", db]) == (0, "")
    code, output = run(["signals", "release", "999", "--reason", "checked", "--as", "sig", "--db", db])
    assert code != 0 and "no signal 999" in output
    code, output = run(["signals", "token", "orders", "--user", "ana", "--as", "adm", "--db", db])
    assert code == 0 and output.strip().splitlines()[-1].startswith("vt_")

    with store.engine.connect() as conn:
        exports = conn.execute(select(audit_events.c.details).where(audit_events.c.action == "signal.export")).all()
    listed = json.loads(exports[0].details)["signals"]
    assert len(listed) == 4 and {kind for _, kind, _ in listed} == {"md5_text", "text_tlsh", "pdq"}


def test_import_refuses_a_malformed_file(
    source_db: tuple[Store, SignalService, dict[str, Actor]],  # noqa: F811
    tmp_path: Path,
) -> None:
    store, _, _ = source_db
    bad = tmp_path / "bad.txt"
    bad.write_text("pdq 00ff\n", encoding="utf-8")
    code, output = run(["signals", "import", str(bad), "--bank", "x", "--as", "sig", "--db", str(store.engine.url)])
    assert code != 0 and "line 1" in output
