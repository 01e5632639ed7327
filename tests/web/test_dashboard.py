"""The dashboard on a big store: after a case change the kept figures are shown, labelled "as of … (updating…)",
while one background re-read runs; then the new ones. Each district scope keeps its own figures, and a restarted
workbench shows those the last run read until its own start-up read ends."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from varde.cases import access
from varde.cases.ingest import ingest
from varde.report import service as report_module
from varde.report.service import ReportService
from varde.web.deps import report_service

from .conftest import Seeded, login, make_app, order_record

UPDATING = 'id="dashboard-as-of"'


def _service(app: FastAPI) -> ReportService:
    return report_service(app.state.web)


@pytest.fixture
def held(app: FastAPI, client: TestClient, monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """A big store (re-reads go to the background), whose background re-reads wait for this event. The app's
    start-up read has ended first (on the small store it reads nothing); then every scope in use is read once, as
    the start-up read does on a big store, so the first views show figures."""
    for thread in threading.enumerate():
        if thread.name == "varde-warm-up":
            thread.join(30)
    monkeypatch.setattr(report_module, "SYNC_BELOW", 0)
    web = app.state.web
    _service(app).warm([access.case_scope(actor) for actor in web.accounts.actors_in_use()])
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


def test_a_restarted_workbench_shows_the_last_figures_read_until_it_has_read_them_again(
    app: FastAPI, client: TestClient, seeded: Seeded, held: threading.Event, tmp_path: Path
) -> None:
    login(client, "ana")
    client.get("/api/dashboard")
    _add_order(seeded, "telegram:foxchan:983", "o-oslo-983", "Oslo")
    assert client.get("/api/dashboard").json()["updating"] is True
    held.set()
    assert _service(app).wait_for_rebuilds(30)  # the background read keeps its figures in the database
    last = client.get("/api/dashboard").json()
    assert last["updating"] is False

    restarted = make_app(seeded.store, tmp_path / "restarted")
    start_up = threading.Event()
    _service(restarted).before_rebuild = lambda: start_up.wait(30)  # the start-up read has not ended yet
    with TestClient(restarted, base_url="http://127.0.0.1", headers={"accept-language": "en"}) as other:
        login(other, "ana")
        shown = other.get("/api/dashboard").json()
        assert shown["updating"] is True and shown["as_of"] == last["as_of"]
        for figures in ("totals", "by_district", "by_violence_type", "cases"):
            assert shown[figures] == last[figures], figures
        assert UPDATING in other.get("/dashboard").text
        start_up.set()
        assert _service(restarted).wait_for_rebuilds(30)
        fresh = other.get("/api/dashboard").json()
        assert fresh["updating"] is False and fresh["as_of"] > last["as_of"]
        assert fresh["totals"] == last["totals"] and fresh["cases"] == last["cases"]


def test_figures_never_read_are_announced_as_being_read_on_the_page_and_waited_for_by_the_api(
    seeded: Seeded, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(report_module, "SYNC_BELOW", 0)  # a big store: nothing read yet, nothing kept
    started = make_app(seeded.store, tmp_path / "first")
    start_up = threading.Event()
    _service(started).before_rebuild = lambda: start_up.wait(30)  # the first read has not ended yet
    with TestClient(started, base_url="http://127.0.0.1", headers={"accept-language": "en"}) as client:
        login(client, "ana")
        page = client.get("/dashboard")
        assert page.status_code == 200 and 'id="dashboard-pending"' in page.text
        assert '<meta http-equiv="refresh" content="3">' in page.text and 'id="totals"' not in page.text
        answers: list[dict[str, Any]] = []
        api = threading.Thread(target=lambda: answers.append(client.get("/api/dashboard").json()))
        api.start()
        api.join(0.5)
        assert api.is_alive()  # a script asking for the figures waits for them
        start_up.set()
        api.join(30)
        assert answers[0]["updating"] is False and answers[0]["cases"] == len(seeded.case_ids)
        page = client.get("/dashboard")
        assert 'id="dashboard-pending"' not in page.text and 'id="totals"' in page.text
