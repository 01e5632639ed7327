"""Lay out a built `Report` as a self-contained HTML page, a PDF, and CSV/XLSX tables.

HTML: one file, no external URL (CSS inline, charts as inline SVG), a Content-Security-Policy that forbids
loading anything, every text from data escaped by Jinja2's autoescape (and by matplotlib inside the SVG).
PDF: the same charts and tables on A4 pages via matplotlib's PdfPages. CSV: one file per table (UTF-8 with BOM so
spreadsheet programs read the letters right; cells that a spreadsheet would run as a formula are defused).
XLSX: one workbook with a sheet per table (openpyxl)."""

from __future__ import annotations

import csv
import math
import textwrap
from collections.abc import Sequence
from datetime import UTC
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from varde.report import charts
from varde.report.build import Cell, Report, Table
from varde.report.districtmap import CREDIT
from varde.report.stats import DEFINITIONS, METRIC_LABELS

_A4 = (8.27, 11.69)
_A4_LANDSCAPE = (11.69, 8.27)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _figures(report: Report) -> dict[str, Figure]:
    return {name: charts.chart_figure(name, report) for name in charts.CHARTS}


def format_cell(value: Cell) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        if math.isinf(value):
            return "unbounded"
        return f"{value:,.1f}".replace(",", " ")
    if isinstance(value, int):
        return f"{value:,}".replace(",", " ")
    return value


def _pct(change: float | None) -> str:
    return "–" if change is None else f"{100 * change:+.0f} %"


def _html_table(table: Table) -> Markup:
    parts = [Markup("<table><caption>{}</caption><thead><tr>").format(table.title)]
    parts += [Markup("<th>{}</th>").format(column) for column in table.columns]
    parts.append(Markup("</tr></thead><tbody>"))
    for row in table.rows:
        parts.append(Markup("<tr>"))
        for cell in row:
            css = Markup(' class="n"') if isinstance(cell, int | float) else Markup("")
            parts.append(Markup("<td{}>{}</td>").format(css, format_cell(cell)))
        parts.append(Markup("</tr>"))
    if not table.rows:
        parts.append(Markup('<tr><td colspan="{}">none</td></tr>').format(len(table.columns)))
    parts.append(Markup("</tbody></table>"))
    if table.note:
        parts.append(Markup('<p class="note">{}</p>').format(table.note))
    return Markup("").join(parts)


