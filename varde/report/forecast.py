"""Outlook: the trend of unique orders per district and a forecast a year (4 quarters) ahead — a FORECAST, i.e. a
model's extrapolation of the past, not a measurement.

Model (statsmodels GLM): log E[orders in quarter t] = a + b·t (+ a seasonal term per quarter of the year once
there are at least 8 quarters of history), Poisson family with the dispersion estimated from Pearson's χ²
(quasi-Poisson), so counts that vary more than Poisson get wider intervals. The trend is exp(4b) − 1: the change
per year, with its confidence interval. Prediction intervals are simulated (seeded, so a report is reproducible):
coefficients are drawn from their estimated normal distribution, then counts from a Poisson — or, when overdispersed,
a gamma–Poisson with the estimated dispersion — around each draw's mean; the interval is the central 95 %."""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import statsmodels.api as sm

from varde.report.quarters import parse_quarter, shift_quarter

MIN_QUARTERS = 4
MIN_ACTIVE = 2  # quarters with at least one order; a single one gives no trend at all
SEASONAL_FROM = 8
_DRAWS = 4000


@dataclass(frozen=True, slots=True)
class ForecastPoint:
    quarter: str
    mean: float
    lower: float
    upper: float


@dataclass(frozen=True, slots=True)
class Forecast:
    """History, trend (relative change per year with interval) and the forecast for one district (or "all")."""

    group: str
    history: tuple[tuple[str, int], ...]
    trend_per_year: float
    trend_lower: float
    trend_upper: float
    dispersion: float
    model: str
    points: tuple[ForecastPoint, ...]
    level: float


def _design(steps: np.ndarray, quarters: Sequence[str], seasonal: bool) -> np.ndarray:
    columns = [np.ones(len(steps)), steps]
    if seasonal:
        of_year = np.array([parse_quarter(q)[1] for q in quarters])
        columns += [(of_year == season).astype(float) for season in (2, 3, 4)]
    return np.column_stack(columns)


def forecast_series(
    group: str,
    quarters: Sequence[str],
    counts: Sequence[int],
    horizon: int = 4,
    level: float = 0.95,
    seed: int = 0,
) -> Forecast | None:
    """Fit the trend model to a quarterly count series and forecast `horizon` quarters after its last quarter.

    None when there is too little to fit: fewer than 4 quarters, or orders in fewer than 2 of them."""
    if len(quarters) != len(counts):
        raise ValueError("quarters and counts differ in length")
    if len(quarters) < MIN_QUARTERS or sum(1 for count in counts if count > 0) < MIN_ACTIVE:
        return None
    seasonal = len(quarters) >= SEASONAL_FROM
    steps = np.arange(len(quarters), dtype=float)
    design = _design(steps, quarters, seasonal)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = sm.GLM(np.asarray(counts, dtype=float), design, family=sm.families.Poisson()).fit(scale="X2")
    dispersion = max(float(result.scale), 1.0)
    params = np.asarray(result.params)
    cov = np.asarray(result.cov_params()) * (dispersion / float(result.scale))
    slope_se = math.sqrt(max(cov[1, 1], 0.0))
    z = 1.959963984540054 if level == 0.95 else _z(level)
    future = [shift_quarter(quarters[-1], step) for step in range(1, horizon + 1)]
    future_design = _design(np.arange(len(quarters), len(quarters) + horizon, dtype=float), future, seasonal)
    rng = np.random.default_rng(seed)
    cov = (cov + cov.T) / 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        draws = rng.multivariate_normal(params, cov, size=_DRAWS, method="svd")
    # Nearly empty series give huge coefficient uncertainty; cap draws at ~9 million orders a quarter so the
    # simulation stays finite (such an interval is reported as it comes out: absurdly wide, i.e. uninformative).
    means = np.exp(np.clip(draws @ future_design.T, -30, 16))
    rates = rng.gamma(shape=means / (dispersion - 1.0), scale=dispersion - 1.0) if dispersion > 1.0 else means
    simulated = rng.poisson(rates)
    tail = (1 - level) / 2 * 100
    points = tuple(
        ForecastPoint(
            quarter,
            float(np.exp(future_design[i] @ params)),
            float(np.percentile(simulated[:, i], tail)),
            float(np.percentile(simulated[:, i], 100 - tail)),
        )
        for i, quarter in enumerate(future)
    )
    model = "quasi-Poisson GLM, log-linear trend" + (" + quarter-of-year seasonality" if seasonal else "")
    return Forecast(
        group=group,
        history=tuple(zip(quarters, (int(c) for c in counts), strict=True)),
        trend_per_year=_growth(4 * params[1]),
        trend_lower=_growth(4 * (params[1] - z * slope_se)),
        trend_upper=_growth(4 * (params[1] + z * slope_se)),
        dispersion=dispersion,
        model=model,
        points=points,
        level=level,
    )


def _growth(log_ratio: float) -> float:
    """exp(x) − 1, infinite instead of overflowing (a sparse series can have a boundless upper limit)."""
    return math.inf if log_ratio > 700 else math.expm1(log_ratio)


def _z(level: float) -> float:
    from scipy import stats

    return float(stats.norm.ppf(0.5 + level / 2))
