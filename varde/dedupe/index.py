"""The order index: `OrderIndex`, the interface both indexes share, and `MemoryOrderIndex`, the one held in memory
for a run (`varde analyze`). The rule they apply is in `varde.dedupe.rule`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from varde.dedupe.rule import (
    BUCKET_CAP,
    Fingerprint,
    Profile,
    choose,
    fingerprint,
    first_key,
    member_similarity,
    order_id_for,
    rank_candidates,
    support,
)
from varde.records import Record


class OrderIndex(Protocol):
    def assign(self, record: Record) -> str:
        """The order id of this record: an existing order's if it advertises the same, else a new one."""
        ...

    def assign_many(self, records: Sequence[Record]) -> list[str]:
        """`assign` for each record in turn (the database index does the batch in one transaction)."""
        ...


@dataclass(slots=True)
class _Order:
    id: str
    profile: Profile = field(default_factory=Profile)


@dataclass(frozen=True, slots=True)
class _Member:
    order: int
    signature: np.ndarray[Any, np.dtype[np.uint32]] | None  # None for a post without text


class MemoryOrderIndex:
    """The de-duplication index held in memory (see `varde.dedupe.rule` for the rule)."""

    def __init__(self) -> None:
        self._orders: list[_Order] = []
        self._members: list[_Member] = []
        self._by_skeleton: dict[str, int] = {}
        self._buckets: dict[int, list[int]] = {}
        self._ids: set[str] = set()

    def __len__(self) -> int:
        """The number of distinct orders."""
        return len(self._orders)

    def assign(self, record: Record) -> str:
        fp = fingerprint(record)
        order = self._match(fp)
        if order is None:
            order = self._new_order(first_key(fp, record.id))
        self._add_member(order, fp)
        return self._orders[order].id

    def assign_many(self, records: Sequence[Record]) -> list[str]:
        return [self.assign(r) for r in records]

    def _match(self, fp: Fingerprint) -> int | None:
        exact = self._by_skeleton.get(fp.skeleton_key) if fp.skeleton_key else None
        if exact is not None and support(fp, self._orders[exact].profile, 1.0, True) is not None:
            return exact
        hits: dict[int, int] = {}
        for key, weight in fp.query_keys().items():
            for member in self._buckets.get(key, ()):
                hits[member] = hits.get(member, 0) + weight
        ranked = sorted(rank_candidates(hits, lambda m: self._members[m].order))
        candidates = [
            (
                order,
                max(member_similarity(fp, self._members[m].signature) for m in members),
                self._orders[order].profile,
            )
            for order, members in ranked
        ]
        return choose(fp, candidates)

    def _new_order(self, key: str) -> int:
        order_id, n = order_id_for(key), 0
        while order_id in self._ids:
            n += 1
            order_id = order_id_for(f"{key}\x00{n}")
        self._ids.add(order_id)
        self._orders.append(_Order(order_id))
        return len(self._orders) - 1

    def _add_member(self, order: int, fp: Fingerprint) -> None:
        self._orders[order].profile.add(fp.slots)
        if fp.skeleton_key and fp.skeleton_key in self._by_skeleton:
            return  # an exact re-post adds nothing to search by
        if fp.skeleton_key:
            self._by_skeleton[fp.skeleton_key] = order
        member = len(self._members)
        self._members.append(_Member(order, fp.signature if fp.bands else None))
        for key in fp.index_keys():
            bucket = self._buckets.setdefault(key, [])
            if len(bucket) < BUCKET_CAP:
                bucket.append(member)


def assign_all(records: Sequence[Record], index: OrderIndex | None = None) -> list[str | None]:
    """Order ids for a batch (None for posts not flagged as orders), against `index` or a fresh one."""
    index = index if index is not None else MemoryOrderIndex()
    found = iter(index.assign_many([r for r in records if r.is_order]))
    return [next(found) if r.is_order else None for r in records]
