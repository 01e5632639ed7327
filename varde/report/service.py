"""`ReportService`: the case facts a user may see, read and audited in one place, for the quarterly report
(`varde report`) and the workbench's dashboard.

The scope is the user's districts (`varde.cases.access.case_scope`; roles that see no cases get AccessDenied),
narrowed to the districts asked for. Every read appends one audit event in the same transaction: `report.build`
for the report, `report.dashboard` for the dashboard."""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, select

from varde import heap
from varde.cases import access, audit
from varde.cases.access import Actor
from varde.report.facts import CaseFact
from varde.report.load import data_version, load_facts, load_flags, load_tally_groups
from varde.report.palette import METRIC_COLOURS
from varde.report.precision import FlagFact
from varde.report.quarters import parse_quarter, quarter_of, quarter_range, shift_quarter
from varde.report.stats import METRIC_LABELS, METRICS, QuarterStats, breakdown
from varde.store import Store
from varde.store.report_tables import dashboard_tallies
from varde.store.upsert import upsert
from varde.vocab import DISTRICTS_DK, DISTRICTS_NO, REGIONS_SE

log = logging.getLogger(__name__)
PICKER_QUARTERS = 8
SYNC_BELOW = 2000  # cases: below, the dashboard's tally is re-read inside the page view after a change (fast)
FIRST_READ_WAIT_S = 0.1  # a view waits this long for a scope's first read before it says the figures are coming
REPORT_KEPT = timedelta(minutes=5)  # a kept report's deadlines are judged at most this long ago
REPORTS_KEPT = 8
TALLY_FORMAT = 1  # of the figures kept in `dashboard_tallies` (`QuarterStats.to_json`): others are not read
QUARTERS_SHOWN = 5  # the dashboard: the chosen quarter and the four before, a year's comparison
DASHBOARD_LABELS = dict(METRIC_LABELS, raw_ads="Posts")
COUNTRY_DISTRICTS: dict[str, tuple[str, ...]] = {"NO": DISTRICTS_NO, "SE": REGIONS_SE, "DK": DISTRICTS_DK}
_COUNTRY_DIMENSION = {"NO": "district_no", "SE": "region_se", "DK": "district_dk"}


class TallyPending(Exception):
    """The dashboard's figures of a scope were never read, and their first read (seconds on a big store) runs in the
    background."""


@dataclass(frozen=True, slots=True)
class ScopedFacts:
    """The facts read, the districts they cover (None: all), and the audit chain's head after the read's own event
    (the quarterly report prints it: a copy of the head kept elsewhere shows the chain was not cut later)."""

    facts: list[CaseFact]
    scope: frozenset[str] | None
    audit_head: tuple[int, str] | None = None
    flags: tuple[FlagFact, ...] = ()  # flagged posts with their verdicts: observed precision


@dataclass(frozen=True, slots=True)
class Tally:
    """The dashboard's figures of one scope: the data version they were read at, when, and the number of cases."""

    version: tuple[Any, ...]
    stats: QuarterStats
    cases: int
    built_at: datetime


def _scope_key(scope: frozenset[str] | None) -> str:
    """The key of a district scope's kept figures: "all", or the SHA-256 of its sorted district names."""
    if scope is None:
        return "all"
    return hashlib.sha256(json.dumps(sorted(scope), ensure_ascii=False).encode("utf-8")).hexdigest()


def _rows(pairs: Iterable[tuple[str, Any]]) -> dict[str, dict[str, int]]:
    return {value: {m: counts.get(m) for m in METRICS} for value, counts in pairs}


