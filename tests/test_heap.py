"""Builds of long-lived structures pause the cyclic collector, share one pause, and leave what they built frozen."""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Iterator

import pytest

from varde import heap


@pytest.fixture
def collector() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.enable()
    yield
    assert heap.builds_running() == 0
    gc.enable() if was_enabled else gc.disable()


def test_a_build_pauses_the_collector_and_freezes_what_it_built(collector: None) -> None:
    frozen = gc.get_freeze_count()
    with heap.building():
        assert not gc.isenabled()
        kept = [[i] for i in range(1000)]
    assert gc.isenabled()
    assert gc.get_freeze_count() >= frozen + len(kept)


def test_nested_and_concurrent_builds_share_one_pause(collector: None) -> None:
    inside, leave = threading.Event(), threading.Event()

    def other_build() -> None:
        with heap.building():
            inside.set()
            leave.wait(10)

    thread = threading.Thread(target=other_build)
    thread.start()
    assert inside.wait(10)
    with heap.building():
        with heap.building():
            assert heap.builds_running() == 3
        assert not gc.isenabled()
    assert not gc.isenabled()  # the other thread's build still runs
    leave.set()
    thread.join(10)
    assert gc.isenabled() and heap.builds_running() == 0


def test_a_collector_paused_before_stays_paused(collector: None) -> None:
    gc.disable()
    with heap.building():
        pass
    assert not gc.isenabled()


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


def _cycle() -> weakref.ref[_Node]:
    """A reference cycle that only the cyclic collector can free, and a weak reference to one of its nodes."""
    a, b = _Node(), _Node()
    a.other, b.other = b, a
    return weakref.ref(a)


def test_garbage_made_during_a_build_is_collected_not_frozen(collector: None) -> None:
    gc.disable()  # nothing but the build collects
    with heap.building():
        made_meanwhile = _cycle()  # e.g. a page view served while the build ran
    assert made_meanwhile() is None


def test_old_garbage_caught_by_a_freeze_is_collected_by_a_later_whole_heap_collection(
    collector: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    gc.disable()
    old = _cycle()
    gc.freeze()  # as an earlier build's freeze would have caught it
    with heap.building():
        pass
    assert old() is not None  # a young collection does not reach it
    monkeypatch.setattr(heap, "FULL_COLLECTION_EVERY_S", 0.0)
    with heap.building():
        pass
    assert old() is None
