"""De-duplication: posts that advertise the same order get one `order_id`.

`OrderIndex` is the interface shared by the in-memory index (`varde analyze`) and the database-backed one
(`varde scan`, workers). This first version matches on an exact skeleton of the normalised text."""

from __future__ import annotations

import hashlib
import re
from typing import Protocol

from varde.records import Record

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def skeleton(record: Record) -> str:
    """The normalised text with everything but letters and digits removed."""
    return _NON_WORD.sub(" ", record.normalised or record.post.text.lower()).strip()


def order_id_for(key: str) -> str:
    return "o-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


class OrderIndex(Protocol):
    def assign(self, record: Record) -> str:
        """The order id of this record: an existing order's if it advertises the same, else a new one."""
        ...


class MemoryOrderIndex:
    """Exact-skeleton index held in memory."""

    def __init__(self) -> None:
        self._ids: dict[str, str] = {}

    def assign(self, record: Record) -> str:
        key = skeleton(record)
        return self._ids.setdefault(key, order_id_for(key))
