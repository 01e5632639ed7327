"""Opening cases for orders as `varde scan` and the workers store them: one case per order, state `detected`.

`open_cases` runs inside the store's save transaction, right after the orders are refreshed. It is idempotent
(re-scans create nothing new: `cases.order_id` is unique and the insert ignores existing ones) and safe when workers
save the same order at once (the unique constraint lets exactly one insert win; only the winner writes the
`created` history and audit events). Existing cases get their order-derived fields refreshed (posts, urgency,
violence types, platforms) and new posts linked; their state, assignee, notes and any overridden district or
priority are left alone.

`open_tip_cases` does the same for tips the detector did not flag: a person reported them, so an analyst decides,
not the classifier. Each such tip gets a case of its own (no order, state `detected`) that carries the detector's
score as evidence; a tip that is flagged joins its order's case like any post."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, and_, bindparam, select, update

from varde.cases import audit
from varde.cases.lifecycle import DETECTED
from varde.store.case_tables import case_events, case_posts, case_tags, cases
from varde.store.tables import orders, posts, records
from varde.store.upsert import insert_ignore

if TYPE_CHECKING:  # the type only: reading cases (`audit verify`, `case list`) need not load records and posts
    from varde.records import Record

PRIORITY_LEVELS = 5


def priority_from_urgency(urgency: float) -> int:
    """1 (low) … 5 (critical), in equal steps of urgency."""
    return max(1, min(PRIORITY_LEVELS, 1 + int(float(urgency) * PRIORITY_LEVELS)))


def tags(values: Sequence[str]) -> str:
    """`|a|b|` for LIKE '%|a|%' filters that work the same on both databases."""
    clean = sorted({v for v in values if v})
    return "|" + "|".join(clean) + "|" if clean else ""


def tag_names(row: dict[str, Any]) -> list[str]:
    """The `case_tags` of a case row: its violence types and platforms (they only grow as posts are added)."""
    split = [t for t in str(row["violence_tags"]).split("|") if t]
    return [f"violence:{v}" for v in split] + [f"platform:{p}" for p in str(row["platforms"]).split("|") if p]


def _order_facts(conn: Connection, order_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    # In id order: new cases are numbered in this order, the same on every run and on every database.
    rows = conn.execute(select(orders).where(orders.c.id.in_(order_ids)).order_by(orders.c.id)).all()
    members = conn.execute(
        select(records.c.order_id, records.c.post_id, posts.c.platform, posts.c.created_at)
        .join(posts, posts.c.id == records.c.post_id)
        .where(records.c.order_id.in_(order_ids))
        .order_by(records.c.order_id, posts.c.created_at, records.c.post_id)
    ).all()
    by_order: dict[str, list[Any]] = {}
    for member in members:
        by_order.setdefault(member.order_id, []).append(member)
    facts: dict[str, dict[str, Any]] = {}
    for row in rows:
        linked = by_order.get(row.id, [])
        facts[row.id] = {
            "order": row,
            "post_ids": [m.post_id for m in linked],
            "platform": linked[0].platform if linked else None,
            "platforms": tags([m.platform for m in linked]),
        }
    return facts


def open_cases(conn: Connection, order_ids: Sequence[str], *, now: datetime) -> list[int]:
    """Create a `detected` case for each order that has none, link every post of each order to its case, refresh
    order-derived fields of existing cases; returns the ids of the cases created by this call."""
    if not order_ids:
        return []
    facts = _order_facts(conn, sorted(set(order_ids)))
    if not facts:
        return []
    new_rows = [
        _new_case_row(
            now,
            order_id=order_id,
            district=fact["order"].district,
            country=fact["order"].country,
            language=fact["order"].language,
            platform=fact["platform"],
            platforms=fact["platforms"],
            violence_types=fact["order"].violence_types or [],
            urgency=fact["order"].urgency,
            n_posts=int(fact["order"].n_posts),
            first_seen_at=fact["order"].first_seen_at,
            last_seen_at=fact["order"].last_seen_at,
            when_start=fact["order"].when_start,
            when_end=fact["order"].when_end,
        )
        for order_id, fact in facts.items()
    ]
    created = _insert_new(conn, new_rows)
    ids = dict(conn.execute(select(cases.c.order_id, cases.c.id).where(cases.c.order_id.in_(list(facts)))).all())
    insert_ignore(
        conn,
        case_posts,
        [{"case_id": ids[o], "post_id": p} for o, f in facts.items() if o in ids for p in f["post_ids"]],
        ["case_id", "post_id"],
    )
    insert_ignore(
        conn,
        case_tags,
        [{"case_id": ids[r["order_id"]], "tag": t} for r in new_rows if r["order_id"] in ids for t in tag_names(r)],
        ["case_id", "tag"],
    )
    _refresh_existing(conn, [r for r in new_rows if r["order_id"] not in created], ids)
    _record_creation(
        conn,
        [
            (
                case_id,
                "order detected",
                {"order_id": order_id, "posts": len(facts[order_id]["post_ids"])},
                {"order_id": order_id},
            )
            for order_id, case_id in sorted(created.items(), key=lambda kv: kv[1])
        ],
        now,
    )
    return sorted(created.values())


def _dialect_insert(conn: Connection) -> Any:
    if conn.dialect.name == "postgresql":  # imported here: a command on SQLite need not load the PostgreSQL dialect
        from sqlalchemy.dialects import postgresql

        return postgresql.insert(cases)
    from sqlalchemy.dialects import sqlite

    return sqlite.insert(cases)


def _insert_new(conn: Connection, rows: list[dict[str, Any]]) -> dict[str, int]:
    """Insert-or-ignore on order_id; {order_id: case id} of the rows this transaction inserted."""
    existing = set(
        conn.execute(select(cases.c.order_id).where(cases.c.order_id.in_([r["order_id"] for r in rows]))).scalars()
    )
    todo = [r for r in rows if r["order_id"] not in existing]
    created: dict[str, int] = {}
    if not todo:
        return created
    # One executemany: SQLAlchemy batches it into multi-row INSERT … RETURNING ("insertmanyvalues"); a round trip
    # per case was most of the cost. Rows another transaction inserted first are not returned: that transaction
    # records their creation.
    statement = (
        _dialect_insert(conn)
        .on_conflict_do_nothing(index_elements=["order_id"])
        .returning(cases.c.id, cases.c.order_id)
    )
    for case_id, order_id in conn.execute(statement, todo).all():
        created[str(order_id)] = int(case_id)
    return created


def _refresh_existing(conn: Connection, rows: list[dict[str, Any]], ids: dict[str, int]) -> None:
    if not rows:
        return
    base = [
        {
            "b_id": ids[r["order_id"]],
            "b_platforms": r["platforms"],
            "b_violence_tags": r["violence_tags"],
            "b_urgency": r["urgency"],
            "b_n_posts": r["n_posts"],
            "b_last_seen_at": r["last_seen_at"],
            "b_when_start": r["when_start"],
            "b_when_end": r["when_end"],
        }
        for r in rows
        if r["order_id"] in ids
    ]
    conn.execute(
        update(cases)
        .where(cases.c.id == bindparam("b_id"))
        .values(
            platforms=bindparam("b_platforms"),
            violence_tags=bindparam("b_violence_tags"),
            urgency=bindparam("b_urgency"),
            n_posts=bindparam("b_n_posts"),
            last_seen_at=bindparam("b_last_seen_at"),
            when_start=bindparam("b_when_start"),
            when_end=bindparam("b_when_end"),
        ),
        base,
    )
    # District (with its country: both come from the order's one primary place) and priority follow the order
    # unless someone set them by hand.
    conn.execute(
        update(cases)
        .where(and_(cases.c.id == bindparam("b_id"), cases.c.district_overridden.is_(False)))
        .values(district=bindparam("b_district"), country=bindparam("b_country")),
        [
            {"b_id": ids[r["order_id"]], "b_district": r["district"], "b_country": r["country"]}
            for r in rows
            if r["order_id"] in ids
        ],
    )
    conn.execute(
        update(cases)
        .where(and_(cases.c.id == bindparam("b_id"), cases.c.priority_overridden.is_(False)))
        .values(priority=bindparam("b_priority")),
        [{"b_id": ids[r["order_id"]], "b_priority": r["priority"]} for r in rows if r["order_id"] in ids],
    )


def _new_case_row(
    now: datetime,
    *,
    order_id: str | None,
    district: str | None,
    country: str | None,
    language: str | None,
    platform: str | None,
    platforms: str,
    violence_types: Sequence[str],
    urgency: float,
    n_posts: int,
    first_seen_at: datetime,
    last_seen_at: datetime,
    when_start: datetime | None = None,
    when_end: datetime | None = None,
) -> dict[str, Any]:
    """A `cases` row as every case starts: `detected`, version 1, priority from urgency, nothing overridden."""
    return {
        "order_id": order_id,
        "state": DETECTED,
        "version": 1,
        "district": district,
        "district_overridden": False,
        "country": country,
        "language": language,
        "platform": platform,
        "platforms": platforms,
        "violence_tags": tags(violence_types),
        "urgency": float(urgency),
        "priority": priority_from_urgency(urgency),
        "priority_overridden": False,
        "assignee": None,
        "notes": "",
        "n_posts": n_posts,
        "first_seen_at": first_seen_at,
        "last_seen_at": last_seen_at,
        "when_start": when_start,
        "when_end": when_end,
        "created_at": now,
        "updated_at": now,
        "state_changed_at": now,
        "merged_into": None,
    }


def _record_creation(
    conn: Connection, created: Sequence[tuple[int, str, dict[str, Any], dict[str, Any]]], now: datetime
) -> None:
    """The `created` history row and `case.create` audit event of each new case, given as (case id, reason, history
    data, audit details); written only by the transaction that inserted the case."""
    if not created:
        return
    conn.execute(
        case_events.insert(),
        [
            {
                "case_id": case_id,
                "at": now,
                "actor": "system",
                "action": "created",
                "from_state": None,
                "to_state": DETECTED,
                "reason": reason,
                "data": data,
            }
            for case_id, reason, data, _ in created
        ],
    )
    audit.append_many(
        conn,
        [
            audit.AuditEntry("system", "case.create", f"case:{case_id}", "system", details | {"state": DETECTED})
            for case_id, _, _, details in created
        ],
        at=now,
    )


def open_tip_cases(conn: Connection, batch: Sequence[Record], *, now: datetime) -> list[int]:
    """Open a `detected` case for each tip (`source: tip`) in `batch` that is not an order and is in no case yet;
    returns the ids of the cases created. Idempotent: a re-saved tip is already linked to its case. Runs after the
    posts are inserted, so on PostgreSQL a second transaction saving the same tip waits on the post's key and then
    sees the first one's case."""
    tips = {r.post.id: r for r in batch if r.post.source == "tip" and not (r.is_order and r.order_id)}
    if not tips:
        return []
    linked = set(conn.execute(select(case_posts.c.post_id).where(case_posts.c.post_id.in_(list(tips)))).scalars())
    todo = [(post_id, record) for post_id, record in sorted(tips.items()) if post_id not in linked]
    if not todo:
        return []
    rows = [_tip_case_row(record, now) for _, record in todo]
    # One multi-row INSERT … RETURNING for the batch; ids come back in the order of `rows`.
    inserted = conn.execute(cases.insert().returning(cases.c.id, sort_by_parameter_order=True), rows).all()
    created = [int(row.id) for row in inserted]
    conn.execute(case_posts.insert(), [{"case_id": c, "post_id": p} for c, (p, _) in zip(created, todo, strict=True)])
    insert_ignore(
        conn,
        case_tags,
        [{"case_id": c, "tag": t} for c, row in zip(created, rows, strict=True) for t in tag_names(row)],
        ["case_id", "tag"],
    )
    _record_creation(
        conn,
        [
            (
                case_id,
                f"tip received; the detector did not flag it (score {record.score:.2f})",
                {"post_id": post_id, "source": "tip", "score": round(float(record.score), 4)},
                {"source": "tip"},
            )
            for case_id, (post_id, record) in zip(created, todo, strict=True)
        ],
        now,
    )
    return created


def _tip_case_row(record: Record, now: datetime) -> dict[str, Any]:
    return _new_case_row(
        now,
        order_id=None,
        district=record.district,
        country=record.country,
        language=record.language,
        platform=record.post.platform,
        platforms=tags([record.post.platform]),
        violence_types=record.violence_types,
        urgency=record.urgency,
        n_posts=1,
        first_seen_at=record.post.created_at,
        last_seen_at=record.post.created_at,
        when_start=record.when.start if record.when else None,
        when_end=record.when.end if record.when else None,
    )
