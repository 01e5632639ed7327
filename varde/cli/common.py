"""Helpers shared by commands: settings, progress, the summary table, rejects files."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import click

from varde.cli.messages import _, term
from varde.errors import InputError

if TYPE_CHECKING:  # rich, the readers and the records load where they are used, not at every command's start
    from rich.console import Console
    from rich.progress import Progress
    from rich.table import Table
    from rich.text import Text

    from varde.posts import Post
    from varde.readers import ReadResult, Rejected
    from varde.records import Record
    from varde.settings import Settings
    from varde.summary import RunSummary

    stderr: Console
    stdout: Console


@cache
def console(stream: Literal["stdout", "stderr"]) -> Console:
    """The rich console on standard output or error, made on first use (rich takes ~0.03 s to import)."""
    from rich.console import Console

    # Markup off: ids, handles, paths and reasons from posts are printed as they are, never read as rich markup
    # (an unmatched "[/x]" in a hostile line would stop the command and lose what was accepted before it).
    return Console(stderr=stream == "stderr", markup=False)


def __getattr__(name: str) -> Console:
    """`from varde.cli.common import stderr` (or `stdout`): the console, made when a command module asks for it."""
    if name in ("stdout", "stderr"):
        return console("stdout" if name == "stdout" else "stderr")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def load_settings(database_url: str | None = None) -> Settings:
    from varde.settings import Settings

    settings = Settings()
    if database_url:
        settings = settings.model_copy(update={"database_url": database_url})
    return settings


def estimate_posts(paths: Sequence[str]) -> int | None:
    """Lines in the JSONL/CSV inputs (a progress-bar total); None when it cannot be told cheaply."""
    from varde.readers import STDIN

    total = 0
    for path in paths:
        if path == STDIN:
            return None
        try:
            with open(path, "rb") as handle:
                while chunk := handle.read(1 << 20):
                    total += chunk.count(b"\n")
        except OSError:
            return None
    return total or None


def progress_bar(total: int | None, description: str) -> Progress:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console("stderr"),
        transient=False,
        disable=total is not None and total < 2000,
    )


class RejectsFile:
    """Collects rejected records, prints each as it comes, and writes them beside the output at the end (with no
    path, when the output is standard output, as JSON lines on standard error)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.items: list[Rejected] = []

    def add(self, item: Rejected) -> None:
        self.items.append(item)
        console("stderr").print(labelled("rejected", "yellow", item.message()), highlight=False, soft_wrap=True)

    def write(self) -> None:
        if self.path is None:
            for item in self.items:
                console("stderr").print(json.dumps(item.to_dict(), ensure_ascii=False), highlight=False, soft_wrap=True)
            return
        if not self.items:
            if self.path.exists():
                self.path.unlink()
            return
        with self.path.open("w", encoding="utf-8") as handle:
            for item in self.items:
                handle.write(json.dumps(item.to_dict(), ensure_ascii=False) + "\n")
        console("stderr").print(f"{len(self.items)} rejected record(s) kept in {self.path}", highlight=False)


def summary_table(summary: RunSummary, title: str) -> Table:
    from rich.table import Table

    table = Table(title=title, show_header=True, header_style="bold")
    table.add_column(_("measure"))
    table.add_column(_("value"), justify="right")
    table.add_row(_("posts read"), str(summary.posts_read))
    table.add_row(_("posts rejected"), str(summary.posts_rejected))
    table.add_row(_("posts flagged as orders"), str(summary.posts_flagged))
    table.add_row(_("unique orders"), str(summary.unique_orders))
    rows: list[tuple[str, dict[str, int], Callable[[str], str]]] = [
        (_("flagged by language: %(value)s"), summary.by_language, str),
        (_("flagged by platform: %(value)s"), summary.by_platform, str),
        (_("flagged by district: %(value)s"), summary.by_district, str),
        (_("flagged by violence type: %(value)s"), summary.by_violence_type, term),
    ]
    for label, counter, shown in rows:
        for key, count in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])):
            table.add_row("  " + label % {"value": shown(key)}, str(count))
    return table


def split_results(results: Iterable[ReadResult], rejects: RejectsFile, summary: RunSummary) -> Iterator[Post]:
    """Pass posts on; send rejected records to the rejects file and count them."""
    from varde.readers import Rejected

    for item in results:
        if isinstance(item, Rejected):
            rejects.add(item)
            summary.reject()
        else:
            yield item


def fail_if_rejected(summary: RunSummary) -> None:
    if summary.posts_rejected:
        raise SystemExit(2)


database_option = click.option(
    "--db", "database_url", metavar="URL", help="Database URL (default: VARDE_DATABASE_URL or sqlite:///varde.db)."
)


def jobs_option(help_text: str) -> Callable[[Callable[..., object]], Callable[..., object]]:
    """`-j/--jobs N`: processes analysing posts (`varde.pipeline.parallel`); `help_text` says what this process does."""
    return click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True, help=help_text)


def report_notes(record: Record) -> None:
    """Print what a stage noted about a post (refused media, truncated text) so nothing is skipped silently."""
    for note in record.notes:
        where = record.post.origin or record.id
        console("stderr").print(labelled("note", "cyan", f"{where}: {note}"), highlight=False, soft_wrap=True)


def labelled(label: str, style: str, message: str) -> Text:
    """`label` in `style`, then `message` as plain text (it may quote hostile input)."""
    from rich.text import Text

    return Text.assemble((label, style), " ", message)


def known_districts(_ctx: click.Context, _param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
    """A `--district` callback: an unknown name is refused (as `users add` does), not matched against nothing."""
    from varde.vocab import ALL_DISTRICTS

    unknown = sorted(d for d in value if d not in ALL_DISTRICTS)
    if unknown:
        raise InputError(f"unknown district(s) {', '.join(map(repr, unknown))}; see districts in vocab.yaml")
    return value
