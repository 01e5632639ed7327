"""The admin page and its JSON twin: only admins; disabling ends sessions; tokens issued with scope, listed
without secrets, revoked."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient

from .conftest import Seeded


def bearer(seeded: Seeded, name: str) -> dict[str, str]:
    return {"authorization": f"Bearer {seeded.tokens[name]}"}


def test_only_admins_reach_the_admin_api(client: TestClient, seeded: Seeded) -> None:
    for name in ("ana", "sig", "aud", "olav"):
        assert client.get("/api/admin/users", headers=bearer(seeded, name)).status_code == 403
        assert client.post("/api/admin/users/ana/disable", headers=bearer(seeded, name)).status_code == 403
    assert client.get("/api/admin/users").status_code == 401
    users = client.get("/api/admin/users", headers=bearer(seeded, "adm")).json()
    assert {u["name"] for u in users} >= {"ana", "adm"}


def test_admins_disable_users_issue_and_revoke_tokens(client: TestClient, seeded: Seeded) -> None:
    adm = bearer(seeded, "adm")
    issued = client.post("/api/admin/users/ana/tokens", json={"label": "report", "scope": "read"}, headers=adm)
    assert issued.status_code == 201
    token, token_id = issued.json()["token"], issued.json()["id"]
    assert client.get("/api/me", headers={"authorization": f"Bearer {token}"}).status_code == 200
    listed = client.get("/api/admin/tokens?user=ana", headers=adm).json()
    assert token_id in {t["id"] for t in listed} and token not in str(listed)
    assert client.post(f"/api/admin/tokens/{token_id}/revoke", headers=adm).status_code == 200
    assert client.get("/api/me", headers={"authorization": f"Bearer {token}"}).status_code == 401
    assert client.post("/api/admin/users/ana/disable", headers=adm).status_code == 200
    assert client.get("/api/me", headers=bearer(seeded, "ana")).status_code == 401
    weak = client.post("/api/admin/users/ana/password", json={"password": "password1"}, headers=adm)
    assert weak.status_code == 400 and "too common" in weak.text


def test_the_admin_page_disables_a_logged_in_user(
    app: object, client: TestClient, seeded: Seeded, login_as: Callable[[str], str]
) -> None:
    from .conftest import login

    with TestClient(app, base_url="http://127.0.0.1") as other:  # type: ignore[arg-type]
        login(other, "ana")
        assert other.get("/api/me").status_code == 200
        csrf = login_as("adm")
        page = client.get("/admin")
        assert page.status_code == 200 and "ana" in page.text
        done = client.post("/admin/users/ana/disable", data={"csrf_token": csrf}, follow_redirects=False)
        assert done.status_code == 303
        assert other.get("/api/me").status_code == 401  # ana's session ended at once
        assert client.post("/admin/users/ana/enable", data={"csrf_token": "wrong"}).status_code == 403
        issued = client.post("/admin/users/sig/token", data={"csrf_token": csrf, "label": "x", "scope": "read"})
        assert issued.status_code == 200 and re.search(r"vt_[0-9a-f]+_", issued.text)


def test_others_do_not_see_the_admin_page(client: TestClient, login_as: Callable[[str], str]) -> None:
    login_as("sig")
    assert client.get("/admin").status_code == 403
    assert "/admin" not in client.get("/").text
