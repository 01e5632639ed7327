from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from varde.evaluation import clustering_metrics, evaluate, format_report, prf
from varde.posts import Post
from varde.records import Contact, Payment, Place, Record, When

UTC_PLUS_2 = timezone(timedelta(hours=2))
CREATED = datetime(2025, 9, 14, 12, 0, tzinfo=UTC_PLUS_2)


def _record(post_id: str, is_order: bool, **fields: Any) -> Record:
    post = Post(id=post_id, platform="telegram", text=f"text {post_id}", created_at=CREATED)
    return Record(post=post, is_order=is_order, score=0.9 if is_order else 0.1, **fields)


def _label(is_order: bool, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"is_order": is_order, "bucket": "teaser" if is_order else "news", "language": "nb"}
    return base | fields


def test_prf() -> None:
    assert prf(8, 2, 2) == {"tp": 8, "fp": 2, "fn": 2, "precision": 0.8, "recall": 0.8, "f1": 0.8}
    assert prf(0, 0, 0)["precision"] is None


def test_detection_and_type_metrics() -> None:
    pairs = [
        (_label(True, violence_types=["shooting"]), _record("a", True, violence_types=("shooting",))),
        (_label(True, violence_types=["arson"], language="sv"), _record("b", False)),
        (_label(False), _record("c", True)),
        (_label(False), _record("d", False)),
    ]
    report = evaluate(pairs)
    assert (report["orders"]["tp"], report["orders"]["fp"], report["orders"]["fn"], report["orders"]["tn"]) == (
        1,
        1,
        1,
        1,
    )
    assert report["orders"]["precision"] == 0.5
    assert report["by_language"]["sv"]["recall"] == 0.0
    assert report["by_language"]["nb"]["recall"] == 1.0
    assert report["by_bucket"]["news"]["accuracy"] == 0.5
    assert report["violence_types"]["recall"] == 0.5
    assert report["violence_types"]["precision"] == 1.0
    assert [e["id"] for e in report["errors"]] == ["b", "c"]
    assert "false_positive_rate" not in report


def test_false_positive_rate_on_negative_only_files() -> None:
    pairs = [
        ({"is_order": False, "violence": 3.0}, _record("a", True)),
        ({"is_order": False, "violence": 1.0}, _record("b", False)),
        ({"is_order": False, "violence": 2.5}, _record("c", False)),
        ({"is_order": False, "violence": 1.0}, _record("d", False)),
    ]
    fpr = evaluate(pairs)["false_positive_rate"]
    assert fpr["rate"] == 0.25
    assert fpr["violence>=2"] == {"n": 2, "flagged": 1, "rate": 0.5}


def test_extraction_metrics() -> None:
    when = When(
        "i kveld", datetime(2025, 9, 14, 23, 30, tzinfo=UTC_PLUS_2), datetime(2025, 9, 15, 6, tzinfo=UTC_PLUS_2)
    )
    good = _record(
        "a",
        True,
        places=(Place("Grønland", "NO", "Oslo", "0301", "Oslo"),),
        payment=Payment("50k", 50000, "NOK"),
        contacts=(Contact("telegram", "@nattjobb"), Contact("phone", "+4712345678")),
        when=when,
        minor_signals=("15+",),
    )
    label = _label(
        True,
        district="Oslo",
        payment_amount=50000,
        payment_currency="NOK",
        when_date="2025-09-14",
        contacts=[{"kind": "telegram", "value": "@nattjobb"}, {"kind": "snapchat", "value": "@x"}],
        minor=True,
        country="NO",
    )
    wrong_currency = _record("b", True, payment=Payment("50k", 50000, "SEK"))
    label_b = _label(True, payment_amount=50000, payment_currency="NOK", district="Vest")
    extraction = evaluate([(label, good), (label_b, wrong_currency)])["extraction"]
    assert extraction["district"] == {"n": 2, "correct": 1, "spurious": 0, "accuracy": 0.5}
    assert extraction["payment"]["correct"] == 1 and extraction["payment"]["amount_only"] == 2
    assert extraction["when_date"]["accuracy"] == 1.0
    assert extraction["contacts"]["precision"] == 0.5
    assert extraction["contacts"]["recall"] == 0.5
    assert extraction["minor"]["f1"] == 1.0


def test_when_date_uses_local_date() -> None:
    # 23:30 UTC on the 14th is already the 15th in Oslo.
    late = When("i natt", datetime(2025, 9, 14, 23, 30, tzinfo=UTC), datetime(2025, 9, 15, 5, tzinfo=UTC))
    pair = (_label(True, when_date="2025-09-15", country="NO"), _record("a", True, when=late))
    assert evaluate([pair])["extraction"]["when_date"]["correct"] == 1


@pytest.mark.parametrize(
    ("gold", "predicted", "pairwise_p", "pairwise_r"),
    [
        (["g1", "g1", "g2"], ["o1", "o1", "o2"], 1.0, 1.0),
        (["g1", "g1", "g2"], ["o1", "o2", "o3"], None, 0.0),
        (["g1", "g1", "g2"], ["o1", "o1", "o1"], 0.3333, 1.0),
    ],
)
def test_clustering_metrics(gold: list[str], predicted: list[str], pairwise_p: float | None, pairwise_r: float) -> None:
    result = clustering_metrics(gold, predicted)
    assert result["pairwise_precision"] == pairwise_p
    assert result["pairwise_recall"] == pairwise_r


def test_bcubed_perfect_and_split() -> None:
    assert clustering_metrics(["a", "a", "b"], ["x", "x", "y"])["bcubed_f1"] == 1.0
    split = clustering_metrics(["a", "a"], ["x", "y"])
    assert split["bcubed_precision"] == 1.0 and split["bcubed_recall"] == 0.5


def test_dedupe_counts_unflagged_posts_as_singletons() -> None:
    pairs = [
        (_label(True, order_group="g1"), _record("a", True, order_id="o-1")),
        (_label(True, order_group="g1"), _record("b", False)),
        (_label(False), _record("c", False)),
    ]
    dedupe = evaluate(pairs)["dedupe"]
    assert dedupe["items"] == 2
    assert dedupe["pairwise_recall"] == 0.0


def test_format_report_mentions_the_headline_figures() -> None:
    pairs = [(_label(True, violence_types=[]), _record("a", True)), (_label(False), _record("b", False))]
    text = format_report(evaluate(pairs))
    assert "precision 1.000" in text and "by language" in text and "dedupe" in text
