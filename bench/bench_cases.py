"""Benchmark: open N cases through `Store.save` (as `varde scan` does), then make 10 changes to each through
`CaseService` (each change its own transaction with its history row and audit event), on SQLite and PostgreSQL.
Prints times, rates, triage-list query times at that size, the audit verification time and the database size.

    .venv/bin/python bench/bench_cases.py                      # 100,000 cases, both databases
    .venv/bin/python bench/bench_cases.py --cases 10000 --db sqlite
    .venv/bin/python bench/bench_cases.py --changed 20000      # all cases created, 10 changes on 20,000 of them

The ten changes per case: note, assign, priority, note, district, note, uncovered, note, assign, prevented/dismissed
(the lifecycle allows at most three state changes, so the other changes are the ones analysts make most)."""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from varde.cases.access import Actor
from varde.cases.service import CaseFilter, CaseService
from varde.posts import Post
from varde.records import Place, Record
from varde.store import Store
from varde.vocab import DISTRICTS_NO, PLATFORMS, VIOLENCE_TYPES

PG_SERVER = os.environ.get("VARDE_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
T0 = datetime(2025, 1, 1, tzinfo=UTC)
OPERATOR = Actor("bench", "admin", frozenset(), "bench")


def make_records(start: int, count: int, rng: random.Random) -> list[Record]:
    out = []
    platforms = sorted(PLATFORMS)
    for i in range(start, start + count):
        district = rng.choice(DISTRICTS_NO)
        created = T0 + timedelta(minutes=i)
        text = f"Oppdrag i {district} i kveld, {rng.randint(10, 200)}k, DM @bench{i % 977}"
        post = Post(
            id=f"bench:{i}",
            platform=rng.choice(platforms),
            text=text,
            created_at=created,
            channel=f"chan{i % 50}",
            raw=f'{{"id": "bench:{i}", "text": "{text}"}}'.encode(),
            origin=f"bench.jsonl:{i + 1}",
        )
        out.append(
            Record(
                post=post,
                language=rng.choice(["nb", "sv", "da", "en"]),
                is_order=True,
                score=0.9,
                violence_types=tuple(rng.sample(VIOLENCE_TYPES, rng.randint(1, 2))),
                order_id=f"o-{i:08x}",
                places=(Place(district, "NO", district=district),),
                urgency=rng.random(),
            )
        )
    return out


def timed(label: str, fn: Callable[[], object], results: dict[str, float]) -> object:
    start = time.perf_counter()
    value = fn()
    results[label] = time.perf_counter() - start
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


def run(url: str, n_cases: int, n_changed: int, batch: int) -> dict[str, float]:
    rng = random.Random(7)
    results: dict[str, float] = {}
    store = Store.open(url)
    clock_now = [T0 + timedelta(days=400)]

    def clock() -> datetime:
        clock_now[0] += timedelta(milliseconds=1)
        return clock_now[0]

    service = CaseService(store, clock=clock)
    for name, role, districts in [("ana", "analyst", ()), ("sig", "supervisor", ()), ("olav", "analyst", ())]:
        service.add_user(OPERATOR, name, role, districts=districts)
    ana, sig = service.actor("ana", source="bench"), service.actor("sig", source="bench")

    def create() -> None:
        for start in range(0, n_cases, batch):
            store.save(make_records(start, min(batch, n_cases - start), rng), now=T0 + timedelta(days=400))

    timed("create", create, results)
    with store.engine.connect() as conn:
        ids = [int(i) for i in conn.execute(sa.text("SELECT id FROM cases ORDER BY id")).scalars()]
    assert len(ids) == n_cases, (len(ids), n_cases)

    def change() -> None:
        for k, case_id in enumerate(ids[:n_changed]):
            service.add_note(ana, case_id, "first look")
            service.assign(sig, case_id, "ana", "triage")
            service.set_priority(ana, case_id, 1 + k % 5, "re-rated")
            service.add_note(ana, case_id, "called the platform")
            service.set_district(ana, case_id, DISTRICTS_NO[k % len(DISTRICTS_NO)], "address found")
            service.add_note(ana, case_id, "buyer identified")
            service.set_status(ana, case_id, "uncovered", "confirmed order")
            service.add_note(ana, case_id, "patrol sent")
            service.assign(sig, case_id, "olav", "handover")
            service.set_status(ana, case_id, "prevented" if k % 3 else "dismissed", "outcome")

    timed("changes", change, results)
    queries = {
        "list: default page": CaseFilter(),
        "list: detected, Oslo": CaseFilter(states=("detected",), districts=("Oslo",)),
        "list: shooting on telegram": CaseFilter(violence_types=("shooting",), platforms=("telegram",)),
        "list: one week, nb": CaseFilter(
            since=T0 + timedelta(days=30), until=T0 + timedelta(days=37), languages=("nb",)
        ),
    }
    for label, flt in queries.items():
        timed(label, lambda flt=flt: service.list_cases(ana, flt, per_page=50), results)  # type: ignore[misc]
    timed("list: page 100", lambda: service.list_cases(ana, page=100, per_page=50), results)
    timed("show one case", lambda: service.get_case(ana, ids[len(ids) // 2]), results)
    verification = timed("audit verify", service.verify_audit, results)
    assert verification.ok, verification  # type: ignore[attr-defined]
    results["audit events"] = float(verification.events)  # type: ignore[attr-defined]
    results["size MB"] = db_size(store, url) / 1e6
    store.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--changed", type=int, default=None, help="cases to make 10 changes to (default: all)")
    parser.add_argument("--batch", type=int, default=1000, help="posts per Store.save transaction")
    parser.add_argument("--db", action="append", choices=["sqlite", "postgresql"], help="default: both")
    args = parser.parse_args()
    n_changed = args.cases if args.changed is None else min(args.changed, args.cases)
    for kind in args.db or ["sqlite", "postgresql"]:
        schema = None
        tmp = tempfile.TemporaryDirectory()
        if kind == "sqlite":
            url = f"sqlite:///{tmp.name}/bench.db"
        else:
            schema = f"bench_{uuid.uuid4().hex[:10]}"
            admin = sa.create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
            url = f"{PG_SERVER}?options=-csearch_path%3D{schema}"
        try:
            results = run(url, args.cases, n_changed, args.batch)
        finally:
            if schema:
                with admin.connect() as conn:
                    conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
                admin.dispose()
            tmp.cleanup()
        changes = n_changed * 10
        print(f"\n== {kind}: {args.cases} cases created, 10 changes on {n_changed} of them ({changes} changes)")
        print(f"create cases (Store.save)  {results['create']:9.1f} s  {args.cases / results['create']:8.0f} cases/s")
        if changes:
            print(
                f"case changes (service)     {results['changes']:9.1f} s  {changes / results['changes']:8.0f} changes/s"
            )
        for label in [k for k in results if k.startswith(("list", "show"))]:
            print(f"{label:27s}{results[label] * 1000:9.1f} ms")
        print(f"audit verify               {results['audit verify']:9.1f} s  ({results['audit events']:.0f} events)")
        print(f"database size              {results['size MB']:9.1f} MB")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
