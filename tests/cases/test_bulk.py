"""Bulk changes (`CaseService.apply_changes`, `varde case bulk`): one transaction, all or nothing, and every change
still checked (access, version, lifecycle) and still recorded in the history and the audit chain."""

from __future__ import annotations

import contextlib
import json
import threading
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import CliRunner, Result

from varde.cases.access import Actor
from varde.cases.service import CaseChange, CaseService
from varde.cli import cli
from varde.errors import (
    AccessDenied,
    Conflict,
    InputError,
    InvalidTransition,
    NotFound,
    VardeError,
    exit_code,
)
from varde.store import Store


def _snapshot(store: Store) -> dict[str, Any]:
    """What a refused batch must leave untouched: every case row, the history, the audit chain's length."""
    with store.engine.connect() as conn:
        return {
            "cases": conn.execute(sa.text("SELECT id, state, version, notes, assignee, priority FROM cases")).all(),
            "events": conn.execute(sa.text("SELECT count(*) FROM case_events")).scalar_one(),
            "changes": conn.execute(
                sa.text("SELECT count(*) FROM audit_events WHERE action = 'case.change'")
            ).scalar_one(),
        }


def _denials(store: Store) -> list[tuple[str, str]]:
    with store.engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT actor, details FROM audit_events WHERE action = 'access.denied'")).all()
    return [(r.actor, json.loads(r.details)["message"]) for r in rows]


def test_bulk_applies_every_change_with_its_own_history_and_audit_event(
    service: CaseService, users: dict[str, Actor], oslo_and_vest: dict[str, int], store: Store
) -> None:
    oslo, vest, sig = oslo_and_vest["oslo"], oslo_and_vest["vest"], users["sig"]
    after = service.apply_changes(
        sig,
        [
            CaseChange(oslo, "note", "first look"),
            CaseChange(vest, "assign", "ana", "triage"),
            CaseChange(oslo, "status", "uncovered", "confirmed order", expected_version=2),
            CaseChange(oslo, "priority", 5, "weapons mentioned"),
            CaseChange(vest, "district", "Oslo", "address found"),
            CaseChange(oslo, "status", "prevented", "patrol at the address"),
        ],
    )
    assert [(c.id, c.state, c.version) for c in after] == [(oslo, "prevented", 5), (vest, "detected", 3)]
    oslo_now = service.get_case(sig, oslo)
    assert (oslo_now.case.state, oslo_now.case.priority, oslo_now.case.version) == ("prevented", 5, 5)
    assert oslo_now.case.notes.endswith("sig] first look")
    assert [(e.action, e.from_state, e.to_state, e.reason) for e in oslo_now.events[1:]] == [
        ("note", None, None, "first look"),
        ("status", "detected", "uncovered", "confirmed order"),
        ("priority", None, None, "weapons mentioned"),
        ("status", "uncovered", "prevented", "patrol at the address"),
    ]
    vest_now = service.get_case(sig, vest).case
    assert (vest_now.assignee, vest_now.district, vest_now.district_overridden) == ("ana", "Oslo", True)
    with store.engine.connect() as conn:
        details = [
            json.loads(d)
            for d in conn.execute(
                sa.text("SELECT details FROM audit_events WHERE action = 'case.change' AND actor = 'sig' ORDER BY seq")
            ).scalars()
        ]
    assert [(d["change"], d["version"]) for d in details] == [
        ("note", 2),
        ("assign", 2),
        ("status", 3),
        ("priority", 4),
        ("district", 3),
        ("status", 5),
    ]
    assert service.verify_audit().ok


