"""A stage that raises on one post rejects that post, named with the stage; the other posts come out as they
would without it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, timezone

import pytest

from varde.pipeline import Pipeline, StageFailure, build_pipeline
from varde.posts import Post
from varde.records import Record

OSLO = timezone(timedelta(hours=2))
TEXTS = [
    "Oppdrag i kveld: skyte på døra i Oslo, 50k. Tg @nattjobb_01",
    "POISON Oppdrag i kveld i Oslo",
    "Smälla i Sthlm 100 ton, hör av er på snap",
    "Hei! Noen som vil måke snø for 200 kr? Vipps",
    "POISON igjen",
    "Oppdrag i kveld: skyte på døra i Oslo, 50k!! Tg @nattjobb_01",
]


class FailOn:
    """A stage that raises on any batch holding a post with the marker (as a stage with a bug would)."""

    name = "fail_on"
    requires: frozenset[str] = frozenset({"view"})
    assigns: frozenset[str] = frozenset()

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __call__(self, batch: Sequence[Record]) -> list[Record]:
        if any(self.marker in r.post.text for r in batch):
            raise OverflowError("date value out of range")
        return list(batch)


def posts(texts: list[str]) -> list[Post]:
    created = datetime(2025, 9, 14, 12, tzinfo=OSLO)
    return [Post(id=f"t:{TEXTS.index(t)}", platform="telegram", text=t, created_at=created) for t in texts]


def pipeline_failing_on(marker: str) -> Pipeline:
    """The standard pipeline with the failing stage after normalisation (so a later stage gets fewer posts)."""
    stages = build_pipeline().stages
    return Pipeline([stages[0], FailOn(marker), *stages[1:]])


def test_failing_post_is_taken_out_with_its_stage_named() -> None:
    records, failures = pipeline_failing_on("POISON").run_checked([Record(post=p) for p in posts(TEXTS)])
    assert [r.id for r in records] == ["t:0", "t:2", "t:3", "t:5"]
    assert [(f.post.id, f.stage) for f in failures] == [("t:1", "fail_on"), ("t:4", "fail_on")]
    assert failures[0].reason == "OverflowError: date value out of range (in stage 'fail_on')"


def test_other_posts_come_out_as_without_the_bad_ones() -> None:
    healthy = [t for t in TEXTS if "POISON" not in t]
    expected = build_pipeline().run([Record(post=p) for p in posts(healthy)])
    records, _ = pipeline_failing_on("POISON").run_checked([Record(post=p) for p in posts(TEXTS)])
    assert records == expected
    assert records[0].order_id == records[3].order_id  # the re-post still joins its order


def test_run_posts_hands_failures_on_and_goes_on() -> None:
    failures: list[StageFailure] = []
    records = list(pipeline_failing_on("POISON").run_posts(posts(TEXTS), batch_size=2, on_failure=failures.append))
    assert [r.id for r in records] == ["t:0", "t:2", "t:3", "t:5"]
    assert [f.post.id for f in failures] == ["t:1", "t:4"]


def test_without_a_failure_handler_the_error_propagates() -> None:
    with pytest.raises(OverflowError):
        list(pipeline_failing_on("POISON").run_posts(posts(TEXTS), batch_size=64))


def test_a_healthy_batch_runs_as_one() -> None:
    calls: list[int] = []

    class Counting(FailOn):
        def __call__(self, batch: Sequence[Record]) -> list[Record]:
            calls.append(len(batch))
            return super().__call__(batch)

    stages = build_pipeline().stages
    Pipeline([stages[0], Counting("POISON"), *stages[1:]]).run_checked([Record(post=p) for p in posts(TEXTS[2:4])])
    assert calls == [2]
