"""`LruCache`: the one bounded cache (detector texts, classifier words, media images)."""

from __future__ import annotations

import threading

from varde.cache import LruCache


def test_least_recently_used_go_first() -> None:
    cache: LruCache[str, int] = LruCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # "a" is now the most recently used
    cache.put("c", 3)
    assert (cache.get("a"), cache.get("b"), cache.get("c"), len(cache)) == (1, None, 3, 2)


def test_get_many_returns_only_cached_keys() -> None:
    cache: LruCache[str, int] = LruCache(10)
    cache.put_many([("a", 1), ("b", 2)])
    assert cache.get_many(["a", "x", "b"]) == {"a": 1, "b": 2}
    cache.clear()
    assert cache.get_many(["a"]) == {}


def test_threads_never_push_it_over_its_size() -> None:
    cache: LruCache[int, int] = LruCache(100)

    def fill(offset: int) -> None:
        for i in range(2000):
            cache.put(offset + i, i)
            cache.get(offset + i // 2)

    threads = [threading.Thread(target=fill, args=(n * 10_000,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(cache) == 100
