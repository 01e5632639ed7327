"""The audit log: an append-only hash chain of who did what, when, from where.

Each event stores the hash of the previous one (`prev_hash`) and its own `hash` over its fields and `prev_hash`, so
altering a row breaks its own hash and deleting one breaks the next row's link (or, for the last row, the link to
`audit_head`). Appends are written in the caller's transaction and serialise on the single `audit_head` row: the
first statement of an append is an UPDATE of that row, which takes PostgreSQL's row lock and SQLite's write lock
before the head is read, so two transactions can never fork the chain. The application never updates or deletes
audit rows.

The chain alone cannot show that its newest events were cut off (delete the last N rows and rewrite `audit_head`,
or wipe it all): the rest still verifies. A checkpoint closes that gap, as a transparency log's signed tree head
does: `checkpoint` signs the head (sequence number and hash) with the installation key, the file is kept somewhere
else (another machine, the quarterly report, each evidence bundle), and `check_checkpoint` fails when the chain no
longer contains that event with that hash."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, bindparam, func, insert, select, update

from varde.keys import Signer, fingerprint, signature_ok
from varde.store.case_tables import audit_events, audit_head
from varde.store.upsert import insert_ignore

GENESIS = "0" * 64
HEAD_ID = 1


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One event to append: `actor` did `action` to `object` from `source`; `details` is JSON-serialisable."""

    actor: str
    action: str
    object: str
    source: str
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AuditEvent:
    """One stored event."""

    seq: int
    at: datetime
    actor: str
    action: str
    object: str
    source: str
    details: str
    prev_hash: str
    hash: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "at": self.at.isoformat(),
            "actor": self.actor,
            "action": self.action,
            "object": self.object,
            "source": self.source,
            "details": json.loads(self.details),
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        }


@dataclass(frozen=True, slots=True)
class Verification:
    """The outcome of walking the chain: `ok`, how many events were checked, and the first broken one."""

    ok: bool
    events: int
    broken_seq: int | None = None
    message: str = ""


def canonical_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def _moment(at: datetime) -> datetime:
    # Both databases keep microseconds; normalising here makes the hashed text equal to what is read back.
    return at.astimezone(UTC)


def event_hash(
    seq: int, at: datetime, actor: str, action: str, obj: str, source: str, details: str, prev_hash: str
) -> str:
    """SHA-256 over the event's fields and the previous hash, in a fixed, unambiguous encoding."""
    body = canonical_json([seq, _moment(at).isoformat(), actor, action, obj, source, details, prev_hash])
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


# Built once: an append runs these three statements (in every audited transaction).
_RESERVE = (
    update(audit_head)
    .where(audit_head.c.id == HEAD_ID)
    .values(seq=audit_head.c.seq + bindparam("n"))
    .returning(audit_head.c.seq, audit_head.c.hash)
)
_INSERT = insert(audit_events)
_SET_HEAD_HASH = update(audit_head).where(audit_head.c.id == HEAD_ID).values(hash=bindparam("head_hash"))


def _lock_head(conn: Connection, n: int) -> tuple[int, str]:
    """Reserve `n` sequence numbers; returns the seq and hash of the event before them."""
    row = conn.execute(_RESERVE, {"n": n}).first()
    if row is None:
        # Migration 0002 creates the head; should it be missing, create it without racing a concurrent creator.
        insert_ignore(conn, audit_head, [{"id": HEAD_ID, "seq": 0, "hash": GENESIS}], ["id"])
        row = conn.execute(_RESERVE, {"n": n}).one()
    return int(row.seq) - n, str(row.hash)


