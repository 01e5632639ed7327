"""`ReportService`: the case facts a user may see, read and audited in one place, for the quarterly report
(`varde report`) and the workbench's dashboard.

The scope is the user's districts (`varde.cases.access.case_scope`; roles that see no cases get AccessDenied),
narrowed to the districts asked for. Every read appends one audit event in the same transaction: `report.build`
for the report, `report.dashboard` for the dashboard."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from varde.cases import access, audit
from varde.cases.access import Actor
from varde.report.facts import CaseFact
from varde.report.load import data_version, load_facts, load_flags, load_tally_groups
from varde.report.palette import METRIC_COLOURS
from varde.report.precision import FlagFact
from varde.report.quarters import parse_quarter, quarter_of, quarter_range, shift_quarter
from varde.report.stats import METRIC_LABELS, METRICS, QuarterStats, breakdown
from varde.store import Store
from varde.vocab import DISTRICTS_DK, DISTRICTS_NO, REGIONS_SE

PICKER_QUARTERS = 8
REPORT_KEPT = timedelta(minutes=5)  # a kept report's deadlines are judged at most this long ago
REPORTS_KEPT = 8
QUARTERS_SHOWN = 5  # the dashboard: the chosen quarter and the four before, a year's comparison
DASHBOARD_LABELS = dict(METRIC_LABELS, raw_ads="Posts")
COUNTRY_DISTRICTS: dict[str, tuple[str, ...]] = {"NO": DISTRICTS_NO, "SE": REGIONS_SE, "DK": DISTRICTS_DK}
_COUNTRY_DIMENSION = {"NO": "district_no", "SE": "region_se", "DK": "district_dk"}


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
        # scope → (data version, tally, number of cases): the dashboard's figures while the cases are unchanged
        self._tallies: dict[frozenset[str] | None, tuple[tuple[Any, ...], QuarterStats, int]] = {}
        # (scope, quarter) → (data version, built at, report): the workbench's report while the cases are unchanged
        self._reports: dict[tuple[frozenset[str] | None, str], tuple[tuple[Any, ...], datetime, Any]] = {}

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

    def _tally(self, conn: Connection, scope: frozenset[str] | None) -> tuple[tuple[Any, ...], QuarterStats, int]:
        """(data version, tally, number of cases) for a scope: kept while the case tables are unchanged
        (`data_version`), else read again, aggregated in SQL (`load_tally_groups`)."""
        version = data_version(conn)
        cached = self._tallies.get(scope)
        if cached is None or cached[0] != version:
            groups = load_tally_groups(conn, scope)
            stats = QuarterStats((fact for fact, _ in groups), (weight for _, weight in groups))
            cached = (version, stats, sum(weight for _, weight in groups))
            self._tallies[scope] = cached
        return cached

    def quarter_report(
        self,
        actor: Actor,
        quarter: str | None,
        districts: Sequence[str] = (),
        *,
        output: str = "page",
        build: Callable[..., Any],
    ) -> Any:
        """The quarterly report for the workbench: the facts `actor` may see (within `districts`), `quarter` or, if
        None, the newest quarter with figures (not an empty current one), built with `build(facts, quarter,
        districts=scope, audit_head=..., as_of=...)`. One `report.build` audit event names the quarter, the
        districts and the `output` (page, csv, xlsx, pdf), as the CLI's report does.

        A built report is kept a few minutes per (scope, quarter) while the case tables are unchanged, so the
        downloads after a page view do not build it again; the audit head printed in it is always this read's."""
        scope = access.case_scope(actor)
        if districts:
            scope = frozenset(districts) if scope is None else scope & frozenset(districts)
        now = self._clock()
        current = quarter_of(now)
        with self.store.begin() as conn:
            version, stats, n_cases = self._tally(conn, scope)
            if quarter is None:
                quarter = max((q for q in stats.quarters if q <= current), default=current)
            kept = self._reports.get((scope, quarter))
            fresh = kept is not None and kept[0] == version and now - kept[1] < REPORT_KEPT
            facts = [] if fresh else load_facts(conn, scope)
            logged = {
                "quarter": quarter,
                "output": output,
                "districts": sorted(scope) if scope is not None else None,
                "cases": n_cases,
            }
            audit.append(conn, audit.AuditEntry(actor.name, "report.build", "cases", actor.source, logged), at=now)
            head = audit.head(conn)
        if fresh and kept is not None:
            return replace(kept[2], audit_head=head)
        report = build(facts, quarter, districts=scope, audit_head=head, as_of=now)
        if len(self._reports) >= REPORTS_KEPT:
            self._reports.pop(next(iter(self._reports)))
        self._reports[(scope, quarter)] = (version, now, report)
        return report

    def dashboard_stats(self, actor: Actor, quarter: str | None) -> tuple[QuarterStats, int, frozenset[str] | None]:
        """The tallied figures of the cases `actor` may see, audited as `report.dashboard`. The tally is kept per
        scope while the case tables are unchanged (`data_version`), so a page view costs one small query and the
        audit event, not a read of every case."""
        scope = access.case_scope(actor)  # AccessDenied for roles that see no cases
        with self.store.begin() as conn:
            _, stats, n_cases = self._tally(conn, scope)
            logged = {"quarter": quarter, "districts": sorted(scope) if scope is not None else None, "cases": n_cases}
            audit.append(
                conn, audit.AuditEntry(actor.name, "report.dashboard", "cases", actor.source, logged), at=self._clock()
            )
        return stats, n_cases, scope

    def dashboard(self, actor: Actor, *, quarter: str | None = None, now: datetime | None = None) -> dict[str, Any]:
        """Totals for the chosen quarter and the four before it, and its breakdowns (per district of each country,
        per violence type), for the cases `actor` may see. Without a (valid) `quarter`: the newest quarter that has
        figures, not an empty current one."""
        current = quarter_of(now or self._clock())
        if quarter is not None:
            try:
                parse_quarter(quarter)
                quarter = quarter.strip().upper()
            except ValueError:
                quarter = None
        stats, n_cases, scope = self.dashboard_stats(actor, quarter)
        known = sorted(q for q in stats.quarters if q <= current)
        chosen = quarter or (known[-1] if known else current)
        # Every quarter from the first with figures, and at least the last two years, to the current one.
        options = quarter_range(min([*known[:1], shift_quarter(current, -(PICKER_QUARTERS - 1))]), current)
        if chosen not in options:
            options = sorted({*options, chosen})
        quarters = [shift_quarter(chosen, step) for step in range(-(QUARTERS_SHOWN - 1), 1)]
        by_district: dict[str, dict[str, int]] = {}
        for dimension in ("district_no", "region_se", "district_dk"):
            by_district |= _rows(breakdown(stats, chosen, dimension))
        countries: dict[str, dict[str, dict[str, int]]] = {}
        for country, names in COUNTRY_DISTRICTS.items():
            shown = [name for name in names if scope is None or name in scope]
            if shown:
                dimension = _COUNTRY_DIMENSION[country]
                countries[country] = {
                    name: {m: stats.counts(chosen, dimension, name).get(m) for m in METRICS} for name in shown
                }
        return {
            "quarter": chosen,
            "current": current,
            "quarter_options": list(reversed(options)),
            "quarters": quarters,
            "metrics": list(METRICS),
            "labels": DASHBOARD_LABELS,
            "colours": METRIC_COLOURS,
            "totals": {q: {m: stats.counts(q).get(m) for m in METRICS} for q in quarters},
            "by_district": by_district,
            "by_country": countries,
            "by_violence_type": _rows(breakdown(stats, chosen, "violence_type")),
            "cases": n_cases,
        }
