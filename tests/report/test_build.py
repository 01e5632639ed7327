from __future__ import annotations

from varde.report.build import build_report
from varde.report.facts import CaseFact
from varde.report.stats import fact_events

from .conftest import AS_OF


def test_headline_table_of_the_report(hand_facts: list[CaseFact]) -> None:
    report = build_report(hand_facts, "2025Q3", as_of=AS_OF)
    table = report.table("headline")
    assert table.columns[:2] == ("Figure", "2025Q3")
    rows = {row[0]: row[1:] for row in table.rows}
    # current, previous quarter, change %, a year before, change %
    assert rows["Raw ads"] == (8, 2, 300.0, 1, 700.0)
    assert rows["Unique orders"] == (5, 1, 400.0, 1, 400.0)
    assert rows["Uncovered"] == (3, 0, None, 1, 200.0)
    assert rows["Prevented"] == (1, 0, None, 0, None)
    assert rows["Executed"] == (1, 0, None, 0, None)
    assert rows["Dismissed"] == (1, 0, None, 0, None)
    assert report.district_figures["Oslo"]["uncovered"] == 3
    assert report.top_networks == (("Foxtrot", 1), ("Rumba", 1))


def test_access_limits_every_figure_to_the_users_districts(hand_facts: list[CaseFact]) -> None:
    report = build_report(hand_facts, "2025Q3", districts=["Øst"], as_of=AS_OF)
    assert report.scope == ("Øst",)
    rows = {row[0]: row[1] for row in report.table("headline").rows}
    assert (rows["Raw ads"], rows["Unique orders"], rows["Dismissed"]) == (1, 1, 1)
    assert list(report.district_figures) == ["Øst"]
    assert report.top_networks == ()
    assert {row[0] for row in report.table("by_district_no").rows} == {"Øst"}
    assert report.dark.observed == 1


def test_forecasts_for_series_with_enough_history(hand_facts: list[CaseFact]) -> None:
    report = build_report(hand_facts, "2025Q3", as_of=AS_OF)
    groups = {f.group: f for f in report.forecasts}
    # all: unique orders 2024Q3 … 2025Q3 = 1 0 0 1 5; Oslo = 1 0 0 1 2; Øst (one quarter with orders) has none
    assert [count for _, count in groups["all"].history] == [1, 0, 0, 1, 5]
    assert [count for _, count in groups["Oslo"].history] == [1, 0, 0, 1, 2]
    assert "Øst" not in groups
    assert [p.quarter for p in groups["all"].points] == ["2025Q4", "2026Q1", "2026Q2", "2026Q3"]


def test_empty_store_gives_an_empty_report() -> None:
    report = build_report([], "2025Q3", as_of=AS_OF)
    assert report.n_cases == 0
    assert report.dark.chosen is None
    assert report.forecasts == ()


def test_cases_in_scope_are_those_of_the_quarter(hand_facts: list[CaseFact]) -> None:
    report = build_report(hand_facts, "2025Q3", as_of=AS_OF)
    # Every case with a figure in 2025Q3 (first post, uncovered, prevented, executed or dismissed then), not all.
    counted = {f.case_id for f in hand_facts if any(q == "2025Q3" for _, q, _ in fact_events(f))}
    assert report.n_cases == len(counted) < len(hand_facts)
    assert build_report(hand_facts, "2019Q1", as_of=AS_OF).n_cases == 0
