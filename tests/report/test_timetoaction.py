from __future__ import annotations

import pytest

from varde.report.facts import CaseFact
from varde.report.timetoaction import deadline_passed_first, time_to_action

from .conftest import AS_OF


def test_time_to_action_for_all_and_per_district(hand_facts: list[CaseFact]) -> None:
    rows = {(r.district, r.quarter): r for r in time_to_action(hand_facts, ["2025Q3"], AS_OF)}
    everyone = rows[("all", "2025Q3")]
    assert everyone.cases == 5  # A B C F J
    # detection hours A2 B4 C1 F6 J3 → sorted 1 2 3 4 6: median 3, p90 = 4 + 0.6·(6 − 4) = 5.2
    assert (everyone.detection.n, everyone.detection.median_h) == (5, 3.0)
    assert everyone.detection.p90_h == pytest.approx(5.2)
    # uncovered A10 B20 → median 15, p90 19; prevented A34
    assert everyone.uncovered.median_h == 15.0
    assert everyone.uncovered.p90_h == pytest.approx(19.0)
    assert (everyone.prevented.n, everyone.prevented.median_h) == (1, 34.0)
    # deadlines: A acted first; B's deadline 18:00 before uncovered 04:00 next day; C never acted on
    assert (everyone.with_deadline, everyone.deadline_passed_first) == (3, 2)
    oslo = rows[("Oslo", "2025Q3")]
    assert (oslo.cases, oslo.detection.median_h) == (2, 3.0)
    assert oslo.detection.p90_h == pytest.approx(3.8)
    assert (oslo.with_deadline, oslo.deadline_passed_first) == (2, 1)


def test_deadline_not_yet_passed_is_not_counted(hand_facts: list[CaseFact]) -> None:
    c = next(f for f in hand_facts if f.case_id == "C")
    assert deadline_passed_first(c, c.first_post_at) is False
    assert deadline_passed_first(c, AS_OF) is True
    j = next(f for f in hand_facts if f.case_id == "J")
    assert deadline_passed_first(j, AS_OF) is None


def test_districts_given_fix_the_rows_and_their_order(hand_facts: list[CaseFact]) -> None:
    rows = time_to_action(hand_facts, ["2025Q3"], AS_OF, districts=["Øst", "Finnmark"])
    assert [r.district for r in rows] == ["all", "Øst", "Finnmark"]
    assert rows[2].cases == 0 and rows[2].detection.median_h is None
