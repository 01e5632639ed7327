"""Session and CSRF cookies.

The session cookie carries only a random session id; the session itself (user, CSRF token, timeouts) is a row kept
by `varde.cases.accounts.AccountService`, so logging out, changing the password or deactivating the user ends it at
once. Each session has its own CSRF token, which every form and every cookie-authenticated API write must send
back. Before login, a separate random cookie plays the CSRF role (double submit)."""

from __future__ import annotations

import hmac
import secrets

SESSION_COOKIE = "varde_session"
LOGIN_CSRF_COOKIE = "varde_login_csrf"


def new_token() -> str:
    return secrets.token_urlsafe(32)


def same_token(expected: str | None, given: str | None) -> bool:
    """Constant-time comparison; missing tokens never match."""
    return bool(expected) and bool(given) and hmac.compare_digest(str(expected), str(given))
