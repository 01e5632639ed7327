"""`varde scan INPUT...`: the main job — analyse posts and store posts, records, orders and cases."""

from __future__ import annotations

from pathlib import Path

import click
from sqlalchemy.engine import make_url

from varde.cases.ingest import ingest
from varde.cli.common import (
    RejectsFile,
    database_option,
    estimate_posts,
    fail_if_rejected,
    jobs_option,
    load_settings,
    progress_bar,
    report_notes,
    split_results,
    stdout,
    summary_table,
)
from varde.cli.messages import _
from varde.media import MediaStage
from varde.media.store import MediaStore
from varde.pipeline import Pipeline, StageFailure, build_pipeline
from varde.pipeline.parallel import ParallelPipeline
from varde.pipeline.stages import ModelChoice
from varde.readers import iter_posts, rejected_post
from varde.records import Record
from varde.store import Store
from varde.store.model_files import ActiveModels, ModelFiles
from varde.summary import RunSummary


def rejects_path(database_url: str) -> Path:
    """Beside the SQLite file; in the working directory for a server database."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database).with_name(Path(url.database).name + ".rejects.jsonl")
    return Path("varde-rejects.jsonl")


@click.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@jobs_option("Processes analysing posts, one core each (this one de-duplicates and stores, in input order).")
@database_option
def scan(inputs: tuple[str, ...], jobs: int, database_url: str | None) -> None:
    """Analyse posts and store them with their records, orders and cases (SQLite file by default).

    Re-running on the same input changes nothing. Ends with a summary table; exit code 2 if anything was
    rejected (the rejected records are kept in a rejects file beside the database)."""
    settings = load_settings(database_url)
    store = Store.open(settings.database_url)

    # Accepted media are copied into the media store at capture; evidence export reads them from there only.
    # Scored with the registry's active model (and the shadow model in shadow mode), asked before each batch; with
    # worker processes the choice is made once, before they fork (they must not share this process's connections).
    active_models = ActiveModels(store, ModelFiles(settings.model_folder))
    if jobs > 1:
        chosen = active_models()
        models: ModelChoice = lambda: chosen  # noqa: E731
    else:
        models = active_models

    def make_pipeline() -> Pipeline:
        capture = MediaStage(media_store=MediaStore(settings.media_folder))
        return build_pipeline(store.order_index(), first=[capture], models=models)

    rejects = RejectsFile(rejects_path(settings.database_url))
    summary = RunSummary()
    total = estimate_posts(list(inputs))
    posts = split_results(iter_posts(inputs), rejects, summary)

    def reject_failure(failure: StageFailure) -> None:  # one post a stage failed on: rejected, the run goes on
        rejects.add(rejected_post(failure.post, None, failure.reason))
        summary.reject()

    batch: list[Record] = []
    with ParallelPipeline(make_pipeline, jobs) as pipeline, progress_bar(total, "scan") as progress:
        task = progress.add_task("scan", total=total)
        for record in pipeline.run_posts(posts, settings.batch_size, reject_failure):
            batch.append(record)
            summary.add(record)
            report_notes(record)
            if len(batch) >= settings.batch_size:
                ingest(store, batch)
                progress.advance(task, len(batch))
                batch = []
        if batch:
            ingest(store, batch)
            progress.advance(task, len(batch))
    if rejects.items:
        store.save_rejects(rejects.items)
    rejects.write()
    stdout.print(summary_table(summary, f"varde scan → {make_url(settings.database_url).render_as_string()}"))
    counts = store.counts()
    names = {"posts": _("posts"), "records": _("records"), "orders": _("orders"), "rejects": _("rejects")}
    held = ", ".join(f"{count} {names.get(name, name)}" for name, count in counts.items())
    stdout.print(_("database now holds %(counts)s") % {"counts": held}, highlight=False)
    store.close()
    fail_if_rejected(summary)


def register(group: click.Group) -> None:
    group.add_command(scan)
