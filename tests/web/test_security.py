"""Security mechanics: headers on every response, cookies, CSRF, login, redirects, and what the HTML may contain."""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

from fastapi.testclient import TestClient

from varde.settings import Settings
from varde.web import create_app
from varde.web.security import CSP

from .conftest import PASSWORD, XSS_PAYLOADS, Seeded

SECURITY_HEADERS = {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}


def test_content_security_policy_is_strict() -> None:
    directives = dict(d.strip().split(" ", 1) for d in CSP.split(";"))
    assert directives["script-src"] == "'self'"
    assert "unsafe" not in directives["script-src"] and "unsafe" not in directives["default-src"]
    assert directives["frame-ancestors"] == "'none'"
    assert directives["connect-src"] == "'self'" and directives["object-src"] == "'none'"
    assert "unsafe-inline" not in directives["style-src"]


def test_every_response_has_the_security_headers(client: TestClient, seeded: Seeded) -> None:
    paths = [
        "/login",
        "/",
        "/dashboard",
        "/static/app.css",
        "/static/queue.js",
        "/static/vendor/plotly.min.js",
        "/api/openapi.json",
        "/api/queue",
        "/nowhere",
        "/api/nowhere",
    ]
    for path in paths:
        response = client.get(path, follow_redirects=False)
        for name, value in SECURITY_HEADERS.items():
            assert response.headers.get(name) == value, (path, name)
        assert response.headers.get("content-security-policy") == CSP, path


def _login_form_token(client: TestClient) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    assert match
    return match.group(1)


def test_session_cookie_flags(seeded: Seeded, tmp_path: Path) -> None:
    settings = Settings(database_url=str(seeded.store.engine.url), secret_key="k")
    app = create_app(settings, store=seeded.store, secure_cookies=True, media_dir=str(tmp_path))
    with TestClient(app, base_url="https://127.0.0.1") as client:
        token = _login_form_token(client)
        response = client.post(
            "/login", data={"username": "ana", "password": PASSWORD, "csrf_token": token}, follow_redirects=False
        )
        assert response.status_code == 303
        cookie = next(h for h in response.headers.get_list("set-cookie") if h.startswith("varde_session="))
        flags = {part.strip().lower() for part in cookie.split(";")}
        assert {"httponly", "secure", "samesite=strict", "path=/"} <= flags
        assert response.headers["strict-transport-security"].startswith("max-age=")


def test_login_failures(client: TestClient, seeded: Seeded) -> None:
    token = _login_form_token(client)
    wrong = client.post("/login", data={"username": "ana", "password": "nope-nope", "csrf_token": token})
    assert wrong.status_code == 401 and "Wrong user name or password" in wrong.text
    assert "varde_session" not in client.cookies
    no_csrf = client.post("/login", data={"username": "ana", "password": PASSWORD, "csrf_token": "forged"})
    assert no_csrf.status_code == 403 and "varde_session" not in client.cookies


def test_login_never_redirects_off_site(client: TestClient, seeded: Seeded) -> None:
    for target in ["//evil.example/x", "https://evil.example/", "/\\evil.example"]:
        client.cookies.clear()
        token = _login_form_token(client)
        response = client.post(
            "/login",
            data={"username": "ana", "password": PASSWORD, "csrf_token": token, "next": target},
            follow_redirects=False,
        )
        assert response.headers["location"] == "/"


def test_forged_session_cookie_is_no_session(client: TestClient, seeded: Seeded) -> None:
    client.cookies.set("varde_session", "eyJ1IjoiYW5hIn0.forged")
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_forms_and_cookie_api_writes_need_the_csrf_token(
    client: TestClient, seeded: Seeded, login_as: Callable[[str], str]
) -> None:
    csrf = login_as("ana")
    oslo = seeded.case("o-oslo")
    form = {"status": "uncovered", "reason": "r"}
    assert client.post(f"/cases/{oslo}/status", data=form, follow_redirects=False).status_code == 403
    assert client.post(f"/cases/{oslo}/status", data=form | {"csrf_token": "x"}).status_code == 403
    body = {"status": "uncovered", "reason": "r"}
    assert client.post(f"/api/cases/{oslo}/status", json=body).status_code == 403
    assert client.post(f"/api/cases/{oslo}/status", json=body, headers={"x-csrf-token": "x"}).status_code == 403
    ok = client.post(f"/api/cases/{oslo}/status", json=body, headers={"x-csrf-token": csrf})
    assert ok.status_code == 200 and ok.json()["state"] == "uncovered"
    # Bearer tokens are never sent by a browser on its own, so they need no CSRF token.
    bearer = {"authorization": f"Bearer {seeded.tokens['ana']}"}
    dismissed = client.post(f"/api/cases/{oslo}/status", json={"status": "dismissed", "reason": "r"}, headers=bearer)
    assert dismissed.status_code == 200


def test_logout_needs_csrf_and_ends_the_session(client: TestClient, login_as: Callable[[str], str]) -> None:
    csrf = login_as("ana")
    assert client.post("/logout", data={"csrf_token": "nope"}).status_code == 403
    response = client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert response.status_code == 303
    assert client.get("/", follow_redirects=False).status_code == 303


class Markup(HTMLParser):
    """Collects what the browser would see as elements and attributes (escaped text is not markup)."""

    def __init__(self) -> None:
        super().__init__()
        self.inline_scripts = 0
        self.handlers: list[str] = []
        self.script_urls: list[str] = []
        self.urls: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and not values.get("src"):
            self.inline_scripts += 1
        self.handlers += [name for name, _ in attrs if name.lower().startswith("on")]
        for name in ("href", "src", "action", "formaction"):
            if values.get(name):
                self.urls.append(str(values[name]))
                if str(values[name]).strip().lower().startswith("javascript:"):
                    self.script_urls.append(str(values[name]))
        if tag in ("iframe", "object", "embed", "svg", "img", "input") and tag != "input":
            self.handlers.append(f"<{tag}>")


def test_hostile_text_is_text(client: TestClient, seeded: Seeded, login_as: Callable[[str], str]) -> None:
    login_as("sig")
    pages = ["/?status=all"] + [
        f"/cases/{case_id}" for order_id, case_id in seeded.case_ids.items() if order_id.startswith("o-evil")
    ]
    for path in pages:
        html = client.get(path).text
        markup = Markup()
        markup.feed(html)
        assert markup.inline_scripts == 0, path
        assert markup.handlers == [], (path, markup.handlers)
        assert markup.script_urls == [], path
    case_html = client.get(f"/cases/{seeded.case('o-evil-0')}").text
    assert "&lt;script&gt;window.__pwned=&#39;script&#39;;alert(1)&lt;/script&gt;" in case_html
    assert "[U+202E]" in client.get(f"/cases/{seeded.case('o-evil-4')}").text  # RTL override made visible
    # The JSON twin keeps the text exactly as posted.
    api = client.get(f"/api/cases/{seeded.case('o-evil-0')}")
    texts = [p["text"] for g in api.json()["post_groups"] for p in g["posts"]]
    assert texts == [XSS_PAYLOADS[0]]
