"""The dashboard on a big store: after a case change the kept figures are shown, labelled "as of … (updating…)",
while one background re-read runs; then the new ones. Each district scope keeps its own figures."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from varde.cases.ingest import ingest
from varde.report import service as report_module
from varde.report.service import ReportService
from varde.web.deps import report_service

from .conftest import Seeded, login, order_record

UPDATING = 'id="dashboard-as-of"'


def _service(app: FastAPI) -> ReportService:
    return report_service(app.state.web)


@pytest.fixture
def held(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """A big store (re-reads go to the background), whose background re-reads wait for this event."""
    monkeypatch.setattr(report_module, "SYNC_BELOW", 0)
    release = threading.Event()
    _service(app).before_rebuild = lambda: release.wait(30)
    yield release
    release.set()


def _add_order(seeded: Seeded, post_id: str, order_id: str, district: str) -> None:
    text = "Skyt en kar på Grønland i kveld, 50k, kontakt @vestjobb"
    at = datetime.now(UTC)
    ingest(seeded.store, [order_record(post_id, order_id, text, at, district=district, urgency=0.9, author="@ny")])


def test_after_a_change_the_kept_figures_are_shown_until_the_new_ones_are_read(
    app: FastAPI, client: TestClient, seeded: Seeded, held: threading.Event
) -> None:
    login(client, "ana")
    before = client.get("/api/dashboard").json()
    assert before["updating"] is False and UPDATING not in client.get("/dashboard").text
    _add_order(seeded, "telegram:foxchan:981", "o-oslo-981", "Oslo")
    stale = client.get("/api/dashboard").json()
    assert stale["updating"] is True and stale["cases"] == before["cases"] and stale["as_of"] == before["as_of"]
    assert UPDATING in client.get("/dashboard").text
    held.set()
    assert _service(app).wait_for_rebuilds(30)
    fresh = client.get("/api/dashboard").json()
    assert fresh["updating"] is False and fresh["cases"] == before["cases"] + 1
    assert UPDATING not in client.get("/dashboard").text


def test_stale_figures_keep_the_district_scope(
    app: FastAPI, client: TestClient, seeded: Seeded, held: threading.Event
) -> None:
    analyst = TestClient(app, base_url="http://127.0.0.1")
    login(analyst, "ana")
    everything = analyst.get("/api/dashboard").json()["cases"]
    login(client, "vera")  # investigator in Vest
    vest = client.get("/api/dashboard").json()
    assert vest["cases"] < everything and set(vest["by_district"]) <= {"Vest"}
    _add_order(seeded, "telegram:foxchan:982", "o-oslo-982", "Oslo")
    assert analyst.get("/api/dashboard").json()["updating"] is True
    stale = client.get("/api/dashboard").json()
    assert stale["updating"] is True and stale["cases"] == vest["cases"] and set(stale["by_district"]) <= {"Vest"}
    held.set()
    assert _service(app).wait_for_rebuilds(30)
    fresh = client.get("/api/dashboard").json()
    assert fresh["updating"] is False and fresh["cases"] == vest["cases"]  # the Oslo case is not theirs
    assert analyst.get("/api/dashboard").json()["cases"] == everything + 1
