"""The quarterly report in the workbench (figures, charts, maps of the three countries) with CSV, XLSX and PDF
downloads, and the ranking of backmen. Both stay within the user's districts: the report through
`ReportService.quarter_report` (every view and every download one `report.build` audit event, as the CLI's report),
the backmen through `NetworkService.backmen` (audited as `network.backmen`)."""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from varde import i18n
from varde.cases import access
from varde.errors import InputError
from varde.report.quarters import parse_quarter, quarter_of
from varde.report.text import language, translate_table
from varde.vocab import ALL_DISTRICTS, DISTRICT_COUNTRY
from varde.web.deps import PageCaller, State, network_service, report_service
from varde.web.render import page
from varde.web.routes.dashboard import country_maps, request_language

if TYPE_CHECKING:
    from varde.report.build import Report

# The report's modules (statsmodels, matplotlib) load on the first report, not when the workbench starts.

pages = APIRouter(include_in_schema=False)

QuarterParam = Annotated[str | None, Query(max_length=8)]
DistrictParam = Annotated[str | None, Query(max_length=64)]
BACKMEN_LISTED = 50
_STYLE = re.compile(r"<style[^>]*>.*?</style>", re.DOTALL)
_FORMATS = {
    "csv": ("application/zip", "zip"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "pdf": ("application/pdf", "pdf"),
}


def _quarter(text: str | None) -> str | None:
    if not text:
        return None
    try:
        parse_quarter(text)
    except ValueError as error:
        raise InputError(str(error)) from None
    return text.strip().upper()


def _districts(text: str | None) -> list[str]:
    if not text:
        return []
    if text not in ALL_DISTRICTS:
        raise InputError(f"unknown district {text!r}")
    return [text]


def _report(state: State, caller: PageCaller, quarter: str | None, district: str | None, output: str) -> Report:
    from varde.report.build import build_report

    report: Report = report_service(state).quarter_report(
        caller.actor, _quarter(quarter), _districts(district), output=output, build=build_report
    )
    return report


@pages.get("/report", name="report_page", response_class=HTMLResponse)
def report_page(
    request: Request, state: State, caller: PageCaller, quarter: QuarterParam = None, district: DistrictParam = None
) -> Response:
    from varde.report import charts
    from varde.report.render import format_cell

    report = _report(state, caller, quarter, district, "page")
    lang = request_language(request)
    gettext = i18n.translations(lang).gettext
    rows = report.country_figures
    maps = country_maps(rows, "unique_orders", f"{gettext('Unique orders')}, {report.quarter}", gettext)
    # matplotlib escapes every text it writes into the SVG; the charts are trusted markup here.
    # Its one <style> element (line joins) is dropped: the page's Content-Security-Policy refuses inline styles.
    with language(lang):
        figures = {
            name: Markup(_STYLE.sub("", charts.to_svg(charts.chart_figure(name, report))))
            for name in ("trend", "districts")
        }
        tables = [
            translate_table(table)
            for table in report.tables
            if not table.key.startswith(("forecast", "dark_figure_models"))
        ]
    scope = access.case_scope(caller.actor)
    choices = [d for d in ALL_DISTRICTS if scope is None or d in scope]
    current = quarter_of(state.service.now())
    quarters = sorted(
        {report.quarter, *(f"{y}Q{q}" for y in range(int(current[:4]) - 4, int(current[:4]) + 1) for q in range(1, 5))},
        reverse=True,
    )
    quarters = [q for q in quarters if q <= current or q == report.quarter]
    return page(
        request,
        state,
        "report.html",
        caller,
        nav="report",
        report=report,
        district=district or "",
        choices=[(d, DISTRICT_COUNTRY[d]) for d in choices],
        quarters=quarters,
        maps=maps,
        figures=figures,
        tables=tables,
        cell=format_cell,
    )


@pages.get("/report/download.{fmt}", name="report_download")
def report_download(
    request: Request,
    state: State,
    caller: PageCaller,
    fmt: str,
    quarter: QuarterParam = None,
    district: DistrictParam = None,
) -> Response:
    from varde.report.render import write_pdf, write_tables

    if fmt not in _FORMATS:
        raise InputError(f"no download as {fmt!r}; choose csv, xlsx or pdf")
    report = _report(state, caller, quarter, district, fmt)
    media_type, suffix = _FORMATS[fmt]
    with tempfile.TemporaryDirectory(prefix="varde-report-") as folder:
        written = write_tables(report, Path(folder)) if fmt != "pdf" else []
        if fmt == "pdf":
            target = Path(folder) / "report.pdf"
            write_pdf(report, target, lang=request_language(request))
            body = target.read_bytes()
        elif fmt == "xlsx":
            body = next(path for path in written if path.suffix == ".xlsx").read_bytes()
        else:
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for path in written:
                    if path.suffix == ".csv":
                        archive.write(path, path.name)
            body = buffer.getvalue()
    name = f"varde-report-{report.quarter}{'-csv' if fmt == 'csv' else ''}.{suffix}"
    return Response(
        body,
        media_type=media_type,
        headers={"content-disposition": f'attachment; filename="{name}"', "cache-control": "no-store"},
    )


@pages.get("/backmen", name="backmen_page", response_class=HTMLResponse)
def backmen_page(request: Request, state: State, caller: PageCaller) -> Response:
    ranked: list[dict[str, Any]] = [
        b.to_dict() for b in network_service(state).backmen(caller.actor, limit=BACKMEN_LISTED)
    ]
    return page(request, state, "backmen.html", caller, nav="backmen", backmen=ranked)
