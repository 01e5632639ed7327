"""Dashboard: this quarter and the ones before — posts, unique orders, uncovered, prevented, executed, dismissed —
overall, per district and per violence type. The figures are `varde.report.stats` (the one place their definitions
live), over the cases the user may see, read and audited by `varde.report.service.ReportService`."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from varde.web.deps import ApiCaller, Reports

router = APIRouter(prefix="/api", tags=["dashboard"])


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
