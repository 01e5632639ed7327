"""`varde eval FILE... [--json]`: run the whole pipeline over labelled posts and score it (varde.evaluation)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from varde.evaluation import evaluate, format_report
from varde.pipeline import build_pipeline
from varde.posts import Post
from varde.readers import Rejected, iter_posts
from varde.records import Record
from varde.settings import Settings


def _label(post: Post) -> dict[str, Any]:
    try:
        data = json.loads(post.raw) if post.raw else {}
    except ValueError:
        return {}
    label = data.get("label") if isinstance(data, dict) else None
    return label if isinstance(label, dict) else {}


def score_file(path: Path) -> tuple[dict[str, Any], int]:
    """Run the pipeline over one labelled JSONL file; the report and the number of unreadable lines."""
    posts: list[Post] = []
    rejected = 0
    for item in iter_posts([str(path)]):
        if isinstance(item, Rejected):
            rejected += 1
        else:
            posts.append(item)
    records: list[Record] = list(build_pipeline().run_posts(posts, batch_size=Settings().batch_size))
    pairs = [(_label(post), record) for post, record in zip(posts, records, strict=True)]
    return evaluate(pairs), rejected


@click.command(name="eval")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--max-errors", type=int, default=None, help="Show at most this many errors in the text report.")
def eval_command(files: tuple[Path, ...], as_json: bool, max_errors: int | None) -> None:
    """Score detection, extraction and de-duplication on labelled posts (the format of shared/eval/dev.jsonl).

    Prints precision/recall/F1 overall, per language and per bucket, violence-type micro-F1, extraction and
    de-duplication scores, and the list of errors; for files of negatives only, the false-positive rate."""
    reports: dict[str, Any] = {}
    for path in files:
        report, rejected = score_file(path)
        report["rejected_lines"] = rejected
        reports[str(path)] = report
    if as_json:
        single = next(iter(reports.values()))
        click.echo(json.dumps(reports if len(reports) > 1 else single, ensure_ascii=False, indent=1))
        return
    for name, report in reports.items():
        click.echo(f"== {name}")
        if report["rejected_lines"]:
            click.echo(f"unreadable lines: {report['rejected_lines']}")
        click.echo(format_report(report, max_errors))


def register(group: click.Group) -> None:
    group.add_command(eval_command)
