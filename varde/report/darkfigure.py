"""The dark figure: how many orders no source saw, by capture–recapture across the sources posts arrive through.

Each order (case) has a capture history: which of the sources (monitoring, tip, platform report, partner) brought
in at least one of its posts. How often the sources overlap tells how much they all miss.

- Two sources: Chapman's estimator N = (n1+1)(n2+1)/(m+1) − 1 with Seber's variance, and Chao's log-normal
  95 % interval for the unseen part (it never goes below the number actually seen and is skewed upwards, as the
  uncertainty is).
- Three or more sources: log-linear (Poisson GLM, statsmodels) models of the 2^k − 1 observed history counts;
  independence plus every set of pairwise source interactions (all subsets for up to 4 sources). The number
  unseen is exp(intercept). Models are compared by AIC (BIC shown too); the best gives the estimate. Each model's
  interval is its profile-likelihood interval for N (Cormack 1992): the N whose multinomial profile log-likelihood
  lies within χ²₁(0.95)/2 of the maximum. The reported interval spans the intervals of every model within 2 AIC of
  the best, since an interval from the selected model alone ignores the choice and covers too rarely (about 89 %
  instead of 95 % in simulations with four sources). The three-way and higher interactions are assumed absent —
  they cannot be estimated from the data.

`ASSUMPTIONS` says in plain words what the estimate relies on; the report prints it next to the figure."""

from __future__ import annotations

import itertools
import math
import warnings
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import statsmodels.api as sm
from scipy import optimize, special, stats

from varde.report.facts import CaseFact
from varde.report.quarters import quarter_of

ASSUMPTIONS: tuple[str, ...] = (
    "The population is closed: the orders counted are those first advertised in the quarter, and each either "
    "reached a source during that period or did not.",
    "Each source has the same chance of catching every order (no order is by nature much easier to spot than "
    "another). Orders that are easy to see for all sources make the estimate too low.",
    "With two sources, the sources are independent: a tip is no more or less likely for an order that "
    "monitoring already found. With three or more, pairs of sources may depend on each other (the model "
    "chosen says which), but no three sources together beyond that.",
    "Orders are matched correctly across sources: re-posts of one order are one case, and two orders are never "
    "merged. Mistakes here bias the overlap and so the estimate.",
    "Posts without a recorded source are left out of the estimate.",
)
SOURCE_ORDER: tuple[str, ...] = ("monitoring", "tip", "platform_report", "partner")
SUPPORT_WINDOW = 2.0  # AIC/BIC difference within which models count as equally supported
_MAX_FACTOR = 200.0  # an upper limit beyond n·200 is reported as unbounded


@dataclass(frozen=True, slots=True)
class Estimate:
    """A population estimate: `observed` orders seen by any source, `estimate` in all, interval [lower, upper]
    (upper is inf when the data cannot bound it)."""

    method: str
    model: str
    observed: int
    estimate: float
    lower: float
    upper: float
    level: float

    @property
    def unseen(self) -> float:
        return self.estimate - self.observed


@dataclass(frozen=True, slots=True)
class ModelFit:
    """One log-linear model: which pairwise interactions, its fit criteria and estimate of N."""

    model: str
    interactions: tuple[tuple[int, int], ...]
    n_params: int
    deviance: float
    df: int
    aic: float
    bic: float
    estimate: float


@dataclass(frozen=True, slots=True)
class DarkFigure:
    sources: tuple[str, ...]
    observed: int
    unsourced: int
    histories: dict[str, int]
    chosen: Estimate | None
    models: tuple[ModelFit, ...]
    criterion: str
    note: str

    @property
    def assumptions(self) -> tuple[str, ...]:
        return ASSUMPTIONS


def chapman(n1: int, n2: int, m: int, level: float = 0.95) -> Estimate:
    """Chapman's estimate of N from two sources that caught n1 and n2, m of them both; Chao's log-normal CI."""
    if not 0 <= m <= min(n1, n2):
        raise ValueError("need 0 <= m <= min(n1, n2)")
    observed = n1 + n2 - m
    estimate = (n1 + 1) * (n2 + 1) / (m + 1) - 1
    variance = (n1 + 1) * (n2 + 1) * (n1 - m) * (n2 - m) / ((m + 1) ** 2 * (m + 2))
    lower, upper = _lognormal_interval(observed, estimate - observed, variance, level)
    return Estimate("Chapman", "two sources, independent", observed, estimate, lower, upper, level)


def _lognormal_interval(observed: int, unseen: float, variance: float, level: float) -> tuple[float, float]:
    """Chao (1987): log(unseen) is taken as normal, so the interval is observed + unseen/C … observed + unseen·C."""
    if unseen <= 0 or variance <= 0:
        return float(observed), float(observed) + max(unseen, 0.0)
    z = float(stats.norm.ppf(0.5 + level / 2))
    factor = math.exp(z * math.sqrt(math.log(1 + variance / unseen**2)))
    return observed + unseen / factor, observed + unseen * factor


