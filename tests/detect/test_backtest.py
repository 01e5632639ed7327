"""The backtest comparison: changes counted, grouped and listed; agreement with verdicts for both models."""

from __future__ import annotations

from varde.detect.backtest import NO_DISTRICT, BacktestPost, agreement, compare
from varde.detect.classifier import Detection


def flag(is_order: bool, score: float, *types: str) -> Detection:
    return Detection(is_order, score, tuple(types), ())


def test_agreement_is_precision_and_recall_against_verdicts() -> None:
    assert agreement([True, True, False, False], [True, False, True, False]) == {
        "precision": 0.5,
        "recall": 0.5,
        "n": 4,
    }
    assert agreement([], []) == {"precision": None, "recall": None, "n": 0}


def test_compare_lists_every_change_by_district_language_and_type() -> None:
    posts = [
        BacktestPost("a", "Oslo", "nb", "o-1"),
        BacktestPost("b", None, "sv"),
        BacktestPost("c", "Vest", "nb", "o-2"),
        BacktestPost("d", "Vest", "nb", "o-2"),
    ]
    active = [flag(True, 0.9, "shooting"), flag(False, 0.2), flag(True, 0.8, "arson"), flag(True, 0.7, "arson")]
    candidate = [flag(False, 0.1), flag(True, 0.6, "stabbing"), flag(True, 0.85, "arson"), flag(False, 0.3)]
    report = compare(posts, active, candidate, {"a": False, "b": True}, active_id="m-old", candidate_id="m-new")
    assert (report["active"], report["candidate"], report["posts"]) == ("m-old", "m-new", 4)
    assert (report["newly_flagged"], report["unflagged"]) == (1, 2)
    assert report["orders_unflagged"] == 1  # o-1 lost its only post; o-2 keeps c
    assert [c["post_id"] for c in report["changes"]] == ["a", "b", "d"]
    assert report["changes"][0]["verdict"] is False and report["changes"][2]["verdict"] is None
    assert report["by_district"] == {
        NO_DISTRICT: {"newly_flagged": 1, "unflagged": 0},
        "Oslo": {"newly_flagged": 0, "unflagged": 1},
        "Vest": {"newly_flagged": 0, "unflagged": 1},
    }
    assert report["by_language"]["nb"] == {"newly_flagged": 0, "unflagged": 2}
    assert report["by_violence_type"] == {
        "arson": {"newly_flagged": 0, "unflagged": 1},
        "shooting": {"newly_flagged": 0, "unflagged": 1},
        "stabbing": {"newly_flagged": 1, "unflagged": 0},
    }
    assert report["labelled"]["active"] == {"precision": 0.0, "recall": 0.0, "n": 2}
    assert report["labelled"]["candidate"] == {"precision": 1.0, "recall": 1.0, "n": 2}
