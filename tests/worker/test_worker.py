"""Workers against the real NATS JetStream and PostgreSQL servers on this machine."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bench.corpus import write_mixed_corpus
from varde.errors import InvalidPost
from varde.pipeline import build_pipeline
from varde.pipeline.runner import Pipeline
from varde.posts import Post
from varde.records import Record
from varde.settings import Settings
from varde.store import Store
from varde.store.case_tables import audit_events
from varde.store.tables import records
from varde.store.worker_tables import alerts
from varde.worker import (
    Worker,
    WorkerOptions,
    connect,
    decode_post,
    district_token,
    encode_post,
    publish_posts,
    read_dead_letters,
)

VARDE = str(Path(sys.executable).with_name("varde"))
pytestmark = pytest.mark.nats


def test_post_round_trips_through_a_message() -> None:
    post = Post(
        id="t:1",
        platform="telegram",
        text="<b>hei</b> \u202e",
        created_at=datetime(2025, 9, 14, 18, tzinfo=UTC),
        channel="c",
        media=("a.jpg",),
        raw=b'{"id": "t:1"}',
        origin="in.jsonl:1",
    )
    back = decode_post(encode_post(post))
    assert back == post and back.raw == post.raw and back.origin == post.origin


def test_a_message_reads_as_the_json_module_reads_it() -> None:
    # orjson reads most messages; a 23-digit id (a float to orjson) and NaN take the json module's path.
    common = b'"platform": "telegram", "text": "x", "created_at": "2025-09-14T18:00:00+02:00"'
    for fields in (b'"id": 12345678901234567890123', b'"id": "t:2", "channel": NaN'):
        post_json = b"{" + fields + b", " + common + b"}"
        post = decode_post(b'{"post": ' + post_json + b', "raw": "", "origin": "in.jsonl:2"}')
        assert post.id in ("12345678901234567890123", "t:2") and post.origin == "in.jsonl:2"
        assert post.channel in (None, "nan")


@pytest.mark.parametrize(
    "data", [b"not json", b"[1]", b'{"post": 1}', b'{"post": {"id": "x"}}', b"x" * (5 * 1024 * 1024)]
)
def test_malformed_messages_are_invalid(data: bytes) -> None:
    with pytest.raises(InvalidPost):
        decode_post(data)


@pytest.mark.parametrize(
    ("district", "token"),
    [
        ("Sør-Øst", "sor-ost"),
        ("Møre og Romsdal", "more-og-romsdal"),
        (None, "unknown"),
        ("Københavns Politi", "kobenhavns-politi"),
    ],
)
def test_district_tokens_are_subject_safe(district: str | None, token: str) -> None:
    assert district_token(district) == token


def env_for(settings: Settings) -> dict[str, str]:
    return {
        **os.environ,
        "VARDE_DATABASE_URL": settings.database_url,
        "VARDE_STREAM": settings.stream,
        "VARDE_NATS_URL": settings.nats_url,
    }


def counts(url: str) -> dict[str, int]:
    from varde.store.case_tables import cases

    store = Store.open(url)
    try:
        result = store.counts()
        with store.engine.connect() as conn:
            result["cases"] = int(conn.execute(select(func.count()).select_from(cases)).scalar_one())
        return result
    finally:
        store.close()


def start_worker(settings: Settings, idle: float = 8) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [VARDE, "worker", "--exit-when-idle", str(idle), "--batch", "128"],
        env=env_for(settings),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


@pytest.mark.slow
def test_killed_worker_loses_nothing_and_counts_nothing_twice(
    tmp_path: Path, settings: Settings, sqlite_url: str
) -> None:
    corpus = tmp_path / "posts.jsonl"
    write_mixed_corpus(corpus, 20_000, 0.02)
    published = subprocess.run(
        [VARDE, "publish", str(corpus)], env=env_for(settings), capture_output=True, text=True, check=False
    )
    assert published.returncode == 0, published.stderr
    first, second = start_worker(settings), start_worker(settings)
    store = Store.open(settings.database_url)
    deadline = time.monotonic() + 300
    while store.counts()["posts"] < 2_000 and time.monotonic() < deadline:
        time.sleep(0.2)
    store.close()
    first.send_signal(signal.SIGKILL)  # in the middle of a batch
    first.wait()
    restarted = start_worker(settings)
    for process in (second, restarted):
        _, err = process.communicate(timeout=600)
        assert process.returncode == 0, err.decode()[-2000:]
    scanned = subprocess.run(
        [VARDE, "scan", str(corpus), "--db", sqlite_url], capture_output=True, text=True, check=False
    )
    assert scanned.returncode == 0, scanned.stderr[-2000:]
    by_workers, by_scan = counts(settings.database_url), counts(sqlite_url)
    assert by_workers["posts"] == by_workers["records"] == 20_000
    for table in ("posts", "records", "orders", "cases"):
        assert by_workers[table] == by_scan[table], table


class FailOn:
    """A stage that fails for posts containing a marker: a message that fails every time it is processed."""

    name = "fail_on"
    requires: frozenset[str] = frozenset()
    assigns: frozenset[str] = frozenset()

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __call__(self, batch: Sequence[Record]) -> list[Record]:
        if any(self.marker in r.post.text for r in batch):
            raise ValueError("cannot analyse this post")
        return list(batch)


def run_worker(settings: Settings, pipeline: Pipeline | None = None, attempts: int = 3) -> Worker:
    options = WorkerOptions(batch_size=16, max_attempts=attempts, exit_when_idle=1.5)
    worker = Worker(settings, options, pipeline=pipeline)
    asyncio.run(worker.run())
    return worker


def posts(n: int, marker_at: int | None = None) -> list[Post]:
    made = []
    for i in range(n):
        text = "Selger sykkel, 500 kr" if i != marker_at else "POISON Selger sykkel"
        made.append(Post(id=f"p:{i}", platform="x", text=text, created_at=datetime(2025, 5, 1, tzinfo=UTC)))
    return made


def test_poison_messages_go_to_dead_letters_while_the_rest_flows(settings: Settings) -> None:
    async def publish_all() -> None:
        await publish_posts(posts(40, marker_at=7), settings)
        nc = await connect(settings)
        try:
            await nc.jetstream().publish(f"{settings.subject_prefix}.posts", b"{broken json")
        finally:
            await nc.close()

    asyncio.run(publish_all())
    store = Store.open(settings.database_url)
    pipeline = Pipeline([FailOn("POISON"), *build_pipeline(store.order_index()).stages])
    store.close()
    worker = run_worker(settings, pipeline, attempts=3)
    assert worker.stats.processed == 39
    assert worker.stats.dead_lettered == 2
    letters = asyncio.run(read_dead_letters(settings))
    reasons = sorted(letter["reason"] for letter in letters)
    assert reasons[0].startswith("failed 3 times: ValueError")
    assert reasons[0].endswith("(in stage 'fail_on')")  # the pipeline names the stage; the batch's others are stored
    assert reasons[1].startswith("malformed")
    assert counts(settings.database_url)["posts"] == 39


def test_urgent_order_alerts_once_per_order(settings: Settings) -> None:
    text = "Oppdrag i kveld kl 22: skyt mot døra til en kar på Grønland i Oslo. 80k. Tg @natt_jobb_x"
    reposts = [
        Post(id=f"o:{i}", platform="telegram", text=text + "!" * i, created_at=datetime(2025, 9, 14, 12, i, tzinfo=UTC))
        for i in range(3)
    ]

    async def publish_and_listen() -> list[bytes]:
        nc = await connect(settings)
        received: list[bytes] = []
        try:
            js = nc.jetstream()
            from varde.worker import ensure_stream

            await ensure_stream(js, settings)
            await publish_posts(reposts, settings)
            worker = Worker(settings, WorkerOptions(batch_size=1, exit_when_idle=1.5))
            await worker.run()
            sub = await js.subscribe(f"{settings.subject_prefix}.alerts.>", ordered_consumer=True)
            while True:
                try:
                    message = await sub.next_msg(timeout=1)
                except Exception:
                    break
                received.append(message.data)
        finally:
            await nc.close()
        return received

    received = asyncio.run(publish_and_listen())
    store = Store.open(settings.database_url)
    with store.engine.connect() as conn:
        rows = conn.execute(select(alerts)).all()
        sent = conn.execute(select(audit_events.c.object).where(audit_events.c.action == "alert.sent")).all()
        analysed = conn.execute(select(records.c.analysed_at).where(records.c.post_id == "o:0")).scalar_one()
    store.close()
    assert len(received) == 1 and len(rows) == 1
    payload = json.loads(received[0])
    assert payload["district"] == "Oslo" and rows[0].sent_at is not None and rows[0].attempts == 1
    assert [row.object for row in sent] == [f"order:{payload['order_id']}"]
    assert rows[0].created_at == analysed  # claimed in the transaction that stored the post (one timestamp)


def test_sigterm_finishes_the_batch_in_hand_and_holds_nothing(tmp_path: Path, settings: Settings) -> None:
    corpus = tmp_path / "posts.jsonl"
    write_mixed_corpus(corpus, 3_000, 0.02)
    published = subprocess.run(
        [VARDE, "publish", str(corpus)], env=env_for(settings), capture_output=True, text=True, check=False
    )
    assert published.returncode == 0, published.stderr
    worker = start_worker(settings)
    deadline = time.monotonic() + 120
    while counts(settings.database_url)["posts"] < 300 and time.monotonic() < deadline:
        time.sleep(0.2)
    worker.send_signal(signal.SIGTERM)
    _, err = worker.communicate(timeout=60)
    assert worker.returncode == 0, err.decode()[-2000:]
    stored = counts(settings.database_url)["posts"]
    assert 300 <= stored < 3_000

    # The rest is handed out at once: the stopped worker acknowledged what it stored and holds nothing until the 60 s
    # ack wait runs out (the second worker stops only once nothing is waiting or unacknowledged).
    started = time.monotonic()
    rest = start_worker(settings, idle=2)
    _, err = rest.communicate(timeout=600)
    assert rest.returncode == 0, err.decode()[-2000:]
    assert time.monotonic() - started < 45
    final = counts(settings.database_url)
    assert final["posts"] == final["records"] == 3_000


def test_the_batch_size_comes_from_the_settings_unless_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VARDE_BATCH_SIZE", "7")
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'w.db'}")
    pipeline = Pipeline([])
    assert Worker(settings, WorkerOptions(), pipeline).batch_size == 7
    assert Worker(settings, WorkerOptions(batch_size=3), pipeline).batch_size == 3
