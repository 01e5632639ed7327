from __future__ import annotations

from datetime import UTC, datetime

import pytest

from varde.report.quarters import parse_quarter, quarter_bounds, quarter_of, quarter_range, shift_quarter


def test_parse_and_shift() -> None:
    assert parse_quarter("2025q3") == (2025, 3)
    assert shift_quarter("2025Q1", -1) == "2024Q4"
    assert shift_quarter("2025Q3", -4) == "2024Q3"
    assert quarter_range("2024Q4", "2025Q2") == ["2024Q4", "2025Q1", "2025Q2"]


@pytest.mark.parametrize("text", ["2025Q5", "2025-3", "Q3 2025", ""])
def test_bad_quarters_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_quarter(text)


def test_quarters_follow_oslo_time() -> None:
    assert quarter_of(datetime(2025, 9, 30, 21, 59, tzinfo=UTC)) == "2025Q3"
    assert quarter_of(datetime(2025, 9, 30, 22, 0, tzinfo=UTC)) == "2025Q4"
    start, end = quarter_bounds("2025Q3")
    assert start.astimezone(UTC) == datetime(2025, 6, 30, 22, tzinfo=UTC)
    assert end.astimezone(UTC) == datetime(2025, 9, 30, 22, tzinfo=UTC)
