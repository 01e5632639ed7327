"""Run a pipeline over a stream of posts in several processes, with the output of one process, in input order.

The per-post stages (media, normalise, language, classify, extract, urgency) depend on nothing but their post, so
batches of posts go to worker processes. De-duplication depends on the order posts arrive in, so it stays in this
process and runs over each batch as it comes back, in input order: the order ids, the contract output and the
failures come out exactly as `Pipeline.run_posts` gives them.

Workers are forked from this process once its pipeline has analysed the first batch, so they share its imports and
the models and tables loaded on first use (no start-up of their own), and stay up for the whole run. Every process
runs its math and language identification in one thread (`use_one_thread`): `jobs` processes use `jobs` cores
(multi-threaded embedding on a shared two-core machine cost twice the CPU and four times the wall time), and a
forked child does not get the parent's thread pools (lingua's pool deadlocked a forked child that used it; with one
thread it is never used). Posts go out; only the fields the stages add come back, without the per-character map of
the cleaned text (`Record.view`), which is the biggest part of a record and which nothing after the per-post stages
needs."""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from multiprocessing.pool import AsyncResult, Pool
from operator import attrgetter
from typing import Any

from varde.errors import ConfigError
from varde.pipeline.contract import Stage
from varde.pipeline.runner import Pipeline, StageFailure, run_stages_checked
from varde.posts import Post
from varde.records import Record

# Stages whose answer for a post depends on the posts before it: they run in this process, in input order.
ORDERED_STAGES = frozenset({"dedupe"})
BATCHES_IN_FLIGHT_PER_JOB = 2  # enough to keep the workers busy while this process de-duplicates and writes
# The record fields a worker sends back: all but the post (this process has it) and the cleaned text's map, in
# field order, so a record is rebuilt positionally (`Record(post, None, *values)`).
RETURNED_FIELDS = tuple(Record.__dataclass_fields__)[2:]
_returned_values = attrgetter(*RETURNED_FIELDS)

_worker_stages: Sequence[Stage] = ()  # the per-post stages, set in this process before the workers are forked

# A worker's answer for a batch: per kept post its index in the batch and the values of RETURNED_FIELDS, and the
# failures as (index, stage name, error).
_Packed = tuple[list[tuple[int, tuple[Any, ...]]], list[tuple[int, str, Exception]]]


def use_one_thread() -> None:
    """From now on, this process analyses in one thread: the math libraries (BLAS, the embedder's OpenMP) and
    lingua. The answers are the same; `--jobs` decides how many cores a run uses (one per process)."""
    from threadpoolctl import threadpool_limits

    from varde.detect import language

    os.environ["OMP_NUM_THREADS"] = "1"  # for libraries loaded later (the embedder loads its engine on first use)
    threadpool_limits(limits=1)  # for those already loaded
    language.use_one_thread()


def split_stages(pipeline: Pipeline) -> tuple[list[Stage], list[Stage]]:
    """The per-post stages and the ordered stages that follow them."""
    stages = pipeline.stages
    first_ordered = next((i for i, stage in enumerate(stages) if stage.name in ORDERED_STAGES), len(stages))
    per_post, ordered = stages[:first_ordered], stages[first_ordered:]
    if any(stage.name not in ORDERED_STAGES for stage in ordered):
        raise ConfigError("the order-dependent stages (de-duplication) must come last to run in parallel")
    return per_post, ordered


def _run_per_post(posts: list[Post], checked: bool) -> _Packed:
    batch = [Record(post=post) for post in posts]
    failures: list[StageFailure] = []
    if checked:
        records = run_stages_checked(_worker_stages, batch, failures)
    else:
        records = batch
        for stage in _worker_stages:
            records = stage(records)
    index = {id(post): i for i, post in enumerate(posts)}
    kept = [(index[id(r.post)], _returned_values(r)) for r in records]
    return kept, [(index[id(f.post)], f.stage, f.error) for f in failures]


def _batches(posts: Iterable[Post], batch_size: int) -> Iterator[list[Post]]:
    batch: list[Post] = []
    for post in posts:
        batch.append(post)
        if len(batch) >= batch_size:
            yield batch
            batch = []
    if batch:
        yield batch


class ParallelPipeline:
    """A pipeline whose per-post stages run in `jobs` worker processes (one job: this process, no workers).

    Use it as a context manager: the workers start on entry and stop on exit. With workers, the records have no
    `view` (see the module docstring); everything else is as one process gives it."""

    def __init__(self, make_pipeline: Callable[[], Pipeline], jobs: int) -> None:
        """`make_pipeline` builds the pipeline (once, here; the workers inherit it)."""
        self.make_pipeline = make_pipeline
        self.pipeline = make_pipeline()
        self.jobs = jobs
        self.per_post, self.ordered = split_stages(self.pipeline)
        self._pool: Pool | None = None

    def __enter__(self) -> ParallelPipeline:
        use_one_thread()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None

    def run_posts(
        self,
        posts: Iterable[Post],
        batch_size: int,
        on_failure: Callable[[StageFailure], None] | None = None,
    ) -> Iterator[Record]:
        """`Pipeline.run_posts`, with the per-post stages in the workers: the same records in the same order."""
        if self.jobs == 1:
            yield from self.pipeline.run_posts(posts, batch_size, on_failure)
            return
        checked = on_failure is not None
        batches = _batches(posts, batch_size)
        if self._pool is None:
            # The first batch runs here: it loads the tables and models the stages load on first use (lexicon,
            # gazetteer, language models…), so the workers forked after it share them instead of each building its
            # own. Their answers are pure, so where a post is analysed changes nothing.
            global _worker_stages
            _worker_stages = self.per_post
            first = next(batches, None)
            if first is None:
                return
            yield from self._finish(first, _run_per_post(first, checked), on_failure)
            self._pool = multiprocessing.get_context("fork").Pool(self.jobs, initializer=use_one_thread)
        in_flight: deque[tuple[list[Post], AsyncResult[_Packed]]] = deque()
        for batch in batches:
            in_flight.append((batch, self._pool.apply_async(_run_per_post, (batch, checked))))
            if len(in_flight) >= self.jobs * BATCHES_IN_FLIGHT_PER_JOB:
                posts_sent, result = in_flight.popleft()
                yield from self._finish(posts_sent, result.get(), on_failure)
        while in_flight:
            posts_sent, result = in_flight.popleft()
            yield from self._finish(posts_sent, result.get(), on_failure)

    def _finish(
        self, posts: list[Post], packed: _Packed, on_failure: Callable[[StageFailure], None] | None
    ) -> list[Record]:
        kept, failed = packed
        records = [Record(posts[i], None, *values) for i, values in kept]
        if on_failure is None:
            for stage in self.ordered:
                records = stage(records)
            return records
        failures = [StageFailure(posts[i], stage, error) for i, stage, error in failed]
        records = run_stages_checked(self.ordered, records, failures)
        for failure in failures:
            on_failure(failure)
        return records
