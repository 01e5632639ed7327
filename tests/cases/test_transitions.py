from __future__ import annotations

import contextlib
import threading
from typing import Any

import pytest
import sqlalchemy as sa

from varde.cases.access import Actor
from varde.cases.service import CaseService
from varde.errors import Conflict, InvalidTransition
from varde.store import Store


def test_lifecycle_through_the_service_records_who_when_why(
    service: CaseService, users: dict[str, Actor], oslo_and_vest: dict[str, int]
) -> None:
    ana, oslo = users["ana"], oslo_and_vest["oslo"]
    assert service.set_status(ana, oslo, "uncovered", "identified the buyer").version == 2
    done = service.set_status(ana, oslo, "prevented", "patrol at the address", expected_version=2)
    assert done.state == "prevented" and done.version == 3
    events = service.get_case(ana, oslo).events
    assert [(e.action, e.from_state, e.to_state, e.actor) for e in events] == [
        ("created", None, "detected", "system"),
        ("status", "detected", "uncovered", "ana"),
        ("status", "uncovered", "prevented", "ana"),
    ]
    assert events[1].reason == "identified the buyer"
    with pytest.raises(InvalidTransition, match="'prevented' is final"):
        service.set_status(ana, oslo, "dismissed", "oops")


def test_reason_is_required(service: CaseService, users: dict[str, Actor], oslo_and_vest: dict[str, int]) -> None:
    with pytest.raises(InvalidTransition, match="reason"):
        service.set_status(users["ana"], oslo_and_vest["oslo"], "uncovered", "  ")


def test_illegal_transition_changes_nothing(
    service: CaseService, users: dict[str, Actor], oslo_and_vest: dict[str, int]
) -> None:
    with pytest.raises(InvalidTransition, match="cannot go from 'detected' to 'prevented'"):
        service.set_status(users["ana"], oslo_and_vest["oslo"], "prevented", "skipping ahead")
    case = service.get_case(users["ana"], oslo_and_vest["oslo"]).case
    assert (case.state, case.version) == ("detected", 1)


def test_stale_version_is_a_conflict(
    service: CaseService, users: dict[str, Actor], oslo_and_vest: dict[str, int]
) -> None:
    oslo = oslo_and_vest["oslo"]
    service.add_note(users["ana"], oslo, "first look", expected_version=1)
    with pytest.raises(Conflict, match="expected version 1, now version 2"):
        service.set_status(users["olav"], oslo, "uncovered", "confirmed", expected_version=1)


def test_concurrent_transitions_one_wins_other_conflicts(
    service: CaseService, users: dict[str, Actor], oslo_and_vest: dict[str, int], store: Store
) -> None:
    """Two connections change the same case at once from the same version: exactly one wins."""
    oslo = oslo_and_vest["oslo"]
    barrier = threading.Barrier(2)
    outcomes: dict[str, Any] = {}

    def attempt(name: str, state: str) -> None:
        barrier.wait()
        try:
            outcomes[name] = service.set_status(users[name], oslo, state, f"{name} decides", expected_version=1)
        except Exception as error:  # collected and asserted below
            outcomes[name] = error

    threads = [
        threading.Thread(target=attempt, args=("ana", "uncovered")),
        threading.Thread(target=attempt, args=("olav", "dismissed")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    kinds = sorted(type(v).__name__ for v in outcomes.values())
    assert kinds == ["CaseSummary", "Conflict"], outcomes
    winner = next(v for v in outcomes.values() if not isinstance(v, Exception))
    loser = next(v for v in outcomes.values() if isinstance(v, Exception))
    assert "reload and retry" in str(loser)
    case = service.get_case(users["ana"], oslo).case
    assert (case.state, case.version) == (winner.state, 2)
    with store.engine.connect() as conn:
        changes = conn.execute(sa.text("SELECT count(*) FROM case_events WHERE case_id = :c"), {"c": oslo}).scalar()
    assert changes == 2  # created + the one winning change
    assert service.verify_audit().ok


def test_many_concurrent_writers_keep_the_audit_chain_intact(
    service: CaseService, users: dict[str, Actor], oslo_and_vest: dict[str, int]
) -> None:
    """Reads and changes from several threads append to one unforked chain."""
    oslo, vest = oslo_and_vest["oslo"], oslo_and_vest["vest"]
    errors: list[Exception] = []

    def work(i: int) -> None:
        try:
            for j in range(5):
                service.get_case(users["ana"], oslo if i % 2 else vest)
                # Optimistic locking: a lost race is fine, a forked chain is not.
                with contextlib.suppress(Conflict):
                    service.add_note(users["ana"], oslo if i % 2 else vest, f"note {i}.{j}")
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    result = service.verify_audit()
    assert result.ok, result.message


def test_merge_links_posts_to_the_survivor(
    service: CaseService, users: dict[str, Actor], oslo_and_vest: dict[str, int]
) -> None:
    sig, oslo, vest = users["sig"], oslo_and_vest["oslo"], oslo_and_vest["vest"]
    merged = service.merge(sig, vest, oslo, "same ad in another channel")
    assert (merged.state, merged.merged_into) == ("merged", oslo)
    survivor = service.get_case(sig, oslo)
    assert survivor.case.n_posts == 3 and len(survivor.posts) == 3
    assert survivor.events[-1].action == "absorb"
    with pytest.raises(InvalidTransition, match="itself merged"):
        service.merge(sig, oslo, vest, "backwards")
    with pytest.raises(InvalidTransition, match="into itself"):
        service.merge(sig, oslo, oslo, "self")
    with pytest.raises(InvalidTransition, match="use a merge"):
        service.set_status(sig, oslo, "merged", "no target")
