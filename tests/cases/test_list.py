"""The triage list: filters, urgency order, pagination and counts per status."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from varde.cases.access import Actor
from varde.cases.ingest import ingest
from varde.cases.service import CaseFilter, CaseService
from varde.errors import InputError
from varde.records import Record, When
from varde.store import Store

from .conftest import T0, Clock, make_record


@pytest.fixture
def many(store: Store) -> None:
    rows = []
    for i in range(12):
        rows.append(
            make_record(
                f"p:{i}",
                f"o-{i:02d}",
                district=["Oslo", "Vest", "Øst"][i % 3],
                urgency=i / 12,
                violence=[("shooting",), ("arson", "threat"), ("stabbing",)][i % 3],
                platform=["telegram", "snapchat"][i % 2],
                language=["nb", "sv"][i % 2],
                minutes=i * 60 * 24,
            )
        )
    ingest(store, rows, now=T0)


def test_sorted_by_priority_then_urgency(service: CaseService, users: dict[str, Actor], many: None) -> None:
    items = service.list_cases(users["ana"], per_page=100).items
    keys = [(c.priority, c.urgency) for c in items]
    assert keys == sorted(keys, reverse=True) and len(items) == 12


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        (CaseFilter(districts=("Oslo",)), 4),
        (CaseFilter(districts=("Oslo", "Vest")), 8),
        (CaseFilter(violence_types=("threat",)), 4),
        (CaseFilter(violence_types=("threat", "stabbing")), 8),
        (CaseFilter(platforms=("snapchat",)), 6),
        (CaseFilter(languages=("sv",)), 6),
        (CaseFilter(since=T0 + timedelta(days=3), until=T0 + timedelta(days=6)), 3),
        (CaseFilter(districts=("Oslo",), platforms=("telegram",)), 2),
        (CaseFilter(min_priority=4), 4),
        (CaseFilter(text="p:11)"), 1),
    ],
)
def test_filters(service: CaseService, users: dict[str, Actor], many: None, flt: CaseFilter, expected: int) -> None:
    page = service.list_cases(users["ana"], flt, per_page=100)
    assert page.total == expected == len(page.items)


def test_pagination_and_counts_per_status(service: CaseService, users: dict[str, Actor], many: None) -> None:
    ana = users["ana"]
    first = service.list_cases(ana, per_page=5)
    for case in first.items[:2]:
        service.set_status(ana, case.id, "dismissed", "not an order")
    pages = [service.list_cases(ana, per_page=5, page=n) for n in (1, 2, 3)]
    ids = [c.id for p in pages for c in p.items]
    assert len(ids) == len(set(ids)) == 12 and pages[0].pages == 3
    detected = service.list_cases(ana, CaseFilter(states=("detected",)), per_page=5)
    assert detected.total == 10 and detected.counts["dismissed"] == 2 and detected.counts["detected"] == 10
    assert detected.counts["prevented"] == 0


def test_investigator_counts_only_their_district(service: CaseService, users: dict[str, Actor], many: None) -> None:
    page = service.list_cases(users["vera"])
    assert page.total == 4 and all(c.district == "Vest" for c in page.items)
    assert sum(page.counts.values()) == 4


def test_other_sorts_and_bad_sort(service: CaseService, users: dict[str, Actor], many: None) -> None:
    newest = service.list_cases(users["ana"], sort="newest", per_page=3).items
    assert [c.first_seen_at for c in newest] == sorted((c.first_seen_at for c in newest), reverse=True)
    assert newest[0].order_id == "o-11"
    with pytest.raises(InputError):
        service.list_cases(users["ana"], sort="random")


def _timed(post_id: str, order_id: str, urgency: float, start: timedelta, hours: float) -> Record:
    """An order whose time window starts `start` after T0 and lasts `hours`."""
    record = make_record(post_id, order_id, urgency=urgency)
    when = When("ikveld", T0 + start, T0 + start + timedelta(hours=hours))
    return replace(record, when=when)


@pytest.fixture
def timed(store: Store) -> None:
    ingest(
        store,
        [
            _timed("p:old", "o-old", 0.98, timedelta(hours=2), 10),  # tonight: most urgent when posted
            _timed("p:later", "o-later", 0.6, timedelta(days=30), 4),  # next month
            make_record("p:undated", "o-undated", urgency=0.4),  # no time stated
        ],
        now=T0,
    )


def test_once_the_time_has_passed_the_case_leaves_the_top_and_is_marked(
    service: CaseService, users: dict[str, Actor], clock: Clock, timed: None
) -> None:
    ana = users["ana"]
    first = service.list_cases(ana).items
    assert [c.order_id for c in first] == ["o-old", "o-later", "o-undated"]
    assert first[0].urgency_band(clock.now) == "imminent"
    clock.advance(days=487)  # the window of o-old ended long ago; o-later's too
    items = service.list_cases(ana).items
    assert [c.order_id for c in items] == ["o-undated", "o-old", "o-later"]
    assert [c.urgency_band(clock.now) for c in items] == ["undated", "time_passed", "time_passed"]
    passed = service.list_cases(ana, CaseFilter(time="passed")).items
    preventable = service.list_cases(ana, CaseFilter(time="preventable")).items
    assert {c.order_id for c in passed} == {"o-old", "o-later"}
    assert [c.order_id for c in preventable] == ["o-undated"]
    clock.now = T0 + timedelta(days=2)  # only tonight's window is over
    assert [c.order_id for c in service.list_cases(ana, CaseFilter(time="passed")).items] == ["o-old"]
    with pytest.raises(InputError):
        service.list_cases(ana, CaseFilter(time="soonish"))
