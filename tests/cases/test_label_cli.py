"""`varde label` and `varde labels export` act as a user and translate to `VerdictService`."""

from __future__ import annotations

import json
from pathlib import Path

from .test_cli import cli_db, run

__all__ = ["cli_db"]  # the fixture, shared with the case command tests


def test_label_then_export(cli_db: str, tmp_path: Path) -> None:
    code, output = run(
        [
            *("label", "telegram:foxchan:3", "--order", "--types", "arson,shooting", "--district", "Oslo"),
            *("--reason", "a price list", "--as", "ana", "--db", cli_db, "--json"),
        ]
    )
    assert code == 0, output
    assert json.loads(output)["violence_types"] == ["arson", "shooting"]
    code, output = run(
        ["label", "telegram:foxchan:2", "--not-order", "--reason", "a film", "--as", "vera", "--db", cli_db]
    )
    assert code == 0 and "not an order" in output
    code, output = run(["label", "telegram:foxchan:3", "--reason", "undecided", "--as", "ana", "--db", cli_db])
    assert code == 2 and "--order" in output
    code, output = run(["label", "telegram:foxchan:1", "--not-order", "--reason", "x", "--as", "vera", "--db", cli_db])
    assert code != 0  # an Oslo post: not found for the Vest investigator
    target = tmp_path / "labels.jsonl"
    code, output = run(["labels", "export", "-o", str(target), "--as", "sig", "--db", cli_db])
    assert code == 0 and "2 labelled" in output
    lines = [json.loads(x) for x in target.read_text(encoding="utf-8").splitlines()]
    assert [(x["id"], x["label"]["is_order"]) for x in lines] == [
        ("telegram:foxchan:2", False),
        ("telegram:foxchan:3", True),
    ]
    code, output = run(["labels", "export", "-o", str(target), "--as", "vera", "--db", cli_db])
    assert code == 0 and "1 labelled" in output
