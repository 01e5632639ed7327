"""`varde analyze --jobs 2` writes byte for byte what one process writes, in input order."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from varde.cli import cli

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
