"""Benchmark: the network page (graph + backmen) with 100,000 cases in the database (target: under 300 ms).

The case load of bench_web.py (N orders saved through `Store.save`, one case each, in 50 channels), with a network
drawn into it: each ad posted by one of 3,001 invented accounts and naming one of 977 invented contact handles.
Then the network page through the whole app in-process: session check, the case read and its audit event, the
network analysis of what the user may see (graph, entity resolution, attribution, ranking: computed once per data
version and kept in the service's cache, see `varde.network.service`), the server-side SVG layout and the
template. The analysis is built off the request path (warmed in the background when the app starts; after a data
change the previous one is served while one background rebuild runs): printed are the start-up, each user's first
request ("first": pending, stale or current), how long the background analysis took, the median and 95th percentile
of the following requests ("warm"), and the first requests after each of three data changes (one more case).

    .venv/bin/python bench/bench_network_page.py                          # 100,000 cases on SQLite
    .venv/bin/python bench/bench_network_page.py --keep /tmp/web100k.db   # reuse the database on the next run"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_web import OPERATOR, PASSWORD, count_cases, login, measure
from bench.cases_fixture import bench_database, case_ids, make_records
from varde.cases.accounts import AccountService
from varde.cases.ingest import ingest
from varde.records import Contact
from varde.settings import Settings
from varde.store import Store
from varde.web import create_app
from varde.web.deps import network_service

NOW = datetime.now(UTC)
POSTERS = 3001
CONTACTS = 977


def fill(store: Store, n_cases: int, batch: int) -> float:
    """Users, then `n_cases` orders, each posted by an account and naming a contact (see the module docstring)."""
    service = AccountService(store)
    for name, role, districts in [("ana", "analyst", ()), ("vera", "investigator", ("Vest",))]:
        service.add_user(OPERATOR, name, role, districts=districts, password=PASSWORD)
    rng = random.Random(7)
    start = time.perf_counter()
    for first in range(0, n_cases, batch):
        records = make_records(first, min(batch, n_cases - first), rng, t0=NOW - timedelta(days=730), minutes_apart=7)
        ingest(
            store,
            [
                replace(
                    r,
                    post=replace(r.post, author=f"@poster{i % POSTERS}"),
                    contacts=(Contact("telegram", f"@bench{i % CONTACTS}"),),
                )
                for i, r in enumerate(records, start=first)
            ],
            now=NOW,
        )
        print(f"\r  created {min(first + batch, n_cases):,} cases", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return time.perf_counter() - start


def first(client: TestClient, path: str) -> tuple[float, float, str]:
    """Wall and CPU milliseconds (the whole process: a background rebuild's CPU counts too) of one request, and what
    it served: the analysis being prepared, the previous one (updating), or the current one."""
    wall, cpu = time.perf_counter(), time.process_time()
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    wall, cpu = (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000
    text = response.text
    state = "pending" if 'id="network-pending"' in text else "stale" if 'id="network-as-of"' in text else "current"
    return wall, cpu, state


def change(store: Store, n: int) -> None:
    """One more case (a data change: the analysis is out of date)."""
    record = make_records(n, 1, random.Random(n), t0=NOW, minutes_apart=7)[0]
    ingest(store, [replace(record, post=replace(record.post, id=f"{record.post.id}-change-{time.time_ns()}"))], now=NOW)


def settle(app: Any, label: str) -> None:
    """Wait for the background analysis and print how long it took from now."""
    wall, cpu = time.perf_counter(), time.process_time()
    assert network_service(app.state.web).wait_for_rebuilds(900)
    print(
        f"  {label}: background analysis ready after {time.perf_counter() - wall:6.1f} s more"
        f"  (process cpu {time.process_time() - cpu:6.1f} s)"
    )


def run(url: str, n_cases: int, batch: int, repeat: int) -> None:
    store = Store.open(url)
    if count_cases(store) == 0:
        print(f"created {n_cases:,} cases through Store.save in {fill(store, n_cases, batch):.1f} s")
    total = count_cases(store)
    ids = case_ids(store)
    some = ids[len(ids) // 2]
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    start = time.perf_counter()
    app = create_app(
        Settings(database_url=url, secret_key="bench"), store=store, secure_cookies=False, media_dir=tempfile.mkdtemp()
    )
    with TestClient(app, base_url="http://127.0.0.1") as client:
        print(
            f"  app started (start-up done, analysis warming in the background) in "
            f"{(time.perf_counter() - start) * 1000:.0f} ms"
        )
        for user, paths in [
            ("ana", ["/network", f"/network?case={some}", f"/api/network?case={some}", "/network?entity=@bench17"]),
            ("vera", ["/network"]),
        ]:
            login(client, user)
            wall, cpu, state = first(client, paths[0])
            print(f"{total:>8,} cases  {user:<5} {paths[0]:<32} first {wall:8.1f} ms  cpu {cpu:8.1f} ms  {state}")
            settle(app, user)
            for path in paths:
                median, p95, cpu, size = measure(client, path, repeat)
                verdict = "ok" if median < 300 else "SLOW"
                print(
                    f"{total:>8,} cases  {user:<5} {path:<32} warm median {median:7.1f} ms  p95 {p95:7.1f} ms"
                    f"  cpu {cpu:6.1f} ms  {size / 1024:6.1f} KiB  {verdict}"
                )
        login(client, "ana")
        for round_ in range(3):
            change(store, total + round_)
            for path in ("/network", f"/network?case={some}"):
                wall, cpu, state = first(client, path)
                verdict = "ok" if wall < 300 else "SLOW"
                print(
                    f"{total:>8,} cases  ana   {path:<32} after a change {wall:8.1f} ms  cpu {cpu:8.1f} ms"
                    f"  {state}  {verdict}"
                )
            settle(app, f"change {round_ + 1}")
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--keep", metavar="FILE", help="SQLite file to create or reuse (default: a temporary one)")
    args = parser.parse_args()
    with bench_database("sqlite", sqlite_path=Path(args.keep) if args.keep else None) as url:
        run(url, args.cases, args.batch, args.repeat)


if __name__ == "__main__":
    main()
