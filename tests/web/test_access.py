"""Access rules hold on every route, for every role, through the pages and through the API.

The rules live in the cases service (varde.cases.access); these tests prove the web layer passes every request
through it: an investigator from Vest can neither list, read, change, merge, note nor export an Oslo case."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from .conftest import Seeded

# Expected status per role for each action on the Oslo case (o-oslo), in an order that keeps later steps valid.
ACTIONS = ["read", "network", "note", "assign", "status", "export", "merge"]
EXPECTED: dict[str, dict[str, int]] = {
    "ana": {"read": 200, "network": 200, "note": 200, "assign": 403, "status": 200, "export": 200, "merge": 403},
    "olav": {"read": 200, "network": 200, "note": 200, "assign": 403, "status": 200, "export": 200, "merge": 403},
    "sig": {"read": 200, "network": 200, "note": 200, "assign": 200, "status": 200, "export": 200, "merge": 200},
    "vera": {a: 404 for a in ACTIONS},
    "aud": {a: 403 for a in ACTIONS},
    "adm": {a: 403 for a in ACTIONS},
}
LISTS = {"ana": 200, "olav": 200, "sig": 200, "vera": 200, "aud": 403, "adm": 403}


def _api_call(client: TestClient, token: str, action: str, case_id: int, other: int) -> int:
    auth = {"authorization": f"Bearer {token}"}
    if action == "read":
        return client.get(f"/api/cases/{case_id}", headers=auth).status_code
    if action == "network":
        return client.get(f"/api/network?case={case_id}", headers=auth).status_code
    body: dict[str, object] = {"reason": "test"}
    path = {"note": "notes", "assign": "assign", "status": "status", "export": "evidence", "merge": "merge"}[action]
    if action == "note":
        body = {"text": "seen"}
    elif action == "assign":
        body["assignee"] = "olav"
    elif action == "status":
        body["status"] = "uncovered"
    elif action == "merge":
        body["into"] = other
    return client.post(f"/api/cases/{case_id}/{path}", json=body, headers=auth).status_code


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_api_obeys_access_rules(client: TestClient, seeded: Seeded, role: str) -> None:
    oslo, other = seeded.case("o-oslo"), seeded.case("o-oslo-2")
    token = seeded.tokens[role]
    got = {action: _api_call(client, token, action, oslo, other) for action in ACTIONS}
    assert got == EXPECTED[role]
    listing = client.get("/api/queue?status=all", headers={"authorization": f"Bearer {token}"})
    assert listing.status_code == LISTS[role]
    dashboard = client.get("/api/dashboard", headers={"authorization": f"Bearer {token}"})
    assert dashboard.status_code == LISTS[role]
    if listing.status_code == 200:
        ids = {c["id"] for c in listing.json()["cases"]}
        districts = {c["district"] for c in listing.json()["cases"]}
        if role == "vera":
            assert ids == {seeded.case("o-vest")} and districts == {"Vest"}
            assert oslo not in ids
            assert dashboard.json()["totals"][dashboard.json()["quarter"]]["unique_orders"] == 1
        elif role == "olav":
            assert districts == {"Oslo"}
        else:
            assert oslo in ids and seeded.case("o-vest") in ids


CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def _page_call(client: TestClient, csrf: str, action: str, case_id: int, other: int) -> int:
    if action == "read":
        return client.get(f"/cases/{case_id}").status_code
    if action == "network":
        return client.get(f"/network?case={case_id}").status_code
    form = {"csrf_token": csrf, "reason": "test"}
    path = {"note": "note", "assign": "assign", "status": "status", "export": "export", "merge": "merge"}[action]
    if action == "note":
        form["text"] = "seen"
    elif action == "assign":
        form["assignee"] = "olav"
    elif action == "status":
        form["status"] = "uncovered"
    elif action == "merge":
        form["into"] = str(other)
    response = client.post(f"/cases/{case_id}/{path}", data=form, follow_redirects=False)
    return 200 if response.status_code == 303 else response.status_code  # success redirects to the case page


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_pages_obey_access_rules(client: TestClient, seeded: Seeded, login_as: Callable[[str], str], role: str) -> None:
    csrf = login_as(role)
    oslo, other = seeded.case("o-oslo"), seeded.case("o-oslo-2")
    got = {action: _page_call(client, csrf, action, oslo, other) for action in ACTIONS}
    assert got == EXPECTED[role]
    queue = client.get("/?status=all")
    assert queue.status_code == LISTS[role]
    assert client.get("/dashboard").status_code == LISTS[role]
    if role == "vera":
        assert f'href="/cases/{oslo}"' not in queue.text
        assert f'href="/cases/{seeded.case("o-vest")}"' in queue.text
        assert "Skyt en kar" not in client.get(f"/cases/{oslo}").text


def test_denied_attempts_are_audited(client: TestClient, seeded: Seeded) -> None:
    oslo = seeded.case("o-oslo")
    client.get(f"/api/cases/{oslo}", headers={"authorization": f"Bearer {seeded.tokens['vera']}"})
    from varde.cases.access import AUDITOR, Actor

    events = seeded.service.audit_log(Actor("aud", AUDITOR, frozenset(), "test"), action="access.denied")
    assert any(e.actor == "vera" and e.object == f"case:{oslo}" and e.source.startswith("web:") for e in events)


def test_export_downloads_a_zip(client: TestClient, seeded: Seeded) -> None:
    response = client.post(
        f"/api/cases/{seeded.case('o-oslo')}/evidence", headers={"authorization": f"Bearer {seeded.tokens['ana']}"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    assert response.content.startswith(b"PK")
    assert len(response.headers["x-manifest-sha256"]) == 64


def test_unauthenticated_requests_are_refused(client: TestClient, seeded: Seeded) -> None:
    oslo = seeded.case("o-oslo")
    for path in ["/api/queue", f"/api/cases/{oslo}", "/api/dashboard", "/api/me", f"/api/network?case={oslo}"]:
        assert client.get(path).status_code == 401
    assert client.get(path, headers={"authorization": "Bearer vt_nope_nope"}).status_code == 401
    assert client.post(f"/api/cases/{oslo}/status", json={"status": "uncovered", "reason": "x"}).status_code == 401
    for path in ["/", f"/cases/{oslo}", "/dashboard", "/tips/new", "/network"]:
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/login?next=")
