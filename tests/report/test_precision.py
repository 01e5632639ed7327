"""Observed precision: the share of the detector's flags that analysts confirmed, per district, in the report."""

from __future__ import annotations

from datetime import UTC, datetime

from varde.cases.access import Actor
from varde.cases.ingest import ingest
from varde.cases.verdicts import VerdictService
from varde.report.build import build_report
from varde.report.load import load_flags
from varde.report.precision import ALL, FlagFact, observed_precision
from varde.store import Store

from .test_load import T0, record

Q3 = datetime(2025, 8, 1, tzinfo=UTC)
Q2 = datetime(2025, 5, 1, tzinfo=UTC)
SIG = Actor("sig", "supervisor", frozenset(), "test")


def test_observed_precision_counts_judged_flags_only() -> None:
    flags = [
        FlagFact("a", "Oslo", Q3, True),
        FlagFact("b", "Oslo", Q3, False),
        FlagFact("c", "Oslo", Q3, None),
        FlagFact("d", "Vest", Q3, True),
        FlagFact("e", "Vest", Q2, False),  # another quarter
    ]
    rows = {row.district: row for row in observed_precision(flags, "2025Q3")}
    assert (rows["Oslo"].flags, rows["Oslo"].judged, rows["Oslo"].confirmed, rows["Oslo"].precision) == (3, 2, 1, 0.5)
    assert rows["Vest"].precision == 1.0
    assert (rows[ALL].flags, rows[ALL].judged, rows[ALL].confirmed) == (4, 3, 2)
    assert observed_precision([], "2025Q3")[0].precision is None


def test_the_report_states_observed_precision_from_verdicts(store: Store) -> None:
    ingest(store, [record("p-1", "o-1", "Oslo", 0, "scraper"), record("p-2", "o-2", "Oslo", 5, "scraper")])
    ingest(store, [record("p-3", "o-3", "Vest", 10, "scraper")])
    verdicts = VerdictService(store)
    verdicts.label(SIG, "p-1", is_order=True, reason="a real order", violence_types=["shooting"], district="Oslo")
    verdicts.label(SIG, "p-2", is_order=False, reason="a film quote")
    with store.begin() as conn:
        flags = load_flags(conn)
        assert [f.district for f in load_flags(conn, {"Vest"})] == ["Vest"]
    assert {f.post_id: f.confirmed for f in flags} == {"p-1": True, "p-2": False, "p-3": None}
    report = build_report([], "2025Q3", as_of=T0, flags=flags)
    rows = {row[0]: row for row in report.table("observed_precision").rows}
    assert rows["Oslo"] == ("Oslo", 2, 2, 1, 50.0)
    assert rows["Vest"] == ("Vest", 1, 0, 0, None)
    scoped = build_report([], "2025Q3", districts={"Vest"}, as_of=T0, flags=flags)
    assert [row[0] for row in scoped.table("observed_precision").rows] == ["Vest", ALL]
