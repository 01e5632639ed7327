"""Benchmark: the triage queue page with 100,000 cases in the database (target: under 300 ms).

Creates N cases through `Store.save` (as `varde scan` does; a case opens per order), a few users, then renders the
queue through the whole app in-process (ASGI stack, session check, security headers, the service's scoped query
with counts per status and its audit event, the template) and prints the median and 95th percentile.

    .venv/bin/python bench/bench_web.py                          # 100,000 cases on SQLite
    .venv/bin/python bench/bench_web.py --cases 10000 --db postgres
    .venv/bin/python bench/bench_web.py --keep /tmp/web100k.db   # reuse the database on the next run"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from fastapi.testclient import TestClient

from varde.cases.access import Actor
from varde.cases.accounts import AccountService
from varde.settings import Settings
from varde.store import Store
from varde.web import create_app

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.cases_fixture import bench_database, load_cases

OPERATOR = Actor("bench", "admin", frozenset(), "bench")
PASSWORD = "bench-password-1"
NOW = datetime.now(UTC)


def fill(store: Store, n_cases: int, batch: int) -> float:
    service = AccountService(store)
    for name, role, districts in [("ana", "analyst", ()), ("vera", "investigator", ("Vest",))]:
        service.add_user(OPERATOR, name, role, districts=districts, password=PASSWORD)
    return load_cases(store, n_cases, batch=batch, t0=NOW - timedelta(days=730), now=NOW, minutes_apart=7)


def count_cases(store: Store) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(sa.text("SELECT count(*) FROM cases")).scalar_one())


def login(client: TestClient, name: str) -> None:
    client.cookies.clear()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    assert token
    response = client.post(
        "/login", data={"username": name, "password": PASSWORD, "csrf_token": token.group(1)}, follow_redirects=False
    )
    assert response.status_code == 303, response.text


def measure(client: TestClient, path: str, repeat: int) -> tuple[float, float, float, int]:
    """Median and 95th percentile wall milliseconds, mean CPU milliseconds (all threads) and size of `path`, after one
    request that warms the caches."""
    client.get(path)
    times = []
    cpu = time.process_time()
    size = 0
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
        size = len(response.content)
    cpu_ms = (time.process_time() - cpu) * 1000 / repeat
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)], cpu_ms, size


def run(url: str, n_cases: int, batch: int, repeat: int) -> None:
    store = Store.open(url)
    have = count_cases(store)
    if have == 0:
        took = fill(store, n_cases, batch)
        print(f"created {n_cases:,} cases through Store.save in {took:.1f} s")
    else:
        print(f"reusing a database with {have:,} cases")
    total = count_cases(store)
    if store.engine.dialect.name == "postgresql":
        with store.engine.begin() as conn:  # what autovacuum does soon after a bulk load; plans depend on it
            conn.execute(sa.text("ANALYZE"))
    app = create_app(
        Settings(database_url=url, secret_key="bench"), store=store, secure_cookies=False, media_dir=tempfile.mkdtemp()
    )
    with TestClient(app, base_url="http://127.0.0.1") as client:
        for user, paths in [
            (
                "ana",
                [
                    "/",
                    "/?status=all",
                    "/?district=Oslo",
                    "/?violence_type=shooting&platform=telegram",
                    "/?status=all&page=200",
                    "/api/queue",
                ],
            ),
            ("vera", ["/"]),
        ]:
            login(client, user)
            for path in paths:
                median, p95, _cpu, size = measure(client, path, repeat)
                verdict = "ok" if median < 300 else "SLOW"
                print(
                    f"{url.split(':')[0]:<10} {total:>8,} cases  {user:<5} {path:<45} median {median:7.1f} ms"
                    f"  p95 {p95:7.1f} ms  {size / 1024:6.1f} KiB  {verdict}"
                )
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--batch", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--keep", metavar="FILE", help="SQLite file to create or reuse (default: a temporary one)")
    args = parser.parse_args()
    kind = "sqlite" if args.db == "sqlite" else "postgresql"
    with bench_database(kind, sqlite_path=Path(args.keep) if args.keep else None) as url:
        run(url, args.cases, args.batch, args.repeat)


if __name__ == "__main__":
    main()