def test_an_illegal_transition_rolls_back_the_whole_batch(
    service: CaseService, users: dict[str, Actor], oslo_and_vest: dict[str, int], store: Store
) -> None:
    oslo, vest = oslo_and_vest["oslo"], oslo_and_vest["vest"]
    before = _snapshot(store)
    with pytest.raises(InvalidTransition, match=r"change 3: case .* cannot go from 'detected' to 'prevented'"):
        service.apply_changes(
            users["sig"],
            [
                CaseChange(oslo, "status", "uncovered", "confirmed"),
                CaseChange(oslo, "note", "patrol sent"),
                CaseChange(vest, "status", "prevented", "skipping ahead"),
                CaseChange(vest, "note", "never written"),
            ],
        )
    assert _snapshot(store) == before
    result = service.verify_audit()
    assert result.ok, result.message


def test_lifecycle_is_checked_against_the_batchs_own_earlier_changes(
    service: CaseService, users: dict[str, Actor], oslo_and_vest: dict[str, int], store: Store
) -> None:
    oslo = oslo_and_vest["oslo"]
    before = _snapshot(store)
    with pytest.raises(InvalidTransition, match="'dismissed' is final"):
        service.apply_changes(
            users["ana"],
            [CaseChange(oslo, "status", "dismissed", "spam"), CaseChange(oslo, "status", "uncovered", "no, real")],
        )
    assert _snapshot(store) == before


def test_a_case_the_user_may_not_see_refuses_the_batch_and_is_audited(
    service: CaseService, users: dict[str, Actor], oslo_and_vest: dict[str, int], store: Store
) -> None:
    oslo, vest, vera = oslo_and_vest["oslo"], oslo_and_vest["vest"], users["vera"]
    before = _snapshot(store)
    with pytest.raises(NotFound, match=f"change 2: no case {oslo}$"):
        service.apply_changes(vera, [CaseChange(vest, "note", "mine"), CaseChange(oslo, "note", "not mine")])
    assert _snapshot(store) == before
    assert _denials(store) == [("vera", f"change 2: no case {oslo}")]
    # Investigators may change their own cases, but not move them to another district.
    with pytest.raises(AccessDenied, match="change a case's district"):
        service.apply_changes(vera, [CaseChange(vest, "district", "Oslo", "moved")])
    with pytest.raises(NotFound, match="no case 999999"):
        service.apply_changes(users["ana"], [CaseChange(999999, "note", "typo")])
    with pytest.raises(AccessDenied, match="assign cases"):
        service.apply_changes(users["ana"], [CaseChange(oslo, "assign", "ana", "me")])
    with pytest.raises(AccessDenied, match="may not read cases"):
        service.apply_changes(users["aud"], [CaseChange(oslo, "note", "auditors only read")])
    assert _snapshot(store) == before
    assert service.verify_audit().ok


def test_versions_are_checked_per_change(
    service: CaseService, users: dict[str, Actor], oslo_and_vest: dict[str, int], store: Store
) -> None:
    oslo, ana = oslo_and_vest["oslo"], users["ana"]
    service.add_note(ana, oslo, "someone else was first")
    before = _snapshot(store)
    with pytest.raises(Conflict, match="expected version 1, now version 2"):
        service.apply_changes(ana, [CaseChange(oslo, "status", "uncovered", "confirmed", expected_version=1)])
    with pytest.raises(Conflict, match=r"change 2: .*expected version 2, now version 3"):
        service.apply_changes(
            ana,
            [
                CaseChange(oslo, "note", "a", expected_version=2),
                CaseChange(oslo, "note", "b", expected_version=2),
            ],
        )
    assert _snapshot(store) == before
    after = service.apply_changes(
        ana, [CaseChange(oslo, "note", "a", expected_version=2), CaseChange(oslo, "note", "b", expected_version=3)]
    )
    assert [c.version for c in after] == [4]


