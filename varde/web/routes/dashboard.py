"""Dashboard: this quarter and the ones before — posts, unique orders, uncovered, prevented, executed, dismissed —
overall, per district and per violence type. The figures are `varde.report.stats` (the one place their definitions
live), over the cases the user may see, read and audited by `varde.report.service.ReportService`."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel

from varde.web.deps import ApiCaller, PageCaller, Reports, State, report_service
from varde.web.render import page
from varde.web.routes.assets import plotly_style_guards

router = APIRouter(prefix="/api", tags=["dashboard"])

pages = APIRouter(include_in_schema=False)  # the HTML page beside its JSON twin


class Dashboard(BaseModel):
    quarter: str
    quarters: list[str]
    metrics: list[str]
    labels: dict[str, str]
    totals: dict[str, dict[str, int]]
    by_district: dict[str, dict[str, int]]
    by_violence_type: dict[str, dict[str, int]]
    cases: int


@router.get("/dashboard", summary="Quarterly figures (JSON twin of /dashboard)")
def api_dashboard(reports: Reports, caller: ApiCaller) -> Dashboard:
    return Dashboard(**reports.dashboard(caller.actor))


@pages.get("/dashboard", name="dashboard_page", response_class=HTMLResponse)
def dashboard_page(request: Request, state: State, caller: PageCaller) -> Response:
    view = report_service(state).dashboard(caller.actor)
    return page(
        request, state, "dashboard.html", caller, nav="dashboard", view=view, style_guards=plotly_style_guards()
    )
