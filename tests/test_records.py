from __future__ import annotations

from varde.records import Cue, unique_cues


def test_unique_cues_fold_repeats_case_variants_and_parts() -> None:
    detector = [
        Cue("payment", "80k", 10, 13, 1.0),
        Cue("payment", "000 kr", 33, 39, 0.5),
        Cue("payment", "60.000 kr", 30, 39, 1.0),
        Cue("payment", "80k", 50, 53, 1.0),
        Cue("place", "Holmlia", 60, 67),
    ]
    extractors = [Cue("payment", "80k", 10, 13), Cue("place", "holmlia", 80, 87), Cue("payment", "60.000 kr.", 30, 40)]
    merged = unique_cues([*detector, *extractors])
    assert [(c.kind, c.text, c.start) for c in merged] == [
        ("payment", "80k", 10),
        ("payment", "60.000 kr", 30),
        ("place", "Holmlia", 60),
    ]
    assert merged[0].weight == 2.0 and merged[1].weight == 1.5


def test_unique_cues_keep_distinct_evidence_and_origins() -> None:
    cues = [
        Cue("violence", "skyte", 0, 5),
        Cue("payment", "skyte", 0, 5),
        Cue("violence", "skyte", 0, 5, origin="image"),
        Cue("violence", "skudd", 10, 15),
    ]
    assert unique_cues(cues) == tuple(cues)


def test_evolve_is_dataclasses_replace() -> None:
    import dataclasses
    from datetime import UTC, datetime

    import pytest

    from varde.posts import Post
    from varde.records import Record

    post = Post(id="x:1", platform="x", text="hei", created_at=datetime(2025, 9, 14, 18, tzinfo=UTC))
    record = Record(post=post, score=0.4, notes=("a",))
    changes = {"score": 0.9, "is_order": True, "cues": (Cue("payment", "50k", 0, 3),), "band": "order"}
    evolved = record.evolve(**changes)
    assert evolved == dataclasses.replace(record, **changes)  # type: ignore[arg-type]
    assert record.score == 0.4 and evolved.notes == ("a",)
    with pytest.raises(TypeError, match="no field 'scor'"):
        record.evolve(scor=1.0)
