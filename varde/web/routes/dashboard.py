"""Dashboard: this quarter and the ones before — posts, unique orders, uncovered, prevented, executed, dismissed —
overall, per district and per violence type. The figures are `varde.report.stats` (the one place their definitions
live), over the cases the user may see, read and audited by `varde.report.service.ReportService`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
from pydantic import BaseModel

from varde import i18n
from varde.report.service import TallyPending
from varde.report.svgmap import district_map_svg, short_name
from varde.vocab import COUNTRY_NAMES
from varde.web.deps import ApiCaller, PageCaller, Reports, State, report_service
from varde.web.render import page
from varde.web.routes.assets import plotly_style_guards

QuarterParam = Annotated[
    str | None, Query(max_length=8, description="a quarter like 2025Q3 (default: the newest with figures)")
]

router = APIRouter(prefix="/api", tags=["dashboard"])

pages = APIRouter(include_in_schema=False)  # the HTML page beside its JSON twin


class Dashboard(BaseModel):
    quarter: str
    current: str
    quarter_options: list[str]
    quarters: list[str]
    metrics: list[str]
    labels: dict[str, str]
    colours: dict[str, str]
    totals: dict[str, dict[str, int]]
    by_district: dict[str, dict[str, int]]
    by_country: dict[str, dict[str, dict[str, int]]]
    by_violence_type: dict[str, dict[str, int]]
    cases: int
    as_of: datetime
    updating: bool = False  # figures as of `as_of`; newer ones are being read in the background


PENDING_RELOAD_S = 3  # while the first figures are read the page reloads itself after this many seconds


@router.get(
    "/dashboard",
    summary="Quarterly figures (JSON twin of /dashboard)",
    responses={503: {"description": "The figures could not be read yet: retry later"}},
)
def api_dashboard(reports: Reports, caller: ApiCaller, quarter: QuarterParam = None) -> Dashboard:
    try:
        return Dashboard(**reports.dashboard(caller.actor, quarter=quarter))
    except TallyPending as error:
        raise HTTPException(503, detail=str(error), headers={"Retry-After": str(PENDING_RELOAD_S)}) from error


def request_language(request: Request) -> str:
    """The page's language, chosen as `page` chooses it (query, cookie, Accept-Language, bokmål)."""
    return i18n.choose_language(
        request.query_params.get("lang"), request.cookies.get(i18n.LANG_COOKIE), request.headers.get("accept-language")
    )


def request_gettext(request: Request) -> Callable[[str], str]:
    """The page language's gettext, for text made outside the template."""
    return i18n.translations(request_language(request)).gettext


def country_maps(
    by_country: dict[str, dict[str, dict[str, int]]], metric: str, title: str, gettext: Callable[[str], str]
) -> dict[str, Markup]:
    """One server-drawn SVG map per country in the user's scope, coloured by `metric`."""
    return {
        country: district_map_svg(
            country,
            {name: row[metric] for name, row in rows.items()},
            title=f"{title}: {gettext(COUNTRY_NAMES[country])}",
            short={name: short_name(name) for name in rows} if country == "DK" else None,
        )
        for country, rows in by_country.items()
    }


@pages.get("/dashboard", name="dashboard_page", response_class=HTMLResponse)
def dashboard_page(request: Request, state: State, caller: PageCaller, quarter: QuarterParam = None) -> Response:
    try:
        view = report_service(state).dashboard(caller.actor, quarter=quarter, pending_ok=True)
    except TallyPending:  # the first read of these figures runs in the background: say so, and reload
        return page(request, state, "dashboard_pending.html", caller, nav="dashboard", reload_s=PENDING_RELOAD_S)
    gettext = request_gettext(request)
    maps = country_maps(view["by_country"], "unique_orders", f"{gettext('Unique orders')}, {view['quarter']}", gettext)
    return page(
        request,
        state,
        "dashboard.html",
        caller,
        nav="dashboard",
        view=view,
        maps=maps,
        style_guards=plotly_style_guards(),
    )
