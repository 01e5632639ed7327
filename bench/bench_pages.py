"""Benchmark: the dashboard, report and backmen pages with 100,000 cases in the database (target: dashboard under
300 ms).

Fills the database as `bench_web.py` does (N cases through `Store.save`; a case opens per order) and moves a share of
them on to uncovered/prevented/executed/dismissed through `CaseService`-free bulk SQL (states and their events, as
the lifecycle writes them), then renders each page through the whole app in-process and prints the start-up, the
first view right after it (the figures are read in the background at start-up), the first view once they are read,
the median and the 95th percentile of the repeats, the first view after each of three case changes (the kept
figures, labelled, while the new ones are read in the background; how long that took is printed too), and the first
view after a restart (the figures the last run kept in the database, labelled, while the start-up read runs).

    .venv/bin/python bench/bench_pages.py                           # 100,000 cases on SQLite
    .venv/bin/python bench/bench_pages.py --keep /tmp/pages100k.db  # reuse the database on the next run
    .venv/bin/python bench/bench_pages.py --cases 10000 --db postgres"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_web import NOW, count_cases, fill, login
from bench.cases_fixture import bench_database
from varde.settings import Settings
from varde.store import Store
from varde.web import create_app
from varde.web.app import SWITCH_INTERVAL_S
from varde.web.deps import report_service

# Every n-th case moves on to a state (ids are spread over the two years the fixture covers).
MOVES = (("uncovered", 5, 1), ("prevented", 11, 2), ("executed", 13, 3), ("dismissed", 7, 4))


def move_states(store: Store) -> None:
    """Set a share of the cases to later states, with the case event that records it (one day after first seen)."""
    with store.engine.begin() as conn:
        for state, every, rest in MOVES:
            ids = [
                int(i)
                for i in conn.execute(
                    sa.text("SELECT id FROM cases WHERE id % :n = :r AND state = 'detected'"), {"n": every, "r": rest}
                ).scalars()
            ]
            conn.execute(
                sa.text("UPDATE cases SET state = :s WHERE id % :n = :r AND state = 'detected'"),
                {"s": state, "n": every, "r": rest},
            )
            seen = dict(conn.execute(sa.text("SELECT id, first_seen_at FROM cases")).all()) if ids else {}
            conn.execute(
                sa.text(
                    "INSERT INTO case_events (case_id, at, actor, action, from_state, to_state, reason, data) "
                    "VALUES (:c, :at, 'bench', 'status', 'detected', :s, '', '{}')"
                ),
                [{"c": i, "at": seen[i], "s": state} for i in ids],
            )


def timed(client: TestClient, path: str, repeat: int) -> tuple[float, float, float]:
    start = time.perf_counter()
    first = client.get(path)
    cold = (time.perf_counter() - start) * 1000
    assert first.status_code == 200, (path, first.status_code)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    times.sort()
    return cold, statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]


def start_app(url: str, store: Store) -> FastAPI:
    return create_app(
        Settings(database_url=url, secret_key="bench"), store=store, secure_cookies=False, media_dir=tempfile.mkdtemp()
    )


def one_view(client: TestClient, path: str) -> tuple[float, float, str]:
    """Wall and CPU milliseconds (the whole process: background reads count too) of one view of `path`, and "stale"
    when it served kept figures, labelled, or "pending" when it said the figures are still being read."""
    start, cpu = time.perf_counter(), time.process_time()
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    wall, cpu = (time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000
    stale = "stale" if ("dashboard-as-of" in response.text or '"updating":true' in response.text) else ""
    return wall, cpu, "pending" if "dashboard-pending" in response.text else stale


def during_network_analysis(client: TestClient, path: str) -> None:
    """A view every half second while the start-up warm-up analyses the network (tens of seconds at 10⁵ cases, in a
    thread of the same process; the analysis is kept per process, so this runs once per bench)."""
    views, started = [], time.perf_counter()
    while any(thread.name == "varde-warm-up" for thread in threading.enumerate()):
        start = time.perf_counter()
        assert client.get(path).status_code == 200
        views.append((time.perf_counter() - start) * 1000)
        time.sleep(0.5)
    if views:
        views.sort()
        p95 = views[min(len(views) - 1, math.ceil(0.95 * len(views)) - 1)]
        print(
            f"{'':>15} {path:<40} during the network analysis ({time.perf_counter() - started:.0f} s, {len(views)} "
            f"views, slices of {sys.getswitchinterval() * 1000:g} ms): median {statistics.median(views):6.1f} ms  "
            f"p95 {p95:6.1f} ms  max {views[-1]:6.1f} ms  ({sum(v >= 300 for v in views)} over 300 ms)"
        )


def run(url: str, n_cases: int, batch: int, repeat: int, paths: list[str]) -> None:
    store = Store.open(url)
    if count_cases(store) == 0:
        took = fill(store, n_cases, batch)
        move_states(store)
        print(f"created {n_cases:,} cases through Store.save in {took:.1f} s")
    total = count_cases(store)
    if store.engine.dialect.name == "postgresql":
        with store.engine.begin() as conn:
            conn.execute(sa.text("ANALYZE"))
    print(f"now {NOW:%Y-%m-%d}; load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    start = time.perf_counter()
    app = start_app(url, store)
    reports = report_service(app.state.web)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        print(f"app started in {(time.perf_counter() - start) * 1000:.0f} ms (figures read in the background)")
        login(client, "ana")
        wall, cpu, stale = one_view(client, paths[0])
        print(
            f"{total:>8,} cases  {paths[0]:<40} right after start {wall:8.1f} ms  cpu {cpu:7.1f} ms  {stale:<7} "
            f"{'ok' if wall < 300 else 'SLOW'} (the kept figures, or a notice while the first read runs)"
        )
        during_network_analysis(client, paths[0])
        assert reports.wait_for_rebuilds(600)
        for path in paths:
            cpu = time.process_time()
            cold, median, p95 = timed(client, path, repeat)
            cpu_ms = (time.process_time() - cpu) * 1000 / (repeat + 1)
            verdict = "ok" if median < 300 else "SLOW"
            print(
                f"{total:>8,} cases  {path:<40} first {cold:8.1f} ms  median {median:7.1f} ms  p95 {p95:7.1f} ms"
                f"  cpu/req {cpu_ms:7.1f} ms  {verdict}"
            )
            # The first view after a case changed: the kept figures, labelled, while they are read again.
            for _ in range(3):
                with store.engine.begin() as conn:
                    conn.execute(sa.text("UPDATE cases SET version = version + 1 WHERE id = 1"))
                wall, cpu, stale = one_view(client, path)
                verdict = "ok" if wall < 300 else "SLOW"
                start, cpu_wait = time.perf_counter(), time.process_time()
                assert reports.wait_for_rebuilds(600)
                print(
                    f"{'':>15} {path:<40} after a case changed {wall:8.1f} ms  cpu {cpu:7.1f} ms  {stale:<5} {verdict}"
                    f";  new figures read {time.perf_counter() - start:5.1f} s later"
                    f" (cpu {time.process_time() - cpu_wait:4.1f} s)"
                )
    # A restart: the figures the last run read (kept in the database) are shown at once, labelled, while the
    # start-up read runs; the first start on a store had none (it said they were being read).
    app = start_app(url, store)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        login(client, "ana")
        wall, cpu, stale = one_view(client, paths[0])
        print(
            f"{total:>8,} cases  {paths[0]:<40} right after a restart {wall:8.1f} ms  cpu {cpu:7.1f} ms  {stale:<5} "
            f"{'ok' if wall < 300 else 'SLOW'}"
        )
        assert report_service(app.state.web).wait_for_rebuilds(600)
    print(f"load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--batch", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--keep", metavar="FILE", help="SQLite file to create or reuse (default: a temporary one)")
    parser.add_argument("--path", action="append", help="page to time (repeatable; default: the dashboard pages)")
    parser.add_argument(
        "--switch-interval",
        type=float,
        default=SWITCH_INTERVAL_S,
        help="the interpreter's time slice in seconds (default: what `varde serve` sets; CPython's own is 0.005)",
    )
    args = parser.parse_args()
    sys.setswitchinterval(args.switch_interval)  # as `varde serve` does
    paths = args.path or ["/dashboard", "/api/dashboard"]
    kind = "sqlite" if args.db == "sqlite" else "postgresql"
    with bench_database(kind, sqlite_path=Path(args.keep) if args.keep else None) as url:
        run(url, args.cases, args.batch, args.repeat, paths)


if __name__ == "__main__":
    main()
