"""The JSON API router, mounted on the workbench app (the app itself belongs to the web issue)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.network.test_service import OPERATOR, record
from varde.cases.accounts import AccountService
from varde.cases.ingest import ingest
from varde.settings import Settings
from varde.store import Store
from varde.web.app import create_app
from varde.web.routes import network_api


@pytest.fixture
def client(tmp_path: Path) -> Iterator[tuple[TestClient, dict[str, str], dict[str, str]]]:
    url = f"sqlite:///{tmp_path / 'varde.db'}"
    store = Store.open(url)
    ingest(
        store,
        [
            record(
                "x:1",
                author="@kro_jobb",
                platform="x",
                order_id="o-oslo",
                district="Oslo",
                contacts=(("telegram", "@krojobb"),),
            ),
            record(
                "telegram:2",
                author="@vest_boss",
                order_id="o-vest",
                district="Vest",
                contacts=(("telegram", "@vestjobb"),),
            ),
        ],
    )
    cases = AccountService(store)
    cases.add_user(OPERATOR, "ana", "analyst")
    cases.add_user(OPERATOR, "inv", "investigator", districts=["Oslo"])
    ana = {"Authorization": f"Bearer {cases.issue_token(OPERATOR, 'ana').token}"}
    inv = {"Authorization": f"Bearer {cases.issue_token(OPERATOR, 'inv').token}"}
    app = create_app(Settings(database_url=url), store=store, secure_cookies=False)
    if not any(getattr(r, "path", "") == "/api/network/backmen" for r in app.routes):
        app.include_router(network_api.router)
    with TestClient(app) as test_client:
        yield test_client, ana, inv
    store.close()


def test_backmen_entity_and_link(client: tuple[TestClient, dict[str, str], dict[str, str]]) -> None:
    http, ana, inv = client
    assert http.get("/api/network/backmen").status_code == 401
    ranked = http.get("/api/network/backmen", headers=ana).json()
    assert {m for b in ranked for m in b["members"]} >= {"acct:x:kro_jobb", "acct:telegram:vest_boss"}
    scoped = http.get("/api/network/backmen", headers=inv).json()
    assert "acct:telegram:vest_boss" not in {m for b in scoped for m in b["members"]}
    view = http.get("/api/network/entity/acct:x:kro_jobb", headers=ana).json()
    assert view["entity"]["kind"] == "account" and view["nodes"]
    assert http.get("/api/network/entity/acct:telegram:vest_boss", headers=inv).status_code == 404
    body = {"a": "acct:x:kro_jobb", "b": "acct:telegram:krojobb", "same": False, "reason": "checked"}
    stored = http.post("/api/network/link", json=body, headers=ana)
    assert stored.status_code == 200 and stored.json()["judgement"] == "not_same"
    view = http.get("/api/network/entity/acct:x:kro_jobb", headers=ana).json()
    assert "acct:telegram:krojobb" not in view["actor_members"]
