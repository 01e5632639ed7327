"""A bounded least-recently-used cache, safe to share between threads (workers may run stages in threads).

The one cache type of the package. Re-posts are common, so pure per-text and per-image results are kept for recently
seen inputs: the language codes and lexicon matches of a text, the hashed n-gram rows of a word (the classifier),
the OCR text and hashes of an image (the media stage). The answer for an input never changes, so only inputs not
seen recently are worked out again."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class LruCache(Generic[K, V]):
    """At most `size` entries; the least recently used go first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get_many(self, keys: Iterable[K]) -> dict[K, V]:
        """The cached values of those `keys` that are cached (each counts as used)."""
        found: dict[K, V] = {}
        with self._lock:
            for key in keys:
                if key in self._entries:
                    self._entries.move_to_end(key)
                    found[key] = self._entries[key]
        return found

    def get(self, key: K) -> V | None:
        """The cached value of `key` (it counts as used), or None."""
        return self.get_many((key,)).get(key)

    def put(self, key: K, value: V) -> None:
        self.put_many(((key, value),))

    def put_many(self, items: Iterable[tuple[K, V]]) -> None:
        with self._lock:
            for key, value in items:
                self._entries[key] = value
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
