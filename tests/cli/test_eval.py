from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from varde.cli import cli

POSTS = [
    {
        "id": "t-1",
        "platform": "telegram",
        "text": "Trenger en kar til å skyte mot et hus på Furuset i kveld. 60 lapper kontant. Snap meg",
        "created_at": "2025-09-14T12:00:00+02:00",
        "label": {
            "is_order": True,
            "bucket": "concrete_order",
            "language": "nb",
            "violence_types": ["shooting"],
            "order_group": "g1",
            "district": "Oslo",
            "payment_amount": 60000,
            "payment_currency": "NOK",
            "when_date": "2025-09-14",
            "contacts": [],
            "minor": False,
        },
    },
    {
        "id": "t-2",
        "platform": "snapchat",
        "text": "Hei! Jeg er 14 år og tar småjobber: plenklipping og snømåking. 100 kr timen på Vipps",
        "created_at": "2025-09-14T12:00:00+02:00",
        "label": {
            "is_order": False,
            "bucket": "gig",
            "language": "nb",
            "violence_types": [],
            "order_group": None,
            "contacts": [],
            "minor": False,
        },
    },
]


def _write(tmp_path: Path, rows: list[dict]) -> Path:  # type: ignore[type-arg]
    path = tmp_path / "labelled.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def test_eval_prints_detection_extraction_and_dedupe(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["eval", str(_write(tmp_path, POSTS))])
    assert result.exit_code == 0, result.output
    assert "orders: precision 1.000  recall 1.000  f1 1.000" in result.output
    assert "violence types" in result.output and "dedupe" in result.output and "district" in result.output


def test_eval_json_reports_false_positive_rate_for_negative_files(tmp_path: Path) -> None:
    negatives = [{**POSTS[1], "label": {"is_order": False, "bucket": "rtp-lx", "violence": 3.0}}]
    result = CliRunner().invoke(cli, ["eval", "--json", str(_write(tmp_path, negatives))])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["false_positive_rate"]["rate"] == 0.0
    assert report["false_positive_rate"]["violence>=2"]["n"] == 1
