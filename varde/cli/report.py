"""`varde report --quarter 2025Q3 [-o report.html] [--pdf report.pdf] [--csv DIR]`: the quarterly report.

From the case store (acting as a user, whose districts limit what the report covers; the read is audited as
`report.build`), or from a JSON-lines file of case facts (`--facts`, no database; e.g. for tests and demos)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from varde.cli.case import acting, as_option, open_service
from varde.cli.common import database_option, known_districts
from varde.errors import InputError
from varde.report.facts import CaseFact, fact_from_dict
from varde.report.precision import FlagFact
from varde.report.quarters import parse_quarter, quarter_of

if TYPE_CHECKING:
    from varde.report.build import Report


def _read_facts(path: str) -> list[CaseFact]:
    facts = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                facts.append(fact_from_dict(json.loads(line)))
            except (ValueError, KeyError, TypeError) as error:
                raise InputError(f"{path}:{number}: not a case fact: {error}") from None
    return facts


def _from_store(
    database_url: str | None, as_user: str | None, quarter: str, districts: list[str]
) -> tuple[list[CaseFact], frozenset[str] | None, tuple[int, str] | None, tuple[FlagFact, ...]]:
    """The facts the acting user may see (narrowed to `districts` when given), that scope (None: all), and the
    audit chain's head after the report's own event (printed in the report: a copy of the head kept elsewhere)."""
    from varde.report.service import ReportService

    with open_service(database_url) as service:
        actor = acting(service, as_user)
        read = ReportService(service.store).report_facts(actor, quarter, districts)
    return read.facts, read.scope, read.audit_head, read.flags


def _echo_headline(report: Report) -> None:
    scope = "all districts" if report.scope is None else ", ".join(report.scope)
    click.echo(f"{report.quarter} ({scope}; {report.n_cases} cases)")
    for row in report.table("headline").rows:
        click.echo(f"  {row[0]:<14} {row[1]:>7}   previous {row[2]:>7}   a year before {row[4]:>7}")
    chosen = report.dark.chosen
    if chosen is not None:
        click.echo(
            f"  never seen ≈ {chosen.unseen:.0f} (all orders {chosen.estimate:.0f}, "
            f"95 % {chosen.lower:.0f}–{chosen.upper:.0f}; {chosen.model})"
        )


@click.command("report")
@click.option("--quarter", default=None, metavar="YYYYQn", help="The quarter, e.g. 2025Q3 (default: the current one).")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="HTML report to write (default: report-QUARTER.html here)."
)
@click.option("--pdf", "pdf_path", type=click.Path(dir_okay=False), help="PDF report to write.")
@click.option("--csv", "csv_dir", type=click.Path(file_okay=False), help="Folder for CSV tables and an XLSX workbook.")
@click.option(
    "--district",
    "districts",
    multiple=True,
    metavar="NAME",
    callback=known_districts,
    help="Only these districts (repeatable); never more than the acting user may see.",
)
@click.option(
    "--facts",
    "facts_path",
    type=click.Path(exists=True, dir_okay=False),
    help="Read case facts from this JSON-lines file instead of the database.",
)
@click.option(
    "--lang",
    type=click.Choice(["nb", "sv", "da", "en"]),
    default="nb",
    show_default=True,
    help="Language of the HTML and PDF report (text, charts, tables; the CSV/XLSX keep English headings).",
)
@as_option
@database_option
def report_command(
    quarter: str | None,
    output: str | None,
    pdf_path: str | None,
    csv_dir: str | None,
    districts: tuple[str, ...],
    facts_path: str | None,
    lang: str,
    as_user: str | None,
    database_url: str | None,
) -> None:
    """Write the quarterly report: headline figures, districts map, dark figure, time to action, forecast."""
    # statsmodels and matplotlib load only when a report is made, not with every varde command
    from varde.report.build import build_report
    from varde.report.render import render_html, write_pdf, write_tables

    now = datetime.now(UTC)
    quarter = quarter or quarter_of(now)
    try:
        parse_quarter(quarter)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--quarter") from None
    head: tuple[int, str] | None = None
    flags: tuple[FlagFact, ...] = ()
    if facts_path:
        facts = _read_facts(facts_path)
        scope: frozenset[str] | None = frozenset(districts) or None
    else:
        facts, scope, head, flags = _from_store(database_url, as_user, quarter, list(districts))
    if not (output or pdf_path or csv_dir):
        output = f"report-{quarter}.html"
    report = build_report(facts, quarter, districts=scope, as_of=now, audit_head=head, flags=flags)
    _echo_headline(report)
    if head is not None:
        click.echo(f"  audit chain head: event {head[0]}, {head[1]}")
    if output:
        Path(output).write_text(render_html(report, lang=lang), encoding="utf-8")
        click.echo(f"wrote {Path(output).resolve()}")  # the full path: without -o it is the working folder
    if pdf_path:
        write_pdf(report, Path(pdf_path), lang=lang)
        click.echo(f"wrote {pdf_path}")
    if csv_dir:
        written = write_tables(report, Path(csv_dir))
        click.echo(f"wrote {len(written)} files to {csv_dir}")


def register(group: click.Group) -> None:
    group.add_command(report_command)
