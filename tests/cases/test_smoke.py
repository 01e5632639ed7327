from __future__ import annotations

from varde.cases.access import Actor
from varde.cases.service import CaseFilter, CaseService


def test_smoke(service: CaseService, users: dict[str, Actor], oslo_and_vest: dict[str, int]) -> None:
    page = service.list_cases(users["ana"], CaseFilter())
    assert page.total == 2
    detail = service.get_case(users["ana"], oslo_and_vest["oslo"])
    assert len(detail.posts) == 2
    changed = service.set_status(users["ana"], oslo_and_vest["oslo"], "uncovered", "confirmed")
    assert changed.version == 2
    assert service.verify_audit().ok
