"""Ids no case can have (0, negative, past the column's range) are simply not found, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from varde.cases.access import Actor
from varde.cases.service import CaseChange, CaseService
from varde.errors import NotFound


@pytest.mark.parametrize("case_id", [0, -1, 2**31, 2**63, 10**20])
def test_impossible_case_ids_are_not_found(
    service: CaseService, users: dict[str, Actor], oslo_and_vest: dict[str, int], case_id: int
) -> None:
    with pytest.raises(NotFound):
        service.get_case(users["ana"], case_id)
    with pytest.raises(NotFound):
        service.apply_changes(users["ana"], [CaseChange(case_id, "note", "x")])
    with pytest.raises(NotFound):
        service.merge(users["sig"], oslo_and_vest["oslo"], case_id, "dup")
