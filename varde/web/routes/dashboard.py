"""Dashboard: this quarter and the ones before — posts, unique orders, uncovered, prevented, executed, dismissed —
overall, per district and per violence type. The figures are `varde.report.stats` (the one place their definitions
live), over the cases the user may see."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter
from sqlalchemy import Connection, and_, false, func, select

from varde.cases import access
from varde.cases.access import Actor
from varde.report.facts import CaseFact
from varde.report.quarters import quarter_of, shift_quarter
from varde.report.stats import METRIC_LABELS, METRICS, QuarterStats, breakdown
from varde.store.case_tables import case_events, case_posts, cases
from varde.store.tables import posts
from varde.web.deps import ApiCaller, State, WebState

router = APIRouter(prefix="/api", tags=["dashboard"])

QUARTERS_SHOWN = 5  # this quarter and the four before: a year's comparison
LABELS = dict(METRIC_LABELS, raw_ads="Posts")
_STATE_TIMES = {
    "uncovered": "uncovered_at",
    "prevented": "prevented_at",
    "executed": "executed_at",
    "dismissed": "dismissed_at",
}


def _tags(text: str | None) -> frozenset[str]:
    return frozenset(t for t in (text or "").split("|") if t)


def load_facts(conn: Connection, districts: frozenset[str] | None) -> list[CaseFact]:
    """One `CaseFact` per case in `districts` (None: all), with the first time it entered each state."""
    scope: Any = None
    if districts is not None:
        scope = cases.c.district.in_(sorted(districts)) if districts else false()
    case_query = select(
        cases.c.id,
        cases.c.order_id,
        cases.c.state,
        cases.c.country,
        cases.c.district,
        cases.c.violence_tags,
        cases.c.platforms,
        cases.c.n_posts,
        cases.c.first_seen_at,
        cases.c.created_at,
    )
    event_query = (
        select(case_events.c.case_id, case_events.c.to_state, func.min(case_events.c.at))
        .join(cases, cases.c.id == case_events.c.case_id)
        .where(case_events.c.to_state.in_(list(_STATE_TIMES)))
        .group_by(case_events.c.case_id, case_events.c.to_state)
    )
    source_query = (
        select(case_posts.c.case_id, posts.c.source)
        .join(posts, posts.c.id == case_posts.c.post_id)
        .join(cases, cases.c.id == case_posts.c.case_id)
        .where(posts.c.source.is_not(None))
        .distinct()
    )
    if scope is not None:
        case_query = case_query.where(scope)
        event_query = event_query.where(and_(scope))
        source_query = source_query.where(and_(scope))
    times: dict[int, dict[str, datetime]] = {}
    for case_id, state, at in conn.execute(event_query).all():
        times.setdefault(int(case_id), {})[_STATE_TIMES[state]] = at
    sources: dict[int, set[str]] = {}
    for case_id, source in conn.execute(source_query).all():
        sources.setdefault(int(case_id), set()).add(source)
    facts = []
    for row in conn.execute(case_query).all():
        stamps: dict[str, Any] = times.get(int(row.id), {})
        for name, at in list(stamps.items()):  # SQLite hands back aggregate datetimes as naive strings
            if isinstance(at, str):
                at = datetime.fromisoformat(at)
            stamps[name] = at if at.tzinfo else at.replace(tzinfo=UTC)
        facts.append(
            CaseFact(
                case_id=str(row.id),
                order_id=row.order_id or "",
                status=row.state,
                country=row.country,
                district=row.district,
                violence_types=_tags(row.violence_tags),
                platforms=_tags(row.platforms),
                networks=frozenset(),
                sources=frozenset(sources.get(int(row.id), set())),
                n_posts=int(row.n_posts),
                first_post_at=row.first_seen_at,
                detected_at=row.created_at,
                **stamps,
            )
        )
    return facts


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
