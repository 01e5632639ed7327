"""Benchmark: open N cases through `Store.save` (as `varde scan` does), then make 10 changes to each through
`CaseService`, on SQLite and PostgreSQL. Prints times, rates, client CPU time, triage-list query times at that
size, the audit verification time and the database size.

The changes of the first `--single` cases are made one per transaction (`set_status`, `assign`, … as the pages
and `varde case set-status` make them): that gives the per-change rate. All the others go through the bulk path,
`CaseService.apply_changes` (as `varde case bulk` does), `--bulk-size` changes per transaction; each change is still
checked (access, version, lifecycle) and still writes its own history row and audit event.

    .venv/bin/python bench/bench_cases.py                      # 100,000 cases × 10 changes, both databases
    .venv/bin/python bench/bench_cases.py --cases 10000 --db sqlite
    .venv/bin/python bench/bench_cases.py --single 0 --bulk-size 1000

SQLite runs with `synchronous=FULL` (set by the store): in WAL mode, NORMAL skips the fsync at commit, so a power
loss or OS crash (not a crash of Varde) may roll back the last committed transactions — a case change the user saw
succeed, with its audit event, or posts a worker already acknowledged to NATS. FULL makes a commit as durable as
PostgreSQL's (synchronous_commit=on). It costs one fsync per commit (measured here: ~2.5 ms, so single changes went
from ~1.7 to ~4 ms each on a loaded 2-core machine); the bulk path and `Store.save` pay it once per batch.

The ten changes per case: note, assign, priority, note, district, note, uncovered, note, assign, prevented/dismissed
(the lifecycle allows at most three state changes, so the other changes are the ones analysts make most)."""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from varde.cases.access import Actor
from varde.cases.accounts import AccountService
from varde.cases.service import CaseChange, CaseFilter, CaseService
from varde.store import Store
from varde.vocab import DISTRICTS_NO

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.cases_fixture import T0, bench_database, case_ids, load_cases

OPERATOR = Actor("bench", "admin", frozenset(), "bench")
CHANGES_PER_CASE = 10


def ten_changes(k: int, case_id: int) -> list[CaseChange]:
    """The ten changes of the `k`-th case."""
    return [
        CaseChange(case_id, "note", "first look"),
        CaseChange(case_id, "assign", "ana", "triage"),
        CaseChange(case_id, "priority", 1 + k % 5, "re-rated"),
        CaseChange(case_id, "note", "called the platform"),
        CaseChange(case_id, "district", DISTRICTS_NO[k % len(DISTRICTS_NO)], "address found"),
        CaseChange(case_id, "note", "buyer identified"),
        CaseChange(case_id, "status", "uncovered", "confirmed order"),
        CaseChange(case_id, "note", "patrol sent"),
        CaseChange(case_id, "assign", "olav", "handover"),
        CaseChange(case_id, "status", "prevented" if k % 3 else "dismissed", "outcome"),
    ]


def single(service: CaseService, ana: Actor, sig: Actor, change: CaseChange) -> None:
    """One change in its own transaction, through the method a page or command calls."""
    case_id, value, reason = change.case_id, change.value, change.reason
    if change.kind == "note":
        service.add_note(ana, case_id, str(value))
    elif change.kind == "assign":
        service.assign(sig, case_id, None if value is None else str(value), reason)
    elif change.kind == "priority":
        service.set_priority(ana, case_id, int(value or 0), reason)
    elif change.kind == "district":
        service.set_district(ana, case_id, str(value), reason)
    else:
        service.set_status(ana, case_id, str(value), reason)


def batches(ids: list[int], offset: int, size: int) -> Iterator[list[CaseChange]]:
    """The ten changes of every case in `ids`, case after case, cut into runs of `size`."""
    run: list[CaseChange] = []
    for k, case_id in enumerate(ids, start=offset):
        run.extend(ten_changes(k, case_id))
        while len(run) >= size:
            yield run[:size]
            run = run[size:]
    if run:
        yield run


def timed(label: str, fn: Callable[[], object], results: dict[str, float]) -> object:
    start, cpu = time.perf_counter(), time.process_time()
    value = fn()
    results[label] = time.perf_counter() - start
    results[label + " cpu"] = time.process_time() - cpu
    return value


def db_size(store: Store, url: str) -> int:
    if url.startswith("sqlite"):
        with store.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        path = Path(sa.engine.make_url(url).database or "")
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    with store.engine.connect() as conn:
        return int(
            conn.execute(
                sa.text(
                    "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
                    "JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'm')"
                )
            ).scalar_one()
        )


