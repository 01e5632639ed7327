"""The interpreter's heap while a serving process builds a big structure it keeps (the network analysis, the
dashboard's tally).

Building one allocates millions of objects, and each time the allocations outnumber the long-lived ones by a
quarter CPython's cyclic collector walks the whole heap with the interpreter lock held: at 100,000 cases half the
network analysis's time went to two dozen such walks of up to 0.8 s each, and any page view that needed the
interpreter meanwhile waited for them. While a build runs the collector is paused (reference counting still frees
what the build drops; measured: it leaves no cycles behind). Afterwards what was allocated meanwhile is collected
once — the cyclic garbage of page views served during the build would otherwise stay — and what survived is moved
out of the collector's sight (`gc.freeze`), so the kept structure is not walked on every later collection. Garbage
that was already old when a freeze caught it is left to a whole-heap collection after a build at most once every
`FULL_COLLECTION_EVERY_S`. Measured at 100,000 cases: the network analysis 5.7 s → 2.8 s, and page views during it
at most 0.23 s instead of 0.46 s."""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

FULL_COLLECTION_EVERY_S = 3600.0
_lock = threading.Lock()
_builds = 0  # builds running now, in any thread
_was_enabled = True  # the collector's state before the first of them
_last_full = time.monotonic()


@contextmanager
def building() -> Iterator[None]:
    """Pause the cyclic collector while the block builds a long-lived structure (nested and concurrent builds
    share one pause); then collect what was allocated meanwhile, freeze the survivors, and restore the collector."""
    global _builds, _was_enabled
    with _lock:
        if _builds == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _builds += 1
    try:
        yield
    finally:
        with _lock:
            _builds -= 1
            if _builds == 0:
                _collect_and_freeze()
                if _was_enabled:
                    gc.enable()


def _collect_and_freeze() -> None:
    global _last_full
    if time.monotonic() - _last_full >= FULL_COLLECTION_EVERY_S:
        gc.unfreeze()
        gc.collect()
        _last_full = time.monotonic()
    else:
        gc.collect(0)  # during the pause every allocation stayed in the youngest generation
    gc.freeze()


def builds_running() -> int:
    """How many builds hold the collector paused (tests)."""
    return _builds
