"""The audit chain: every read, search, change, export and login leaves an event; tampering is found and named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from varde.cases import audit
from varde.cases.access import Actor
from varde.cases.audit import event_hash
from varde.cases.service import CaseService
from varde.cli import cli
from varde.errors import IntegrityError, VardeError, exit_code
from varde.keys import Signer, installed_public_key, signer
from varde.store import Store
from varde.store.case_tables import audit_events


def _actions(store: Store) -> list[tuple[str, str, str]]:
    with store.engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT actor, action, object FROM audit_events ORDER BY seq")).all()
    return [tuple(r) for r in rows]


def _verify_cli(db_url: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["audit", "verify", "--db", db_url])
    if isinstance(result.exception, IntegrityError):
        return exit_code(result.exception), str(result.exception)
    return result.exit_code, result.output


@pytest.fixture
def busy(service: CaseService, users: dict[str, Actor], oslo_and_vest: dict[str, int], tmp_path: Path) -> None:
    """A few reads, searches, changes and an export: a chain of some length."""
    ana, oslo = users["ana"], oslo_and_vest["oslo"]
    service.list_cases(ana)
    service.get_case(ana, oslo)
    service.set_status(ana, oslo, "uncovered", "confirmed")
    service.add_note(ana, oslo, "called the platform")
    service.export_evidence(ana, oslo, tmp_path / "e.zip", media_folder=tmp_path / "media", keys=tmp_path / "keys")


def test_every_kind_of_access_is_audited(
    service: CaseService, users: dict[str, Actor], oslo_and_vest: dict[str, int], store: Store, busy: None
) -> None:
    oslo = oslo_and_vest["oslo"]
    got = _actions(store)
    assert ("system", "case.create", f"case:{oslo}") in got
    for action in ("case.search", "case.read", "case.change", "case.export"):
        assert ("ana", action, f"case:{oslo}" if action != "case.search" else "cases") in got
    with store.engine.connect() as conn:
        change = conn.execute(
            sa.text("SELECT source, details FROM audit_events WHERE action = 'case.change' ORDER BY seq")
        ).first()
    assert change is not None and change.source == "test"
    details = json.loads(change.details)
    assert (details["from_state"], details["to_state"], details["reason"]) == ("detected", "uncovered", "confirmed")


def test_chain_verifies(service: CaseService, busy: None, db_url: str) -> None:
    result = service.verify_audit()
    assert result.ok and result.events >= 10
    code, output = _verify_cli(db_url)
    assert code == 0 and "intact" in output


def test_altered_row_is_named(service: CaseService, store: Store, busy: None, db_url: str) -> None:
    with store.begin() as conn:
        conn.execute(sa.text("UPDATE audit_events SET actor = 'someone-else' WHERE seq = 5"))
    result = service.verify_audit()
    assert (result.ok, result.broken_seq) == (False, 5)
    code, message = _verify_cli(db_url)
    assert code == 8 and "audit event 5 was altered" in message


def test_altered_and_rehashed_row_is_named(service: CaseService, store: Store, busy: None) -> None:
    """A forger who also recomputes the row's own hash still breaks the next row's link."""
    with store.begin() as conn:
        row = conn.execute(sa.select(audit_events).where(audit_events.c.seq == 4)).one()
        forged = event_hash(4, row.at, "ghost", row.action, row.object, row.source, row.details, row.prev_hash)
        conn.execute(sa.text("UPDATE audit_events SET actor = 'ghost', hash = :h WHERE seq = 4"), {"h": forged})
    result = service.verify_audit()
    assert (result.ok, result.broken_seq) == (False, 4)


def test_deleted_row_is_named(service: CaseService, store: Store, busy: None, db_url: str) -> None:
    with store.begin() as conn:
        conn.execute(sa.text("DELETE FROM audit_events WHERE seq = 6"))
    result = service.verify_audit()
    assert (result.ok, result.broken_seq) == (False, 6)
    code, message = _verify_cli(db_url)
    assert code == 8 and "audit event 6 is missing" in message


def test_deleted_last_row_is_named(service: CaseService, store: Store, busy: None) -> None:
    with store.begin() as conn:
        last = conn.execute(sa.text("SELECT max(seq) FROM audit_events")).scalar_one()
        conn.execute(sa.text("DELETE FROM audit_events WHERE seq = :s"), {"s": last})
    result = service.verify_audit()
    assert (result.ok, result.broken_seq) == (False, last)


def test_audit_log_reads_are_audited_too(service: CaseService, users: dict[str, Actor], store: Store) -> None:
    events = service.audit_log(users["aud"], limit=3)
    assert len(events) == 3 and events[0].seq > events[-1].seq
    assert _actions(store)[-1] == ("aud", "audit.read", "audit")


# --- checkpoints: cutting the newest events, or wiping the chain, is found only against a head kept elsewhere


def _cut_to(store: Store, keep: int) -> None:
    """What an attacker with database access does: delete events after `keep` and point the head at the new end."""
    with store.begin() as conn:
        conn.execute(sa.delete(audit_events).where(audit_events.c.seq > keep))
        last = conn.execute(sa.select(audit_events.c.hash).where(audit_events.c.seq == keep)).scalar()
        conn.execute(sa.text("UPDATE audit_head SET seq = :s, hash = :h"), {"s": keep, "h": last or "0" * 64})


def _cli(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    result = CliRunner().invoke(cli, args, env=env)
    if isinstance(result.exception, VardeError):
        return exit_code(result.exception), result.output + str(result.exception)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


@pytest.mark.parametrize("keep", [0, 3], ids=["wiped", "cut"])
def test_a_cut_chain_verifies_alone_but_fails_its_checkpoint(
    store: Store, busy: None, db_url: str, tmp_path: Path, keep: int
) -> None:
    env = {"VARDE_KEY_DIR": str(tmp_path / "keys")}
    mark = tmp_path / "checkpoint.json"
    code, output = _cli(["audit", "checkpoint", "-o", str(mark), "--db", db_url], env)
    assert code == 0 and mark.exists()
    code, output = _cli(["audit", "verify", "--checkpoint", str(mark), "--db", db_url], env)
    assert code == 0 and "holds" in output
    _cut_to(store, keep)
    assert _verify_cli(db_url)[0] == 0  # the chain alone cannot tell
    code, output = _cli(["audit", "verify", "--checkpoint", str(mark), "--db", db_url], env)
    assert code == 8 and "is gone: the chain was cut back to" in output


def test_a_checkpoint_holds_as_the_chain_grows_and_a_forged_one_fails(
    service: CaseService, users: dict[str, Actor], store: Store, busy: None, tmp_path: Path
) -> None:
    keys = tmp_path / "keys"
    with store.engine.connect() as conn:
        mark = audit.checkpoint(conn, signer(keys))
    service.list_cases(users["ana"])  # more events after the checkpoint
    public = installed_public_key(keys)
    assert public is not None
    with store.engine.connect() as conn:
        assert audit.check_checkpoint(conn, mark, public).ok
        value = json.loads(mark)
        forged = json.dumps(value | {"seq": value["seq"] - 1}).encode()  # edited without the key
        assert "signature is not valid" in audit.check_checkpoint(conn, forged, public).message
        other = Signer(b"\x05" * 32)
        assert not audit.check_checkpoint(conn, mark, other.public).ok
        assert not audit.check_checkpoint(conn, b"\xff not json", public).ok
    # The chain rewritten from the checkpoint's event on (same length, new hashes): found too.
    with store.begin() as conn:
        conn.execute(sa.update(audit_events).where(audit_events.c.seq == value["seq"]).values(hash="f" * 64))
    with store.engine.connect() as conn:
        assert "the chain was rewritten" in audit.check_checkpoint(conn, mark, public).message


def test_checkpoint_files_need_a_key_to_check(store: Store, busy: None, db_url: str, tmp_path: Path) -> None:
    env = {"VARDE_KEY_DIR": str(tmp_path / "keys")}
    mark = tmp_path / "checkpoint.json"
    assert _cli(["audit", "checkpoint", "-o", str(mark), "--db", db_url], env)[0] == 0
    code, _ = _cli(["audit", "verify", "--checkpoint", str(mark), "--db", db_url], {"VARDE_KEY_DIR": str(tmp_path)})
    assert code == 3  # no installation key there
    pem = tmp_path / "pub.pem"
    assert _cli(["export", "pubkey", "-o", str(pem), "--db", db_url], env)[0] == 0
    code, output = _cli(
        ["audit", "verify", "--checkpoint", str(mark), "--pubkey", str(pem), "--db", db_url],
        {"VARDE_KEY_DIR": str(tmp_path)},
    )
    assert code == 0 and "holds" in output
    code, _ = _cli(["audit", "verify", "--checkpoint", str(tmp_path / "nope"), "--db", db_url], env)
    assert code == 2