def append_many(conn: Connection, entries: Sequence[AuditEntry], *, at: datetime | None = None) -> list[AuditEvent]:
    """Append `entries` in order, in the caller's transaction, as one run of the chain (three statements however
    many entries: reserve the sequence numbers under the head's lock, insert the rows, move the head's hash);
    returns the stored events."""
    if not entries:
        return []
    at = _moment(at or datetime.now(UTC))
    last_seq, prev = _lock_head(conn, len(entries))
    events: list[AuditEvent] = []
    for offset, entry in enumerate(entries, start=1):
        seq = last_seq + offset
        details = canonical_json(dict(entry.details))
        digest = event_hash(seq, at, entry.actor, entry.action, entry.object, entry.source, details, prev)
        events.append(AuditEvent(seq, at, entry.actor, entry.action, entry.object, entry.source, details, prev, digest))
        prev = digest
    conn.execute(
        _INSERT,
        [
            {
                "seq": e.seq,
                "at": e.at,
                "actor": e.actor,
                "action": e.action,
                "object": e.object,
                "source": e.source,
                "details": e.details,
                "prev_hash": e.prev_hash,
                "hash": e.hash,
            }
            for e in events
        ],
    )
    conn.execute(_SET_HEAD_HASH, {"head_hash": prev})
    return events


def append(conn: Connection, entry: AuditEntry, *, at: datetime | None = None) -> AuditEvent:
    """Append one event in the caller's transaction."""
    return append_many(conn, [entry], at=at)[0]


def _row_event(row: Any) -> AuditEvent:
    return AuditEvent(
        int(row.seq), row.at, row.actor, row.action, row.object, row.source, row.details, row.prev_hash, row.hash
    )


def iter_events(conn: Connection, *, after: int = 0, batch: int = 5000) -> Iterator[AuditEvent]:
    """All events in sequence order, read in batches (the chain may hold millions)."""
    while True:
        rows = conn.execute(
            select(audit_events).where(audit_events.c.seq > after).order_by(audit_events.c.seq).limit(batch)
        ).all()
        if not rows:
            return
        for row in rows:
            yield _row_event(row)
        after = int(rows[-1].seq)


def recent(
    conn: Connection,
    *,
    limit: int = 100,
    before: int | None = None,
    actor: str | None = None,
    object_: str | None = None,
    action: str | None = None,
) -> list[AuditEvent]:
    """The newest events (optionally before seq `before`, by actor, object or action), newest first."""
    query = select(audit_events).order_by(audit_events.c.seq.desc()).limit(limit)
    if before is not None:
        query = query.where(audit_events.c.seq < before)
    if actor:
        query = query.where(audit_events.c.actor == actor)
    if object_:
        query = query.where(audit_events.c.object == object_)
    if action:
        query = query.where(audit_events.c.action == action)
    return [_row_event(row) for row in conn.execute(query).all()]


def verify(conn: Connection) -> Verification:
    """Walk the chain from the first event; report the first event that was altered, removed or re-linked."""
    expected_prev = GENESIS
    expected_seq = 1
    count = 0
    for event in iter_events(conn):
        if event.seq != expected_seq:
            return Verification(
                False,
                count,
                expected_seq,
                f"audit event {expected_seq} is missing (deleted): "
                f"the chain jumps from {expected_seq - 1} to {event.seq}",
            )
        digest = event_hash(
            event.seq, event.at, event.actor, event.action, event.object, event.source, event.details, event.prev_hash
        )
        if event.prev_hash != expected_prev:
            if digest == event.hash:
                # This row is self-consistent, so the previous one was altered and re-hashed.
                return Verification(
                    False,
                    count - 1,
                    event.seq - 1,
                    f"audit event {event.seq - 1} was altered: event {event.seq} no longer links to it",
                )
            return Verification(False, count, event.seq, f"audit event {event.seq} was altered: its link is wrong")
        if digest != event.hash:
            return Verification(
                False, count, event.seq, f"audit event {event.seq} was altered: its hash does not match"
            )
        expected_prev = event.hash
        expected_seq += 1
        count += 1
    head = conn.execute(select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == HEAD_ID)).first()
    head_seq, head_hash = (int(head.seq), str(head.hash)) if head else (0, GENESIS)
    if head_seq != count:
        missing = count + 1
        return Verification(
            False, count, missing, f"audit event {missing} is missing (deleted): the head says {head_seq} events"
        )
    if head_hash != expected_prev:
        return Verification(False, count, count, f"audit event {count} was altered: it does not match the chain head")
    # The head hash, noted somewhere else now and then, also exposes a wholesale rewrite of the chain.
    return Verification(True, count, None, f"audit chain intact: {count} events, head {expected_prev}")


