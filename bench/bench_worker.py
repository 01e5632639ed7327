"""Scale-out throughput and latency: NATS JetStream workers over PostgreSQL.

    .venv/bin/python bench/bench_worker.py [--posts 20000] [--rate 500] [--seconds 30] [--feed FEED.jsonl]

1. Throughput: on a fresh stream and schema, start 1 worker (then 2), wait until each is subscribed and waiting for
   messages, publish --posts posts (2 % orders) from this process, and time from the start of publishing until
   every post is stored ("once ready"). The figure counting the workers' start-up (imports, models, schema check:
   a few seconds) from their launch is printed beside it.
2. Latency at a steady --rate posts/s for --seconds with 2 workers: publish → stored record (records.analysed_at)
   and publish → alert received on varde.alerts.> (p50, p99). One post in 50 is an urgent order.

CPU seconds are printed for the workers (their whole life, start-up included), this process (the publisher), and
all PostgreSQL and NATS server processes during the run (these serve every client on the machine, not only the
workers), with the load average. Needs the local NATS (127.0.0.1:4222) and PostgreSQL (database test) servers."""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, select, text  # noqa: E402

from bench.corpus import write_mixed_corpus  # noqa: E402
from varde.posts import Post  # noqa: E402
from varde.settings import Settings  # noqa: E402
from varde.store import Store  # noqa: E402
from varde.store.tables import orders, posts, records  # noqa: E402
from varde.worker import connect, encode_post, ensure_stream, publish_posts  # noqa: E402

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


