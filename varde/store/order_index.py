"""The de-duplication index in the database, shared by every process (`varde scan`, NATS workers).

Same rule and same answers as `varde.pipeline.dedupe.MemoryOrderIndex` (see that module's docstring); only the
state lives in four tables on `varde.store.tables.metadata`:

- `order_index_orders`: one row per order id (the primary key keeps ids unique);
- `order_index_skeletons`: exact-skeleton key → order (primary key on the key: one order per skeleton);
- `order_index_members`: one row per post assigned (unique `post_id`, so a redelivered post gets its old id back),
  with its MinHash signature (NULL for exact re-posts and posts without text) and its slots as JSON;
- `order_index_keys`: (key, member) rows for LSH bands, slot keys and image-hash chunks; look-ups by key;
- `order_index_lock`: one row, updated to serialise the creation of new orders.

`assign_many` does a whole batch in one transaction (one commit per batch rather than per post).

Concurrency. A post is first matched without any lock: joining an existing order is safe for any number of
processes at once. Only when a post would start a new order does the process take the lock (an UPDATE of the single
lock row: a row lock on PostgreSQL, the write lock on SQLite), look again — now seeing every order committed before
it — and create the order only if there is still no match; the lock is held until commit. So two workers that see
two re-posts of one new order at the same moment produce one order. Unique constraints on the skeleton key and the
post id turn the remaining races (the same post or the same text at once) into an IntegrityError, on which the
whole step is retried and then finds the other process's row; a deadlock (PostgreSQL) or a busy database (SQLite)
between two batches is retried after a short pause.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from typing import Any

import numpy as np
from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Connection,
    Engine,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Table,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError, OperationalError

from varde.errors import StoreError
from varde.pipeline.dedupe import (
    BUCKET_CAP,
    Fingerprint,
    Profile,
    Slots,
    choose,
    fingerprint,
    first_key,
    member_similarity,
    order_id_for,
    rank_candidates,
    support,
)
from varde.records import Record
from varde.store.tables import metadata

RETRIES = 8

order_index_orders = Table(
    "order_index_orders",
    metadata,
    Column("order_id", String(64), primary_key=True),
    Column("first_post_id", String(512), nullable=False),
)

order_index_skeletons = Table(
    "order_index_skeletons",
    metadata,
    Column("skeleton_key", String(64), primary_key=True),  # SHA-256 hex of the normalised skeleton
    Column("order_id", String(64), nullable=False),
)

order_index_members = Table(
    "order_index_members",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("post_id", String(512), nullable=False, unique=True),
    Column("order_id", String(64), nullable=False, index=True),
    Column("signature", LargeBinary),  # MinHash values, uint32 little-endian; NULL when not searched by text
    Column("slots", JSON, nullable=False),
)

order_index_keys = Table(
    "order_index_keys",
    metadata,
    Column("key", BigInteger, primary_key=True, autoincrement=False),
    Column("member_id", Integer, ForeignKey("order_index_members.id"), primary_key=True, autoincrement=False),
)

order_index_lock = Table(
    "order_index_lock",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("counter", BigInteger, nullable=False),
)

TABLES = (order_index_orders, order_index_skeletons, order_index_members, order_index_keys, order_index_lock)


def _signature(raw: bytes | None) -> np.ndarray[Any, np.dtype[np.uint32]] | None:
    return None if raw is None else np.frombuffer(raw, dtype="<u4").astype(np.uint32)


class DatabaseOrderIndex:
    """`OrderIndex` over the store's engine; safe to share between processes and hosts."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def assign(self, record: Record) -> str:
        return self.assign_many([record])[0]

    def assign_many(self, records: Sequence[Record]) -> list[str]:
        """Order ids for a batch of posts flagged as orders, in order, in one transaction (one commit per batch)."""
        if not records:
            return []
        prints = [fingerprint(r) for r in records]
        for attempt in range(RETRIES):
            try:
                return self._assign_batch(records, prints)
            except IntegrityError:
                continue  # another process stored the same post or text meanwhile: look again
            except OperationalError as error:
                # A deadlock (PostgreSQL) or a busy database (SQLite) between workers: wait a little and try again.
                if attempt == RETRIES - 1:
                    raise StoreError(f"order index: {error.orig}") from None
                time.sleep(0.05 * (attempt + 1))
        raise StoreError(f"order index: could not assign {len(records)} posts after {RETRIES} tries")

    def _assign_batch(self, records: Sequence[Record], prints: Sequence[Fingerprint]) -> list[str]:
        out: list[str] = []
        with self.engine.begin() as conn:
            locked = False
            for record, fp in zip(records, prints, strict=True):
                found = self._join(conn, record.id, fp)
                if found is None:
                    if not locked:
                        # From here on this transaction holds the lock, and sees every order committed before it.
                        self._lock(conn)
                        locked = True
                        found = self._join(conn, record.id, fp)
                    if found is None:
                        found = self._create(conn, record.id, fp)
                out.append(found)
        return out

    def __len__(self) -> int:
        """The number of distinct orders."""
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(order_index_orders)).scalar_one())

    def _join(self, conn: Connection, post_id: str, fp: Fingerprint) -> str | None:
        """The order this post belongs to if there is one (storing the post in it), else None."""
        known = conn.execute(
            select(order_index_members.c.order_id).where(order_index_members.c.post_id == post_id)
        ).scalar_one_or_none()
        if known is not None:
            return str(known)
        order, exact = self._match(conn, fp)
        if order is not None:
            self._add_member(conn, order, post_id, fp, exact)
        return order

    def _match(self, conn: Connection, fp: Fingerprint) -> tuple[str | None, bool]:
        """(matching order or None, whether the skeleton is already stored)."""
        exact: str | None = None
        if fp.skeleton_key:
            exact = conn.execute(
                select(order_index_skeletons.c.order_id).where(order_index_skeletons.c.skeleton_key == fp.skeleton_key)
            ).scalar_one_or_none()
            if exact is not None and support(fp, self._profiles(conn, [exact])[exact], 1.0, True) is not None:
                return exact, True
        weights = fp.query_keys()
        hits: dict[int, int] = {}
        member_order: dict[int, str] = {}
        if weights:
            rows = conn.execute(
                select(order_index_keys.c.key, order_index_keys.c.member_id, order_index_members.c.order_id)
                .join(order_index_members, order_index_members.c.id == order_index_keys.c.member_id)
                .where(order_index_keys.c.key.in_(list(weights)))
            ).all()
            for key, member, order_id in rows:
                hits[member] = hits.get(member, 0) + weights[key]
                member_order[member] = order_id
        ranked = rank_candidates(hits, member_order.__getitem__)
        if not ranked:
            return None, exact is not None
        wanted = [m for _, members in ranked for m in members]
        signatures = {
            row.id: _signature(row.signature)
            for row in conn.execute(
                select(order_index_members.c.id, order_index_members.c.signature).where(
                    order_index_members.c.id.in_(wanted)
                )
            )
        }
        profiles, age = self._profiles_and_ages(conn, [order for order, _ in ranked])
        # Oldest order first (the smallest member id), so ties go to the older order as in memory.
        candidates = [
            (order, max(member_similarity(fp, signatures[m]) for m in members), profiles[order])
            for order, members in sorted(ranked, key=lambda item: age[item[0]])
        ]
        return choose(fp, candidates), exact is not None

    def _profiles(self, conn: Connection, orders: Sequence[str]) -> dict[str, Profile]:
        return self._profiles_and_ages(conn, orders)[0]

    def _profiles_and_ages(self, conn: Connection, orders: Sequence[str]) -> tuple[dict[str, Profile], dict[str, int]]:
        """Each order's profile (union of its posts' slots) and its first member id (its age rank)."""
        profiles = {order: Profile() for order in orders}
        ages: dict[str, int] = {}
        rows = conn.execute(
            select(order_index_members.c.order_id, order_index_members.c.id, order_index_members.c.slots)
            .where(order_index_members.c.order_id.in_(list(orders)))
            .order_by(order_index_members.c.id)
        )
        for order, member, slots in rows:
            ages.setdefault(order, member)
            profiles[order].add(Slots.from_json(slots if isinstance(slots, dict) else json.loads(slots)))
        return profiles, ages

    def _lock(self, conn: Connection) -> None:
        bump = update(order_index_lock).where(order_index_lock.c.id == 1).values(counter=order_index_lock.c.counter + 1)
        if conn.execute(bump).rowcount == 0:
            conn.execute(insert(order_index_lock).values(id=1, counter=0))  # first use; a race raises and retries
            conn.execute(bump)

    def _create(self, conn: Connection, post_id: str, fp: Fingerprint) -> str:
        key = first_key(fp, post_id)
        order_id, n = order_id_for(key), 0
        while conn.execute(
            select(order_index_orders.c.order_id).where(order_index_orders.c.order_id == order_id)
        ).first():
            n += 1
            order_id = order_id_for(f"{key}\x00{n}")
        conn.execute(insert(order_index_orders).values(order_id=order_id, first_post_id=post_id))
        exact = bool(fp.skeleton_key) and (
            conn.execute(
                select(order_index_skeletons.c.order_id).where(order_index_skeletons.c.skeleton_key == fp.skeleton_key)
            ).first()
            is not None
        )
        self._add_member(conn, order_id, post_id, fp, exact)
        return order_id

    def _add_member(self, conn: Connection, order_id: str, post_id: str, fp: Fingerprint, exact: bool) -> None:
        searchable = not exact  # an exact re-post adds nothing to search by
        if fp.skeleton_key and not exact:
            conn.execute(insert(order_index_skeletons).values(skeleton_key=fp.skeleton_key, order_id=order_id))
        member = conn.execute(
            insert(order_index_members)
            .values(
                post_id=post_id,
                order_id=order_id,
                signature=fp.signature.astype("<u4").tobytes() if searchable and fp.bands else None,
                slots=fp.slots.to_json(),
            )
            .returning(order_index_members.c.id)
        ).scalar_one()
        if not searchable:
            return
        keys = list(dict.fromkeys(fp.index_keys()))
        if not keys:
            return
        full = {
            key
            for key, count in conn.execute(
                select(order_index_keys.c.key, func.count())
                .where(order_index_keys.c.key.in_(keys))
                .group_by(order_index_keys.c.key)
            )
            if count >= BUCKET_CAP
        }
        rows = [{"key": key, "member_id": member} for key in keys if key not in full]
        if rows:
            conn.execute(insert(order_index_keys).values(rows))  # one multi-row statement, not one per row
