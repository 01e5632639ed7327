"""Scale-out: publish posts to a NATS JetStream stream; workers consume, analyse, store, then acknowledge.

Subjects live under the stream's lower-case prefix (`VARDE` → `varde.`):

    varde.posts              posts to analyse (one message per post; Nats-Msg-Id = post id, so re-publishing the
                             same file within the duplicate window stores nothing twice in the stream)
    varde.dead               dead letters: messages that were malformed, oversized or failed `max_attempts` times
    varde.alerts.<district>  urgent orders, once per order

Delivery is at-least-once (durable pull consumer, explicit ack after the database commit) and writes are
idempotent (ids come from content), so the effect is exactly-once. A worker holds at most `max_ack_pending`
unacknowledged messages (backpressure). When the database or NATS goes away the batch in hand is retried with
back-off; nothing is acknowledged before it is committed.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import logging
import os
import signal
import socket
import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import Connection, select, update
from sqlalchemy.exc import DBAPIError, OperationalError

from varde.cases.audit import AuditEntry, append_many
from varde.cases.ingest import ingest_records
from varde.errors import ConfigError, InvalidPost, StoreError
from varde.media import MediaStage
from varde.media.store import MediaStore
from varde.pipeline import Pipeline, StageFailure, build_pipeline
from varde.posts import Post, post_from_mapping, read_json
from varde.records import Record
from varde.settings import Settings
from varde.store import Store
from varde.store.model_files import ActiveModels, ModelFiles
from varde.store.tables import orders
from varde.store.upsert import insert_ignore
from varde.store.worker_tables import alerts

log = logging.getLogger("varde.worker")
T = TypeVar("T")

# Stream limits (documented in docs/scale-out.md): a week of posts at a few hundred per second fits easily.
MAX_MESSAGE_BYTES = 4 * 1024 * 1024
STREAM_MAX_AGE_S = 14 * 24 * 3600
STREAM_MAX_BYTES = 8 * 1024**3
DUPLICATE_WINDOW_S = 600
ACK_WAIT_S = 60
FETCH_WAIT_S = 1.0  # how long an idle worker's pull request waits for a first message


def _nats() -> Any:
    try:
        import nats
    except ImportError:
        raise ConfigError("NATS needs the client library: pip install 'varde[nats]'") from None
    return nats


@dataclass(frozen=True, slots=True)
class Subjects:
    prefix: str

    @property
    def posts(self) -> str:
        return f"{self.prefix}.posts"

    @property
    def dead(self) -> str:
        return f"{self.prefix}.dead"

    def alert(self, district: str | None) -> str:
        return f"{self.prefix}.alerts.{district_token(district)}"

    @property
    def all(self) -> list[str]:
        return [self.posts, self.dead, f"{self.prefix}.alerts.>"]


def district_token(district: str | None) -> str:
    """A subject token for a district: ASCII, lower case, '-' for spaces ("Sør-Øst" → "sor-ost")."""
    if not district:
        return "unknown"
    folded = district.replace("ø", "o").replace("Ø", "O").replace("æ", "ae").replace("Æ", "Ae")
    ascii_text = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode()
    return "-".join(ascii_text.lower().replace(".", " ").split()) or "unknown"


# --- messages ------------------------------------------------------------------------------------------------


def encode_post(post: Post) -> bytes:
    """A post as a stream message: the contract fields plus the original bytes (kept as evidence)."""
    envelope = {
        "post": post.to_contract_dict(),
        "raw": base64.b64encode(post.raw).decode("ascii"),
        "origin": post.origin,
        "media_root": post.media_root,
    }
    return json.dumps(envelope, ensure_ascii=False).encode("utf-8")


def decode_post(data: bytes) -> Post:
    """The inverse of `encode_post`; raises InvalidPost naming what is wrong."""
    if len(data) > MAX_MESSAGE_BYTES:
        raise InvalidPost(f"message of {len(data)} bytes is over the {MAX_MESSAGE_BYTES}-byte limit")
    try:
        envelope = read_json(data)
    except (UnicodeDecodeError, ValueError) as error:
        raise InvalidPost(f"message is not JSON: {error}") from None
    if not isinstance(envelope, dict) or not isinstance(envelope.get("post"), dict):
        raise InvalidPost("message has no 'post' object", field="post")
    try:
        raw = base64.b64decode(str(envelope.get("raw") or ""), validate=True)
    except ValueError:
        raise InvalidPost("raw: not base64", field="raw") from None
    return post_from_mapping(
        envelope["post"],
        raw=raw,
        origin=str(envelope.get("origin") or ""),
        media_root=str(envelope.get("media_root") or ""),
    )


# --- publishing ----------------------------------------------------------------------------------------------


async def ensure_stream(js: Any, settings: Settings) -> None:
    """Create the stream if missing (limits retention, file storage, de-duplication window)."""
    from nats.js.api import DiscardPolicy, RetentionPolicy, StorageType, StreamConfig
    from nats.js.errors import NotFoundError

    config = StreamConfig(
        name=settings.stream,
        subjects=Subjects(settings.subject_prefix).all,
        retention=RetentionPolicy.LIMITS,
        storage=StorageType.FILE,
        discard=DiscardPolicy.OLD,
        max_age=STREAM_MAX_AGE_S,
        max_bytes=STREAM_MAX_BYTES,
        max_msg_size=MAX_MESSAGE_BYTES,
        duplicate_window=DUPLICATE_WINDOW_S,
    )
    try:
        await js.stream_info(settings.stream)
    except NotFoundError:
        await js.add_stream(config)


async def connect(settings: Settings) -> Any:
    nats = _nats()
    return await nats.connect(
        settings.nats_url,
        max_reconnect_attempts=-1,
        reconnect_time_wait=0.5,
        connect_timeout=5,
        allow_reconnect=True,
    )


async def publish_posts(posts: Iterable[Post], settings: Settings) -> int:
    """Publish posts to the stream, waiting for each acknowledgement in windows; returns how many."""
    nc = await connect(settings)
    try:
        js = nc.jetstream()
        await ensure_stream(js, settings)
        subject = Subjects(settings.subject_prefix).posts
        pending: list[Any] = []
        count = 0
        for post in posts:
            payload = encode_post(post)
            headers = {"Nats-Msg-Id": f"{post.id}:{post.sha256[:16]}"}
            pending.append(asyncio.ensure_future(js.publish(subject, payload, headers=headers, timeout=30)))
            count += 1
            if len(pending) >= 500:
                await asyncio.gather(*pending)
                pending = []
        await asyncio.gather(*pending)
        return count
    finally:
        await nc.close()


# --- the worker ----------------------------------------------------------------------------------------------


@dataclass
class WorkerOptions:
    # Most messages per batch; None: the settings' batch_size (VARDE_BATCH_SIZE). A batch has a fixed cost (~20 ms
    # CPU: ~45 SQL statements, 3 commits); the default 512 posts share it.
    batch_size: int | None = None
    max_ack_pending: int = 2048  # four workers can each hold a full batch
    max_attempts: int = 5
    exit_when_idle: float | None = None
    metrics_port: int | None = None
    durable: str = "workers"


@dataclass
class WorkerStats:
    processed: int = 0
    dead_lettered: int = 0
    alerts: int = 0
    batches: int = 0
    started: float = field(default_factory=time.monotonic)


class Metrics:
    """Prometheus metrics of one worker (no-ops when prometheus_client is missing)."""

    def __init__(self, port: int | None) -> None:
        self.enabled = False
        if port is None:
            return
        try:
            from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, start_http_server
        except ImportError:
            raise ConfigError("metrics need prometheus-client: pip install 'varde[nats]'") from None
        registry = CollectorRegistry()
        self.processed = Counter("varde_worker_processed", "Posts stored", registry=registry)
        self.rejected = Counter("varde_worker_rejected", "Messages sent to the dead-letter subject", registry=registry)
        self.alerts = Counter("varde_worker_alerts", "Alerts published", registry=registry)
        self.lag = Gauge("varde_worker_lag", "Messages waiting in the stream for this consumer", registry=registry)
        self.latency = Histogram("varde_worker_batch_seconds", "Batch processing time", registry=registry)
        start_http_server(port, addr="127.0.0.1", registry=registry)
        self.enabled = True


def is_transient(error: BaseException) -> bool:
    """Database or connection trouble that will pass: retry the batch, never dead-letter for it."""
    if isinstance(error, OperationalError | StoreError):
        return True
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, ConnectionError | TimeoutError | OSError)


class Worker:
    """Consume posts in batches: pipeline → store (one transaction) → alerts → acknowledge."""

    def __init__(self, settings: Settings, options: WorkerOptions, pipeline: Pipeline | None = None) -> None:
        self.settings = settings
        self.options = options
        self.batch_size = options.batch_size or settings.batch_size
        self.subjects = Subjects(settings.subject_prefix)
        self.store = Store.open(settings.database_url)
        capture = MediaStage(media_store=MediaStore(settings.media_folder))  # accepted media, kept by SHA-256
        models = ActiveModels(self.store, ModelFiles(settings.model_folder))  # the active (and shadow) model, per batch
        self.pipeline: Pipeline = pipeline or build_pipeline(self.store.order_index(), first=[capture], models=models)
        self.stats = WorkerStats()
        self.metrics = Metrics(options.metrics_port)
        self.stopping = asyncio.Event()
        self.identity = f"worker:{socket.gethostname()}:{os.getpid()}"

    async def run(self) -> WorkerStats:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(sig, self.stopping.set)
        nc = await connect(self.settings)
        try:
            js = nc.jetstream()
            await ensure_stream(js, self.settings)
            subscription = await self._subscribe(js)
            await self._loop(js, subscription)
        finally:
            with contextlib.suppress(Exception):
                # Acknowledgements are buffered, and close() does not wait for them to be written: a round trip
                # makes sure the server has the last batch's (otherwise it would redeliver it after the ack wait).
                await nc.flush(timeout=5)
            with contextlib.suppress(Exception):
                await nc.close()
            self.store.close()
        return self.stats

    async def _subscribe(self, js: Any) -> Any:
        from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

        config = ConsumerConfig(
            durable_name=self.options.durable,
            ack_policy=AckPolicy.EXPLICIT,
            deliver_policy=DeliverPolicy.ALL,
            ack_wait=ACK_WAIT_S,
            max_deliver=self.options.max_attempts + 2,  # backstop; dead-lettering happens at max_attempts
            max_ack_pending=self.options.max_ack_pending,
            filter_subject=self.subjects.posts,
        )
        return await js.pull_subscribe(
            self.subjects.posts, durable=self.options.durable, stream=self.settings.stream, config=config
        )

    async def _loop(self, js: Any, subscription: Any) -> None:
        idle_since = time.monotonic()
        backoff = 0.5
        while not self.stopping.is_set():
            try:
                # Returns at once with whatever is waiting (up to a batch); waits up to FETCH_WAIT_S only when
                # nothing is, so a batch never waits to fill up. No batch is fetched ahead while one is handled:
                # messages held by a worker that dies come back only after the ack wait, out of order, and the
                # de-duplication of a few re-post chains depends on the order posts are seen in.
                messages = await subscription.fetch(self.batch_size, timeout=FETCH_WAIT_S)
            except TimeoutError:
                # Nothing arrived. nats-py raises its own TimeoutError or a bare asyncio one (the same class as
                # the builtin since Python 3.11): both mean an empty stream, not trouble to back off from.
                if await self._idle_long_enough(subscription, idle_since):
                    return
                continue
            except Exception as error:  # NATS restarting: wait and try again
                log.warning("fetch failed (%s); retrying in %.1fs", error, backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 10)
                continue
            backoff = 0.5
            idle_since = time.monotonic()
            await self._handle_batch(js, messages)

    async def _idle_long_enough(self, subscription: Any, idle_since: float) -> bool:
        limit = self.options.exit_when_idle
        if limit is None or time.monotonic() - idle_since < limit:
            return False
        try:
            info = await subscription.consumer_info()
        except Exception:
            return False
        if self.metrics.enabled:
            self.metrics.lag.set(info.num_pending)
        return bool(info.num_pending == 0 and info.num_ack_pending == 0)

    async def _handle_batch(self, js: Any, messages: Sequence[Any]) -> None:
        started = time.monotonic()
        good: list[tuple[Any, Post]] = []
        for message in messages:
            try:
                good.append((message, decode_post(message.data)))
            except InvalidPost as error:
                await self._dead_letter(js, message, f"malformed: {error}")
        if good:
            await self._process(js, good)
        self.stats.batches += 1
        if self.metrics.enabled:
            self.metrics.latency.observe(time.monotonic() - started)

    async def _process(self, js: Any, items: list[tuple[Any, Post]]) -> None:
        """Store the batch in one go; on a non-transient failure fall back to one message at a time."""
        messages = [m for m, _ in items]
        try:
            outcome = await self._in_database(messages, self._run_and_save, [post for _, post in items])
        except Exception as error:  # a bad message somewhere in the batch
            if len(items) == 1:
                await self._failed(js, items[0][0], f"{type(error).__name__}: {error}")
                return
            for item in items:
                await self._process(js, [item])
            return
        if outcome is None:  # stopping while the database was away: leave the batch for redelivery
            await _nak_all(messages)
            return
        due, failures = outcome
        if failures:  # posts a pipeline stage raised on: retried like any failed message, the rest are stored
            failed = {id(failure.post): failure for failure in failures}
            for message, post in items:
                if id(post) in failed:
                    await self._failed(js, message, failed[id(post)].reason)
            items = [(message, post) for message, post in items if id(post) not in failed]
            messages = [m for m, _ in items]
        if due and not await self._send_alerts(js, due, messages):
            await _nak_all(messages)  # stopping before the alerts were recorded: redelivery records them
            return
        for message in messages:
            await message.ack()
        self.stats.processed += len(items)
        if self.metrics.enabled:
            self.metrics.processed.inc(len(items))

    async def _in_database(self, messages: list[Any], call: Callable[..., T], *args: Any) -> T | None:
        """Run `call` in a thread; while the database is away, back off, keep the messages in hand and retry.
        None when the worker is stopping before it succeeded."""
        delay = 0.5
        while True:
            try:
                return await asyncio.to_thread(call, *args)
            except Exception as error:
                if not is_transient(error):
                    raise
                if self.stopping.is_set():
                    return None
                log.warning("database unavailable (%s); retrying in %.1fs", type(error).__name__, delay)
                for message in messages:
                    with contextlib.suppress(Exception):
                        await message.in_progress()
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10)

    def _run_and_save(self, posts: list[Post]) -> tuple[list[dict[str, Any]], list[StageFailure]]:
        """Analyse the batch, then store it and claim the alerts of its urgent orders in one transaction, so the
        alerts can go out the moment it commits; returns the alerts to send and the posts a stage failed on."""
        records, failures = self.pipeline.run_checked([Record(post=p) for p in posts])
        now = datetime.now(UTC)
        with self.store.begin() as conn:
            saved = ingest_records(conn, records, now=now)
            return claim_alerts(conn, saved.orders, self.settings.alert_urgency, now=now), failures

    async def _failed(self, js: Any, message: Any, reason: str) -> None:
        attempts = int(message.metadata.num_delivered)
        if attempts >= self.options.max_attempts:
            await self._dead_letter(js, message, f"failed {attempts} times: {reason}")
        else:
            log.warning("message failed (attempt %d): %s", attempts, reason)
            await message.nak(delay=min(2**attempts, 30))

    async def _dead_letter(self, js: Any, message: Any, reason: str) -> None:
        meta = message.metadata
        letter = {
            "reason": reason,
            "attempts": int(meta.num_delivered),
            "stream_sequence": int(meta.sequence.stream),
            "subject": message.subject,
            "worker": self.identity,
            "at": datetime.now(UTC).isoformat(),
            "payload": message.data[:65536].decode("utf-8", errors="replace"),
        }
        await js.publish(
            self.subjects.dead,
            json.dumps(letter, ensure_ascii=False).encode(),
            headers={"Nats-Msg-Id": f"dead:{meta.sequence.stream}"},
        )
        await message.term()
        self.stats.dead_lettered += 1
        if self.metrics.enabled:
            self.metrics.rejected.inc()
        log.warning("dead-lettered stream message %s: %s", meta.sequence.stream, reason)

    async def _send_alerts(self, js: Any, due: list[dict[str, Any]], messages: list[Any]) -> bool:
        """Publish the claimed alerts at once, then record them (sent or failed) in one transaction with their
        audit events; False if stopped before recording."""
        errors = await asyncio.gather(*(publish_alert(js, self.subjects, self.settings, alert) for alert in due))
        # A failed mark leaves the alerts unsent; the order's next post (or redelivery) sends them again.
        outcomes = list(zip(due, errors, strict=True))
        if await self._in_database(messages, mark_alerts, self.store, outcomes, self.identity) is None:
            return False
        self.stats.alerts += len(due)
        if self.metrics.enabled:
            self.metrics.alerts.inc(len(due))
        return True


async def _nak_all(messages: Sequence[Any]) -> None:
    for message in messages:
        with contextlib.suppress(Exception):
            await message.nak()


# --- alerts --------------------------------------------------------------------------------------------------


def claim_alerts(
    conn: Connection, order_ids: Sequence[str], threshold: float, *, now: datetime
) -> list[dict[str, Any]]:
    """In the caller's transaction: record an alert for each urgent order that has none (once per order) and
    return those of `order_ids` not yet sent."""
    if not order_ids:
        return []
    urgent = conn.execute(select(orders).where(orders.c.id.in_(list(order_ids)), orders.c.urgency >= threshold)).all()
    if not urgent:
        return []
    rows = [
        {
            "order_id": row.id,
            "district": row.district,
            "urgency": float(row.urgency),
            "created_at": now,
            "sent_at": None,
            "attempts": 0,
            "last_error": None,
            "payload": {
                "order_id": row.id,
                "district": row.district,
                "country": row.country,
                "urgency": round(float(row.urgency), 3),
                "violence_types": list(row.violence_types or []),
                "when_start": row.when_start.isoformat() if row.when_start else None,
                "first_post_id": row.first_post_id,
                "first_seen_at": row.first_seen_at.isoformat(),
                "n_posts": int(row.n_posts),
            },
        }
        for row in urgent
    ]
    insert_ignore(conn, alerts, rows, ["order_id"])
    pending = conn.execute(
        select(alerts).where(alerts.c.order_id.in_([r["order_id"] for r in rows]), alerts.c.sent_at.is_(None))
    ).all()
    return [dict(row._mapping) for row in pending]


async def publish_alert(js: Any, subjects: Subjects, settings: Settings, alert: dict[str, Any]) -> str | None:
    """Publish the alert (de-duplicated by order id) and POST it to the webhook if one is set; the error, if any.
    The caller marks it sent (or failed, to be retried with the order's next post) with an audit event."""
    payload = json.dumps(alert["payload"], ensure_ascii=False).encode()
    error: str | None = None
    try:
        await js.publish(
            subjects.alert(alert["district"]), payload, headers={"Nats-Msg-Id": f"alert:{alert['order_id']}"}
        )
        if settings.alert_webhook:
            await post_webhook(settings.alert_webhook, payload)
    except Exception as failure:
        error = f"{type(failure).__name__}: {failure}"
    return error


def mark_alerts(store: Store, outcomes: Sequence[tuple[dict[str, Any], str | None]], actor: str) -> int:
    """Record each alert as sent (or failed, with the error) and its audit event, in one transaction; returns how
    many were recorded."""
    now = datetime.now(UTC)
    with store.begin() as conn:
        for alert, error in outcomes:
            changes: dict[str, Any] = {"attempts": alerts.c.attempts + 1, "last_error": error}
            if error is None:
                changes["sent_at"] = now
            conn.execute(update(alerts).where(alerts.c.order_id == alert["order_id"]).values(**changes))
        append_many(
            conn,
            [
                AuditEntry(
                    actor=actor,
                    action="alert.sent" if error is None else "alert.failed",
                    object=f"order:{alert['order_id']}",
                    source="worker",
                    details={"district": alert["district"], "urgency": alert["urgency"], "error": error},
                )
                for alert, error in outcomes
            ],
            at=now,
        )
    return len(outcomes)


async def post_webhook(url: str, payload: bytes, attempts: int = 3) -> None:
    import httpx

    delay = 0.5
    async with httpx.AsyncClient(timeout=5) as client:
        for attempt in range(1, attempts + 1):
            try:
                response = await client.post(url, content=payload, headers={"Content-Type": "application/json"})
                if response.status_code < 500:
                    response.raise_for_status()
                    return
            except httpx.HTTPError:
                if attempt == attempts:
                    raise
            await asyncio.sleep(delay)
            delay *= 2
    raise RuntimeError(f"webhook answered with server errors {attempts} times")


# --- dead letters --------------------------------------------------------------------------------------------


async def read_dead_letters(settings: Settings, limit: int = 1000) -> list[dict[str, Any]]:
    """The dead letters in the stream, oldest first (read with an ephemeral ordered consumer)."""
    from nats.errors import TimeoutError as NatsTimeout

    nc = await connect(settings)
    letters: list[dict[str, Any]] = []
    try:
        js = nc.jetstream()
        await ensure_stream(js, settings)
        subscription = await js.subscribe(Subjects(settings.subject_prefix).dead, ordered_consumer=True)
        while len(letters) < limit:
            try:
                message = await subscription.next_msg(timeout=1)
            except NatsTimeout:
                break
            try:
                letters.append(json.loads(message.data))
            except ValueError:
                letters.append({"reason": "unreadable dead letter", "payload": message.data.decode(errors="replace")})
        await subscription.unsubscribe()
    finally:
        await nc.close()
    return letters
