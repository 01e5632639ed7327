"""`varde publish` and `varde worker`: scale-out over NATS JetStream (see varde.worker)."""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path

import click

from varde.cli.common import RejectsFile, database_option, fail_if_rejected, load_settings, split_results, stderr
from varde.readers import iter_posts
from varde.summary import RunSummary
from varde.worker import Worker, WorkerOptions, publish_posts, read_dead_letters


@click.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("--nats", "nats_url", metavar="URL", help="NATS server (default: VARDE_NATS_URL or localhost).")
def publish(inputs: tuple[str, ...], nats_url: str | None) -> None:
    """Publish posts (JSONL, CSV, Telegram export, '-') to the JetStream stream for the workers.

    The stream is created if missing. Rejected records are reported and kept in varde-publish.rejects.jsonl."""
    settings = load_settings()
    if nats_url:
        settings = settings.model_copy(update={"nats_url": nats_url})
    summary = RunSummary()
    rejects = RejectsFile(_rejects_path())
    posts = split_results(iter_posts(inputs), rejects, summary)
    count = asyncio.run(publish_posts(posts, settings))
    rejects.write()
    stderr.print(f"published {count} posts to {settings.stream} ({settings.nats_url})", highlight=False)
    fail_if_rejected(summary)


def _rejects_path() -> Path:
    return Path("varde-publish.rejects.jsonl")


@click.group(invoke_without_command=True)
@database_option
@click.option("--nats", "nats_url", metavar="URL", help="NATS server (default: VARDE_NATS_URL or localhost).")
@click.option(
    "--batch", "batch_size", type=int, help="Most messages fetched per batch (default: VARDE_BATCH_SIZE, 512)."
)
@click.option("--max-ack-pending", default=2048, show_default=True, help="Most unacknowledged messages held.")
@click.option("--max-attempts", default=5, show_default=True, help="Deliveries before a dead letter.")
@click.option("--exit-when-idle", type=float, metavar="SECONDS", help="Stop once the stream has been empty so long.")
@click.option("--metrics-port", type=int, metavar="PORT", help="Serve Prometheus metrics on 127.0.0.1:PORT.")
@click.option("--durable", default="workers", show_default=True, help="Durable consumer name shared by workers.")
@click.pass_context
def worker(
    ctx: click.Context,
    database_url: str | None,
    nats_url: str | None,
    batch_size: int | None,
    max_ack_pending: int,
    max_attempts: int,
    exit_when_idle: float | None,
    metrics_port: int | None,
    durable: str,
) -> None:
    """Consume posts from the stream: analyse, store (commit), publish alerts, then acknowledge."""
    if ctx.invoked_subcommand is not None:
        return
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    settings = load_settings(database_url)
    if nats_url:
        settings = settings.model_copy(update={"nats_url": nats_url})
    options = WorkerOptions(
        batch_size=batch_size,
        max_ack_pending=max_ack_pending,
        max_attempts=max_attempts,
        exit_when_idle=exit_when_idle,
        metrics_port=metrics_port,
        durable=durable,
    )
    # One core per worker process (start as many workers as cores): multi-threaded embedding and language
    # identification in each of several workers cost up to twice the CPU on a shared machine, same answers.
    from varde.pipeline.parallel import use_one_thread

    use_one_thread()
    stats = asyncio.run(Worker(settings, options).run())
    stderr.print(
        f"worker stopped: {stats.processed} posts stored, {stats.dead_lettered} dead-lettered, "
        f"{stats.alerts} alerts, {stats.batches} batches",
        highlight=False,
    )


@worker.command("dead-letters")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per dead letter.")
@click.option("--limit", default=1000, show_default=True)
def dead_letters(as_json: bool, limit: int) -> None:
    """List the messages that were sent to the dead-letter subject, with the reason."""
    letters = asyncio.run(read_dead_letters(load_settings(), limit))
    for letter in letters:
        if as_json:
            click.echo(json.dumps(letter, ensure_ascii=False))
        else:
            click.echo(
                f"#{letter.get('stream_sequence')} after {letter.get('attempts')} attempt(s): {letter.get('reason')}"
            )
    if not as_json:
        click.echo(f"{len(letters)} dead letter(s)")


def register(group: click.Group) -> None:
    group.add_command(publish)
    group.add_command(worker)
