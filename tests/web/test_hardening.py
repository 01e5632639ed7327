"""Web hardening: sessions that end at logout, login throttling, body limits and authentication before upload,
trusted proxies, read-only tokens (SQLite; the session and lockout checks also on PostgreSQL)."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient

from varde.settings import Settings
from varde.store import Store
from varde.web import create_app

from .conftest import PASSWORD, Seeded, login, make_app, seed, tip_pipeline

LOGIN_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def try_login(client: TestClient, name: str, password: str) -> Any:
    form = client.get("/login")
    token = LOGIN_CSRF.search(form.text)
    assert token
    return client.post(
        "/login", data={"username": name, "password": password, "csrf_token": token.group(1)}, follow_redirects=False
    )


def old_cookie_after_logout(client: TestClient) -> int:
    csrf = login(client, "ana")
    cookie = client.cookies["varde_session"]
    assert client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False).status_code == 303
    client.cookies.set("varde_session", cookie)  # an attacker who copied the cookie replays it
    return int(client.get("/api/me").status_code)


def test_the_session_cookie_is_dead_after_logout(client: TestClient) -> None:
    assert old_cookie_after_logout(client) == 401


def test_many_wrong_passwords_lock_the_login(client: TestClient, seeded: Seeded) -> None:
    for attempt in range(5):
        assert try_login(client, "ana", f"wrong guess {attempt}").status_code == 401
    locked = try_login(client, "ana", PASSWORD)
    assert locked.status_code == 429 and int(locked.headers["retry-after"]) > 0
    assert "varde_session" not in client.cookies
    with seeded.store.engine.connect() as conn:
        audited = set(conn.execute(sa.text("SELECT action FROM audit_events WHERE object = 'user:ana'")).scalars())
    assert {"login.failed", "login.locked", "login.throttled"} <= audited


@pytest.mark.postgres
def test_sessions_and_lockouts_on_postgres(postgres_url: str, tmp_path: Path) -> None:
    store = Store.open(postgres_url)
    try:
        seed(store, hostile=False)
        with TestClient(make_app(store, tmp_path), base_url="http://127.0.0.1") as client:
            assert old_cookie_after_logout(client) == 401
            client.cookies.clear()
            for attempt in range(5):
                assert try_login(client, "sig", f"wrong guess {attempt}").status_code == 401
            assert try_login(client, "sig", PASSWORD).status_code == 429
    finally:
        store.close()


def call_raw(app: FastAPI, method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, int]:
    """Call the ASGI app directly; returns (status, how many body bytes the app pulled)."""
    pulled = 0
    status = 0
    chunks = [body[i : i + 65536] for i in range(0, len(body), 65536)] or [b""]

    async def receive() -> dict[str, Any]:
        nonlocal pulled
        if not chunks:
            return {"type": "http.disconnect"}
        chunk = chunks.pop(0)
        pulled += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": bool(chunks)}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = int(message["status"])

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("10.0.0.9", 50000),
        "server": ("127.0.0.1", 80),
    }
    asyncio.run(app(scope, receive, send))  # type: ignore[arg-type]
    return status, pulled


MULTIPART = "multipart/form-data; boundary=xyz"


def upload(size: int) -> bytes:
    return (
        b'--xyz\r\nContent-Disposition: form-data; name="text"\r\n\r\nBetaler 30k\r\n'
        b'--xyz\r\nContent-Disposition: form-data; name="screenshot"; filename="a.png"\r\n'
        b"Content-Type: image/png\r\n\r\n" + b"\0" * size + b"\r\n--xyz--\r\n"
    )


def test_an_unauthenticated_upload_is_refused_before_its_body_is_read(app: FastAPI) -> None:
    body = upload(2 * 1024 * 1024)
    headers = {"content-type": MULTIPART, "content-length": str(len(body))}
    assert call_raw(app, "POST", "/api/tips", headers, body) == (401, 0)
    status, pulled = call_raw(app, "POST", "/tips", headers, body)
    assert (status, pulled) == (303, 0)


def test_the_public_login_form_takes_only_a_small_body(app: FastAPI) -> None:
    body = b"username=ana&password=" + b"x" * (1024 * 1024)
    headers = {"content-type": "application/x-www-form-urlencoded", "content-length": str(len(body))}
    assert call_raw(app, "POST", "/login", headers, body) == (413, 0)


def test_a_body_over_the_limit_gets_413(seeded: Seeded, tmp_path: Path) -> None:
    settings = Settings(database_url=str(seeded.store.engine.url), max_body_bytes=1024 * 1024)
    app = create_app(
        settings, store=seeded.store, secure_cookies=False, media_dir=str(tmp_path), pipeline=tip_pipeline()
    )
    auth = {"authorization": f"Bearer {seeded.tokens['ana']}"}
    body = upload(2 * 1024 * 1024)
    declared = {"content-type": MULTIPART, "content-length": str(len(body)), **auth}
    assert call_raw(app, "POST", "/api/tips", declared, body) == (413, 0)
    streamed = {"content-type": MULTIPART, "transfer-encoding": "chunked", **auth}  # no length: counted as read
    status, pulled = call_raw(app, "POST", "/api/tips", streamed, body)
    assert status == 413 and pulled <= 1024 * 1024 + 65536
    with TestClient(app) as client:
        files = {"screenshot": ("a.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 10, "image/png")}
        ok = client.post("/api/tips", data={"text": "Betaler 30k for en jobb i Oslo"}, files=files, headers=auth)
        assert ok.status_code == 201, ok.text  # under the limit: accepted as before


def sources_of_failed_logins(store: Store) -> list[str]:
    with store.engine.connect() as conn:
        return list(
            conn.execute(
                sa.text("SELECT source FROM audit_events WHERE action = 'login.failed' ORDER BY seq")
            ).scalars()
        )


@pytest.mark.parametrize("trusted", [[], ["testclient"]])
def test_x_forwarded_for_counts_only_from_trusted_proxies(seeded: Seeded, tmp_path: Path, trusted: list[str]) -> None:
    settings = Settings(database_url=str(seeded.store.engine.url), trusted_proxies=trusted)
    app = create_app(settings, store=seeded.store, secure_cookies=False, media_dir=str(tmp_path))
    with TestClient(app) as client:
        client.headers["x-forwarded-for"] = "10.9.9.9"
        assert try_login(client, "ana", "wrong guess").status_code == 401
    assert sources_of_failed_logins(seeded.store) == ["web:10.9.9.9" if trusted else "web:testclient"]


def test_forwarded_client_takes_the_right_most_untrusted_hop() -> None:
    from varde.web.security import forwarded_client

    trusted = frozenset({"10.0.0.1", "10.0.0.2"})
    assert forwarded_client("10.0.0.1", "6.6.6.6, 1.2.3.4, 10.0.0.2", trusted) == "1.2.3.4"
    assert forwarded_client("8.8.8.8", "1.2.3.4", trusted) == "8.8.8.8"
    assert forwarded_client("10.0.0.1", None, trusted) == "10.0.0.1"


def test_a_read_only_token_cannot_write(client: TestClient, seeded: Seeded) -> None:
    from varde.cases.accounts import AccountService

    from .conftest import OPERATOR

    token = AccountService(seeded.store).issue_token(OPERATOR, "ana", scope="read").token
    headers = {"authorization": f"Bearer {token}"}
    case = seeded.case("o-oslo")
    assert client.get(f"/api/cases/{case}", headers=headers).status_code == 200
    refused = client.post(f"/api/cases/{case}/notes", json={"text": "x"}, headers=headers)
    assert refused.status_code == 403 and "read-only" in refused.text
