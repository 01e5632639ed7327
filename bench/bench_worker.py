"""Scale-out throughput and latency: NATS JetStream workers over PostgreSQL.

    .venv/bin/python bench/bench_worker.py [--posts 20000] [--rate 500] [--seconds 30]

1. Throughput: publish --posts posts (2 % orders), then run 1 worker, and then 2 workers, each on a fresh stream
   and schema, timing from worker start until every post is stored.
2. Latency at a steady --rate posts/s for --seconds with 2 workers: publish → stored record (records.analysed_at)
   and publish → alert received on varde.alerts.> (p50, p99). One post in 50 is a new urgent order.
Needs the local NATS (127.0.0.1:4222) and PostgreSQL (database test) servers."""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, select, text  # noqa: E402

from bench.corpus import write_mixed_corpus  # noqa: E402
from varde.posts import Post  # noqa: E402
from varde.settings import Settings  # noqa: E402
from varde.store import Store  # noqa: E402
from varde.store.tables import records  # noqa: E402
from varde.worker import connect, encode_post, ensure_stream  # noqa: E402

SERVER = os.environ.get("VARDE_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
VARDE = str(Path(sys.executable).with_name("varde"))


def fresh_settings() -> Settings:
    schema = f"b_{uuid.uuid4().hex[:10]}"
    admin = create_engine(SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    url = f"{SERVER}?options=-csearch_path%3D{schema}"
    Store.open(url).close()  # migrate before the workers start
    return Settings(database_url=url, stream=f"B{uuid.uuid4().hex[:8].upper()}")


def drop(settings: Settings) -> None:
    schema = settings.database_url.rsplit("%3D", 1)[1]
    admin = create_engine(SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()

    async def delete() -> None:
        nc = await connect(settings)
        try:
            await nc.jetstream().delete_stream(settings.stream)
        finally:
            await nc.close()

    asyncio.run(delete())


def env(settings: Settings) -> dict[str, str]:
    return {**os.environ, "VARDE_DATABASE_URL": settings.database_url, "VARDE_STREAM": settings.stream}


def workers(settings: Settings, n: int, idle: float) -> list[subprocess.Popen[bytes]]:
    return [
        subprocess.Popen(
            [VARDE, "worker", "--exit-when-idle", str(idle)],
            env=env(settings),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(n)
    ]


def stored(settings: Settings) -> int:
    store = Store.open(settings.database_url, upgrade=False)
    try:
        return store.counts()["posts"]
    finally:
        store.close()


def throughput(corpus: Path, n_posts: int, n_workers: int) -> float:
    settings = fresh_settings()
    try:
        subprocess.run([VARDE, "publish", str(corpus)], env=env(settings), check=True, capture_output=True)
        started = time.perf_counter()
        procs = workers(settings, n_workers, idle=3)
        while stored(settings) < n_posts:
            time.sleep(0.25)
        elapsed = time.perf_counter() - started
        for proc in procs:
            proc.wait(timeout=120)
        return n_posts / elapsed
    finally:
        drop(settings)


def urgent_post(i: int) -> Post:
    places = ["Grønland i Oslo", "Rinkeby", "Husby", "Biskopshavn i Bergen", "Tingbjerg", "Hovsjö"]
    text = (
        f"Oppdrag i kveld kl 23: skyt mot døra på {places[i % len(places)]}, adresse i DM. "
        f"{40 + i}k kontant. Tg @bench_{i:05d}"
    )
    return Post(id=f"bench:urgent:{i}", platform="telegram", text=text, created_at=datetime.now(UTC))


async def steady_rate(settings: Settings, corpus: Path, rate: int, seconds: int) -> tuple[list[float], list[float]]:
    from varde.readers import iter_posts

    base = [p for p in iter_posts([corpus]) if isinstance(p, Post)]
    nc = await connect(settings)
    js = nc.jetstream()
    await ensure_stream(js, settings)
    alert_latency: list[float] = []
    published_at: dict[str, float] = {}

    async def on_alert(message: object) -> None:
        import json

        payload = json.loads(message.data)  # type: ignore[attr-defined]
        sent = published_at.get(payload["first_post_id"])
        if sent is not None:
            alert_latency.append(time.time() - sent)

    await nc.subscribe(f"{settings.subject_prefix}.alerts.>", cb=on_alert)
    procs = workers(settings, 2, idle=5)
    await asyncio.sleep(3)  # let the workers start
    subject = f"{settings.subject_prefix}.posts"
    total = rate * seconds
    started = time.perf_counter()
    for i in range(total):
        if i % 50 == 0:
            post = urgent_post(i)
        else:
            template = base[i % len(base)]
            post = Post(
                id=f"bench:{i}",
                platform=template.platform,
                text=template.text,
                created_at=datetime.now(UTC) - timedelta(minutes=1),
                raw=template.raw,
            )
        published_at[post.id] = time.time()
        await js.publish(subject, encode_post(post), headers={"Nats-Msg-Id": post.id})
        delay = started + (i + 1) / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
    actual_rate = total / (time.perf_counter() - started)
    while stored(settings) < total:
        await asyncio.sleep(0.25)
    await asyncio.sleep(2)
    await nc.close()
    for proc in procs:
        proc.wait(timeout=120)
    store = Store.open(settings.database_url, upgrade=False)
    with store.engine.connect() as conn:
        rows = conn.execute(select(records.c.post_id, records.c.analysed_at)).all()
    store.close()
    store_latency = [row.analysed_at.timestamp() - published_at[row.post_id] for row in rows]
    print(f"  published {total} posts at {actual_rate:.0f} posts/s")
    return store_latency, alert_latency


def percentiles(values: list[float]) -> str:
    if not values:
        return "none"
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
    return f"p50 {statistics.median(ordered) * 1000:7.0f} ms   p99 {p99 * 1000:7.0f} ms   (n={len(ordered)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=20_000)
    parser.add_argument("--rate", type=int, default=500)
    parser.add_argument("--seconds", type=int, default=30)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder) / "posts.jsonl"
        write_mixed_corpus(corpus, options.posts, 0.02)
        for n in (1, 2):
            print(
                f"throughput, {n} worker(s): {throughput(corpus, options.posts, n):8.0f} posts/s "
                f"({options.posts} posts)"
            )
        settings = fresh_settings()
        try:
            print(f"steady {options.rate} posts/s for {options.seconds} s with 2 workers:")
            store_latency, alert_latency = asyncio.run(steady_rate(settings, corpus, options.rate, options.seconds))
            print(f"  publish → stored record: {percentiles(store_latency)}")
            print(f"  publish → alert:         {percentiles(alert_latency)}")
        finally:
            drop(settings)


if __name__ == "__main__":
    main()
