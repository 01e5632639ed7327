"""The stage contract (DESIGN.md): every registered stage keeps ids and order, changes only what it assigns,
accepts an empty batch and is deterministic."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone

import pytest

from varde.dedupe import MemoryOrderIndex
from varde.errors import ConfigError
from varde.pipeline import STAGES, Pipeline, build_pipeline
from varde.pipeline.stages import DedupeStage
from varde.posts import Post
from varde.records import Record

OSLO = timezone(timedelta(hours=2))
TEXTS = [
    "Oppdrag i kveld: skyte på døra i Oslo, 50k. Tg @nattjobb_01",
    "Smälla i Sthlm 100 ton, hör av er på snap",
    "Hei! Noen som vil måke snø for 200 kr? Vipps",
    "",
    "<script>alert(1)</script> '; DROP TABLE posts;-- $(rm -rf /) \u202e\u200b",
]


def batch() -> list[Record]:
    posts = [
        Post(id=f"t:{i}", platform="telegram", text=text, created_at=datetime(2025, 9, 14, 12, tzinfo=OSLO))
        for i, text in enumerate(TEXTS)
    ]
    return [Record(post=p) for p in posts]


def prepared(stage_name: str) -> list[Record]:
    """A batch that has passed every stage before `stage_name` in the default order."""
    records = batch()
    for name in ["normalise", "language", "classify", "extract", "urgency"]:
        if name == stage_name:
            break
        records = STAGES[name]()(records)
    return records


def all_stages() -> list[tuple[str, object]]:
    made = [(name, factory) for name, factory in STAGES.items()]
    made.append(("dedupe", lambda: DedupeStage(MemoryOrderIndex())))
    return made


@pytest.mark.parametrize(("name", "factory"), all_stages(), ids=[n for n, _ in all_stages()])
def test_stage_keeps_contract(name: str, factory: object) -> None:
    stage = factory()  # type: ignore[operator]
    before = prepared(name) if name != "dedupe" else prepared("zzz")
    after = stage(before)
    assert [r.id for r in after] == [r.id for r in before]
    for old, new in zip(before, after, strict=True):
        changed = {f.name for f in dataclasses.fields(Record) if getattr(old, f.name) != getattr(new, f.name)}
        assert changed <= stage.assigns, f"{name} changed {changed - stage.assigns} without declaring it"
    assert stage([]) == []
    assert factory()(before) == after  # type: ignore[operator]


def test_pipeline_checks_requirements_at_construction() -> None:
    with pytest.raises(ConfigError, match="requires"):
        Pipeline([STAGES["classify"]()])


def test_default_pipeline_runs_in_order() -> None:
    records = build_pipeline().run(batch())
    assert [r.id for r in records] == [f"t:{i}" for i in range(len(TEXTS))]
