"""The login and logout pages. The other HTML pages live beside their JSON twins (`queue.py`, `cases.py`,
`tips.py`, `dashboard.py`, `network.py`): each renders the same view its twin under /api returns, and each form
posts back with the session's CSRF token (Post/Redirect/Get on success)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from varde.cases.access import ADMIN
from varde.cases.throttle import Throttled
from varde.cases.users import HashingBusy
from varde.errors import AccessDenied
from varde.web import sessions
from varde.web.deps import PageCaller, State, check_form_csrf, client_source, find_caller
from varde.web.render import page

router = APIRouter(include_in_schema=False)


def _safe_next(value: str) -> str:
    """Only local paths: never redirect off-site after login."""
    return value if value.startswith("/") and not value.startswith("//") and "\\" not in value else "/"


def set_cookie(response: Response, name: str, value: str, *, secure: bool, max_age: int | None) -> None:
    response.set_cookie(name, value, max_age=max_age, httponly=True, samesite="strict", secure=secure, path="/")


@router.get("/login", name="login_page", response_class=HTMLResponse)
def login_page(request: Request, state: State, next: Annotated[str, Query(max_length=2000)] = "/") -> Response:
    if find_caller(request, state) is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return _login_form(request, state, next=_safe_next(next))


def _login_form(
    request: Request, state: State, *, next: str, error: str = "", username: str = "", status_code: int = 200
) -> Response:
    token = sessions.new_token()
    response = page(
        request,
        state,
        "login.html",
        None,
        login_csrf=token,
        next=next,
        error=error,
        username=username,
        status_code=status_code,
    )
    set_cookie(response, sessions.LOGIN_CSRF_COOKIE, token, secure=state.secure_cookies, max_age=3600)
    return response


@router.post("/login", name="login")
def login(
    request: Request,
    state: State,
    username: Annotated[str, Form(max_length=128)],
    password: Annotated[str, Form(max_length=1024)],
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    if not sessions.same_token(request.cookies.get(sessions.LOGIN_CSRF_COOKIE), csrf_token):
        return _login_form(
            request, state, next=_safe_next(next), error="The form expired; please try again.", status_code=403
        )
    try:
        actor = state.accounts.login(username, password, source=client_source(request))
    except (Throttled, HashingBusy) as error:
        response = _login_form(
            request, state, next=_safe_next(next), error=str(error), username=username, status_code=429
        )
        response.headers["retry-after"] = str(error.retry_after)
        return response
    except AccessDenied:
        return _login_form(
            request,
            state,
            next=_safe_next(next),
            error="Wrong user name or password.",
            username=username,
            status_code=401,
        )
    session_id, _ = state.accounts.start_session(actor)
    target = _safe_next(next)
    if target == "/" and actor.role == ADMIN:  # the queue is closed to admins: land where their work is
        target = "/admin"
    response = RedirectResponse(target, status_code=303)
    lifetime = int(state.accounts.policy.session_lifetime.total_seconds())
    set_cookie(response, sessions.SESSION_COOKIE, session_id, secure=state.secure_cookies, max_age=lifetime)
    response.delete_cookie(sessions.LOGIN_CSRF_COOKIE, path="/")
    return response


@router.post("/logout", name="logout")
def logout(state: State, caller: PageCaller, csrf_token: Annotated[str, Form(max_length=200)] = "") -> Response:
    check_form_csrf(caller, csrf_token)
    if caller.session_id is not None:
        state.accounts.end_session(caller.actor, caller.session_id)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(sessions.SESSION_COOKIE, path="/")
    return response


def login_redirect(next_url: str) -> RedirectResponse:
    return RedirectResponse("/login?next=" + quote(next_url, safe="/"), status_code=303)