def run(url: str, n_cases: int, n_single: int, bulk_size: int, batch: int) -> dict[str, float]:
    results: dict[str, float] = {}
    store = Store.open(url)
    clock_now = [T0 + timedelta(days=400)]

    def clock() -> datetime:
        clock_now[0] += timedelta(milliseconds=1)
        return clock_now[0]

    service = CaseService(store, clock=clock)
    accounts = AccountService(store, clock=clock)
    for name, role in [("ana", "analyst"), ("sig", "supervisor"), ("olav", "analyst")]:
        accounts.add_user(OPERATOR, name, role)
    ana, sig = accounts.actor("ana", source="bench"), accounts.actor("sig", source="bench")

    timed("create", lambda: load_cases(store, n_cases, batch=batch, t0=T0, now=T0 + timedelta(days=400)), results)
    ids = case_ids(store)
    assert len(ids) == n_cases, (len(ids), n_cases)
    n_single = min(n_single, n_cases)

    def one_by_one() -> None:
        for k, case_id in enumerate(ids[:n_single]):
            for change in ten_changes(k, case_id):
                single(service, ana, sig, change)

    def in_bulk() -> None:
        done = 0
        for changes in batches(ids[n_single:], n_single, bulk_size):
            service.apply_changes(sig, changes)  # a supervisor may make all ten kinds of change
            done += len(changes)
            if done % (bulk_size * 100) < bulk_size:
                print(f"\r  {done:,} changes in bulk", end="", file=sys.stderr, flush=True)
        print(file=sys.stderr)

    timed("single", one_by_one, results)
    timed("bulk", in_bulk, results)
    if store.engine.dialect.name == "postgresql":
        with store.engine.begin() as conn:  # what autovacuum does soon after a bulk load; plans depend on it
            conn.execute(sa.text("ANALYZE"))
    queries = {
        "list: default page": CaseFilter(),
        "list: detected, Oslo": CaseFilter(states=("detected",), districts=("Oslo",)),
        "list: prevented, Oslo": CaseFilter(states=("prevented",), districts=("Oslo",)),
        "list: shooting on telegram": CaseFilter(violence_types=("shooting",), platforms=("telegram",)),
        "list: one week, nb": CaseFilter(
            since=T0 + timedelta(days=30), until=T0 + timedelta(days=37), languages=("nb",)
        ),
    }
    for label, flt in queries.items():
        timed(label, lambda flt=flt: service.list_cases(ana, flt, per_page=50), results)  # type: ignore[misc]
    timed("list: page 100", lambda: service.list_cases(ana, page=100, per_page=50), results)
    detail = timed("show one case", lambda: service.get_case(ana, ids[len(ids) // 2]), results)
    assert len(detail.events) == 1 + CHANGES_PER_CASE, detail  # type: ignore[attr-defined]
    verification = timed("audit verify", service.verify_audit, results)
    assert verification.ok, verification  # type: ignore[attr-defined]
    results["audit events"] = float(verification.events)  # type: ignore[attr-defined]
    results["size MB"] = db_size(store, url) / 1e6
    store.close()
    return results


def line(results: dict[str, float], label: str, key: str, count: int, unit: str) -> None:
    wall, cpu = results[key], results[key + " cpu"]
    print(f"{label:34s}{wall:9.1f} s {cpu:8.1f} s  {count / wall if wall else 0:8.0f} {unit}/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--single", type=int, default=1000, help="cases changed one change per transaction")
    parser.add_argument("--bulk-size", type=int, default=500, help="changes per bulk transaction")
    parser.add_argument("--batch", type=int, default=1000, help="posts per Store.save transaction")
    parser.add_argument("--db", action="append", choices=["sqlite", "postgresql"], help="default: both")
    args = parser.parse_args()
    for kind in args.db or ["sqlite", "postgresql"]:
        load_before = os.getloadavg()
        usage_before = resource.getrusage(resource.RUSAGE_SELF)
        with bench_database(kind) as url:
            results = run(url, args.cases, args.single, args.bulk_size, args.batch)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        n_single = min(args.single, args.cases) * CHANGES_PER_CASE
        n_bulk = args.cases * CHANGES_PER_CASE - n_single
        print(f"\n== {kind}: {args.cases:,} cases, {CHANGES_PER_CASE} changes each ({args.cases * 10:,} changes)")
        print(f"load average before {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}, after", end=" ")
        print(" ".join(f"{x:.2f}" for x in os.getloadavg()))
        print(f"{'':34s}{'wall':>9s}  {'cpu':>8s}  rate (wall)")

        line(results, f"create {args.cases:,} cases (Store.save)", "create", args.cases, "cases")
        if n_single:
            line(results, f"{n_single:,} changes, one per transaction", "single", n_single, "changes")
        if n_bulk:
            line(results, f"{n_bulk:,} changes, {args.bulk_size} per tx", "bulk", n_bulk, "changes")
        for label in [k for k in results if k.startswith(("list", "show")) and not k.endswith(" cpu")]:
            print(f"{label:34s}{results[label] * 1000:9.1f} ms")
        events = int(results["audit events"])
        line(results, f"audit verify ({events:,} events)", "audit verify", events, "events")
        print(f"database size {results['size MB']:20.1f} MB")
        cpu_total = usage.ru_utime + usage.ru_stime - usage_before.ru_utime - usage_before.ru_stime
        print(f"client process CPU (getrusage) {cpu_total:9.1f} s  (the PostgreSQL server's CPU is not included)")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
