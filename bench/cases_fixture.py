"""The case load the benchmarks share: N invented orders, one post each, saved through `Store.save` (as `varde scan`
does, so a `detected` case opens per order), and the throwaway databases they run on.

    records = make_records(0, 1000, random.Random(7), t0=T0)
    took = load_cases(store, 100_000, batch=1000, t0=T0, now=T0 + timedelta(days=400))
    with bench_database("postgresql") as url: ...

Handles, channels and texts are invented (`@bench17`, `chan3`)."""

from __future__ import annotations

import json
import os
import random
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from varde.cases.ingest import ingest
from varde.posts import Post
from varde.records import Cue, Place, Record, When
from varde.store import Store
from varde.vocab import DISTRICTS_NO, PLATFORMS, VIOLENCE_TYPES

PG_SERVER = os.environ.get("VARDE_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
T0 = datetime(2025, 1, 1, tzinfo=UTC)


def make_records(start: int, count: int, rng: random.Random, *, t0: datetime, minutes_apart: int = 1) -> list[Record]:
    """Orders `start` … `start + count - 1`: one post each, in a random district, on a random platform."""
    platforms = sorted(PLATFORMS - {"tip"})  # tips open cases by another path
    out = []
    for i in range(start, start + count):
        district = rng.choice(DISTRICTS_NO)
        created = t0 + timedelta(minutes=minutes_apart * i)
        text = f"Oppdrag i {district} i kveld, {rng.randint(10, 200)}k, DM @bench{i % 977}"
        post = Post(
            id=f"bench:{i}",
            platform=rng.choice(platforms),
            text=text,
            created_at=created,
            channel=f"chan{i % 50}",
            raw=json.dumps({"id": f"bench:{i}", "text": text}, ensure_ascii=False).encode(),
            origin=f"bench.jsonl:{i + 1}",
            source="monitoring",
        )
        at = text.index("i kveld")
        out.append(
            Record(
                post=post,
                language=rng.choice(["nb", "sv", "da", "en"]),
                is_order=True,
                score=0.9,
                violence_types=tuple(rng.sample(VIOLENCE_TYPES, rng.randint(1, 2))),
                order_id=f"o-{i:08x}",
                cues=(Cue("time", "i kveld", at, at + 7),),
                when=When("i kveld", created + timedelta(hours=6), created + timedelta(hours=12)),
                places=(Place(district, "NO", district=district),),
                urgency=rng.random(),
            )
        )
    return out


def load_cases(
    store: Store, n_cases: int, *, batch: int, t0: datetime, now: datetime, minutes_apart: int = 1, seed: int = 7
) -> float:
    """Save `n_cases` orders in transactions of `batch` posts; returns the seconds it took (progress on stderr)."""
    rng = random.Random(seed)
    start = time.perf_counter()
    for first in range(0, n_cases, batch):
        ingest(
            store, make_records(first, min(batch, n_cases - first), rng, t0=t0, minutes_apart=minutes_apart), now=now
        )
        print(f"\r  created {min(first + batch, n_cases):,} cases", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return time.perf_counter() - start


def case_ids(store: Store) -> list[int]:
    with store.engine.connect() as conn:
        return [int(i) for i in conn.execute(sa.text("SELECT id FROM cases ORDER BY id")).scalars()]


@contextmanager
def bench_database(kind: str, *, sqlite_path: Path | None = None) -> Iterator[str]:
    """A URL to an empty database: a SQLite file (temporary unless `sqlite_path`), or a fresh PostgreSQL schema on
    `VARDE_TEST_POSTGRES` that is dropped afterwards."""
    if kind == "sqlite":
        if sqlite_path is not None:
            yield f"sqlite:///{sqlite_path}"
            return
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{tmp}/bench.db"
        return
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{PG_SERVER}?options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
