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
