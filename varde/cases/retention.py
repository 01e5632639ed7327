"""Retention: dismissed cases are purged, with their posts, records and history, after a configurable number of
days (`VARDE_RETENTION_DAYS`, default 90) counted from when they were dismissed.

Each purged case leaves one audit event (`retention.purge`) holding the SHA-256 of every deleted post as captured,
of its record and of the case history, so one can later prove what existed without keeping it. Posts still linked
to another case are kept. The order row goes too, so a post seen again later opens a fresh case."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, delete, select

from varde.cases import audit
from varde.cases.access import Actor
from varde.cases.lifecycle import DISMISSED
from varde.store.case_tables import case_events, case_posts, case_tags, cases, tip_contacts
from varde.store.tables import orders, posts, records

DEFAULT_DAYS = 90


def _digest(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def expired_cases(conn: Connection, *, days: int, now: datetime) -> list[int]:
    cutoff = now - timedelta(days=days)
    query = select(cases.c.id).where(cases.c.state == DISMISSED, cases.c.state_changed_at < cutoff).order_by(cases.c.id)
    return [int(i) for i in conn.execute(query).scalars()]


def purge(conn: Connection, actor: Actor, *, days: int, now: datetime) -> list[int]:
    """Purge every dismissed case older than `days`, in the caller's transaction; returns the purged case ids."""
    if days < 0:
        raise ValueError("retention days must be zero or more")
    purged = expired_cases(conn, days=days, now=now)
    entries: list[audit.AuditEntry] = []
    for case_id in purged:
        case = conn.execute(select(cases).where(cases.c.id == case_id)).one()
        post_ids = list(conn.execute(select(case_posts.c.post_id).where(case_posts.c.case_id == case_id)).scalars())
        shared = (
            set(
                conn.execute(
                    select(case_posts.c.post_id).where(
                        case_posts.c.post_id.in_(post_ids), case_posts.c.case_id != case_id
                    )
                ).scalars()
            )
            if post_ids
            else set()
        )
        doomed = [p for p in post_ids if p not in shared]
        post_rows = (
            conn.execute(select(posts.c.id, posts.c.sha256).where(posts.c.id.in_(doomed))).all() if doomed else []
        )
        record_rows = (
            conn.execute(select(records.c.post_id, records.c.data).where(records.c.post_id.in_(doomed))).all()
            if doomed
            else []
        )
        history = [
            dict(r._mapping)
            for r in conn.execute(
                select(case_events).where(case_events.c.case_id == case_id).order_by(case_events.c.id)
            )
        ]
        # Other cases merged into this one keep pointing at it; loosen the link before the row goes.
        conn.execute(cases.update().where(cases.c.merged_into == case_id).values(merged_into=None))
        conn.execute(delete(case_events).where(case_events.c.case_id == case_id))
        conn.execute(delete(case_posts).where(case_posts.c.case_id == case_id))
        conn.execute(delete(case_tags).where(case_tags.c.case_id == case_id))
        contacts = 0
        if doomed:
            # A tipster's contact goes with the tip it came with.
            contacts = conn.execute(delete(tip_contacts).where(tip_contacts.c.post_id.in_(doomed))).rowcount
            conn.execute(delete(records).where(records.c.post_id.in_(doomed)))
            conn.execute(delete(posts).where(posts.c.id.in_(doomed)))
        conn.execute(delete(cases).where(cases.c.id == case_id))
        if case.order_id is not None:
            conn.execute(delete(orders).where(orders.c.id == case.order_id))
        entries.append(
            audit.AuditEntry(
                actor.name,
                "retention.purge",
                f"case:{case_id}",
                actor.source,
                {
                    "order_id": case.order_id,
                    "dismissed_at": case.state_changed_at.isoformat(),
                    "retention_days": days,
                    "case_sha256": _digest(dict(case._mapping)),
                    "history_sha256": _digest(history),
                    "posts": {r.id: r.sha256 for r in post_rows},
                    "records": {r.post_id: _digest(r.data) for r in record_rows},
                    "kept_shared_posts": sorted(shared),
                    "tip_contacts_deleted": contacts,
                },
            )
        )
    audit.append_many(conn, entries, at=now)
    return purged
