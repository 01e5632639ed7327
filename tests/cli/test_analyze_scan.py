from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from varde.cli import cli
from varde.cli.scan import rejects_path
from varde.records import When
from varde.store import Store

POSTS = [
    {
        "id": "p:1",
        "platform": "telegram",
        "text": "Oppdrag i kveld i Oslo, skyte på dør, 50k. tg @natt_x1",
        "created_at": "2025-09-14T12:00:00+02:00",
    },
    {
        "id": "p:2",
        "platform": "snapchat",
        "text": "Oppdrag i kveld i Oslo, skyte på dør, 50k!! tg @natt_x1",
        "created_at": "2025-09-14T12:30:00+02:00",
    },
    {
        "id": "p:3",
        "platform": "x",
        "text": "<img src=x onerror=alert(1)> '; DROP TABLE posts;-- $(rm -rf ~) " + "\u202e\u200b" + "x" * 1_000_000,
        "created_at": "2025-09-14T13:00:00+02:00",
    },
]


def write_input(tmp_path: Path, extra: list[bytes] = ()) -> Path:  # type: ignore[assignment]
    path = tmp_path / "in.jsonl"
    lines = [json.dumps(p, ensure_ascii=False).encode() for p in POSTS] + list(extra)
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def test_analyze_writes_one_object_per_post_in_order(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(cli, ["analyze", str(write_input(tmp_path)), "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["p:1", "p:2", "p:3"]
    assert not (tmp_path / "out.jsonl.rejects.jsonl").exists()


def test_analyze_reports_rejects_and_exits_non_zero(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    bad = [b'{"id": "p:9", "platform": "telegram", "text": "x"}', b"\xff oops", b"42"]
    result = CliRunner().invoke(cli, ["analyze", str(write_input(tmp_path, bad)), "-o", str(out)])
    assert result.exit_code == 2
    assert "line 4" in result.output and "created_at" in result.output
    rejects = [json.loads(line) for line in (tmp_path / "out.jsonl.rejects.jsonl").read_text().splitlines()]
    assert [r["location"] for r in rejects] == ["line 4", "line 5", "line 6"]
    assert len(out.read_text().splitlines()) == 3  # the good posts are still analysed


@pytest.mark.parametrize("command", ["analyze", "scan"])
def test_input_that_looks_like_terminal_markup_is_printed_as_it_is(
    command: str, tmp_path: Path, sqlite_url: str
) -> None:
    bad = [
        b'{"id": "p:[/bold]", "platform": "telegram", "text": "x", "created_at": "[red]tomorrow[/] [/link]"}',
        b'{"id": "[/]", "platform": "[bold]", "text": "x", "created_at": "2025-09-14T12:00:00Z"}',
    ]
    target = ["-o", str(tmp_path / "out.jsonl")] if command == "analyze" else ["--db", sqlite_url]
    result = CliRunner().invoke(cli, [command, str(write_input(tmp_path, bad)), *target])
    assert result.exit_code == 2, result.output  # rejected lines, not a crash
    assert "'[red]tomorrow[/] [/link]'" in result.output and "line 5" in result.output
    if command == "analyze":
        assert len((tmp_path / "out.jsonl").read_text().splitlines()) == 3  # the good posts are still analysed
    else:
        store = Store.open(sqlite_url)
        assert store.counts()["posts"] == 3
        store.close()


def test_analyze_reads_stdin(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    data = write_input(tmp_path).read_bytes()
    result = CliRunner().invoke(cli, ["analyze", "-", "-o", str(out)], input=data)
    assert result.exit_code == 0, result.output
    assert len(out.read_text().splitlines()) == 3


def test_scan_twice_changes_nothing(tmp_path: Path, database_url: str) -> None:
    path = write_input(tmp_path)
    runner = CliRunner()
    first = runner.invoke(cli, ["scan", str(path), "--db", database_url])
    assert first.exit_code == 0, first.output
    assert "unique orders" in first.output
    store = Store.open(database_url)
    counts = store.counts()
    second = runner.invoke(cli, ["scan", str(path), "--db", database_url])
    assert second.exit_code == 0, second.output
    assert store.counts() == counts
    assert counts["posts"] == 3
    store.close()


def test_hostile_text_is_stored_unharmed(tmp_path: Path, sqlite_url: str) -> None:
    from sqlalchemy import select

    from varde.store.tables import posts

    CliRunner().invoke(cli, ["scan", str(write_input(tmp_path)), "--db", sqlite_url])
    store = Store.open(sqlite_url)
    with store.engine.connect() as conn:
        text = conn.execute(select(posts.c.text).where(posts.c.id == "p:3")).scalar_one()
    assert text == POSTS[2]["text"]
    store.close()


def test_bad_media_is_reported_and_the_post_still_analysed(tmp_path: Path) -> None:
    post = {**POSTS[0], "media": ["missing.png", "../../etc/passwd"]}
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(post) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(cli, ["analyze", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "missing.png" in result.output and "outside the input folder" in result.output
    assert json.loads(out.read_text())["is_order"] is True


POISON = {"id": "p:4", "platform": "telegram", "text": "Oppdrag i kveld i Bergen, skyte på dør, 40k. tg @nx_y2 POISON",
          "created_at": "2025-09-14T14:00:00+02:00"}
AFTER = {"id": "p:5", "platform": "telegram", "text": "Oppdrag i morgen i Oslo, banke opp en kar, 20k. snap natt_z3",
         "created_at": "2025-09-14T15:00:00+02:00"}


@pytest.fixture
def failing_time_extractor(monkeypatch: pytest.MonkeyPatch) -> None:
    """The time extractor raises on posts with the marker, as it did on a created_at at the end of year 9999."""
    from varde.extractors import extract_when as real

    def extract_when(text: str, created_at: datetime, language: str | None) -> When | None:
        if "POISON" in text:
            raise OverflowError("date value out of range")
        return real(text, created_at, language)

    monkeypatch.setattr("varde.pipeline.stages.extract_when", extract_when)


def poisoned_input(tmp_path: Path) -> Path:
    return write_input(tmp_path, [json.dumps(p, ensure_ascii=False).encode() for p in (POISON, AFTER)])


@pytest.mark.usefixtures("failing_time_extractor")
def test_analyze_rejects_a_post_a_stage_fails_on_and_goes_on(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(cli, ["analyze", str(poisoned_input(tmp_path)), "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()] == [
        "p:1", "p:2", "p:3", "p:5"
    ]
    (reject,) = [json.loads(line) for line in (tmp_path / "out.jsonl.rejects.jsonl").read_text().splitlines()]
    assert reject["location"] == "line 4" and reject["path"].endswith("in.jsonl")
    assert reject["reason"] == "OverflowError: date value out of range (in stage 'extract')"
    assert json.loads(reject["raw"])["id"] == "p:4"


@pytest.mark.usefixtures("failing_time_extractor")
def test_scan_rejects_a_post_a_stage_fails_on_and_goes_on(
    tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # a server database's rejects file is written in the working directory
    path = poisoned_input(tmp_path)
    for _ in range(2):  # re-running gives the same answer instead of dying at the same post
        result = CliRunner().invoke(cli, ["scan", str(path), "--db", database_url])
        assert result.exit_code == 2, result.output
        assert "in stage 'extract'" in result.output
    store = Store.open(database_url)
    counts = store.counts()
    store.close()
    assert (counts["posts"], counts["rejects"]) == (4, 1)
    rejects_file = rejects_path(database_url)
    (reject,) = [json.loads(line) for line in rejects_file.read_text().splitlines()]
    assert reject["location"] == "line 4"


def test_scan_rejects_a_second_post_with_a_used_id_and_other_text(tmp_path: Path, sqlite_url: str) -> None:
    clash = {**POSTS[0], "text": "Annen tekst med samme id"}
    path = write_input(tmp_path, [json.dumps(clash).encode()])
    result = CliRunner().invoke(cli, ["scan", str(path), "--db", sqlite_url])
    assert result.exit_code == 2, result.output
    (reject,) = [json.loads(line) for line in (tmp_path / "varde.db.rejects.jsonl").read_text().splitlines()]
    assert reject["location"] == "line 4" and reject["field"] == "id"
    assert f"{path}:1" in reject["reason"]


def test_analyze_goes_on_past_timestamps_at_the_end_of_the_calendar(tmp_path: Path) -> None:
    edge = {**POSTS[0], "id": "p:7", "created_at": "9999-12-31T12:00:00+00:00"}  # "i kveld" would be year 10000
    past = {**POSTS[0], "id": "p:8", "created_at": "9999-12-31T23:59:59-14:00"}  # past year 9999 in UTC
    path = write_input(tmp_path, [json.dumps(p, ensure_ascii=False).encode() for p in (edge, past)])
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(cli, ["analyze", str(path), "-o", str(out)])
    assert result.exit_code == 2, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["p:1", "p:2", "p:3", "p:7"]
    assert rows[3]["is_order"] is True and rows[3]["when"] is None
    (reject,) = [json.loads(line) for line in (tmp_path / "out.jsonl.rejects.jsonl").read_text().splitlines()]
    assert (reject["location"], reject["field"]) == ("line 5", "created_at")


def test_scan_with_two_jobs_stores_what_one_process_stores(tmp_path: Path) -> None:
    """`scan --jobs 2`: forked workers analyse, this process de-duplicates and stores in input order, so the records
    (with their order ids), orders and cases are those of one process."""
    from sqlalchemy import select

    from varde.store.case_tables import cases
    from varde.store.tables import records

    demo = Path(__file__).resolve().parents[2] / "corpus" / "demo" / "posts.jsonl"
    stored = {}
    for jobs in (1, 2):
        url = f"sqlite:///{tmp_path / f'jobs{jobs}.db'}"
        result = CliRunner().invoke(cli, ["scan", str(demo), "--db", url, "--jobs", str(jobs)])
        assert result.exit_code == 0, result.output
        store = Store.open(url)
        with store.engine.connect() as conn:
            rows = conn.execute(select(records.c.post_id, records.c.order_id, records.c.data).order_by("post_id"))
            case_rows = conn.execute(select(cases.c.order_id).order_by(cases.c.order_id)).scalars().all()
            stored[jobs] = ([tuple(row) for row in rows], case_rows, store.counts())
        store.close()
    assert stored[2] == stored[1]
    assert stored[1][2]["orders"] > 10 and len(stored[1][1]) >= stored[1][2]["orders"]
