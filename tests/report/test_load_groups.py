"""`load_tally_groups` (the dashboard's aggregate read) counts exactly what the case-by-case facts count, on both
database backends, across quarters, an Oslo quarter boundary, states and district scopes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from varde.cases.ingest import ingest
from varde.cases.service import CaseService
from varde.report.load import load_facts, load_tally_groups
from varde.report.stats import QuarterStats
from varde.store import Store

from .test_load import OPERATOR, T0, Clock, record

# 2025-09-30 22:30 UTC is 1 October 00:30 in Oslo: the fourth quarter, not the third.
OSLO_Q4_MINUTES = 57 * 1440 + 270


@pytest.fixture
def filled(database_url: str) -> Iterator[Store]:
    store = Store.open(database_url)
    ingest(
        store,
        [
            record("telegram:a:1", "o-1", "Oslo", 0, "monitoring"),
            record("telegram:a:2", "o-1", "Oslo", 20, "monitoring"),
            record("telegram:a:3", "o-2", "Vest", 10, "partner"),
            record("telegram:a:4", "o-3", "Oslo", OSLO_Q4_MINUTES, "monitoring"),
            record("telegram:a:5", "o-4", "Stockholm", 200_000, "monitoring"),
            record("telegram:a:6", "o-5", "Vest", 30, "monitoring"),
        ],
        now=T0 + timedelta(days=200),
    )
    clock = Clock()
    service = CaseService(store, clock=clock)
    with store.engine.connect() as conn:
        ids = {f.order_id: int(f.case_id) for f in load_facts(conn)}
    service.set_status(OPERATOR, ids["o-1"], "uncovered", "confirmed")
    clock.now = T0 + timedelta(days=70)  # the next quarter
    service.set_status(OPERATOR, ids["o-1"], "prevented", "patrol")
    service.set_status(OPERATOR, ids["o-2"], "dismissed", "not an order")
    service.set_status(OPERATOR, ids["o-5"], "uncovered", "confirmed")
    service.set_status(OPERATOR, ids["o-5"], "executed", "it happened")
    yield store
    store.close()


@pytest.mark.parametrize("scope", [None, frozenset({"Oslo"}), frozenset({"Vest", "Stockholm"}), frozenset()])
def test_groups_count_as_the_cases_do(filled: Store, scope: frozenset[str] | None) -> None:
    with filled.engine.connect() as conn:
        facts = load_facts(conn, scope)
        groups = load_tally_groups(conn, scope)
    one_by_one = QuarterStats(facts)
    grouped = QuarterStats((fact for fact, _ in groups), (weight for _, weight in groups))
    assert sum(weight for _, weight in groups) == len(facts)
    assert grouped.quarters == one_by_one.quarters
    for dimension in ("all", "country", "district_no", "region_se", "violence_type"):
        assert grouped.values(dimension) == one_by_one.values(dimension)
        for value in one_by_one.values(dimension):
            for quarter in one_by_one.quarters:
                assert grouped.counts(quarter, dimension, value) == one_by_one.counts(quarter, dimension, value)
    if scope is None:
        assert "2025Q4" in grouped.quarters and grouped.counts("2025Q4", "district_no", "Oslo").unique_orders == 1
