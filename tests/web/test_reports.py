"""The dashboard (quarter picker, one colour per status, maps of the three countries), the quarterly report page
with its CSV/XLSX/PDF downloads, and the backmen ranking: each within the user's districts and audited."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from varde.cases.access import Actor
from varde.report.palette import METRIC_COLOURS, STATUS_TINTS
from varde.report.quarters import quarter_of, shift_quarter
from varde.report.service import ReportService
from varde.store.case_tables import audit_events

from .conftest import Seeded, login


def bearer(seeded: Seeded, name: str) -> dict[str, str]:
    return {"authorization": f"Bearer {seeded.tokens[name]}"}


def _actions(seeded: Seeded, action: str) -> list[dict[str, object]]:
    with seeded.store.engine.connect() as conn:
        rows = conn.execute(select(audit_events.c.action, audit_events.c.details)).all()
    return [json.loads(r.details) for r in rows if r.action == action]


def test_dashboard_defaults_to_the_newest_quarter_with_figures(seeded: Seeded) -> None:
    now = datetime.now(UTC)
    later = now + timedelta(days=200)  # two quarters on: the current quarter has no cases
    service = ReportService(seeded.store, clock=lambda: later)
    view = service.dashboard(Actor("ana", "analyst", frozenset(), "test"))
    assert view["quarter"] == quarter_of(now) and view["current"] == quarter_of(later)
    assert view["totals"][view["quarter"]]["unique_orders"] == len(seeded.case_ids)
    assert view["quarter_options"][0] == quarter_of(later) and quarter_of(now) in view["quarter_options"]


def test_dashboard_quarter_picker(client: TestClient, seeded: Seeded) -> None:
    headers = bearer(seeded, "ana")
    current = client.get("/api/dashboard", headers=headers).json()
    earlier = shift_quarter(current["quarter"], -6)
    data = client.get(f"/api/dashboard?quarter={earlier.lower()}", headers=headers).json()
    assert data["quarter"] == earlier and data["quarters"][-1] == earlier
    assert data["totals"][earlier]["unique_orders"] == 0
    assert client.get("/api/dashboard?quarter=nonsense", headers=headers).json()["quarter"] == current["quarter"]
    page = client.get(f"/dashboard?quarter={earlier}", headers=headers).text
    assert re.search(rf'<option value="{earlier}"\s+selected>', page)


def test_one_colour_per_status_everywhere(client: TestClient, seeded: Seeded) -> None:
    data = client.get("/api/dashboard", headers=bearer(seeded, "ana")).json()
    assert data["colours"] == METRIC_COLOURS
    assert len(set(METRIC_COLOURS.values())) == len(METRIC_COLOURS)  # no colour means two things
    css = (Path(__file__).parents[2] / "varde/web/static/app.css").read_text(encoding="utf-8")
    for status, tint in STATUS_TINTS.items():
        assert f".badge.status-{status} {{ background: {tint};" in css


def test_dashboard_maps_follow_the_scope(client: TestClient, seeded: Seeded) -> None:
    page = client.get("/dashboard", headers=bearer(seeded, "ana")).text
    for country in ("no", "se", "dk"):
        assert f'id="map-{country}"' in page
    assert re.search(r'data-district="Oslo" data-value="(\d+)"', page).group(1) == str(len(seeded.case_ids) - 1)
    vest_only = client.get("/dashboard", headers=bearer(seeded, "vera")).text
    assert 'id="map-no"' in vest_only and 'id="map-se"' not in vest_only and 'id="map-dk"' not in vest_only
    assert 'data-district="Vest" data-value="1"' in vest_only
    assert re.search(
        r'fill="#d9d9d9" stroke="#404040" stroke-width="0.4" data-district="Oslo" data-value=""', vest_only
    )


def test_report_page_and_its_audit(client: TestClient, seeded: Seeded) -> None:
    before = len(_actions(seeded, "report.build"))
    login(client, "ana")
    page = client.get("/report")
    assert page.status_code == 200
    quarter = quarter_of(datetime.now(UTC))
    assert f'<option value="{quarter}" selected>' in page.text
    assert 'id="map-no"' in page.text and 'id="map-se"' in page.text and 'id="map-dk"' in page.text
    assert f"{len(seeded.case_ids)} " in page.text
    events = _actions(seeded, "report.build")[before:]
    assert [(e["quarter"], e["output"], e["districts"]) for e in events] == [(quarter, "page", None)]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "pdf"])
def test_report_downloads_are_audited(client: TestClient, seeded: Seeded, fmt: str) -> None:
    quarter = quarter_of(datetime.now(UTC))
    login(client, "vera")
    response = client.get(f"/report/download.{fmt}?quarter={quarter}")
    assert response.status_code == 200
    assert f"varde-report-{quarter}" in response.headers["content-disposition"]
    body = response.content
    if fmt == "pdf":
        assert body.startswith(b"%PDF")
    elif fmt == "xlsx":
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(body))["headline"]
        assert [c.value for c in sheet[4]][:2] == ["Unique orders", 1]  # Vest only
    else:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            assert "headline.csv" in archive.namelist()
            assert "Oslo" not in archive.read("by_district_no.csv").decode("utf-8-sig")
    events = _actions(seeded, "report.build")
    assert (events[-1]["output"], events[-1]["districts"]) == (fmt, ["Vest"])


def test_report_within_the_scope_only(client: TestClient, seeded: Seeded) -> None:
    login(client, "vera")
    page = client.get("/report?district=Oslo")  # outside her districts: nothing, not Oslo's cases
    assert page.status_code == 200 and 'id="report-scope"' in page.text
    assert re.search(r'id="report-scope">\s*0 ', page.text)
    assert client.get("/report?district=Atlantis").status_code == 400
    assert client.get("/report/download.exe").status_code == 400
    client.cookies.clear()
    login(client, "aud")
    assert client.get("/report").status_code == 403
    assert client.get("/report/download.pdf").status_code == 403


def test_backmen_page(client: TestClient, seeded: Seeded) -> None:
    login(client, "ana")
    page = client.get("/backmen")
    assert page.status_code == 200 and 'id="backmen"' in page.text
    assert _actions(seeded, "network.backmen")
    client.cookies.clear()
    login(client, "aud")
    assert client.get("/backmen").status_code == 403


def test_the_report_is_kept_until_the_cases_change(client: TestClient, seeded: Seeded) -> None:
    login(client, "ana")

    def view() -> tuple[int, int]:
        page = client.get("/report").text
        seq = re.search(r"This view is audit event (\d+)\.", page)
        dismissed = re.search(r'<tr data-metric="dismissed"><th>[^<]*</th><td class="num">(\d+)</td>', page)
        assert seq and dismissed
        return int(seq.group(1)), int(dismissed.group(1))

    first, second = view(), view()
    assert second[0] > first[0] and second[1] == first[1] == 0  # each view its own audit event
    client.post(
        f"/api/cases/{seeded.case('o-vest')}/status",
        json={"status": "dismissed", "reason": "not an order"},
        headers=bearer(seeded, "ana"),
    )
    assert view()[1] == 1
