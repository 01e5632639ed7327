"""The workbench on the PostgreSQL server: access by district, a status change that moves a case and the
dashboard count, and a tip reaching the queue (the rest of the web tests run on SQLite)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from varde.store import Store

from .conftest import Seeded, make_app, seed

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_client(postgres_url: str, tmp_path: Path) -> Iterator[tuple[TestClient, Seeded]]:
    store = Store.open(postgres_url)
    seeded = seed(store, hostile=False)
    with TestClient(make_app(store, tmp_path), base_url="http://127.0.0.1") as client:
        yield client, seeded
    store.close()


def test_workbench_on_postgres(pg_client: tuple[TestClient, Seeded]) -> None:
    client, seeded = pg_client
    ana = {"authorization": f"Bearer {seeded.tokens['ana']}"}
    vera = {"authorization": f"Bearer {seeded.tokens['vera']}"}
    oslo = seeded.case("o-oslo")
    assert client.get(f"/api/cases/{oslo}", headers=vera).status_code == 404
    assert (
        client.post(f"/api/cases/{oslo}/status", json={"status": "uncovered", "reason": "x"}, headers=vera).status_code
        == 404
    )
    assert {c["id"] for c in client.get("/api/queue", headers=vera).json()["cases"]} == {seeded.case("o-vest")}
    queue = client.get("/api/queue", headers=ana).json()
    assert queue["cases"][0]["id"] == oslo
    before = client.get("/api/dashboard", headers=ana).json()
    quarter = before["quarter"]
    changed = client.post(f"/api/cases/{oslo}/status", json={"status": "uncovered", "reason": "confirmed"}, headers=ana)
    assert changed.status_code == 200 and changed.json()["state"] == "uncovered"
    moved = client.get("/api/queue?status=uncovered", headers=ana).json()
    assert [c["id"] for c in moved["cases"]] == [oslo] and moved["counts"]["uncovered"] == 1
    after = client.get("/api/dashboard", headers=ana).json()
    assert after["totals"][quarter]["uncovered"] == before["totals"][quarter]["uncovered"] + 1
    tip = client.post(
        "/api/tips", data={"text": "Betaler 30k for en jobb i Oslo i natt", "contact": "anon"}, headers=ana
    )
    assert tip.status_code == 201 and tip.json()["case_id"]
    assert tip.json()["case_id"] in {c["id"] for c in client.get("/api/queue", headers=ana).json()["cases"]}
    page = client.get(f"/cases/{oslo}")
    assert page.status_code == 200 and "/login" in str(page.url)  # pages need a session, not a token