def count(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(audit_events)).scalar_one())


def head(conn: Connection) -> tuple[int, str]:
    """The chain's head: the sequence number and hash of its newest event ((0, GENESIS) when empty)."""
    row = conn.execute(select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == HEAD_ID)).first()
    return (int(row.seq), str(row.hash)) if row else (0, GENESIS)


def recorded_export(conn: Connection, manifest_sha256: str) -> bool:
    """True when an export event (`case.export`) recorded this manifest hash."""
    if len(manifest_sha256) != 64 or any(c not in "0123456789abcdef" for c in manifest_sha256):
        return False
    needle = canonical_json({"manifest_sha256": manifest_sha256})[1:-1]  # as it appears inside the details
    query = (
        select(audit_events.c.seq)
        .where(audit_events.c.action == "case.export", audit_events.c.details.contains(needle, autoescape=True))
        .limit(1)
    )
    return conn.execute(query).first() is not None


# ---------------------------------------------------------------------------------------------------- checkpoints

CHECKPOINT_FORMAT = "varde-audit-checkpoint/1"
MAX_CHECKPOINT_BYTES = 16 * 1024


def _checkpoint_body(seq: int, hash_: str, at: str, key_id: str) -> bytes:
    return canonical_json({"format": CHECKPOINT_FORMAT, "seq": seq, "hash": hash_, "at": at, "key": key_id}).encode()


def checkpoint(conn: Connection, signer: Signer, *, at: datetime | None = None) -> bytes:
    """A signed checkpoint of the current head (JSON, one line), to be kept outside this database."""
    seq, hash_ = head(conn)
    moment = _moment(at or datetime.now(UTC)).isoformat()
    body = _checkpoint_body(seq, hash_, moment, signer.key_id)
    signed = {"format": CHECKPOINT_FORMAT, "seq": seq, "hash": hash_, "at": moment, "key": signer.key_id}
    return (canonical_json(signed | {"signature": signer.sign(body)}) + "\n").encode("utf-8")


def check_checkpoint(conn: Connection, data: bytes, public_key: bytes) -> Verification:
    """Whether the chain still holds the event a checkpoint names, with the same hash, and the checkpoint's signature
    is the installation's. Run it after `verify` (which checks the links between events)."""
    try:
        if len(data) > MAX_CHECKPOINT_BYTES:
            raise ValueError("too large")
        value = json.loads(data)
        seq, hash_, at, key_id = value["seq"], value["hash"], value["at"], value["key"]
        if value.get("format") != CHECKPOINT_FORMAT or type(seq) is not int or seq < 0:
            raise ValueError("not a checkpoint")
        if not all(isinstance(v, str) for v in (hash_, at, key_id)):
            raise ValueError("not a checkpoint")
    except (ValueError, KeyError, TypeError, RecursionError):
        return Verification(False, 0, None, "the checkpoint file is not a Varde audit checkpoint")
    if not signature_ok(public_key, _checkpoint_body(seq, hash_, at, key_id), value.get("signature")):
        return Verification(
            False, 0, None, f"the checkpoint's signature is not valid for key {fingerprint(public_key)}"
        )
    last_seq, _ = head(conn)
    if seq == 0:
        return Verification(True, last_seq, None, f"checkpoint of the empty chain ({at}) holds")
    row = conn.execute(select(audit_events.c.hash).where(audit_events.c.seq == seq)).first()
    if row is None:
        return Verification(
            False,
            last_seq,
            seq,
            f"audit event {seq} named by the checkpoint of {at} is gone: the chain was cut back to {last_seq} events",
        )
    if str(row.hash) != hash_:
        return Verification(
            False, last_seq, seq, f"audit event {seq} differs from the checkpoint of {at}: the chain was rewritten"
        )
    return Verification(True, last_seq, None, f"checkpoint of {at} holds: event {seq} is in the chain ({hash_})")
