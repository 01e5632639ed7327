"""Dashboard: this quarter and the ones before — posts, unique orders, uncovered, prevented, executed, dismissed —
overall, per district and per violence type. The figures are `varde.report.stats` (the one place their definitions
live), over the cases the user may see (`varde.report.load.load_facts`, scoped by
`varde.cases.access.case_scope`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter

from varde.cases import access
from varde.cases.access import Actor
from varde.report.load import load_facts
from varde.report.quarters import quarter_of, shift_quarter
from varde.report.stats import METRIC_LABELS, METRICS, QuarterStats, breakdown
from varde.web.deps import ApiCaller, State, WebState

router = APIRouter(prefix="/api", tags=["dashboard"])

QUARTERS_SHOWN = 5  # this quarter and the four before: a year's comparison
LABELS = dict(METRIC_LABELS, raw_ads="Posts")


def _rows(pairs: Iterable[tuple[str, Any]]) -> dict[str, dict[str, int]]:
    return {value: {m: counts.get(m) for m in METRICS} for value, counts in pairs}


def dashboard_view(state: WebState, actor: Actor, *, now: datetime | None = None) -> dict[str, Any]:
    """Totals per quarter and this quarter's breakdowns, for the cases `actor` may see."""
    districts = access.case_scope(actor)  # raises AccessDenied for roles that see no cases
    with state.store.engine.connect() as conn:
        facts = load_facts(conn, districts)
    stats = QuarterStats(facts)
    current = quarter_of(now or datetime.now(UTC))
    quarters = [shift_quarter(current, step) for step in range(-(QUARTERS_SHOWN - 1), 1)]
    by_district: dict[str, dict[str, int]] = {}
    for dimension in ("district_no", "region_se", "district_dk"):
        by_district |= _rows(breakdown(stats, current, dimension))
    return {
        "quarter": current,
        "quarters": quarters,
        "metrics": list(METRICS),
        "labels": LABELS,
        "totals": {q: {m: stats.counts(q).get(m) for m in METRICS} for q in quarters},
        "by_district": by_district,
        "by_violence_type": _rows(breakdown(stats, current, "violence_type")),
        "cases": len(facts),
    }


@router.get("/dashboard", summary="Quarterly figures (JSON twin of /dashboard)")
def api_dashboard(state: State, caller: ApiCaller) -> dict[str, Any]:
    return dashboard_view(state, caller.actor)
