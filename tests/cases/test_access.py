"""An investigator from Vest can neither list, read, change nor export an Oslo case through the service; the other
roles get exactly what access.py promises. (The CLI routes are in test_cli.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from varde.cases.access import Actor
from varde.cases.accounts import AccountService
from varde.cases.service import CaseFilter, CaseService
from varde.errors import AccessDenied, NotFound
from varde.store import Store


def test_vest_investigator_cannot_touch_an_oslo_case(
    service: CaseService, users: dict[str, Actor], oslo_and_vest: dict[str, int], tmp_path: Path
) -> None:
    vera, oslo, vest = users["vera"], oslo_and_vest["oslo"], oslo_and_vest["vest"]
    page = service.list_cases(vera)
    assert [c.id for c in page.items] == [vest]
    assert page.total == 1 and sum(page.counts.values()) == 1
    assert service.list_cases(vera, CaseFilter(districts=("Oslo",))).total == 0
    assert service.list_cases(vera, CaseFilter(text="Oslo")).total == 0
    with pytest.raises(NotFound):
        service.get_case(vera, oslo)
    with pytest.raises(NotFound):
        service.set_status(vera, oslo, "uncovered", "mine now")
    with pytest.raises(NotFound):
        service.add_note(vera, oslo, "peek")
    with pytest.raises(NotFound):
        service.export_evidence(vera, oslo, tmp_path / "b.zip")
    assert not (tmp_path / "b.zip").exists()
    with pytest.raises((NotFound, AccessDenied)):
        service.merge(vera, vest, oslo, "dup")
    # Nothing changed; the Oslo investigator and the analyst still see it as it was.
    assert service.get_case(users["olav"], oslo).case.state == "detected"
    assert service.get_case(users["ana"], oslo).case.version == 1


def test_vest_investigator_works_on_vest_cases(
    service: CaseService, users: dict[str, Actor], oslo_and_vest: dict[str, int]
) -> None:
    vera, vest = users["vera"], oslo_and_vest["vest"]
    assert service.get_case(vera, vest).case.district == "Vest"
    assert service.set_status(vera, vest, "uncovered", "confirmed").state == "uncovered"
    with pytest.raises(AccessDenied):
        service.assign(vera, vest, "vera", "taking it")
    with pytest.raises(AccessDenied):
        service.set_district(vera, vest, "Oslo", "moving it out of reach")


def test_case_moved_to_oslo_leaves_vest_investigators_view(
    service: CaseService, users: dict[str, Actor], oslo_and_vest: dict[str, int]
) -> None:
    vest = oslo_and_vest["vest"]
    service.set_district(users["ana"], vest, "Oslo", "place was Oslo after all")
    with pytest.raises(NotFound):
        service.get_case(users["vera"], vest)
    assert service.get_case(users["olav"], vest).case.district_overridden


@pytest.mark.parametrize("role_user", ["aud", "adm"])
def test_auditor_and_admin_see_no_cases(
    service: CaseService, users: dict[str, Actor], oslo_and_vest: dict[str, int], role_user: str
) -> None:
    actor = users[role_user]
    with pytest.raises(AccessDenied):
        service.list_cases(actor)
    with pytest.raises(AccessDenied):
        service.get_case(actor, oslo_and_vest["oslo"])
    with pytest.raises(AccessDenied):
        service.set_status(actor, oslo_and_vest["oslo"], "uncovered", "x")


def test_only_auditors_read_the_audit_log(service: CaseService, users: dict[str, Actor]) -> None:
    assert service.audit_log(users["aud"], limit=5)
    for name in ("ana", "vera", "sig", "adm"):
        with pytest.raises(AccessDenied):
            service.audit_log(users[name])


def test_merge_and_assign_are_for_supervisors(
    service: CaseService, users: dict[str, Actor], oslo_and_vest: dict[str, int]
) -> None:
    oslo, vest = oslo_and_vest["oslo"], oslo_and_vest["vest"]
    with pytest.raises(AccessDenied):
        service.merge(users["ana"], vest, oslo, "duplicate")
    with pytest.raises(AccessDenied):
        service.assign(users["ana"], oslo, "olav", "his district")
    assert service.assign(users["sig"], oslo, "olav", "his district").assignee == "olav"
    assert service.merge(users["sig"], vest, oslo, "same job re-posted").state == "merged"


def test_only_admins_manage_users(accounts: AccountService, users: dict[str, Actor]) -> None:
    for name in ("ana", "sig", "aud", "vera"):
        with pytest.raises(AccessDenied):
            accounts.add_user(users[name], "new.user", "analyst", password=None)
    assert accounts.add_user(users["adm"], "new.user", "analyst", password=None).role == "analyst"


def test_only_supervisors_read_tip_contacts(service: CaseService, users: dict[str, Actor]) -> None:
    service.add_tip_contact(users["ana"], "tip:web:1", "+4799999999 (tipster)")
    for name in ("ana", "vera", "aud", "adm"):
        with pytest.raises(AccessDenied):
            service.tip_contacts(users[name], "tip:web:1")
    assert [c.contact for c in service.tip_contacts(users["sig"], "tip:web:1")] == ["+4799999999 (tipster)"]


def test_refused_attempts_are_audited(
    service: CaseService, users: dict[str, Actor], oslo_and_vest: dict[str, int], store: Store
) -> None:
    with pytest.raises(NotFound):
        service.get_case(users["vera"], oslo_and_vest["oslo"])
    with store.engine.connect() as conn:
        row = conn.execute(
            sa.text("SELECT actor, object FROM audit_events WHERE action = 'access.denied' ORDER BY seq DESC")
        ).first()
    assert row is not None and tuple(row) == ("vera", f"case:{oslo_and_vest['oslo']}")
    assert service.verify_audit().ok