def test_a_change_that_slips_in_under_the_batch_is_a_conflict(
    service: CaseService, users: dict[str, Actor], oslo_and_vest: dict[str, int], store: Store
) -> None:
    """Rows are written back only if still at the version the batch read, so a change in between is not lost."""
    oslo, ana = oslo_and_vest["oslo"], users["ana"]

    slipped: list[int] = []

    def slip_in(_conn: Any, cursor: Any, statement: str, *_args: Any) -> None:
        # Just before the batch writes the case: another writer's change (a version bump) lands first.
        if statement.startswith("UPDATE cases SET") and not slipped:
            slipped.append(oslo)
            cursor.execute(f"UPDATE cases SET version = version + 1 WHERE id = {int(oslo)}")

    sa.event.listen(store.engine, "before_cursor_execute", slip_in)
    try:
        with pytest.raises(Conflict, match=rf"case {oslo} was changed by someone else .*expected version 1, now vers"):
            service.apply_changes(ana, [CaseChange(oslo, "note", "from the batch", expected_version=1)])
    finally:
        sa.event.remove(store.engine, "before_cursor_execute", slip_in)
    assert slipped == [oslo]
    assert service.get_case(ana, oslo).case.version == 1  # rolled back, the bump with it
    # With no version pinned, the batch is read again and retried once.
    slipped.clear()
    sa.event.listen(store.engine, "before_cursor_execute", slip_in)
    try:
        after = service.apply_changes(ana, [CaseChange(oslo, "note", "from the batch")])
    finally:
        sa.event.remove(store.engine, "before_cursor_execute", slip_in)
    assert slipped == [oslo] and after[0].version == 2
    assert service.verify_audit().ok


def test_checks_that_need_no_case_come_first(
    service: CaseService, users: dict[str, Actor], oslo_and_vest: dict[str, int], store: Store
) -> None:
    oslo, sig = oslo_and_vest["oslo"], users["sig"]
    for change, error, message in [
        (CaseChange(oslo, "status", "uncovered", "  "), InvalidTransition, "change 2: a reason is required"),
        (CaseChange(oslo, "note", " "), InvalidTransition, "a reason is required"),
        (CaseChange(oslo, "priority", 9, "x"), InputError, "priority must be 1"),
        (CaseChange(oslo, "district", "Atlantis", "x"), InputError, "unknown district 'Atlantis'"),
        (CaseChange(oslo, "merge", 3, "x"), InputError, "unknown change 'merge'"),
        (CaseChange(oslo, "status", "merged", "x"), InvalidTransition, "use a merge"),
    ]:
        with pytest.raises(error, match=message):
            service.apply_changes(sig, [CaseChange(oslo, "note", "fine"), change])
    with pytest.raises(NotFound, match="change 2: no user 'nobody'"):
        service.apply_changes(sig, [CaseChange(oslo, "note", "fine"), CaseChange(oslo, "assign", "nobody", "x")])
    assert _denials(store) == []  # a typo in a user name is not an attempt on a hidden case
    assert service.apply_changes(sig, []) == []
    assert service.get_case(sig, oslo).case.version == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"case": 1}, "exactly one change"),
        ({"case": 1, "note": "a", "status": "uncovered"}, "exactly one change"),
        ({"case": "1", "note": "a"}, "'case' must be a case id"),
        ({"case": 1, "priority": "5", "reason": "x"}, "'priority' has the wrong type"),
        ({"case": 1, "note": "a", "expect_version": "2"}, "'expect_version' must be an integer"),
        ({"case": 1, "note": "a", "colour": "red"}, "unknown key"),
        ([1, 2], "a change is a JSON object"),
    ],
)
def test_change_from_dict_names_what_is_wrong(data: Any, message: str) -> None:
    with pytest.raises(InputError, match=f"f.jsonl:3: .*{message}"):
        CaseChange.from_dict(data, origin="f.jsonl:3")


def test_change_from_dict_reads_each_kind() -> None:
    assert CaseChange.from_dict({"case": 4, "assign": None, "reason": "off"}) == CaseChange(4, "assign", None, "off")
    assert CaseChange.from_dict({"case": 4, "priority": 2, "reason": "r", "expect_version": 7}) == CaseChange(
        4, "priority", 2, "r", 7
    )


