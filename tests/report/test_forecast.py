from __future__ import annotations

import math

import pytest

from varde.report.forecast import forecast_series
from varde.report.quarters import quarter_range


def test_exponential_growth_is_recovered_and_forecast() -> None:
    quarters = quarter_range("2023Q1", "2025Q3")  # 11 quarters: seasonal terms included
    counts = [round(100 * 1.1**t) for t in range(len(quarters))]
    forecast = forecast_series("Oslo", quarters, counts)
    assert forecast is not None
    assert forecast.trend_per_year == pytest.approx(1.1**4 - 1, abs=0.02)  # +46 % a year
    assert forecast.trend_lower < forecast.trend_per_year < forecast.trend_upper
    assert [p.quarter for p in forecast.points] == ["2025Q4", "2026Q1", "2026Q2", "2026Q3"]
    for step, point in enumerate(forecast.points, start=len(quarters)):
        assert point.mean == pytest.approx(100 * 1.1**step, rel=0.03)
        assert point.lower < point.mean < point.upper
    assert "seasonality" in forecast.model


def test_overdispersed_counts_widen_the_interval() -> None:
    quarters = quarter_range("2024Q1", "2025Q2")
    calm = forecast_series("a", quarters, [50, 52, 49, 51, 50, 50])
    wild = forecast_series("b", quarters, [20, 90, 30, 80, 25, 85])
    assert calm is not None and wild is not None
    assert wild.dispersion > 1 and calm.dispersion == 1.0
    assert wild.points[0].upper - wild.points[0].lower > 2 * (calm.points[0].upper - calm.points[0].lower)


def test_too_little_history_gives_no_forecast() -> None:
    assert forecast_series("a", quarter_range("2025Q1", "2025Q3"), [1, 2, 3]) is None
    assert forecast_series("a", quarter_range("2024Q1", "2025Q3"), [0] * 7) is None


def test_sparse_series_stay_finite() -> None:
    forecast = forecast_series("Finnmark", quarter_range("2024Q1", "2025Q2"), [0, 0, 0, 0, 1, 1])
    assert forecast is not None
    assert all(math.isfinite(p.upper) for p in forecast.points)


def test_same_seed_same_interval() -> None:
    quarters = quarter_range("2024Q1", "2025Q2")
    counts = [5, 8, 6, 9, 7, 10]
    assert forecast_series("a", quarters, counts, seed=3) == forecast_series("a", quarters, counts, seed=3)


def test_a_single_quarter_with_orders_gives_no_trend() -> None:
    assert forecast_series("Finnmark", quarter_range("2024Q1", "2025Q2"), [0, 0, 0, 0, 0, 3]) is None