def _patterns(k: int) -> list[tuple[int, ...]]:
    """The 2^k − 1 observable capture histories, in a fixed order."""
    return [bits for bits in itertools.product((0, 1), repeat=k) if any(bits)]


def _design(rows: Sequence[tuple[int, ...]], interactions: Sequence[tuple[int, int]]) -> np.ndarray:
    data = np.asarray(rows, dtype=float)
    columns = [np.ones(len(rows))] + [data[:, j] for j in range(data.shape[1])]
    columns += [data[:, i] * data[:, j] for i, j in interactions]
    return np.column_stack(columns)


def _glm(counts: np.ndarray, design: np.ndarray, start: np.ndarray | None = None) -> sm.genmod.GLMResults:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = sm.GLM(counts, design, family=sm.families.Poisson())
        return model.fit(start_params=start) if start is not None else model.fit()


def model_name(interactions: Sequence[tuple[int, int]], sources: Sequence[str]) -> str:
    if not interactions:
        return "independence"
    return "independence + " + ", ".join(f"{sources[i]}×{sources[j]}" for i, j in interactions)


def fit_loglinear(
    histories: Mapping[tuple[int, ...], int], k: int, sources: Sequence[str] | None = None
) -> list[ModelFit]:
    """Fit independence and every set of pairwise interactions to the history counts; sorted by AIC.

    Models whose estimate is not finite (a needed overlap cell is empty) are left out."""
    names = list(sources) if sources is not None else [f"S{i + 1}" for i in range(k)]
    rows = _patterns(k)
    counts = np.array([histories.get(row, 0) for row in rows], dtype=float)
    observed = int(counts.sum())
    pairs = list(itertools.combinations(range(k), 2))
    candidate_sets: Iterable[tuple[tuple[int, int], ...]]
    if k <= 4:
        candidate_sets = itertools.chain.from_iterable(itertools.combinations(pairs, r) for r in range(len(pairs) + 1))
    else:  # 5+ sources: independence, each single interaction, all pairs
        candidate_sets = [(), *((pair,) for pair in pairs), tuple(pairs)]
    fits = []
    for interactions in candidate_sets:
        design = _design(rows, interactions)
        if design.shape[1] > len(rows):
            continue
        result = _glm(counts, design)
        unseen = math.exp(float(result.params[0]))
        if not math.isfinite(unseen) or unseen > _MAX_FACTOR * max(observed, 1):
            continue
        n_params = design.shape[1]
        fits.append(
            ModelFit(
                model=model_name(interactions, names),
                interactions=tuple(interactions),
                n_params=n_params,
                deviance=float(result.deviance),
                df=len(rows) - n_params,
                aic=float(result.aic),
                bic=float(-2 * result.llf + n_params * math.log(len(rows))),
                estimate=observed + unseen,
            )
        )
    return sorted(fits, key=lambda fit: fit.aic)


def poisson_fit(counts: np.ndarray, design: np.ndarray, start: np.ndarray | None = None) -> tuple[float, np.ndarray]:
    """(log-likelihood, coefficients) of a Poisson log-linear model by Newton–Raphson.

    The profile interval refits the model dozens of times per estimate; this tiny solver gives the same answer as
    statsmodels' GLM (a test checks that) without its per-fit overhead. Non-integer counts are fine."""
    beta = np.zeros(design.shape[1]) if start is None else np.array(start, dtype=float)
    if start is None:
        beta[0] = math.log(max(float(counts.mean()), 1e-9))
    constant = float(special.gammaln(counts + 1).sum())

    def loglik(coefficients: np.ndarray) -> float:
        eta = np.clip(design @ coefficients, -700.0, 700.0)
        return float(counts @ eta - np.exp(eta).sum()) - constant

    current = loglik(beta)
    if not math.isfinite(current):
        beta = np.zeros(design.shape[1])
        beta[0] = math.log(max(float(counts.mean()), 1e-9))
        current = loglik(beta)
    for _ in range(100):
        mu = np.exp(np.clip(design @ beta, -700.0, 700.0))
        gradient = design.T @ (counts - mu)
        hessian = design.T @ (design * mu[:, None])
        try:
            step = np.linalg.solve(hessian, gradient)
        except np.linalg.LinAlgError:
            step = np.linalg.lstsq(hessian, gradient, rcond=None)[0]
        if not np.all(np.isfinite(step)):
            break
        # Step halving: never accept a worse (or overflowing) point. A cell count of zero can put the optimum at
        # infinity (a coefficient running off to −∞); the likelihood still converges, which is all we need.
        scale, improved = 1.0, False
        while scale > 1e-8:
            trial = beta + scale * step
            value = loglik(trial)
            if math.isfinite(value) and value >= current - 1e-12:
                improved = True
                break
            scale /= 2
        if not improved:
            break
        beta, previous, current = trial, current, value
        if abs(current - previous) < 1e-10 and float(np.abs(scale * step).max()) < 1e-8:
            break
    return current, beta


