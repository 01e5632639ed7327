from __future__ import annotations

import pytest

from varde.report.facts import CaseFact
from varde.report.stats import Counts, QuarterStats, breakdown, compare


def test_headline_figures_of_the_quarter(hand_facts: list[CaseFact]) -> None:
    stats = QuarterStats(hand_facts)
    assert stats.counts("2025Q3") == Counts(
        raw_ads=8, unique_orders=5, uncovered=3, prevented=1, executed=1, dismissed=1
    )


def test_neighbouring_quarters(hand_facts: list[CaseFact]) -> None:
    stats = QuarterStats(hand_facts)
    assert stats.counts("2025Q2") == Counts(raw_ads=2, unique_orders=1)  # G
    assert stats.counts("2024Q3") == Counts(raw_ads=1, unique_orders=1, uncovered=1)  # H
    # I: first post 2025-09-30 22:00 UTC is 1 October 00:00 in Oslo, so Q4
    assert stats.counts("2025Q4") == Counts(raw_ads=1, unique_orders=1, uncovered=1, prevented=1)


def test_quarter_over_quarter_and_year_over_year(hand_facts: list[CaseFact]) -> None:
    rows = {row.metric: row for row in compare(QuarterStats(hand_facts), "2025Q3")}
    orders = rows["unique_orders"]
    assert (orders.current, orders.previous, orders.year_ago) == (5, 1, 1)
    assert orders.change_qoq == pytest.approx(4.0)
    assert orders.change_yoy == pytest.approx(4.0)
    assert rows["uncovered"].change_qoq is None  # nothing uncovered in 2025Q2
    assert rows["uncovered"].change_yoy == pytest.approx(2.0)


def test_per_police_district(hand_facts: list[CaseFact]) -> None:
    stats = QuarterStats(hand_facts)
    # ads A3 B2 (E is merged: its posts count with the case it joined); orders A B; uncovered A B G
    assert stats.counts("2025Q3", "district_no", "Oslo") == Counts(raw_ads=5, unique_orders=2, uncovered=3, prevented=1)
    assert stats.counts("2025Q3", "district_no", "Øst") == Counts(raw_ads=1, unique_orders=1, dismissed=1)
    assert stats.counts("2025Q3", "region_se", "Stockholm") == Counts(raw_ads=1, unique_orders=1, executed=1)
    assert stats.counts("2025Q3", "district_dk", "(unknown)") == Counts(raw_ads=1, unique_orders=1)


def test_multi_valued_dimensions_count_a_case_under_each_value(hand_facts: list[CaseFact]) -> None:
    stats = QuarterStats(hand_facts)
    assert stats.counts("2025Q3", "violence_type", "shooting").unique_orders == 2  # A B
    assert stats.counts("2025Q3", "violence_type", "explosion").unique_orders == 1  # B
    assert stats.counts("2025Q3", "violence_type", "(unknown)").unique_orders == 3  # C F J
    assert stats.counts("2025Q3", "platform", "snapchat").unique_orders == 2  # B C
    assert stats.counts("2025Q3", "network", "Foxtrot").prevented == 1
    assert stats.counts("2025Q3", "network", "(none)").unique_orders == 3  # B C J
    # ads A3 B2 J1; orders A B J; uncovered A B G; dismissed D
    assert stats.counts("2025Q3", "source", "monitoring") == Counts(
        raw_ads=6, unique_orders=3, uncovered=3, prevented=1, dismissed=1
    )
    assert stats.counts("2025Q3", "source", "tip").unique_orders == 2  # A C


def test_breakdown_lists_values_active_around_the_quarter(hand_facts: list[CaseFact]) -> None:
    rows = dict(breakdown(QuarterStats(hand_facts), "2025Q3", "district_no"))
    assert set(rows) == {"Oslo", "Øst"}  # Vest only has Q4


def test_figures_read_back_from_json_are_the_same(hand_facts: list[CaseFact]) -> None:
    import json

    stats = QuarterStats(hand_facts)
    again = QuarterStats.from_json(json.loads(json.dumps(stats.to_json())))
    assert again.quarters == stats.quarters
    for dimension in ("all", "country", "district_no", "violence_type", "platform", "network", "source"):
        assert again.values(dimension) == stats.values(dimension)
        for value in [*stats.values(dimension), "all"]:
            for quarter in sorted(stats.quarters):
                assert again.counts(quarter, dimension, value) == stats.counts(quarter, dimension, value)


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"cells": [["all", "all", "2025Q3", 1, 2]], "values": {}, "quarters": []},  # too few counts
        {"cells": [["all", "all", "2025Q3", 1, 2, 3, 4, 5, "6"]], "values": {}, "quarters": []},
        {"cells": [], "values": [], "quarters": []},
        [],
    ],
)
def test_what_to_json_did_not_write_is_refused(data: object) -> None:
    with pytest.raises(ValueError):
        QuarterStats.from_json(data)
