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
from matplotlib.table import Table as MplTable
from matplotlib.transforms import Bbox

from varde.report import charts, text
from varde.report.build import Cell, Report, Table
from varde.report.districtmap import CREDITS
from varde.report.stats import DEFINITIONS, METRIC_LABELS
from varde.report.text import language, tr, translate_table

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
        parts.append(Markup('<tr><td colspan="{}">{}</td></tr>').format(len(table.columns), tr("none")))
    parts.append(Markup("</tbody></table>"))
    if table.note:
        parts.append(Markup('<p class="note">{}</p>').format(table.note))
    return Markup("").join(parts)


def render_html(report: Report, *, lang: str = "en") -> str:
    """The whole report as one self-contained HTML document, in `lang` (nb, sv, da, en)."""
    environment = Environment(
        loader=PackageLoader("varde.report", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        extensions=["jinja2.ext.i18n"],
    )
    environment.policies["ext.i18n.trimmed"] = True
    environment.install_gettext_callables(  # type: ignore[attr-defined]
        lambda message: tr(message), lambda one, many, n: tr(one if n == 1 else many), newstyle=True
    )
    template = environment.get_template("report.html")
    keys = {table.key for table in report.tables}
    with language(lang):

        def table(key: str) -> Markup:
            return _html_table(translate_table(report.table(key))) if key in keys else Markup("")

        # The SVG comes from matplotlib, which escapes every text it writes; it is trusted markup here.
        svg = {name: Markup(charts.to_svg(figure)) for name, figure in _figures(report).items()}
        chosen = report.dark.chosen
        upper_unseen = "–"
        if chosen is not None:
            upper_unseen = tr("unbounded") if math.isinf(chosen.upper) else f"{chosen.upper - report.dark.observed:.0f}"
        return template.render(
            report=report,
            svg=svg,
            table=table,
            labels=METRIC_LABELS,
            pct=_pct,
            definitions=DEFINITIONS,
            upper_unseen=upper_unseen,
            lang=text.current(),
        )


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


_CELL_CHARS = 34  # longest text shown in a PDF table cell (the CSV/XLSX keep it whole)
_HEADER_CHARS = 14  # header text wraps at this width
_PAGE_CHARS = {False: 118, True: 175}  # characters of 7-pt text across a portrait / landscape page
_ROW_INCHES = 0.17
_LINE_INCHES = 0.12


def _cell_text(value: Cell) -> str:
    text = format_cell(value)
    return text if len(text) <= _CELL_CHARS else text[: _CELL_CHARS - 1] + "…"


def _column_parts(widths: list[int], room: int) -> list[list[int]]:
    """Column indexes per part so each part fits `room` characters; the first column (the row's name) is
    repeated in every part."""
    parts: list[list[int]] = []
    current = [0]
    used = widths[0]
    for index in range(1, len(widths)):
        if used + widths[index] > room and len(current) > 1:
            parts.append(current)
            current, used = [0], widths[0]
        current.append(index)
        used += widths[index]
    parts.append(current)
    return parts


def _draw_table(
    page: Figure,
    top: float,
    table: Table,
    columns: list[int],
    rows: list[tuple[str, ...]],
    numeric: list[bool],
    widths: list[int],
    headers: list[str],
    header_lines: int,
    title: str,
) -> float:
    """Draw one block of a table (these columns and rows) from `top` (figure fraction) down; returns the
    fraction where it ends."""
    width_in, height_in = page.get_size_inches()
    page.text(0.05, top, charts.label(title, 160), fontsize=10, weight="bold", va="top")
    top -= 0.25 / height_in
    total = sum(widths[i] for i in columns)
    span = min(0.9, total / _PAGE_CHARS[width_in > height_in] * 0.9 * 1.02)
    head_h = (header_lines * _LINE_INCHES + 0.06) / height_in
    row_h = _ROW_INCHES / height_in
    height = head_h + row_h * len(rows)
    axes = page.add_axes((0.05, top - height, span, height))
    axes.set_axis_off()
    grid = MplTable(axes, bbox=Bbox.from_bounds(0, 0, 1, 1))
    head_share = head_h / height
    row_share = row_h / height
    for col, index in enumerate(columns):
        share = widths[index] / total
        cell = grid.add_cell(0, col, share, head_share, text=headers[index], loc="center", facecolor="#e2e8f0")
        cell.get_text().set_fontweight("bold")
        for row_number, row in enumerate(rows, start=1):
            grid.add_cell(
                row_number,
                col,
                share,
                row_share,
                text=charts.label(row[index], 10**4),
                loc="right" if numeric[index] else "left",
                facecolor="#f8fafc" if row_number % 2 == 0 else "white",
            )
    grid.auto_set_font_size(False)
    grid.set_fontsize(7)
    for cell in grid.get_celld().values():
        cell.set_edgecolor("#cbd5e1")
        cell.set_linewidth(0.4)
    axes.add_table(grid)
    return float(top - height)


def _table_pages(tables: list[Table]) -> list[Figure]:
    """Tables as real tables (lines, shaded header, numbers right-aligned) flowed onto A4 pages: several small
    tables share a page, a long one continues on the next page with its header repeated, and a wide one is split
    into column groups (the first column repeated in each), on landscape pages when that saves a split."""
    pages: list[Figure] = []
    page: Figure | None = None
    y = 0.0
    for table in tables:
        rows = [tuple(_cell_text(cell) for cell in row) for row in table.rows] or [
            tuple(["(none)"] + [""] * (len(table.columns) - 1))
        ]
        headers = ["\n".join(textwrap.wrap(column, _HEADER_CHARS)) or column for column in table.columns]
        header_lines = max(header.count("\n") + 1 for header in headers)
        numeric = [
            bool(table.rows) and all(isinstance(r[i], int | float) or r[i] is None for r in table.rows)
            for i in range(len(table.columns))
        ]
        widths = [
            max(max(len(line) for line in header.split("\n")), *(len(row[i]) for row in rows), 3) + 2
            for i, header in enumerate(headers)
        ]
        landscape = sum(widths) > _PAGE_CHARS[False]
        size = _A4_LANDSCAPE if landscape else _A4
        parts = _column_parts(widths, _PAGE_CHARS[landscape])
        for number, columns in enumerate(parts, start=1):
            start = 0
            while start < len(rows):
                if page is None or tuple(page.get_size_inches()) != size or y < 0.12:
                    page = Figure(figsize=size)
                    pages.append(page)
                    y = 0.95
                height_in = size[1]
                room = int((y - 0.06) * height_in / _ROW_INCHES) - header_lines - 3
                if room < min(4, len(rows) - start):
                    page = Figure(figsize=size)
                    pages.append(page)
                    y = 0.95
                    room = int((y - 0.06) * height_in / _ROW_INCHES) - header_lines - 3
                chunk = rows[start : start + room]
                title = table.title
                if len(parts) > 1:
                    title += f" ({number}/{len(parts)})"
                if start:
                    title += " " + tr("(continued)")
                y = _draw_table(page, y, table, columns, chunk, numeric, widths, headers, header_lines, title)
                start += len(chunk)
                y -= 0.015
        if table.note and page is not None:
            page.text(0.05, y, charts.label(_wrap(table.note, 150), 1000), fontsize=7, color="#555555", va="top")
            y -= 0.02 * (1 + _wrap(table.note, 150).count("\n"))
        y -= 0.025
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
    """The PDF's pages, in the language set with `text.language(...)` (English without one)."""
    scope = (
        tr("all districts")
        if report.scope is None
        else tr("%(districts)s only") % {"districts": ", ".join(report.scope)}
    )
    headline = [
        tr("%(figure)s: %(current)s   (quarter before %(previous)s, %(qoq)s; a year before %(year_ago)s, %(yoy)s)")
        % {
            "figure": tr(METRIC_LABELS[c.metric]),
            "current": c.current,
            "previous": c.previous,
            "qoq": _pct(c.change_qoq),
            "year_ago": c.year_ago,
            "yoy": _pct(c.change_yoy),
        }
        for c in report.headline
    ]
    chosen = report.dark.chosen
    dark_line = (
        tr("Never seen (estimate): about %(unseen)s orders; all orders %(all)s (95 %% interval %(lower)s – %(upper)s).")
        % {
            "unseen": f"{chosen.unseen:.0f}",
            "all": f"{chosen.estimate:.0f}",
            "lower": f"{chosen.lower:.0f}",
            "upper": tr("unbounded") if math.isinf(chosen.upper) else f"{chosen.upper:.0f}",
        }
        if chosen
        else f"{tr('Dark figure: no estimate.')} {report.dark.note}"
    )
    front = _text_page(
        tr("Orders for contract violence — %(quarter)s") % {"quarter": report.quarter},
        [
            tr("Scope: %(scope)s. %(count)s cases count in this quarter's figures. Figures as of %(time)s.")
            % {
                "scope": scope,
                "count": report.n_cases,
                "time": report.generated_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            },
            *(
                [tr("Audit chain head: event %(seq)s, %(hash)s.") % {"seq": head[0], "hash": head[1]}]
                if (head := report.audit_head)
                else []
            ),
            "",
            *headline,
            "",
            dark_line,
            "",
            tr("Definitions"),
            *(f"• {tr(line)}" for line in DEFINITIONS),
        ],
    )

    def tables(*keys: str) -> list[Figure]:
        present = {table.key for table in report.tables}
        return _table_pages([translate_table(report.table(key)) for key in keys if key in present])

    return [
        front,
        _chart_page(report, ["trend", "districts"], tr("Quarter by quarter, police districts")),
        *(
            [
                _chart_page(
                    report, ["map"], tr("Map of police districts, Norway"), f"{tr('Map')}: {CREDITS['NO']}.", left=0.03
                )
            ]
            if "NO" in report.country_figures
            else []
        ),
        *(
            [
                _chart_page(
                    report,
                    [
                        name
                        for country, name in (("SE", "map_se"), ("DK", "map_dk"))
                        if country in report.country_figures
                    ],
                    tr("Maps of police regions and districts, Sweden and Denmark"),
                    f"{tr('Maps')}: {CREDITS['SE']}. "
                    + tr(
                        "Denmark: the borders between police districts inside a region are approximate (drawn from "
                        "the nearest towns)."
                    ),
                    left=0.03,
                )
            ]
            if {"SE", "DK"} & set(report.country_figures)
            else []
        ),
        *tables("headline", "history", "by_district_no", "by_region_se", "by_district_dk", "observed_precision"),
        *tables("by_violence_type", "by_platform", "by_network", "by_source"),
        _chart_page(
            report,
            ["dark"],
            tr("The dark figure: orders nobody saw"),
            below=[
                report.dark.note,
                "",
                tr("What the estimate assumes:"),
                *(f"• {a}" for a in report.dark.assumptions),
            ],
        ),
        *tables("dark_figure", "capture_histories", "dark_figure_models"),
        _chart_page(report, ["time"], tr("Time to action")),
        *tables("time_to_action"),
        _chart_page(
            report,
            ["forecast"],
            tr("Outlook — FORECAST"),
            below=[tr("A forecast extrapolates past quarters with a statistical model; it is not a measurement.")],
        ),
        *tables("trend", "forecast_summary", "top_networks", "backmen"),
    ]


def write_pdf(report: Report, path: Path, *, lang: str = "en") -> None:
    """The report as a PDF in `lang` (nb, sv, da, en)."""
    with (
        language(lang),
        PdfPages(path, metadata={"Title": f"Varde report {report.quarter}", "Creator": "Varde"}) as pdf,
    ):
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
