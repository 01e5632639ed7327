"""Generated `CaseFact`s for benchmarks, demos and smoke tests — invented, seeded, with a known dark figure.

Orders arise per quarter with a growing trend and are caught independently by each source with a fixed
probability; orders no source caught are dropped (and counted in `true_orders`), as in reality."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import numpy as np

from varde.report.facts import CaseFact
from varde.report.quarters import quarter_bounds, quarter_range
from varde.vocab import DISTRICTS_DK, DISTRICTS_NO, PLATFORMS, REGIONS_SE, VIOLENCE_TYPES

CAPTURE = {"monitoring": 0.55, "tip": 0.2, "platform_report": 0.15, "partner": 0.25}
_NO_WEIGHTS = np.array([1, 2, 3, 4, 2, 6, 5, 3, 6, 8, 3, 14], dtype=float)
_NETWORKS = ("Foxtrot", "Rumba", "Nordvik-nettverket", "Gata 7", "Sydklanen")


@dataclass(frozen=True, slots=True)
class Synthetic:
    facts: list[CaseFact]
    true_orders: dict[str, int]  # per quarter, seen or not (dismissed/merged not included)


def generate_facts(n_cases: int, first: str = "2023Q1", last: str = "2025Q4", seed: int = 0) -> Synthetic:
    """About `n_cases` seen cases spread over the quarters first..last."""
    rng = np.random.default_rng(seed)
    quarters = quarter_range(first, last)
    growth = np.exp(0.04 * np.arange(len(quarters)))
    seen_share = 1 - np.prod([1 - p for p in CAPTURE.values()])
    totals = rng.poisson(n_cases / seen_share * growth / growth.sum())
    platforms = sorted(PLATFORMS - {"tip"})
    facts: list[CaseFact] = []
    true_orders: dict[str, int] = {}
    number = 0
    for quarter, total in zip(quarters, totals, strict=True):
        start, end = quarter_bounds(quarter)
        span = (end - start).total_seconds()
        true_orders[quarter] = 0
        for _ in range(int(total)):
            sources = frozenset(s for s, p in CAPTURE.items() if rng.random() < p)
            roll = rng.random()
            status_kind = "dismissed" if roll < 0.08 else "merged" if roll < 0.11 else "order"
            if status_kind == "order":
                true_orders[quarter] += 1
            if not sources:
                continue
            number += 1
            facts.append(
                _case(
                    rng, number, start + timedelta(seconds=float(rng.random() * span)), sources, status_kind, platforms
                )
            )
    return Synthetic(facts, true_orders)


def _case(
    rng: np.random.Generator, number: int, first_post: object, sources: frozenset[str], kind: str, platforms: list[str]
) -> CaseFact:
    from datetime import datetime

    assert isinstance(first_post, datetime)

    def later(base: datetime, hours: float) -> datetime:
        return base + timedelta(hours=float(rng.exponential(hours)))

    country = str(rng.choice(["NO", "SE", "DK"], p=[0.6, 0.33, 0.07]))
    if rng.random() < 0.05:
        district = None
    elif country == "NO":
        district = str(rng.choice(DISTRICTS_NO, p=_NO_WEIGHTS / _NO_WEIGHTS.sum()))
    else:
        district = str(rng.choice(REGIONS_SE if country == "SE" else DISTRICTS_DK))
    detected = later(first_post, 6)
    uncovered = prevented = executed = dismissed = None
    status = "detected"
    if kind == "dismissed":
        status, dismissed = "dismissed", later(detected, 12)
    elif kind == "merged":
        status = "merged"
    elif rng.random() < 0.6:
        status, uncovered = "uncovered", later(detected, 24)
        if rng.random() < 0.12:
            status, prevented = "prevented", later(uncovered, 72)
        elif rng.random() < 0.04:
            status, executed = "executed", later(uncovered, 96)
    elif rng.random() < 0.03:
        status, executed = "executed", later(detected, 48)
    n_types = int(rng.choice([0, 1, 1, 1, 2]))
    networks = frozenset({str(rng.choice(_NETWORKS))}) if rng.random() < 0.3 else frozenset()
    return CaseFact(
        case_id=f"c-{number:06d}",
        order_id=f"o-{number:06x}",
        status=status,
        country=country,
        district=district,
        violence_types=frozenset(str(v) for v in rng.choice(VIOLENCE_TYPES, size=n_types, replace=False)),
        platforms=frozenset({str(rng.choice(platforms))}),
        networks=networks,
        sources=sources,
        n_posts=int(1 + rng.poisson(1.5)),
        first_post_at=first_post,
        detected_at=detected,
        uncovered_at=uncovered,
        prevented_at=prevented,
        executed_at=executed,
        dismissed_at=dismissed,
        when_start=later(first_post, 48) if rng.random() < 0.5 else None,
    )
