"""The network page on a big store: the analysis is built off the request path — warmed in the background at
start-up, and after a data change the previous analysis is served (labelled "as of … (updating…)") while one
rebuild runs; the very first analysis shows a notice that reloads. The district scope holds for stale analyses."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from varde.cases import access
from varde.cases.ingest import ingest
from varde.network import service as network_module
from varde.network.analysis import Analysis
from varde.network.service import NetworkService
from varde.web.deps import network_service

from .conftest import Seeded, login, order_record

PENDING = 'id="network-pending"'
UPDATING = 'id="network-as-of"'


@pytest.fixture
def big(monkeypatch: pytest.MonkeyPatch) -> None:
    """Treat the seeded store as big: every rebuild goes to the background."""
    monkeypatch.setattr(network_module, "SYNC_BELOW", 0)


def _service(app: FastAPI) -> NetworkService:
    return network_service(app.state.web)


@pytest.fixture
def held(app: FastAPI, big: None) -> Iterator[threading.Event]:
    """Background rebuilds wait for this event (set it to let them run). Request it before `client`: the app's
    start-up warm-up, which `client` starts, must find the store big and its builds held."""
    release = threading.Event()
    _service(app).before_rebuild = lambda: release.wait(30)
    yield release
    release.set()


def _add_order(
    seeded: Seeded, post_id: str, order_id: str, district: str, author: str, contact: str = "@nattjobb"
) -> None:
    text = f"Skyt en kar på Grønland i kveld, 50k, kontakt {contact}"
    at = datetime.now(UTC)
    ingest(seeded.store, [order_record(post_id, order_id, text, at, district=district, urgency=0.9, author=author)])


def test_the_first_analysis_is_prepared_in_the_background(
    app: FastAPI, held: threading.Event, client: TestClient
) -> None:
    login(client, "ana")
    first = client.get("/network")
    assert first.status_code == 200 and PENDING in first.text and 'http-equiv="refresh"' in first.text
    assert client.get("/api/network").json()["pending"] is True
    held.set()
    assert _service(app).wait_for_rebuilds(30)
    ready = client.get("/network").text
    assert PENDING not in ready and UPDATING not in ready and 'id="backmen"' in ready


def test_after_a_change_the_previous_analysis_is_served_until_the_rebuild_is_done(
    app: FastAPI, held: threading.Event, client: TestClient, seeded: Seeded
) -> None:
    login(client, "ana")
    client.get("/network")
    held.set()
    assert _service(app).wait_for_rebuilds(30)
    held.clear()
    _add_order(seeded, "telegram:foxchan:991", "o-oslo-991", "Oslo", "@nyoslo")
    stale = client.get("/network")
    assert stale.status_code == 200 and UPDATING in stale.text and PENDING not in stale.text
    assert client.get("/api/network").json()["updating"] is True
    assert client.get("/api/network?entity=@nyoslo").status_code == 404  # not in the previous analysis
    held.set()
    assert _service(app).wait_for_rebuilds(30)
    fresh = client.get("/api/network?entity=@nyoslo")
    assert fresh.status_code == 200 and fresh.json()["updating"] is False
    assert UPDATING not in client.get("/network").text


def test_the_label_is_translated(app: FastAPI, seeded: Seeded, held: threading.Event) -> None:
    with TestClient(app, base_url="http://127.0.0.1", headers={"accept-language": "nb"}) as client:
        login(client, "ana")
        assert "Nettverksanalysen klargjøres" in client.get("/network").text
        held.set()
        assert _service(app).wait_for_rebuilds(30)
        held.clear()
        _add_order(seeded, "telegram:foxchan:992", "o-oslo-992", "Oslo", "@nyoslo2")
        assert "(oppdateres …)" in client.get("/network").text


def test_a_stale_analysis_keeps_the_district_scope(
    app: FastAPI, held: threading.Event, client: TestClient, seeded: Seeded
) -> None:
    analyst = TestClient(app, base_url="http://127.0.0.1")
    login(analyst, "ana")  # the unrestricted analysis is built and fresh beside the investigator's
    analyst.get("/network")
    login(client, "vera")  # investigator in Vest
    client.get("/network")
    held.set()
    assert _service(app).wait_for_rebuilds(30)
    assert client.get("/api/network?entity=acct:telegram:nattjobb").status_code == 404
    before = client.get("/api/network").json()["backmen"]
    held.clear()
    _add_order(seeded, "telegram:foxchan:993", "o-vest-993", "Vest", "@nyvest", contact="@vestjobb")
    assert analyst.get("/api/network?entity=acct:telegram:nattjobb").status_code == 200
    stale = client.get("/api/network")
    assert stale.json()["updating"] is True and stale.json()["backmen"] == before
    assert client.get("/network?entity=acct:telegram:nattjobb").status_code == 404
    assert client.get("/api/network?entity=order:o-oslo").status_code == 404
    assert client.get(f"/network?case={seeded.case('o-oslo')}").status_code == 404
    held.set()
    assert _service(app).wait_for_rebuilds(30)
    fresh = client.get("/api/network?entity=@nyvest")
    assert fresh.status_code == 200 and fresh.json()["updating"] is False
    assert client.get("/api/network?entity=acct:telegram:nattjobb").status_code == 404


def test_start_up_does_not_wait_for_the_analysis(
    app: FastAPI, seeded: Seeded, big: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    release, started = threading.Event(), threading.Event()
    compute = NetworkService._compute

    def held_compute(self: NetworkService, *args: Any, **kwargs: Any) -> Analysis:
        started.set()
        release.wait(30)
        return compute(self, *args, **kwargs)

    monkeypatch.setattr(NetworkService, "_compute", held_compute)
    try:
        with TestClient(app, base_url="http://127.0.0.1", headers={"accept-language": "en"}) as client:
            assert started.wait(30)  # the warm-up runs, in the background
            login(client, "ana")
            assert PENDING in client.get("/network").text  # answered while the warm-up is held
            release.set()
            assert _service(app).wait_for_rebuilds(30)
            assert 'id="backmen"' in client.get("/network").text and PENDING not in client.get("/network").text
    finally:
        release.set()


def test_the_warm_up_covers_every_scope_in_use(app: FastAPI) -> None:
    actors = app.state.web.accounts.actors_in_use()
    scopes = [access.case_scope(actor) for actor in actors]
    assert scopes[0] is None and frozenset({"Vest"}) in scopes and len(scopes) == len(set(scopes))
    assert all(actor.name == "warm-up" for actor in actors)
