"""`varde analyze INPUT... -o OUTPUT.jsonl`: the whole pipeline, no database, one CONTRACT §2 object per post."""

from __future__ import annotations

import json
import sys
from contextlib import nullcontext
from pathlib import Path

import click

from varde.cli.common import (
    RejectsFile,
    estimate_posts,
    fail_if_rejected,
    jobs_option,
    load_settings,
    progress_bar,
    report_notes,
    split_results,
    stderr,
)
from varde.media import MediaStage
from varde.pipeline import Pipeline, StageFailure, build_pipeline
from varde.pipeline.parallel import ParallelPipeline
from varde.readers import iter_posts, rejected_post
from varde.summary import RunSummary

PROGRESS_EVERY = 256  # posts between updates of the progress bar (an update per post costs more than parsing it)


def analysis_pipeline() -> Pipeline:
    """The pipeline `analyze` runs (module level: `--jobs` workers build it too)."""
    return build_pipeline(first=[MediaStage()])


@click.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="Output JSON Lines file.")
@jobs_option("Processes analysing posts, one core each (the output is the same, in input order).")
def analyze(inputs: tuple[str, ...], output: str, jobs: int) -> None:
    """Analyse posts without a database and write one JSON object per post, in input order.

    INPUT is JSON Lines, CSV or a Telegram Desktop result.json; '-' reads standard input, and '-o -' writes
    standard output. Rejected records are reported and kept in OUTPUT.rejects.jsonl (on standard error with
    '-o -'); the exit code is 2 when any were rejected."""
    to_stdout = output == "-"
    out_path = Path(output)
    rejects = RejectsFile(None if to_stdout else out_path.with_name(out_path.name + ".rejects.jsonl"))
    summary = RunSummary()
    total = estimate_posts(list(inputs))
    posts = split_results(iter_posts(inputs), rejects, summary)

    def reject_failure(failure: StageFailure) -> None:  # one post a stage failed on: rejected, the run goes on
        rejects.add(rejected_post(failure.post, None, failure.reason))
        summary.reject()

    with (
        ParallelPipeline(analysis_pipeline, jobs) as parallel,
        progress_bar(total, "analyse") as progress,
        nullcontext(sys.stdout) if to_stdout else out_path.open("w", encoding="utf-8") as handle,
    ):
        task = progress.add_task("analyse", total=total)
        done = 0
        for record in parallel.run_posts(posts, batch_size=load_settings().batch_size, on_failure=reject_failure):
            handle.write(json.dumps(record.to_contract_dict(), ensure_ascii=False) + "\n")
            summary.add(record)
            report_notes(record)
            done += 1
            if done % PROGRESS_EVERY == 0:
                progress.advance(task, PROGRESS_EVERY)
        progress.advance(task, done % PROGRESS_EVERY)
    rejects.write()
    stderr.print(
        f"{summary.posts_read} posts analysed, {summary.posts_flagged} flagged as orders "
        f"({summary.unique_orders} unique), {summary.posts_rejected} rejected → "
        f"{'standard output' if to_stdout else out_path}",
        highlight=False,
    )
    fail_if_rejected(summary)


def register(group: click.Group) -> None:
    group.add_command(analyze)
