"""`varde eval FILE... [--json]`: run the whole pipeline over labelled posts and score it (varde.evaluation)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from varde.errors import InputError
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


def read_labels(path: Path) -> dict[str, dict[str, Any]]:
    """A labels file (one `{"id": …, "label": {…}}` per line, as corpus/demo/labels.jsonl): label per post id."""
    labels: dict[str, dict[str, Any]] = {}
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except ValueError:
                raise InputError(f"{path}:{number}: not JSON") from None
            if not (isinstance(data, dict) and isinstance(data.get("id"), str) and isinstance(data.get("label"), dict)):
                raise InputError(f'{path}:{number}: expected {{"id": …, "label": {{…}}}}')
            labels[data["id"]] = data["label"]
    return labels


def score_file(path: Path, labels: dict[str, dict[str, Any]] | None = None) -> tuple[dict[str, Any], int]:
    """Run the pipeline over one labelled file; the report and the number of unreadable lines.

    Labels come from each line's `label`, or from `labels` by post id (then posts without one are left out).
    A file with no labelled post at all is an InputError: there is nothing to score against."""
    posts: list[Post] = []
    rejected = 0
    for item in iter_posts([str(path)]):
        if isinstance(item, Rejected):
            rejected += 1
        elif labels is None or item.id in labels:
            posts.append(item)
    gold = [labels[post.id] if labels is not None else _label(post) for post in posts]
    if not any(gold):
        where = "in the labels file" if labels is not None else '(no line has a "label"; give --labels FILE)'
        raise InputError(f"{path}: no labelled posts {where}; nothing to evaluate")
    records: list[Record] = list(build_pipeline().run_posts(posts, batch_size=Settings().batch_size))
    pairs = list(zip(gold, records, strict=True))
    return evaluate(pairs), rejected


@click.command(name="eval")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--max-errors", type=int, default=None, help="Show at most this many errors in the text report.")
@click.option(
    "--labels",
    "labels_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help='Labels by post id, one {"id", "label"} per line (e.g. corpus/demo/labels.jsonl), for unlabelled FILEs.',
)
def eval_command(files: tuple[Path, ...], as_json: bool, max_errors: int | None, labels_path: Path | None) -> None:
    """Score detection, extraction and de-duplication on labelled posts (the format of shared/eval/dev.jsonl).

    Prints precision/recall/F1 overall, per language and per bucket, violence-type micro-F1, extraction and
    de-duplication scores, and the list of errors; for files of negatives only, the false-positive rate.
    A file with no labels is refused (exit code of an input error), not scored as all negatives."""
    labels = read_labels(labels_path) if labels_path else None
    reports: dict[str, Any] = {}
    for path in files:
        report, rejected = score_file(path, labels)
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