def _cli(args: list[str]) -> tuple[int, str]:
    result: Result = CliRunner().invoke(cli, args)
    if isinstance(result.exception, VardeError):
        return exit_code(result.exception), result.output + str(result.exception)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def test_bulk_by_cli_all_or_nothing_and_the_chain_verifies(
    db_url: str, users: dict[str, Actor], oslo_and_vest: dict[str, int], store: Store, tmp_path: Path
) -> None:
    oslo, vest = oslo_and_vest["oslo"], oslo_and_vest["vest"]
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        json.dumps({"case": oslo, "status": "uncovered", "reason": "confirmed"})
        + "\n\n"
        + json.dumps({"case": vest, "status": "executed", "reason": "too late"})
        + "\n"
    )
    before = _snapshot(store)
    code, output = _cli(["case", "bulk", str(bad), "--as", "sig", "--db", db_url])
    assert code == 7 and f"{bad}:3: case {vest}: cannot go from 'detected' to 'executed'" in output
    assert _snapshot(store) == before
    broken = tmp_path / "broken.jsonl"
    broken.write_text(json.dumps({"case": oslo, "note": "ok"}) + "\n{not json\n")
    code, output = _cli(["case", "bulk", str(broken), "--as", "sig", "--db", db_url])
    assert code == 2 and f"{broken}:2: not JSON" in output
    good = tmp_path / "good.jsonl"
    good.write_text(
        "\n".join(
            json.dumps(line)
            for line in [
                {"case": oslo, "status": "uncovered", "reason": "confirmed"},
                {"case": oslo, "assign": "ana", "reason": "triage"},
                {"case": vest, "priority": 4, "reason": "re-rated"},
                {"case": vest, "note": "called the platform"},
                {"case": oslo, "status": "prevented", "reason": "patrol sent", "expect_version": 3},
            ]
        )
    )
    code, output = _cli(["case", "bulk", str(good), "--as", "sig", "--db", db_url])
    assert code == 0 and "applied 5 change(s) to 2 case(s) in one transaction" in output, output
    code, output = _cli(["case", "bulk", "-", "--json", "--as", "vera", "--db", db_url])
    assert code == 0 and json.loads(output) == []
    code, output = _cli(["audit", "verify", "--db", db_url])
    assert code == 0 and "intact" in output
    with store.engine.connect() as conn:
        count = conn.execute(sa.text("SELECT count(*) FROM audit_events WHERE action = 'case.change'")).scalar_one()
    assert count == 5


def test_concurrent_batches_and_single_changes_keep_history_and_chain_in_step(
    service: CaseService, users: dict[str, Actor], oslo_and_vest: dict[str, int], store: Store
) -> None:
    """Batches over the same cases, in opposite orders, racing single changes: some may lose (Conflict), but the
    chain is never forked and every stored change has exactly one audit event."""
    oslo, vest, ana = oslo_and_vest["oslo"], oslo_and_vest["vest"], users["ana"]
    errors: list[Exception] = []

    def work(i: int) -> None:
        try:
            for j in range(5):
                with contextlib.suppress(Conflict):
                    if i == 2:
                        service.add_note(ana, oslo if j % 2 else vest, f"single {j}")
                    else:
                        first, second = (oslo, vest) if i else (vest, oslo)
                        service.apply_changes(
                            ana, [CaseChange(first, "note", f"bulk {i}.{j}"), CaseChange(second, "note", f"{i}.{j}")]
                        )
        except Exception as error:  # collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    result = service.verify_audit()
    assert result.ok, result.message
    with store.engine.connect() as conn:
        history = conn.execute(sa.text("SELECT count(*) FROM case_events WHERE action = 'note'")).scalar_one()
        audited = conn.execute(sa.text("SELECT count(*) FROM audit_events WHERE action = 'case.change'")).scalar_one()
        versions = conn.execute(sa.text("SELECT sum(version - 1) FROM cases")).scalar_one()
    assert history == audited == versions > 0
