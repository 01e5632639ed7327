"""`ReportService`: the case facts a user may see, read and audited in one place, for the quarterly report
(`varde report`) and the workbench's dashboard.

The scope is the user's districts (`varde.cases.access.case_scope`; roles that see no cases get AccessDenied),
narrowed to the districts asked for. Every read appends one audit event in the same transaction: `report.build`
for the report, `report.dashboard` for the dashboard."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from varde.cases import access, audit
from varde.cases.access import Actor
from varde.report.facts import CaseFact
from varde.report.load import load_facts, load_flags
from varde.report.precision import FlagFact
from varde.report.quarters import quarter_of, shift_quarter
from varde.report.stats import METRIC_LABELS, METRICS, QuarterStats, breakdown
from varde.store import Store

QUARTERS_SHOWN = 5  # the dashboard: this quarter and the four before, a year's comparison
DASHBOARD_LABELS = dict(METRIC_LABELS, raw_ads="Posts")


@dataclass(frozen=True, slots=True)
class ScopedFacts:
    """The facts read, the districts they cover (None: all), and the audit chain's head after the read's own event
    (the quarterly report prints it: a copy of the head kept elsewhere shows the chain was not cut later)."""

    facts: list[CaseFact]
    scope: frozenset[str] | None
    audit_head: tuple[int, str] | None = None
    flags: tuple[FlagFact, ...] = ()  # flagged posts with their verdicts: observed precision


def _rows(pairs: Iterable[tuple[str, Any]]) -> dict[str, dict[str, int]]:
    return {value: {m: counts.get(m) for m in METRICS} for value, counts in pairs}


class ReportService:
    def __init__(self, store: Store, *, clock: Callable[[], datetime] | None = None) -> None:
        self.store = store
        self._clock = clock or (lambda: datetime.now(UTC))

    def facts(
        self, actor: Actor, action: str, *, districts: Sequence[str] = (), details: dict[str, Any] | None = None
    ) -> ScopedFacts:
        """The facts of the cases `actor` may see (within `districts` when given), audited as `action`."""
        scope = access.case_scope(actor)  # AccessDenied for roles that see no cases
        if districts:
            scope = frozenset(districts) if scope is None else scope & frozenset(districts)
        with self.store.begin() as conn:
            facts = load_facts(conn, scope)
            flags = tuple(load_flags(conn, scope)) if action == "report.build" else ()
            logged = (details or {}) | {
                "districts": sorted(scope) if scope is not None else None,
                "cases": len(facts),
            }
            audit.append(conn, audit.AuditEntry(actor.name, action, "cases", actor.source, logged), at=self._clock())
            head = audit.head(conn)
        return ScopedFacts(facts, scope, head, flags)

    def report_facts(self, actor: Actor, quarter: str, districts: Sequence[str] = ()) -> ScopedFacts:
        """The facts for the quarterly report (audited as `report.build`)."""
        return self.facts(actor, "report.build", districts=districts, details={"quarter": quarter})

    def dashboard(self, actor: Actor, *, now: datetime | None = None) -> dict[str, Any]:
        """Totals per quarter and this quarter's breakdowns, for the cases `actor` may see."""
        current = quarter_of(now or self._clock())
        facts = self.facts(actor, "report.dashboard", details={"quarter": current}).facts
        stats = QuarterStats(facts)
        quarters = [shift_quarter(current, step) for step in range(-(QUARTERS_SHOWN - 1), 1)]
        by_district: dict[str, dict[str, int]] = {}
        for dimension in ("district_no", "region_se", "district_dk"):
            by_district |= _rows(breakdown(stats, current, dimension))
        return {
            "quarter": current,
            "quarters": quarters,
            "metrics": list(METRICS),
            "labels": DASHBOARD_LABELS,
            "totals": {q: {m: stats.counts(q).get(m) for m in METRICS} for q in quarters},
            "by_district": by_district,
            "by_violence_type": _rows(breakdown(stats, current, "violence_type")),
            "cases": len(facts),
        }
