"""`Pipeline`: an ordered list of stages, checked at construction, run over batches."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from varde.dedupe import MemoryOrderIndex, OrderIndex
from varde.errors import ConfigError
from varde.pipeline.contract import Stage
from varde.pipeline.stages import STAGES, DedupeStage
from varde.posts import Post
from varde.records import Record

DEFAULT_ORDER = ("normalise", "language", "classify", "extract", "urgency")


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

    def run_posts(self, posts: Iterable[Post], batch_size: int) -> Iterator[Record]:
        """Run over a stream of posts in batches, yielding records in input order."""
        batch: list[Record] = []
        for post in posts:
            batch.append(Record(post=post))
            if len(batch) >= batch_size:
                yield from self.run(batch)
                batch = []
        if batch:
            yield from self.run(batch)


def build_pipeline(
    order_index: OrderIndex | None = None,
    *,
    names: Sequence[str] = DEFAULT_ORDER,
    first: Sequence[Stage] = (),
) -> Pipeline:
    """The standard pipeline; de-duplication against `order_index` (in memory when none is given).

    `first` are stages the edges add in front, e.g. the media stage that reads attached images (file I/O, so it
    lives at the edge in `varde.media`)."""
    stages: list[Stage] = [*first, *(STAGES[name]() for name in names)]
    stages.append(DedupeStage(order_index if order_index is not None else MemoryOrderIndex()))
    return Pipeline(stages)
