"""`ParallelPipeline`: the records of one process, in input order, from worker processes."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from tests.conftest import DEV_SET
from varde.detect import language
from varde.pipeline import build_pipeline
from varde.pipeline.parallel import ParallelPipeline
from varde.pipeline.runner import Pipeline, StageFailure
from varde.posts import Post
from varde.readers import Rejected, iter_posts
from varde.records import Record

DEMO = Path(__file__).resolve().parents[2] / "corpus" / "demo" / "posts.jsonl"


def demo_posts() -> list[Post]:
    return [post for post in iter_posts([str(DEMO)]) if not isinstance(post, Rejected)]


def test_workers_give_the_records_and_order_ids_of_one_process() -> None:
    posts = demo_posts()
    one = list(build_pipeline().run_posts(posts, batch_size=16))
    with ParallelPipeline(build_pipeline, jobs=2) as parallel:
        two = list(parallel.run_posts(posts, batch_size=16))
    assert [record.id for record in two] == [post.id for post in posts]
    assert [record.to_contract_dict() for record in two] == [record.to_contract_dict() for record in one]
    assert any(record.order_id for record in two)


def contract_lines(records: list[Record]) -> list[str]:
    return [json.dumps(record.to_contract_dict(), ensure_ascii=False) for record in records]


@pytest.mark.parametrize("corpus", ["demo", "dev"])
def test_the_fast_paths_write_the_bytes_of_the_full_path(corpus: str) -> None:
    """The full path (one process, lingua's thread pool, the embedder's threads) against what `analyze` runs: one
    thread per process, with one job and with two forked workers that send back only the fields the stages add.
    Every contract line is the same, byte for byte, on the dev set and the demo corpus."""
    if corpus == "dev" and not DEV_SET.exists():
        pytest.skip("shared dev set not present")
    posts = demo_posts() if corpus == "demo" else [p for p in iter_posts([str(DEV_SET)]) if not isinstance(p, Rejected)]
    language.use_one_thread(False)
    full = contract_lines(list(build_pipeline().run_posts(posts, batch_size=64)))
    assert sum('"is_order": true' in line for line in full) >= 20
    for jobs in (1, 2):
        with ParallelPipeline(build_pipeline, jobs=jobs) as parallel:
            fast = contract_lines(list(parallel.run_posts(posts, batch_size=64)))
        assert fast == full


class PoisonStage:
    """Raises on posts with the marker, as a stage did on a created_at at the end of year 9999."""

    name = "poison"
    requires: frozenset[str] = frozenset()
    assigns: frozenset[str] = frozenset()

    def __call__(self, batch: Sequence[Record]) -> list[Record]:
        if any("POISON" in record.post.text for record in batch):
            raise OverflowError("date value out of range")
        return list(batch)


def poisoned_pipeline() -> Pipeline:  # module level: the spawned workers build it too
    return build_pipeline(first=[PoisonStage()])


def test_posts_a_stage_fails_on_are_handed_over_as_in_one_process() -> None:
    posts = demo_posts()[:40]
    for position in (5, 17, 33):
        posts[position] = dataclasses.replace(posts[position], text=posts[position].text + " POISON")
    failed: dict[int, list[str]] = {}
    outputs = {}
    for jobs in (1, 2):
        failures: list[StageFailure] = []
        with ParallelPipeline(poisoned_pipeline, jobs=jobs) as parallel:
            records = parallel.run_posts(posts, batch_size=4, on_failure=failures.append)
            outputs[jobs] = [record.to_contract_dict() for record in records]
        failed[jobs] = [failure.post.id for failure in failures]
    assert failed[1] == [posts[5].id, posts[17].id, posts[33].id]
    assert failed[2] == failed[1]
    assert outputs[2] == outputs[1]
    assert len(outputs[1]) == 37
