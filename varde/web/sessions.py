"""Signed session cookies and CSRF tokens.

A session is a small signed payload (user name, CSRF token, expiry) in an HttpOnly, SameSite=Strict cookie; the
server keeps no session table. The signature is HMAC-SHA256 with the app's secret key; a forged or expired cookie
is simply no session. Each session carries its own CSRF token, which every form and every cookie-authenticated
API write must send back. Before login, a separate random cookie plays the CSRF role (double submit)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass

SESSION_COOKIE = "varde_session"
LOGIN_CSRF_COOKIE = "varde_login_csrf"
SESSION_SECONDS = 8 * 3600  # one working shift


@dataclass(frozen=True, slots=True)
class Session:
    username: str
    csrf: str
    expires: int


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(key: bytes, payload: str) -> str:
    return _b64(hmac.new(key, payload.encode("ascii"), hashlib.sha256).digest())


def new_token() -> str:
    return secrets.token_urlsafe(32)


def issue(
    key: bytes, username: str, *, now: float | None = None, seconds: int = SESSION_SECONDS
) -> tuple[str, Session]:
    """A fresh session for `username` and its cookie value."""
    session = Session(username=username, csrf=new_token(), expires=int((now or time.time()) + seconds))
    payload = _b64(json.dumps({"u": session.username, "c": session.csrf, "e": session.expires}).encode("utf-8"))
    return f"{payload}.{_sign(key, payload)}", session


def read(key: bytes, cookie: str | None, *, now: float | None = None) -> Session | None:
    """The session in a cookie value, or None when it is missing, forged, malformed or expired."""
    if not cookie or cookie.count(".") != 1:
        return None
    payload, signature = cookie.split(".")
    try:
        if not hmac.compare_digest(signature, _sign(key, payload)):
            return None
        data = json.loads(_unb64(payload))
        session = Session(username=str(data["u"]), csrf=str(data["c"]), expires=int(data["e"]))
    except (ValueError, KeyError, TypeError, UnicodeError):
        return None
    if session.expires < (now or time.time()):
        return None
    return session


def same_token(expected: str | None, given: str | None) -> bool:
    """Constant-time comparison; missing tokens never match."""
    return bool(expected) and bool(given) and hmac.compare_digest(str(expected), str(given))
