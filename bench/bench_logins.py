"""Benchmark: 60 password logins at once — peak memory, and how slow another user's request gets meanwhile.

argon2 takes 64 MiB per hash on purpose; `varde.cases.users` runs at most `HASHING_SLOTS` (2) at once. `--slots 60`
measures what it was like unbounded.

    .venv/bin/python bench/bench_logins.py              # bounded (the shipped 2 slots)
    .venv/bin/python bench/bench_logins.py --slots 60   # unbounded, for comparison"""

from __future__ import annotations

import argparse
import resource
import tempfile
import threading
import time

from fastapi.testclient import TestClient

from varde.cases import users
from varde.cases.access import Actor
from varde.cases.accounts import AccountService
from varde.settings import Settings
from varde.store import Store
from varde.web import create_app

OPERATOR = Actor("bench", "admin", frozenset(), "bench")
PASSWORD = "long unusual phrase 7"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slots", type=int, default=users.HASHING_SLOTS, help="concurrent hashes allowed")
    parser.add_argument("--logins", type=int, default=60)
    args = parser.parse_args()
    users._HASHING = threading.BoundedSemaphore(args.slots)
    users.HASHING_WAIT_SECONDS = 600
    url = f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    store = Store.open(url)
    accounts = AccountService(store)
    accounts.add_user(OPERATOR, "kari", "analyst", password=PASSWORD)
    accounts.add_user(OPERATOR, "ana", "analyst")
    bearer = {"authorization": f"Bearer {accounts.issue_token(OPERATOR, 'ana').token}"}
    client = TestClient(create_app(Settings(database_url=url), store=store, secure_cookies=False))
    client.get("/api/queue", headers=bearer)
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    logins = [
        threading.Thread(target=accounts.login, args=("kari", PASSWORD), kwargs={"source": f"web:10.0.0.{i}"})
        for i in range(args.logins)
    ]
    for thread in logins:
        thread.start()
    time.sleep(0.5)
    worst = 0.0
    for _ in range(10):
        t0 = time.monotonic()
        assert client.get("/api/queue", headers=bearer).status_code == 200
        worst = max(worst, time.monotonic() - t0)
    for thread in logins:
        thread.join()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        f"slots={args.slots}: {args.logins} logins in {time.monotonic() - started:.1f} s, peak RSS "
        f"+{(peak - base) / 1024:.0f} MiB; slowest of 10 GET /api/queue by another user: {worst * 1000:.0f} ms"
    )
    store.close()


if __name__ == "__main__":
    main()
