from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from varde.report.darkfigure import (
    chapman,
    dark_figure_for_quarter,
    estimate_dark_figure,
    fit_loglinear,
    profile_interval,
)
from varde.report.facts import CaseFact


def test_chapman_by_hand() -> None:
    # N = 61·51/21 − 1 = 147.142857; var = 61·51·40·30/(21²·22) = 384.787; f0 = N − 90 = 57.142857;
    # C = exp(1.96·sqrt(ln(1 + var/f0²))) = 1.92356 → 90 + f0/C = 119.71, 90 + f0·C = 199.92
    estimate = chapman(60, 50, 20)
    assert estimate.observed == 90
    assert estimate.estimate == pytest.approx(147.142857, abs=1e-5)
    assert estimate.lower == pytest.approx(119.71, abs=0.01)
    assert estimate.upper == pytest.approx(199.92, abs=0.01)
    assert estimate.unseen == pytest.approx(57.142857, abs=1e-5)


def test_chapman_refuses_impossible_overlap() -> None:
    with pytest.raises(ValueError):
        chapman(10, 5, 6)


def test_loglinear_independence_with_two_sources_is_lincoln_petersen() -> None:
    # unseen = n10·n01/n11 = 40·30/20 = 60 → N = 90 + 60
    (fit,) = fit_loglinear({(1, 1): 20, (1, 0): 40, (0, 1): 30}, 2)
    assert fit.model == "independence"
    assert fit.estimate == pytest.approx(150.0)


def _histories(captures: np.ndarray) -> Counter[tuple[int, ...]]:
    return Counter(tuple(int(x) for x in row) for row in captures if row.any())


def test_model_choice_finds_a_dependence_between_sources() -> None:
    rng = np.random.default_rng(11)
    size = 3000
    first = rng.random(size) < 0.3
    second = np.where(first, rng.random(size) < 0.6, rng.random(size) < 0.1)  # tips follow monitoring
    third = rng.random(size) < 0.3
    names = ("monitoring", "tip", "partner")
    sets = [
        frozenset(n for n, hit in zip(names, row, strict=True) if hit) for row in zip(first, second, third, strict=True)
    ]
    dark = estimate_dark_figure(sets)
    assert dark.chosen is not None
    assert "monitoring×tip" in dark.chosen.model
    assert dark.models[0].aic <= min(m.aic for m in dark.models)
    assert any(m.model == "independence" for m in dark.models)
    assert dark.chosen.lower <= size <= dark.chosen.upper


def test_two_sources_use_chapman_and_one_source_gives_no_estimate() -> None:
    m, t = frozenset({"monitoring"}), frozenset({"tip"})
    dark = estimate_dark_figure([m | t] * 20 + [m] * 40 + [t] * 30 + [frozenset()] * 5)
    assert dark.chosen is not None and dark.chosen.method == "Chapman"
    assert (dark.observed, dark.unsourced) == (90, 5)
    assert dark.histories == {"11": 20, "10": 40, "01": 30}
    single = estimate_dark_figure([m] * 10)
    assert single.chosen is None and "only monitoring" in single.note


def test_dark_figure_for_quarter_uses_that_quarters_orders(hand_facts: list[CaseFact]) -> None:
    dark = dark_figure_for_quarter(hand_facts, "2025Q3")
    # A {monitoring, tip}, B {monitoring}, C {tip}, F {partner}, J {monitoring}
    assert dark.observed == 5
    assert dark.sources == ("monitoring", "tip", "partner")
    assert dark.histories == {"110": 1, "100": 2, "010": 1, "001": 1}


# Simulation: populations of known size, sources catching each order independently with known probabilities.
# A 95 % interval should contain the true size in about 95 % of runs (binomial sd over 500 runs ≈ 1 %).


def test_chapman_interval_covers_the_truth_95_percent_of_runs() -> None:
    rng = np.random.default_rng(2025)
    size, runs = 400, 500
    covered = 0
    for _ in range(runs):
        caught = rng.random((size, 2)) < (0.3, 0.25)
        both = int((caught[:, 0] & caught[:, 1]).sum())
        estimate = chapman(int(caught[:, 0].sum()), int(caught[:, 1].sum()), both)
        covered += estimate.lower <= size <= estimate.upper
    assert 0.92 <= covered / runs <= 0.98


@pytest.mark.parametrize(
    ("interactions", "dependent"),
    [((), False), (((0, 1),), True)],
    ids=["independent-sources", "monitoring-tip-dependence"],
)
def test_loglinear_profile_interval_covers_the_truth_95_percent_of_runs(
    interactions: tuple[tuple[int, int], ...], dependent: bool
) -> None:
    rng = np.random.default_rng(8)
    size, runs = 300, 150
    covered = 0
    for _ in range(runs):
        first = rng.random(size) < 0.3
        second = (
            np.where(first, rng.random(size) < 0.5, rng.random(size) < 0.2) if dependent else (rng.random(size) < 0.25)
        )
        third = rng.random(size) < 0.35
        estimate = profile_interval(_histories(np.column_stack([first, second, third])), 3, interactions)
        covered += estimate.lower <= size <= estimate.upper
    # sd over 150 runs ≈ 1.8 %: accept 90–99 %
    assert 0.90 <= covered / runs <= 0.99


def test_newton_solver_agrees_with_statsmodels() -> None:
    import statsmodels.api as sm

    from varde.report.darkfigure import poisson_fit

    design = np.column_stack([np.ones(7), [1, 1, 1, 1, 0, 0, 0], [1, 1, 0, 0, 1, 1, 0], [1, 0, 1, 0, 1, 0, 1]])
    design = np.column_stack([design, design[:, 1] * design[:, 2]])
    counts = np.array([8.0, 22, 31, 64, 20, 36, 85])
    reference = sm.GLM(counts, design, family=sm.families.Poisson()).fit()
    loglik, params = poisson_fit(counts, design)
    assert loglik == pytest.approx(reference.llf, abs=1e-6)
    assert params == pytest.approx(np.asarray(reference.params), abs=1e-6)


def test_sparse_histories_give_an_answer_not_an_error() -> None:
    # Found by fuzzing: many empty overlap cells put some models' optimum at infinity.
    m, t, p, r = "monitoring", "tip", "partner", "platform_report"
    sets = [frozenset({m}), frozenset({m}), frozenset({m, p, t}), frozenset({p, r, t}), frozenset({m, r})]
    dark = estimate_dark_figure(sets)
    assert dark.observed == 5
    if dark.chosen is not None:
        assert dark.chosen.observed <= dark.chosen.lower <= dark.chosen.estimate <= dark.chosen.upper