class ReportService:
    def __init__(self, store: Store, *, clock: Callable[[], datetime] | None = None) -> None:
        self.store = store
        self._clock = clock or (lambda: datetime.now(UTC))
        # scope → the dashboard's figures while the cases are unchanged; one (re)build per scope at a time
        self._tallies: dict[frozenset[str] | None, Tally] = {}
        self._building: dict[frozenset[str] | None, threading.Lock] = {}
        self._building_lock = threading.Lock()
        self.before_rebuild: Callable[[], None] | None = None  # called in the background thread first (tests)
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

    def _lock(self, scope: frozenset[str] | None) -> threading.Lock:
        with self._building_lock:
            return self._building.setdefault(scope, threading.Lock())

    def _tally(
        self, conn: Connection, scope: frozenset[str] | None, *, stale_ok: bool = False, pending_ok: bool = False
    ) -> tuple[Tally, bool]:
        """The tally of a scope and whether it is out of date: kept while the case tables are unchanged
        (`data_version`), else read again, aggregated in SQL (`load_tally_groups`). With `stale_ok`, on a big store
        (`SYNC_BELOW` cases or more) a changed one is re-read in a background thread (one per scope) and the kept
        one is returned meanwhile, marked out of date; so are the figures an earlier run kept in the database (right
        after a start, while the start-up read runs), which are never taken as current. A scope with neither waits
        for its first read, or with `pending_ok` raises `TallyPending` if that takes longer than a moment."""
        version = data_version(conn)
        cached = self._tallies.get(scope)
        if cached is not None and cached.version == version:
            return cached, False
        lock = self._lock(scope)
        in_background = stale_ok and version[0] >= SYNC_BELOW
        if in_background and cached is None and (kept := self._kept(conn, scope)) is not None:
            cached = self._tallies.setdefault(scope, kept)  # unless a read finished meanwhile
            if cached.version == version:
                return cached, False
        if in_background:
            self._rebuild_in_background(scope, lock)
            if cached is not None:
                return cached, True
            return self._first_read(scope, version, lock, wait=FIRST_READ_WAIT_S if pending_ok else -1)
        with lock:  # a running rebuild (or the start-up warm-up) finishes first
            cached = self._tallies.get(scope)
            if cached is None or cached.version != version:
                cached = self._tallies[scope] = self._read_tally(conn, scope, version)
        return cached, False

    def _rebuild_in_background(self, scope: frozenset[str] | None, lock: threading.Lock) -> None:
        """Read `scope`'s tally again in a thread, unless a read of it (a rebuild, the start-up warm-up) runs."""
        if lock.acquire(blocking=False):
            threading.Thread(
                target=self._rebuild, args=(scope, lock), name="varde-dashboard-rebuild", daemon=True
            ).start()

    def _first_read(
        self, scope: frozenset[str] | None, version: tuple[Any, ...], lock: threading.Lock, *, wait: float
    ) -> tuple[Tally, bool]:
        """Nothing read or kept for `scope` yet, on a big store, and its first read runs in the background: wait
        for it `wait` seconds at most (-1: until it ends), then raise `TallyPending` if it has not ended."""
        if lock.acquire(timeout=wait):
            lock.release()
        tally = self._tallies.get(scope)
        if tally is None:
            raise TallyPending("the dashboard's figures are being read")
        return tally, tally.version != version

    def _read_tally(self, conn: Connection, scope: frozenset[str] | None, version: tuple[Any, ...]) -> Tally:
        read_at = self._clock()  # the figures as of the read's start
        with heap.building():
            groups = load_tally_groups(conn, scope)
            stats = QuarterStats((fact for fact, _ in groups), (weight for _, weight in groups))
        return Tally(version, stats, sum(weight for _, weight in groups), read_at)

    def _kept(self, conn: Connection, scope: frozenset[str] | None) -> Tally | None:
        """The figures of `scope` as an earlier run read them (`_keep`), as a tally no data version matches; None
        if there are none, or none this version of Varde can read."""
        row = conn.execute(
            select(dashboard_tallies).where(dashboard_tallies.c.scope == _scope_key(scope))
        ).one_or_none()
        if row is None or row.format != TALLY_FORMAT:
            return None
        try:
            stats = QuarterStats.from_json(row.figures)
        except ValueError as error:
            log.warning("kept dashboard figures not read: %s", error)
            return None
        return Tally((), stats, int(row.cases), row.built_at)

    def _keep(self, scope: frozenset[str] | None, tally: Tally) -> None:
        """Keep `tally` in the database, for the next run's first views (its own transaction: after the read)."""
        row = {
            "scope": _scope_key(scope),
            "format": TALLY_FORMAT,
            "built_at": tally.built_at,
            "cases": tally.cases,
            "figures": tally.stats.to_json(),
        }
        with self.store.begin() as conn:
            upsert(conn, dashboard_tallies, [row], ["scope"], ["format", "built_at", "cases", "figures"])

    def _rebuild(self, scope: frozenset[str] | None, lock: threading.Lock) -> None:
        try:
            if self.before_rebuild is not None:
                self.before_rebuild()
            read: Tally | None = None
            with self.store.begin() as conn:
                version = data_version(conn)
                cached = self._tallies.get(scope)
                if cached is None or cached.version != version:
                    read = self._tallies[scope] = self._read_tally(conn, scope, version)
            if read is not None:
                self._keep(scope, read)
        except Exception:  # a background thread has nobody to raise to; the next view tries again
            log.exception("dashboard tally rebuild failed")
        finally:
            lock.release()

    def warm(self, scopes: Iterable[frozenset[str] | None]) -> None:
        """Read the tallies of these scopes (for `varde serve`'s start, in a background thread), on a big store."""
        with self.store.begin() as conn:
            if data_version(conn)[0] < SYNC_BELOW:
                return
        for scope in scopes:
            lock = self._lock(scope)
            lock.acquire()
            self._rebuild(scope, lock)

    def wait_for_rebuilds(self, timeout: float = 60.0) -> bool:
        """Wait until no background rebuild runs (tests, benches); False if one still runs after `timeout` s."""
        with self._building_lock:
            locks = list(self._building.values())
        for lock in locks:
            if not lock.acquire(timeout=timeout):
                return False
            lock.release()
        return True

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
            tally, _ = self._tally(conn, scope)
            version, stats, n_cases = tally.version, tally.stats, tally.cases
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

    def dashboard_stats(
        self, actor: Actor, quarter: str | None, *, pending_ok: bool = False
    ) -> tuple[QuarterStats, int, frozenset[str] | None, datetime, bool]:
        """The tallied figures of the cases `actor` may see, audited as `report.dashboard`, with when they were read
        and whether they are out of date (being re-read in the background). The tally is kept per scope while the
        case tables are unchanged (`data_version`), so a page view costs one small query and the audit event, not a
        read of every case; after a change on a big store the kept tally is shown while it is re-read. With
        `pending_ok`, figures never read (on a big store) raise `TallyPending` instead of waiting for their first
        read."""
        scope = access.case_scope(actor)  # AccessDenied for roles that see no cases
        with self.store.begin() as conn:
            tally, updating = self._tally(conn, scope, stale_ok=True, pending_ok=pending_ok)
            districts = sorted(scope) if scope is not None else None
            logged = {"quarter": quarter, "districts": districts, "cases": tally.cases}
            audit.append(
                conn, audit.AuditEntry(actor.name, "report.dashboard", "cases", actor.source, logged), at=self._clock()
            )
        return tally.stats, tally.cases, scope, tally.built_at, updating

    def dashboard(
        self, actor: Actor, *, quarter: str | None = None, now: datetime | None = None, pending_ok: bool = False
    ) -> dict[str, Any]:
        """Totals for the chosen quarter and the four before it, and its breakdowns (per district of each country,
        per violence type), for the cases `actor` may see. Without a (valid) `quarter`: the newest quarter that has
        figures, not an empty current one. `pending_ok`: see `dashboard_stats`."""
        current = quarter_of(now or self._clock())
        if quarter is not None:
            try:
                parse_quarter(quarter)
                quarter = quarter.strip().upper()
            except ValueError:
                quarter = None
        stats, n_cases, scope, as_of, updating = self.dashboard_stats(actor, quarter, pending_ok=pending_ok)
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
            "as_of": as_of,
            "updating": updating,
        }