def render_html(report: Report) -> str:
    """The whole report as one self-contained HTML document."""
    environment = Environment(
        loader=PackageLoader("varde.report", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
    template = environment.get_template("report.html")
    keys = {table.key for table in report.tables}

    def table(key: str) -> Markup:
        return _html_table(report.table(key)) if key in keys else Markup("")

    # The SVG comes from matplotlib, which escapes every text it writes; it is trusted markup here.
    svg = {name: Markup(charts.to_svg(figure)) for name, figure in _figures(report).items()}
    chosen = report.dark.chosen
    upper_unseen = "–"
    if chosen is not None:
        upper_unseen = "unbounded" if math.isinf(chosen.upper) else f"{chosen.upper - report.dark.observed:.0f}"
    return template.render(
        report=report,
        svg=svg,
        table=table,
        labels=METRIC_LABELS,
        pct=_pct,
        definitions=DEFINITIONS,
        upper_unseen=upper_unseen,
    )


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def _text_rows(table: Table) -> tuple[list[str], list[str]]:
    """The table as fixed-width text: header lines (wrapped) and one line per row, numbers right-aligned."""
    cells = [[format_cell(cell) for cell in row] for row in table.rows]
    widths = []
    for index, column in enumerate(table.columns):
        longest = max((len(row[index]) for row in cells), default=0)
        widths.append(min(max(longest, min(len(column), 10), 4), 44))
    wrapped = [textwrap.wrap(column, width) or [""] for column, width in zip(table.columns, widths, strict=True)]
    depth = max(len(lines) for lines in wrapped)
    header = [
        "  ".join(
            (lines[i] if i < len(lines) else "").ljust(width) for lines, width in zip(wrapped, widths, strict=True)
        )
        for i in range(depth)
    ]
    header.append("  ".join("─" * width for width in widths))
    numeric = [all(isinstance(row[i], int | float) or row[i] is None for row in table.rows) for i in range(len(widths))]
    lines = [
        "  ".join(
            (text[: width - 1] + "…" if len(text) > width else text).rjust(width)
            if right
            else (text[: width - 1] + "…" if len(text) > width else text).ljust(width)
            for text, width, right in zip(row, widths, numeric, strict=True)
        )
        for row in cells
    ]
    return header, lines


def _table_pages(tables: list[Table]) -> list[Figure]:
    """Tables flowed onto A4 pages as monospaced text: several small tables share a page, a long one continues on
    the next page, a wide one gets landscape pages of its own."""
    pages: list[Figure] = []
    page: Figure | None = None
    y = 0.0
    for table in tables:
        header, lines = _text_rows(table)
        width = max((len(line) for line in header + lines), default=0)
        landscape = width > 110
        size = _A4_LANDSCAPE if landscape else _A4
        fontsize = min(8.0, (size[0] - 0.8) * 72 / (0.6 * max(width, 1)))
        step = fontsize * 1.2 / 72 / size[1]  # one text line as a fraction of the page height
        rows = lines or ["(none)"]
        need = (len(header) + min(len(rows), 8) + 3) * step + 0.03
        if page is None or landscape or page.get_size_inches()[0] != size[0] or y - need < 0.05:
            page = Figure(figsize=size)
            pages.append(page)
            y = 0.95
        start = 0
        while start < len(rows):
            room = max(int((y - 0.06 - 0.03) / step) - len(header) - 1, 1)
            chunk = rows[start : start + room]
            title = table.title + (" (continued)" if start else "")
            page.text(0.05, y, charts.label(title, 160), fontsize=11, weight="bold", va="top")
            y -= 0.03
            body = "\n".join(header + chunk)
            page.text(
                0.05,
                y,
                charts.label(body, 10**6),
                family="DejaVu Sans Mono",
                fontsize=fontsize,
                va="top",
                linespacing=1.2,
            )
            y -= (len(header) + len(chunk)) * step
            start += len(chunk)
            if start < len(rows):
                page = Figure(figsize=size)
                pages.append(page)
                y = 0.95
        if table.note:
            page.text(
                0.05, y - 0.005, charts.label(_wrap(table.note, 150), 1000), fontsize=7.5, color="#555555", va="top"
            )
            y -= 0.02 * (1 + table.note.count("\n"))
        y -= 0.035
    return pages


def _text_page(title: str, lines: list[str]) -> Figure:
    figure = Figure(figsize=_A4)
    figure.text(0.07, 0.95, charts.label(title, 120), fontsize=15, weight="bold", va="top")
    body = "\n".join(_wrap(line, 95) for line in lines)
    figure.text(0.07, 0.90, charts.label(body, 20000), fontsize=9.5, va="top", linespacing=1.5)
    return figure


def _chart_page(
    report: Report, names: list[str], title: str, caption: str = "", *, left: float = 0.2, below: Sequence[str] = ()
) -> Figure:
    """Charts stacked on one A4 page, each drawn directly (vector) in its share of the page; `below` is text set
    under the charts."""
    heights = [charts.CHARTS[name][1](report)[1] for name in names]
    page = Figure(figsize=_A4)
    page.text(0.07, 0.965, charts.label(title, 120), fontsize=14, weight="bold", va="top")
    bottom = max(0.9 - sum(heights) / _A4[1] * 1.15, 0.45 if below else 0.08)
    grid = page.add_gridspec(
        len(names),
        1,
        height_ratios=heights,
        left=left,
        right=0.95,
        top=0.9,
        bottom=bottom,
        hspace=0.45,
    )
    for index, name in enumerate(names):
        charts.CHARTS[name][0](page.add_subplot(grid[index]), report)
    if below:
        text = "\n".join(_wrap(line, 100) for line in below)
        page.text(0.07, bottom - 0.07, charts.label(text, 20000), fontsize=9, va="top", linespacing=1.45)
    if caption:
        page.text(0.07, 0.03, charts.label(_wrap(caption, 110), 2000), fontsize=8, color="#555555")
    return page


def pdf_pages(report: Report) -> list[Figure]:
    scope = "all districts" if report.scope is None else ", ".join(report.scope) + " only"
    headline = [
        f"{METRIC_LABELS[c.metric]}: {c.current}   (quarter before {c.previous}, {_pct(c.change_qoq)}; "
        f"a year before {c.year_ago}, {_pct(c.change_yoy)})"
        for c in report.headline
    ]
    chosen = report.dark.chosen
    dark_line = (
        f"Never seen (estimate): about {chosen.unseen:.0f} orders; all orders {chosen.estimate:.0f} "
        f"(95 % interval {chosen.lower:.0f} – {'unbounded' if math.isinf(chosen.upper) else f'{chosen.upper:.0f}'})."
        if chosen
        else f"Dark figure: no estimate. {report.dark.note}"
    )
    front = _text_page(
        f"Orders for contract violence — {report.quarter}",
        [
            f"Scope: {scope}. {report.n_cases} cases in scope. Figures as of "
            f"{report.generated_at.astimezone(UTC).strftime('%Y-%m-%d %H:%M UTC')}.",
            *([f"Audit chain head: event {head[0]}, {head[1]}."] if (head := report.audit_head) else []),
            "",
            *headline,
            "",
            dark_line,
            "",
            "Definitions",
            *(f"• {line}" for line in DEFINITIONS),
        ],
    )

    def tables(*keys: str) -> list[Figure]:
        present = {table.key for table in report.tables}
        return _table_pages([report.table(key) for key in keys if key in present])

    return [
        front,
        _chart_page(report, ["trend", "districts"], "Quarter by quarter, police districts"),
        _chart_page(report, ["map"], "Map of police districts", f"Map: {CREDIT} (CC BY 4.0).", left=0.03),
        *tables("headline", "history", "by_district_no", "by_region_se", "by_district_dk", "observed_precision"),
        *tables("by_violence_type", "by_platform", "by_network", "by_source"),
        _chart_page(
            report,
            ["dark"],
            "The dark figure: orders nobody saw",
            below=[report.dark.note, "", "What the estimate assumes:", *(f"• {a}" for a in report.dark.assumptions)],
        ),
        *tables("dark_figure", "capture_histories", "dark_figure_models"),
        _chart_page(report, ["time"], "Time to action"),
        *tables("time_to_action"),
        _chart_page(
            report,
            ["forecast"],
            "Outlook — FORECAST",
            below=["A forecast extrapolates past quarters with a statistical model; it is not a measurement."],
        ),
        *tables("trend", "forecast_summary", "top_networks", "backmen"),
    ]


def write_pdf(report: Report, path: Path) -> None:
    with PdfPages(path, metadata={"Title": f"Varde report {report.quarter}", "Creator": "Varde"}) as pdf:
        for page in pdf_pages(report):
            pdf.savefig(page)


def defuse(value: Cell) -> Cell:
    """A text cell a spreadsheet would evaluate as a formula gets a leading apostrophe (CSV/formula injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_tables(report: Report, directory: Path) -> list[Path]:
    """Every table as `<key>.csv`, and all of them in `report-<quarter>.xlsx`; returns the files written."""
    from openpyxl import Workbook

    directory.mkdir(parents=True, exist_ok=True)
    written = []
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in report.tables:
        path = directory / f"{table.key}.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(table.columns)
            writer.writerows([defuse(cell) for cell in row] for row in table.rows)
        written.append(path)
        sheet = workbook.create_sheet(title=table.key[:31])
        sheet.append([table.title])
        sheet.append(list(table.columns))
        for row in table.rows:
            sheet.append([_xlsx_cell(cell) for cell in row])
    xlsx = directory / f"report-{report.quarter}.xlsx"
    workbook.save(xlsx)
    written.append(xlsx)
    return written


def _xlsx_cell(value: Cell) -> Cell:
    if isinstance(value, float) and math.isinf(value):
        return "unbounded"
    return defuse(value)
