"""`Pipeline`: an ordered list of stages, checked at construction, run over batches.

`run_checked` keeps one bad post from stopping a batch: when a stage raises, it runs that stage again post by
post, takes out the post(s) it fails on as `StageFailure`s naming the stage, and goes on with the rest. Stages
are per-post functions (the de-dup index assigns in input order), so the other posts come out as they would
without the bad one."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from varde.dedupe import MemoryOrderIndex, OrderIndex
from varde.errors import ConfigError
from varde.pipeline.contract import Stage
from varde.pipeline.stages import STAGES, ClassifyStage, DedupeStage, ModelChoice
from varde.posts import Post
from varde.records import Record

DEFAULT_ORDER = ("normalise", "language", "classify", "extract", "urgency")


@dataclass(frozen=True, slots=True)
class StageFailure:
    """A post that a stage raised on: the post, the stage's name and the error."""

    post: Post
    stage: str
    error: Exception

    @property
    def reason(self) -> str:
        message = str(self.error)
        message = message if len(message) <= 300 else message[:300] + "…"
        return f"{type(self.error).__name__}: {message} (in stage {self.stage!r})"


class Pipeline:
    """Stages run in order; each one's `requires` must be assigned by an earlier stage."""

    def __init__(self, stages: Sequence[Stage]) -> None:
        assigned: set[str] = set()
        for stage in stages:
            missing = stage.requires - assigned
            if missing:
                raise ConfigError(f"stage {stage.name!r} requires {sorted(missing)}, which no earlier stage assigns")
            assigned |= stage.assigns
        self.stages = list(stages)

    def run(self, batch: Sequence[Record]) -> list[Record]:
        records = list(batch)
        for stage in self.stages:
            records = stage(records)
        return records

    def run_checked(self, batch: Sequence[Record]) -> tuple[list[Record], list[StageFailure]]:
        """`run`, except that the posts a stage raises on are taken out (see the module docstring)."""
        failures: list[StageFailure] = []
        return run_stages_checked(self.stages, batch, failures), failures

    def run_posts(
        self,
        posts: Iterable[Post],
        batch_size: int,
        on_failure: Callable[[StageFailure], None] | None = None,
    ) -> Iterator[Record]:
        """Run over a stream of posts in batches, yielding records in input order. With `on_failure`, a post that
        a stage raises on is handed to it (after its batch) and the run goes on; without, the error propagates."""
        batch: list[Record] = []
        for post in posts:
            batch.append(Record(post=post))
            if len(batch) >= batch_size:
                yield from self._run_batch(batch, on_failure)
                batch = []
        if batch:
            yield from self._run_batch(batch, on_failure)

    def _run_batch(self, batch: list[Record], on_failure: Callable[[StageFailure], None] | None) -> list[Record]:
        if on_failure is None:
            return self.run(batch)
        records, failures = self.run_checked(batch)
        for failure in failures:
            on_failure(failure)
        return records


def run_stages_checked(stages: Sequence[Stage], batch: Sequence[Record], failures: list[StageFailure]) -> list[Record]:
    """Run `stages` over `batch` in order; the posts a stage raises on go to `failures` (see the module docstring)."""
    records = list(batch)
    for stage in stages:
        try:
            records = stage(records)
        except Exception:
            records = _post_by_post(stage, records, failures)
    return records


def _post_by_post(stage: Stage, records: list[Record], failures: list[StageFailure]) -> list[Record]:
    kept: list[Record] = []
    for record in records:
        try:
            kept.extend(stage([record]))
        except Exception as error:
            failures.append(StageFailure(record.post, stage.name, error))
    return kept


def build_pipeline(
    order_index: OrderIndex | None = None,
    *,
    names: Sequence[str] = DEFAULT_ORDER,
    first: Sequence[Stage] = (),
    models: ModelChoice | None = None,
) -> Pipeline:
    """The standard pipeline; de-duplication against `order_index` (in memory when none is given).

    `first` are stages the edges add in front, e.g. the media stage that reads attached images (file I/O, so it
    lives at the edge in `varde.media`). `models` picks the registered models that classify each batch (the store's
    `ActiveModels`); without it the shipped detector classifies."""
    stages: list[Stage] = [
        *first,
        *(ClassifyStage(models=models) if name == "classify" and models else STAGES[name]() for name in names),
    ]
    stages.append(DedupeStage(order_index if order_index is not None else MemoryOrderIndex()))
    return Pipeline(stages)