def _profile_loglik(
    counts: np.ndarray, design: np.ndarray, population: float, start: np.ndarray | None
) -> tuple[float, np.ndarray]:
    """Multinomial log-likelihood of N = population, maximised over the model (the all-zero cell holds N − n)."""
    observed = float(counts[1:].sum())
    full = counts.copy()
    full[0] = population - observed
    poisson_loglik, params = poisson_fit(full, design, start)
    loglik = poisson_loglik - population * math.log(population) + population + math.lgamma(population + 1)
    return loglik, params


def profile_interval(
    histories: Mapping[tuple[int, ...], int], k: int, interactions: Sequence[tuple[int, int]], level: float = 0.95
) -> Estimate:
    """The log-linear estimate of N under one model with its profile-likelihood interval."""
    rows = [tuple([0] * k), *_patterns(k)]
    counts = np.array([0.0] + [histories.get(row, 0) for row in rows[1:]])
    observed = int(counts.sum())
    design = _design(rows, interactions)
    conditional = _glm(counts[1:], design[1:])
    estimate = observed + math.exp(float(conditional.params[0]))
    start = np.asarray(conditional.params)
    peak, _ = _profile_loglik(counts, design, max(estimate, observed + 1e-9), start)
    threshold = float(stats.chi2.ppf(level, 1)) / 2

    def gap(population: float) -> float:
        return peak - _profile_loglik(counts, design, population, start)[0] - threshold

    floor = observed + 1e-9
    lower = floor if gap(floor) <= 0 else optimize.brentq(gap, floor, estimate, xtol=0.5)
    cap = _MAX_FACTOR * max(observed, 1)
    upper = math.inf
    step = max(estimate - observed, 1.0)
    probe = estimate
    while probe < cap:
        nxt = min(probe + step, cap)
        if gap(nxt) > 0:
            upper = optimize.brentq(gap, probe, nxt, xtol=0.5)
            break
        probe, step = nxt, step * 2
    method = "log-linear (Poisson GLM)"
    return Estimate(
        method, model_name(interactions, [f"S{i + 1}" for i in range(k)]), observed, estimate, lower, upper, level
    )


def estimate_dark_figure(
    source_sets: Iterable[frozenset[str]], level: float = 0.95, criterion: str = "aic"
) -> DarkFigure:
    """Estimate all orders from each order's set of sources (empty set = no recorded source, left out)."""
    sets = list(source_sets)
    unsourced = sum(1 for entry in sets if not entry)
    seen = [entry for entry in sets if entry]
    present = tuple(source for source in SOURCE_ORDER if any(source in entry for entry in seen))
    present += tuple(sorted({s for entry in seen for s in entry} - set(SOURCE_ORDER) - set(present)))
    tallies = Counter(tuple(int(source in entry) for source in present) for entry in seen)
    histories = {"".join(map(str, key)): count for key, count in sorted(tallies.items(), reverse=True)}
    observed = len(seen)
    if len(present) < 2:
        recorded = f"only {present[0]} is recorded" if present else "no source is recorded"
        note = f"At least two sources are needed to estimate what all of them missed; {recorded}."
        return DarkFigure(present, observed, unsourced, histories, None, (), criterion, note)
    if len(present) == 2:
        both = tallies.get((1, 1), 0)
        first = both + tallies.get((1, 0), 0)
        second = both + tallies.get((0, 1), 0)
        estimate = chapman(first, second, both, level)
        note = f"Chapman's estimator over {present[0]} and {present[1]}."
        return DarkFigure(present, observed, unsourced, histories, estimate, (), criterion, note)
    fits = fit_loglinear(tallies, len(present), present)
    if not fits:
        note = "No log-linear model gives a finite estimate (too few orders seen by more than one source)."
        return DarkFigure(present, observed, unsourced, histories, None, (), criterion, note)
    score = {fit.model: (fit.bic if criterion == "bic" else fit.aic) for fit in fits}
    best = min(fits, key=lambda fit: score[fit.model])
    # Models within 2 of the best score are about as well supported; the interval spans all of theirs, so the
    # uncertainty of choosing among them is not hidden (a single model's interval covers too rarely after selection).
    close = [fit for fit in fits if score[fit.model] - score[best.model] <= SUPPORT_WINDOW]
    intervals = [profile_interval(tallies, len(present), fit.interactions, level) for fit in close]
    chosen = Estimate(
        intervals[0].method,
        best.model,
        observed,
        best.estimate,
        min(interval.lower for interval in intervals),
        max(interval.upper for interval in intervals),
        level,
    )
    note = (
        f"Log-linear model chosen by {criterion.upper()} among {len(fits)} candidates; the interval spans the "
        f"profile-likelihood intervals of the {len(close)} model(s) within {SUPPORT_WINDOW:g} of the best."
    )
    return DarkFigure(present, observed, unsourced, histories, chosen, tuple(fits), criterion, note)


def dark_figure_for_quarter(facts: Iterable[CaseFact], quarter: str, level: float = 0.95) -> DarkFigure:
    """The dark figure for the unique orders first advertised in `quarter` (stats.py's `unique_orders`)."""
    sets = [
        fact.sources
        for fact in facts
        if fact.status not in ("dismissed", "merged") and quarter_of(fact.first_post_at) == quarter
    ]
    return estimate_dark_figure(sets, level)
