"""Run a pipeline over a stream of posts in several processes, with the output of one process, in input order.

The per-post stages (media, normalise, language, classify, extract, urgency) depend on nothing but their post, so
batches of posts go to worker processes. De-duplication depends on the order posts arrive in, so it stays in this
process and runs over each batch as it comes back, in input order: the records, the order ids and the failures
come out exactly as `Pipeline.run_posts` gives them.

Workers are started fresh ("spawn"), not forked, and build their own pipeline: the language detector keeps a
thread pool that a forked child does not get (a forked run deadlocked), so each worker pays the start-up once."""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from multiprocessing.pool import AsyncResult, Pool

from varde.errors import ConfigError
from varde.pipeline.contract import Stage
from varde.pipeline.runner import Pipeline, StageFailure, run_stages_checked
from varde.posts import Post
from varde.records import Record

# Stages whose answer for a post depends on the posts before it: they run in this process, in input order.
ORDERED_STAGES = frozenset({"dedupe"})
BATCHES_IN_FLIGHT_PER_JOB = 2  # enough to keep the workers busy while this process de-duplicates and writes

_worker_stages: Sequence[Stage] = ()  # in a worker: its own per-post stages, built when it starts


def _start_worker(make_pipeline: Callable[[], Pipeline]) -> None:
    global _worker_stages
    _worker_stages = split_stages(make_pipeline())[0]


def split_stages(pipeline: Pipeline) -> tuple[list[Stage], list[Stage]]:
    """The per-post stages and the ordered stages that follow them."""
    stages = pipeline.stages
    first_ordered = next((i for i, stage in enumerate(stages) if stage.name in ORDERED_STAGES), len(stages))
    per_post, ordered = stages[:first_ordered], stages[first_ordered:]
    if any(stage.name not in ORDERED_STAGES for stage in ordered):
        raise ConfigError("the order-dependent stages (de-duplication) must come last to run in parallel")
    return per_post, ordered


def _run_per_post(batch: list[Record]) -> tuple[list[Record], list[StageFailure]]:
    failures: list[StageFailure] = []
    return run_stages_checked(_worker_stages, batch, failures), failures


def _run_per_post_unchecked(batch: list[Record]) -> tuple[list[Record], list[StageFailure]]:
    records = batch
    for stage in _worker_stages:
        records = stage(records)
    return records, []


def _batches(posts: Iterable[Post], batch_size: int) -> Iterator[list[Record]]:
    batch: list[Record] = []
    for post in posts:
        batch.append(Record(post=post))
        if len(batch) >= batch_size:
            yield batch
            batch = []
    if batch:
        yield batch


class ParallelPipeline:
    """A pipeline whose per-post stages run in `jobs` worker processes (one job: this process, no workers).

    Use it as a context manager: the workers start on entry and stop on exit."""

    def __init__(self, make_pipeline: Callable[[], Pipeline], jobs: int) -> None:
        """`make_pipeline` builds the pipeline here and in each worker; it must pickle (a module-level function or
        a `functools.partial` of one)."""
        self.make_pipeline = make_pipeline
        self.pipeline = make_pipeline()
        self.jobs = jobs
        self.per_post, self.ordered = split_stages(self.pipeline)
        self._pool: Pool | None = None

    def __enter__(self) -> ParallelPipeline:
        if self.jobs > 1:
            context = multiprocessing.get_context("spawn")
            self._pool = context.Pool(self.jobs, initializer=_start_worker, initargs=(self.make_pipeline,))
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
        if self._pool is None:
            yield from self.pipeline.run_posts(posts, batch_size, on_failure)
            return
        work = _run_per_post if on_failure is not None else _run_per_post_unchecked
        in_flight: deque[AsyncResult[tuple[list[Record], list[StageFailure]]]] = deque()
        for batch in _batches(posts, batch_size):
            in_flight.append(self._pool.apply_async(work, (batch,)))
            if len(in_flight) >= self.jobs * BATCHES_IN_FLIGHT_PER_JOB:
                yield from self._finish(in_flight.popleft(), on_failure)
        while in_flight:
            yield from self._finish(in_flight.popleft(), on_failure)

    def _finish(
        self,
        result: AsyncResult[tuple[list[Record], list[StageFailure]]],
        on_failure: Callable[[StageFailure], None] | None,
    ) -> list[Record]:
        records, failures = result.get()
        if on_failure is None:
            for stage in self.ordered:
                records = stage(records)
            return records
        records = run_stages_checked(self.ordered, records, failures)
        for failure in failures:
            on_failure(failure)
        return records
