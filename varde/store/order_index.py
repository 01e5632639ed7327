"""The de-duplication index in the database, shared by every process (`varde scan`, NATS workers).

Same rule and same answers as `varde.dedupe.rule.MemoryOrderIndex` (see that module's docstring); only the
state lives in five tables on `varde.store.tables.metadata`:

- `order_index_orders`: one row per order id (the primary key keeps ids unique);
- `order_index_skeletons`: exact-skeleton key → order (primary key on the key: one order per skeleton);
- `order_index_members`: one row per post assigned (unique `post_id`, so a redelivered post gets its old id back),
  with its MinHash signature (NULL for exact re-posts and posts without text) and its slots as JSON;
- `order_index_keys`: (key, member) rows for LSH bands, slot keys and image-hash chunks; look-ups by key;
- `order_index_lock`: one row, updated to serialise the creation of new orders.

`assign_many` does a whole batch in one transaction with a handful of statements, whatever its size: one multi-row
look-up each for the posts already assigned, their exact skeletons, their LSH/slot keys, the candidates' signatures
and profiles, then one insert per table (executemany). The posts are decided in memory in batch order, each seeing the
ones before it, so the answers are those of assigning one post at a time.

Concurrency. A batch is first matched without any lock: joining existing orders is safe for any number of
processes at once. Only when a post would start a new order does the process take the lock (an UPDATE of the single
lock row: a row lock on PostgreSQL, the write lock on SQLite), read again — now seeing every order committed before
it — and decide the whole batch anew, creating orders only for posts that still match none; the lock is held until
commit. So two workers that see two re-posts of one new order at the same moment produce one order. Unique
constraints on the skeleton key and the post id turn the remaining races (the same post or the same text at once)
into an IntegrityError, on which the whole batch is retried and then finds the other process's row; a deadlock
(PostgreSQL) or a busy database (SQLite) between two batches is retried after a short pause.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

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
from sqlalchemy.sql.elements import ColumnElement

from varde.dedupe.rule import (
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
from varde.errors import StoreError
from varde.records import Record
from varde.store.tables import metadata
from varde.store.upsert import one_of

RETRIES = 8
CHUNK = 2000  # values per IN list and rows per multi-row INSERT: well under both databases' parameter limits
NEW_MEMBER = 1 << 62  # provisional ids of a batch's new members: newer than every stored member, as in memory
T = TypeVar("T")

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
        posts = [_Post(r) for r in records]
        for attempt in range(RETRIES):
            try:
                return self._assign_batch(posts)
            except IntegrityError:
                continue  # another process stored the same post or text meanwhile: look again
            except OperationalError as error:
                # A deadlock (PostgreSQL) or a busy database (SQLite) between workers: wait a little and try again.
                if attempt == RETRIES - 1:
                    raise StoreError(f"order index: {error.orig}") from None
                time.sleep(0.05 * (attempt + 1))
        raise StoreError(f"order index: could not assign {len(records)} posts after {RETRIES} tries")

    def _assign_batch(self, posts: Sequence[_Post]) -> list[str]:
        with self.engine.begin() as conn:
            joined = _Batch(conn, posts).run(create=False)
            if joined is not None:
                return joined
            # A post starts a new order. From here on this transaction holds the lock and sees every order
            # committed before it: read again and decide the whole batch under the lock.
            _lock(conn)
            return _Batch(conn, posts).run(create=True) or []  # creating, every post gets an order

    def __len__(self) -> int:
        """The number of distinct orders."""
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(order_index_orders)).scalar_one())


def _lock(conn: Connection) -> None:
    bump = update(order_index_lock).where(order_index_lock.c.id == 1).values(counter=order_index_lock.c.counter + 1)
    if conn.execute(bump).rowcount == 0:
        conn.execute(insert(order_index_lock).values(id=1, counter=0))  # first use; a race raises and retries
        conn.execute(bump)


def _chunks(values: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _rows_in(
    conn: Connection, columns: Sequence[ColumnElement[Any]], where: ColumnElement[Any], values: Iterable[Any]
) -> Iterator[Any]:
    """`SELECT columns WHERE where IN values`, a chunk at a time (distinct values; none: no statement)."""
    for chunk in _chunks(list(dict.fromkeys(values))):
        yield from conn.execute(select(*columns).where(one_of(conn, where, chunk)))


class _Post:
    """A post to assign. Its fingerprint is computed when first needed, once: a post already in the index (a re-run,
    a redelivery) is answered from its stored row without one."""

    __slots__ = ("_fp", "_weights", "id", "record")

    def __init__(self, record: Record) -> None:
        self.id = record.id
        self.record = record
        self._fp: Fingerprint | None = None
        self._weights: dict[int, int] | None = None

    @property
    def fp(self) -> Fingerprint:
        if self._fp is None:
            self._fp = fingerprint(self.record)
        return self._fp

    @property
    def weights(self) -> dict[int, int]:
        """Look-up keys → weight of a hit (computed once: `query_keys` hashes)."""
        if self._weights is None:
            self._weights = self.fp.query_keys()
        return self._weights


@dataclass(slots=True)
class _NewMember:
    ref: int  # provisional id, replaced by the database's on insert
    post_id: str
    order_id: str
    signature: bytes | None
    slots: dict[str, Any]
    keys: list[int]


class _Batch:
    """One batch against one transaction: the index rows the batch needs, read with a few multi-row look-ups, and
    what the batch adds, kept in memory so later posts of the batch see earlier ones, and written at the end.

    Each post is decided exactly as if it were matched and stored on its own, in batch order (same answers as
    `MemoryOrderIndex`): the look-ups only gather, up front, the rows the one-at-a-time queries would read."""

    def __init__(self, conn: Connection, posts: Sequence[_Post]) -> None:
        self.conn = conn
        self.posts = posts
        self.known: dict[str, str] = {}  # post id → order id
        self.skeletons: dict[str, str] = {}  # skeleton key → order id
        self.buckets: dict[int, list[int]] = {}  # key → member ids (stored, then new)
        self.member_order: dict[int, str] = {}
        self.signatures: dict[int, np.ndarray[Any, np.dtype[np.uint32]] | None] = {}
        self.profiles: dict[str, Profile] = {}
        self.ages: dict[str, int] = {}  # order → its first member id
        self.taken: dict[str, bool] = {}  # order id → already used
        self.new_orders: list[dict[str, str]] = []
        self.new_skeletons: list[dict[str, str]] = []
        self.new_members: list[_NewMember] = []

    def run(self, *, create: bool) -> list[str] | None:
        """Order ids in batch order, written to the transaction; None (nothing written) if a post would start a
        new order and `create` is False."""
        self._read(create)
        out: list[str] = []
        for post in self.posts:
            known = self.known.get(post.id)
            if known is not None:
                out.append(known)
                continue
            order, exact = self._match(post)
            if order is None:
                if not create:
                    return None
                order = self._new_order(first_key(post.fp, post.id), post.id)
                exact = bool(post.fp.skeleton_key) and post.fp.skeleton_key in self.skeletons
            self._add_member(order, post, exact)
            out.append(order)
        self._write()
        return out

    # --- reading -----------------------------------------------------------------------------------------------

    def _read(self, create: bool) -> None:
        """The batch's look-ups: posts already assigned, exact skeletons, key buckets, the signatures and profiles
        of the candidates each post would compare, and (when creating) the ids new orders would take. Anything
        these miss is read when needed."""
        members, skeletons = order_index_members.c, order_index_skeletons.c
        ids = [post.id for post in self.posts]
        for post_id, order_id in _rows_in(self.conn, [members.post_id, members.order_id], members.post_id, ids):
            self.known[str(post_id)] = str(order_id)
        todo = [post for post in self.posts if post.id not in self.known]
        wanted_skeletons = [post.fp.skeleton_key for post in todo if post.fp.skeleton_key]
        for key, order_id in _rows_in(
            self.conn, [skeletons.skeleton_key, skeletons.order_id], skeletons.skeleton_key, wanted_skeletons
        ):
            self.skeletons[str(key)] = str(order_id)
        keys = [key for post in todo for key in post.weights]
        self.buckets = {key: [] for key in keys}
        joined = select(order_index_keys.c.key, order_index_keys.c.member_id, members.order_id).join(
            order_index_members, members.id == order_index_keys.c.member_id
        )
        for chunk in _chunks(list(dict.fromkeys(keys))):
            for key, member, order_id in self.conn.execute(
                joined.where(one_of(self.conn, order_index_keys.c.key, chunk))
            ):
                self.buckets[int(key)].append(int(member))
                self.member_order[int(member)] = str(order_id)
        compared: set[int] = set()
        orders = {self.skeletons[p.fp.skeleton_key] for p in todo if p.fp.skeleton_key in self.skeletons}
        for post in todo:
            for order, ranked in rank_candidates(self._hits(post), self.member_order.__getitem__):
                orders.add(order)
                compared.update(ranked)
        self._load_signatures(compared)
        self._load_profiles(orders)
        if create:
            firsts = [order_id_for(first_key(post.fp, post.id)) for post in todo]
            self.taken.update(dict.fromkeys(firsts, False))
            orders_c = order_index_orders.c
            for (order_id,) in _rows_in(self.conn, [orders_c.order_id], orders_c.order_id, firsts):
                self.taken[str(order_id)] = True

    def _hits(self, post: _Post) -> dict[int, int]:
        hits: dict[int, int] = {}
        for key, weight in post.weights.items():
            for member in self.buckets[key]:
                hits[member] = hits.get(member, 0) + weight
        return hits

    def _load_signatures(self, wanted: Iterable[int]) -> None:
        missing = [m for m in wanted if m not in self.signatures]
        members = order_index_members.c
        for member, raw in _rows_in(self.conn, [members.id, members.signature], members.id, missing):
            self.signatures[int(member)] = _signature(raw)

    def _load_profiles(self, orders: Iterable[str]) -> None:
        """Each order's profile (union of its posts' slots) and its first member id (its age rank)."""
        missing = [o for o in orders if o not in self.profiles]
        self.profiles.update((order, Profile()) for order in missing)
        members = order_index_members.c
        for order, member, slots in _rows_in(
            self.conn, [members.order_id, members.id, members.slots], members.order_id, missing
        ):
            age = self.ages.get(order)
            self.ages[order] = int(member) if age is None else min(age, int(member))
            self.profiles[order].add(Slots.from_json(slots if isinstance(slots, dict) else json.loads(slots)))

    def _is_taken(self, order_id: str) -> bool:
        if order_id not in self.taken:
            found = self.conn.execute(
                select(order_index_orders.c.order_id).where(order_index_orders.c.order_id == order_id)
            ).first()
            self.taken[order_id] = found is not None
        return self.taken[order_id]

    # --- deciding ----------------------------------------------------------------------------------------------

    def _match(self, post: _Post) -> tuple[str | None, bool]:
        """(matching order or None, whether the skeleton is already stored)."""
        fp = post.fp
        exact = self.skeletons.get(fp.skeleton_key) if fp.skeleton_key else None
        if exact is not None:
            self._load_profiles([exact])
            if support(fp, self.profiles[exact], 1.0, True) is not None:
                return exact, True
        ranked = rank_candidates(self._hits(post), self.member_order.__getitem__)
        if not ranked:
            return None, exact is not None
        self._load_signatures(m for _, members in ranked for m in members)
        self._load_profiles(order for order, _ in ranked)
        # Oldest order first (the smallest member id), so ties go to the older order as in memory.
        candidates = [
            (order, max(member_similarity(fp, self.signatures[m]) for m in members), self.profiles[order])
            for order, members in sorted(ranked, key=lambda item: self.ages[item[0]])
        ]
        return choose(fp, candidates), exact is not None

    def _new_order(self, key: str, post_id: str) -> str:
        order_id, n = order_id_for(key), 0
        while self._is_taken(order_id):
            n += 1
            order_id = order_id_for(f"{key}\x00{n}")
        self.taken[order_id] = True
        self.new_orders.append({"order_id": order_id, "first_post_id": post_id})
        self.profiles[order_id] = Profile()
        return order_id

    def _add_member(self, order_id: str, post: _Post, exact: bool) -> None:
        fp = post.fp
        searchable = not exact  # an exact re-post adds nothing to search by
        if fp.skeleton_key and not exact:
            self.skeletons[fp.skeleton_key] = order_id
            self.new_skeletons.append({"skeleton_key": fp.skeleton_key, "order_id": order_id})
        ref = NEW_MEMBER + len(self.new_members)
        signature = fp.signature.astype("<u4") if searchable and fp.bands else None
        keys: list[int] = []
        if searchable:
            for key in dict.fromkeys(fp.index_keys()):
                bucket = self.buckets[key]  # index keys are among the query keys read for this post
                if len(bucket) < BUCKET_CAP:
                    bucket.append(ref)
                    keys.append(key)
        self.new_members.append(
            _NewMember(
                ref, post.id, order_id, None if signature is None else signature.tobytes(), fp.slots.to_json(), keys
            )
        )
        self.known[post.id] = order_id
        self.member_order[ref] = order_id
        self.signatures[ref] = signature
        self.profiles[order_id].add(fp.slots)
        self.ages.setdefault(order_id, ref)

    # --- writing -----------------------------------------------------------------------------------------------

    def _write(self) -> None:
        """The batch's new rows: one executemany per table (a cached statement, pipelined), keys sorted so that
        concurrent batches take their locks in the same order."""
        if self.new_orders:
            self.conn.execute(insert(order_index_orders), self.new_orders)
        if self.new_skeletons:
            self.conn.execute(
                insert(order_index_skeletons), sorted(self.new_skeletons, key=lambda row: row["skeleton_key"])
            )
        if not self.new_members:
            return
        rows = [
            {"post_id": m.post_id, "order_id": m.order_id, "signature": m.signature, "slots": m.slots}
            for m in self.new_members
        ]
        statement = insert(order_index_members).returning(order_index_members.c.post_id, order_index_members.c.id)
        ids = {str(post_id): int(member) for post_id, member in self.conn.execute(statement, rows)}
        keys = sorted((key, ids[m.post_id]) for m in self.new_members for key in m.keys)
        if keys:
            self.conn.execute(insert(order_index_keys), [{"key": k, "member_id": m} for k, m in keys])
