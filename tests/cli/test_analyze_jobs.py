"""`varde analyze --jobs 2` writes byte for byte what one process writes, in input order."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from varde.cli import cli
from varde.records import When

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "corpus" / "demo" / "posts.jsonl"
DEV = Path("/work/shared/eval/dev.jsonl")


def analyse(inputs: list[Path], out: Path, jobs: int) -> bytes:
    result = CliRunner().invoke(cli, ["analyze", *map(str, inputs), "-o", str(out), "--jobs", str(jobs)])
    assert result.exit_code == 0, result.output
    return out.read_bytes()


@pytest.mark.parametrize("corpus", [DEMO, DEV], ids=["demo", "dev"])
def test_two_jobs_write_what_one_writes(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if not corpus.exists():
        pytest.skip(f"{corpus} is not here")
    monkeypatch.setenv("VARDE_BATCH_SIZE", "32")  # several batches in flight, so the workers interleave
    one = analyse([corpus], tmp_path / "one.jsonl", jobs=1)
    two = analyse([corpus], tmp_path / "two.jsonl", jobs=2)
    assert b'"order_id"' in one
    assert one.count(b"\n") > 200
    assert two == one


def test_a_post_a_stage_fails_on_is_rejected_as_in_one_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from varde.extractors import extract_when as real

    def extract_when(text: str, created_at: datetime, language: str | None) -> When | None:
        if "POISON" in text:
            raise OverflowError("date value out of range")
        return real(text, created_at, language)

    monkeypatch.setattr("varde.pipeline.stages.extract_when", extract_when)  # the workers fork with it
    monkeypatch.setenv("VARDE_BATCH_SIZE", "4")
    lines = DEMO.read_text(encoding="utf-8").splitlines()[:30]
    for position, post_id in ((5, "poison:1"), (17, "poison:2")):
        poison = {
            "id": post_id,
            "platform": "telegram",
            "text": "Oppdrag i kveld i Bergen, skyte på dør, 40k. tg @nx_y2 POISON",
            "created_at": "2025-09-14T14:00:00+02:00",
        }
        lines.insert(position, json.dumps(poison, ensure_ascii=False))
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    outputs = {}
    for jobs in (1, 2):
        out = tmp_path / f"out{jobs}.jsonl"
        result = CliRunner().invoke(cli, ["analyze", str(source), "-o", str(out), "--jobs", str(jobs)])
        assert result.exit_code == 2, result.output
        outputs[jobs] = (out.read_bytes(), (tmp_path / f"out{jobs}.jsonl.rejects.jsonl").read_bytes())
    assert outputs[1][1].count(b"date value out of range") == 2
    assert outputs[2] == outputs[1]
