"""Command-line defects of issue 21: `analyze -o -` writes standard output, `report` says where it wrote, unknown
districts are refused, `network` and `export network` read VARDE_USER, and `eval` refuses unlabelled files but
scores the demo corpus with its separate labels file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from varde.cli import cli
from varde.errors import VardeError, exit_code

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "corpus" / "demo"
POST = {
    "id": "t-1",
    "platform": "telegram",
    "text": "Betaler 40k for å skade en fyr i Oslo i kveld. DM @x_test",
    "created_at": "2025-09-14T12:00:00+02:00",
}


def run(args: list[str], *, env: dict[str, str] | None = None, stdin: str | None = None) -> tuple[int, str]:
    result: Result = CliRunner().invoke(cli, args, env=env, input=stdin)
    if isinstance(result.exception, VardeError):
        return exit_code(result.exception), result.output + str(result.exception)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def test_analyze_dash_o_dash_writes_standard_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["analyze", "-", "-o", "-"], input=json.dumps(POST) + "\n")
    assert result.exit_code == 0, result.output
    assert list(tmp_path.iterdir()) == []  # no file named "-", no rejects file
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert [json.loads(line)["id"] for line in lines] == ["t-1"]


def test_report_without_output_says_the_full_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    facts = tmp_path / "facts.jsonl"
    facts.write_text("", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["report", "--quarter", "2025Q3", "--facts", str(facts)])
    assert result.exit_code == 0, result.output
    written = tmp_path.resolve() / "report-2025Q3.html"
    assert written.exists() and f"wrote {written}" in result.output


def test_unknown_district_is_refused() -> None:
    code, output = run(["case", "list", "--district", "Atlantis", "--as", "ana", "--db", "sqlite:///unused.db"])
    assert code != 0 and "unknown district(s) 'Atlantis'" in output
    code, output = run(["report", "--district", "Atlantis", "--facts", str(DEMO / "labels.jsonl")])
    assert code != 0 and "unknown district(s) 'Atlantis'" in output


def test_network_reads_varde_user(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'v.db'}"
    code, output = run(["network", "build", "--db", db])
    assert code != 0 and "Missing option '--as'" in output
    code, output = run(["network", "build", "--db", db], env={"VARDE_USER": "nobody_x"})
    assert "Missing option '--as'" not in output  # it got as far as looking the user up


def test_eval_refuses_a_file_without_labels(tmp_path: Path) -> None:
    posts = tmp_path / "posts.jsonl"
    posts.write_text(json.dumps(POST) + "\n", encoding="utf-8")
    code, output = run(["eval", str(posts)])
    assert code != 0 and "no labelled posts" in output and "precision" not in output


def test_eval_scores_the_demo_corpus_with_its_labels_file(tmp_path: Path) -> None:
    sample = tmp_path / "demo.jsonl"
    sample.write_text("".join((DEMO / "posts.jsonl").read_text(encoding="utf-8").splitlines(True)[:20]), "utf-8")
    code, output = run(["eval", str(sample), "--labels", str(DEMO / "labels.jsonl"), "--json"])
    assert code == 0, output
    report = json.loads(output)
    assert report["posts"] == 20 and report["orders"]["tp"] + report["orders"]["fn"] > 0