def workers(settings: Settings, n: int, idle: float, extra: Sequence[str] = ()) -> list[subprocess.Popen[bytes]]:
    return [
        subprocess.Popen(
            [VARDE, "worker", "--exit-when-idle", str(idle), *extra],
            env=env(settings),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for _ in range(n)
    ]


def finish(procs: list[subprocess.Popen[bytes]]) -> float:
    """Wait for the workers to exit and print what each says last (posts stored, batches); their CPU seconds (user
    + system, whole life)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        lines = err.decode("utf-8", errors="replace").strip().splitlines()
        print(f"    {lines[-1] if lines else '(worker said nothing)'}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def server_cpu() -> dict[int, tuple[str, float]]:
    """CPU seconds used so far by each PostgreSQL and NATS server process (every client's work), by pid."""
    tick = os.sysconf("SC_CLK_TCK")
    found: dict[int, tuple[str, float]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            head, tail = stat.read_text().rsplit(")", 1)
        except OSError:
            continue
        name, values = head.split("(", 1)[1], tail.split()
        if name in ("postgres", "nats-server"):
            found[int(stat.parent.name)] = (name, (int(values[11]) + int(values[12])) / tick)
    return found


class Usage:
    """CPU of this process and of the database and NATS servers between `__init__` and `stop`, and the load
    average at `stop` (taken while the workers still run: a server process that serves a connection ends with it,
    and its CPU time can no longer be read)."""

    def __init__(self) -> None:
        self.started = time.process_time()
        self.before = server_cpu()
        self.process = 0.0
        self.servers = {"postgres": 0.0, "nats-server": 0.0}
        self.load = ""

    def stop(self) -> None:
        self.process = time.process_time() - self.started
        for pid, (name, cpu) in server_cpu().items():
            self.servers[name] += cpu - self.before.get(pid, (name, 0.0))[1]
        self.load = " ".join(f"{x:.2f}" for x in os.getloadavg())

    def report(self, workers_cpu: float) -> str:
        return (
            f"    CPU s: workers {workers_cpu:.1f}, publisher {self.process:.1f}, "
            f"postgres {self.servers['postgres']:.1f}, nats {self.servers['nats-server']:.1f}; load average {self.load}"
        )


class Stored:
    """Counts stored rows through one open engine (polled often)."""

    def __init__(self, settings: Settings) -> None:
        self.store = Store.open(settings.database_url, upgrade=False)

    def posts(self) -> int:
        with self.store.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(posts)).scalar_one())

    def close(self) -> None:
        self.store.close()


async def wait_ready(settings: Settings, n: int, timeout: float = 120) -> None:
    """Until `n` workers wait on the shared durable consumer (each keeps a pull request open while idle)."""
    from nats.js.errors import NotFoundError

    nc = await connect(settings)
    try:
        js = nc.jetstream()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                info = await js.consumer_info(settings.stream, "workers")
                if (info.num_waiting or 0) >= n:
                    return
            except NotFoundError:
                pass
            await asyncio.sleep(0.05)
        raise TimeoutError(f"{n} workers were not ready after {timeout} s")
    finally:
        await nc.close()


def throughput(corpus: Path, n_workers: int, extra: Sequence[str], *, backlog: bool) -> None:
    """By default the workers start, wait until subscribed, and the posts are published while they work (the
    publisher sharing the machine): posts/s from the start of publishing. With `backlog` every post is published
    first and the workers drain the stream: posts/s from their first stored batch to the last."""
    from varde.readers import iter_posts

    items = [p for p in iter_posts([corpus]) if isinstance(p, Post)]
    n_posts = len({p.id for p in items})  # what the workers will store
    settings = fresh_settings()
    stored = Stored(settings)
    try:
        if backlog:
            asyncio.run(publish_posts(items, settings))
        launched = time.perf_counter()
        procs = workers(settings, n_workers, idle=3, extra=extra)
        if backlog:
            usage = Usage()
            while (before := stored.posts()) == 0:
                time.sleep(0.02)
            started = time.perf_counter()
            how = f"from the first stored batch to the last ({n_posts} posts published beforehand)"
        else:
            asyncio.run(wait_ready(settings, n_workers))
            usage, before = Usage(), 0
            started = time.perf_counter()
            asyncio.run(publish_posts(items, settings))
            how = f"once ready (publishing took {time.perf_counter() - started:.1f} s)"
        while stored.posts() < n_posts:
            time.sleep(0.1)
        done = time.perf_counter()
        usage.stop()
        line = usage.report(finish(procs))
        print(
            f"{'backlog' if backlog else 'throughput'}, {n_workers} worker(s): "
            f"{(n_posts - before) / (done - started):6.0f} posts/s {how}; {n_posts / (done - launched):.0f} posts/s "
            f"counting start-up ({started - launched:.1f} s)"
        )
        print(line)
    finally:
        stored.close()
        drop(settings)


def urgent_post(i: int) -> Post:
    places = ["Grønland i Oslo", "Rinkeby", "Husby", "Biskopshavn i Bergen", "Tingbjerg", "Hovsjö"]
    text = (
        f"Oppdrag i kveld kl 23: skyt mot døra på {places[i % len(places)]}, adresse i DM. "
        f"{40 + i}k kontant. Tg @bench_{i:05d}"
    )
    return Post(id=f"bench:urgent:{i}", platform="telegram", text=text, created_at=datetime.now(UTC))


async def steady_rate(
    settings: Settings, corpus: Path, rate: int, seconds: int, extra: Sequence[str]
) -> tuple[list[float], list[float]]:
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
    procs = workers(settings, 2, idle=5, extra=extra)
    await wait_ready(settings, 2)
    usage = Usage()
    stored = Stored(settings)
    subject = f"{settings.subject_prefix}.posts"
    total = rate * seconds
    urgent = 0
    started = time.perf_counter()
    for i in range(total):
        if i % 50 == 0:
            post = urgent_post(i)
            urgent += 1
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
    while stored.posts() < total:
        await asyncio.sleep(0.25)
    usage.stop()
    stored.close()
    await asyncio.sleep(2)
    await nc.close()
    line = usage.report(finish(procs))
    store = Store.open(settings.database_url, upgrade=False)
    with store.engine.connect() as conn:
        rows = conn.execute(select(records.c.post_id, records.c.analysed_at)).all()
        urgent_orders = conn.execute(
            select(func.count()).select_from(orders).where(orders.c.urgency >= settings.alert_urgency)
        ).scalar_one()
    store.close()
    store_latency = [row.analysed_at.timestamp() - published_at[row.post_id] for row in rows]
    print(f"  published {total} posts at {actual_rate:.0f} posts/s ({urgent} urgent posts)")
    print(f"  {len(alert_latency)} alerts received; {urgent_orders} orders at or above the alert urgency")
    print(line)
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
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="Worker counts for throughput.")
    parser.add_argument("--worker-args", default="", help="Extra `varde worker` options, e.g. '--batch 512'.")
    parser.add_argument(
        "--feed",
        type=Path,
        help="Publish the first --posts posts of this JSON-lines file (e.g. one ../shared/bench/make_feed.py wrote: "
        "every line different) instead of the demo corpus repeated (2 %% orders; re-posts hit the caches).",
    )
    parser.add_argument(
        "--backlog",
        action="store_true",
        help="Throughput on a backlog: publish first, then start the workers (by default they wait, and the posts are "
        "published while they work, the publisher sharing the machine).",
    )
    options = parser.parse_args()
    extra = options.worker_args.split()
    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder) / "posts.jsonl"
        if options.feed:
            with options.feed.open("rb") as source, corpus.open("wb") as target:
                target.writelines(line for _, line in zip(range(options.posts), source, strict=False))
        else:
            write_mixed_corpus(corpus, options.posts, 0.02)
        for n in options.workers:
            throughput(corpus, n, extra, backlog=options.backlog)
        if options.seconds <= 0:
            return
        settings = fresh_settings()
        try:
            print(f"steady {options.rate} posts/s for {options.seconds} s with 2 workers:")
            store_latency, alert_latency = asyncio.run(
                steady_rate(settings, corpus, options.rate, options.seconds, extra)
            )
            print(f"  publish → stored record: {percentiles(store_latency)}")
            print(f"  publish → alert:         {percentiles(alert_latency)}")
        finally:
            drop(settings)


if __name__ == "__main__":
    main()
