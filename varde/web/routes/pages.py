"""The HTML pages: each renders the same view its JSON twin under /api returns, and each form posts back here
with the session's CSRF token (Post/Redirect/Get on success)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, BackgroundTasks, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from varde.cases import access
from varde.cases.throttle import Throttled
from varde.cases.users import HashingBusy
from varde.errors import AccessDenied, ConfigError, Conflict, InvalidTransition
from varde.vocab import PLATFORMS
from varde.web import sessions
from varde.web.deps import PageCaller, State, check_form_csrf, client_source, find_caller
from varde.web.render import page
from varde.web.routes.assets import plotly_style_guards
from varde.web.routes.cases import case_view, evidence_response
from varde.web.routes.dashboard import dashboard_view
from varde.web.routes.network import network_view
from varde.web.routes.queue import QueryDep, queue_view
from varde.web.routes.tips import read_upload, submit_tip

router = APIRouter(include_in_schema=False)

DONE = {
    "status": "Status changed.",
    "assign": "Assignment saved.",
    "merge": "Case merged.",
    "note": "Note added.",
}


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
    response = RedirectResponse(_safe_next(next), status_code=303)
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


@router.get("/", name="queue_page", response_class=HTMLResponse)
def queue_page(request: Request, state: State, caller: PageCaller, query: QueryDep) -> Response:
    return page(request, state, "queue.html", caller, nav="queue", view=queue_view(state, caller, query))


def _case_page(
    request: Request,
    state: State,
    caller: PageCaller,
    case_id: int,
    *,
    error: str = "",
    done: str = "",
    status_code: int = 200,
) -> Response:
    flashes = [{"kind": "error", "text": error}] if error else []
    if done in DONE:
        flashes.append({"kind": "ok", "text": DONE[done]})
    view = case_view(state, caller, case_id)
    return page(request, state, "case.html", caller, nav="queue", view=view, flashes=flashes, status_code=status_code)


@router.get("/cases/{case_id}", name="case_page", response_class=HTMLResponse)
def case_page(
    request: Request, state: State, caller: PageCaller, case_id: int, done: Annotated[str, Query(max_length=16)] = ""
) -> Response:
    return _case_page(request, state, caller, case_id, done=done)


def _act(
    request: Request, state: State, caller: PageCaller, case_id: int, done: str, work: Callable[[], object]
) -> Response:
    """Run a case action; on success redirect to the case page, on a refused change show why on the page."""
    try:
        work()
    except (InvalidTransition, Conflict, ConfigError) as error:
        return _case_page(request, state, caller, case_id, error=str(error), status_code=409)
    return RedirectResponse(f"/cases/{case_id}?done={done}", status_code=303)


@router.post("/cases/{case_id}/status", name="case_status_form")
def case_status_form(
    request: Request,
    state: State,
    caller: PageCaller,
    case_id: int,
    status: Annotated[str, Form(max_length=16)],
    reason: Annotated[str, Form(max_length=2000)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    check_form_csrf(caller, csrf_token)
    return _act(
        request,
        state,
        caller,
        case_id,
        "status",
        lambda: state.service.set_status(caller.actor, case_id, status, reason),
    )


@router.post("/cases/{case_id}/assign", name="case_assign_form")
def case_assign_form(
    request: Request,
    state: State,
    caller: PageCaller,
    case_id: int,
    assignee: Annotated[str, Form(max_length=128)] = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    check_form_csrf(caller, csrf_token)
    who = assignee.strip() or None
    why = reason.strip() or (f"assigned to {who}" if who else "unassigned")
    return _act(
        request, state, caller, case_id, "assign", lambda: state.service.assign(caller.actor, case_id, who, why)
    )


@router.post("/cases/{case_id}/merge", name="case_merge_form")
def case_merge_form(
    request: Request,
    state: State,
    caller: PageCaller,
    case_id: int,
    into: Annotated[str, Form(max_length=32)],
    reason: Annotated[str, Form(max_length=2000)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    check_form_csrf(caller, csrf_token)
    if not into.strip().isdigit():
        return _case_page(
            request, state, caller, case_id, error="Merge: give the number of the case to merge into.", status_code=400
        )
    return _act(
        request, state, caller, case_id, "merge", lambda: state.service.merge(caller.actor, case_id, int(into), reason)
    )


@router.post("/cases/{case_id}/note", name="case_note_form")
def case_note_form(
    request: Request,
    state: State,
    caller: PageCaller,
    case_id: int,
    text: Annotated[str, Form(max_length=10000)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    check_form_csrf(caller, csrf_token)
    return _act(request, state, caller, case_id, "note", lambda: state.service.add_note(caller.actor, case_id, text))


@router.post("/cases/{case_id}/export", name="case_export_form")
def case_export_form(
    state: State,
    caller: PageCaller,
    case_id: int,
    tasks: BackgroundTasks,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    check_form_csrf(caller, csrf_token)
    return evidence_response(state, caller, case_id, tasks)


@router.get("/tips/new", name="tip_page", response_class=HTMLResponse)
def tip_page(request: Request, state: State, caller: PageCaller) -> Response:
    access.require(caller.actor, access.TIP_CONTACT_WRITE)  # the roles that handle tips (see routes/tips.py)
    return page(request, state, "tip.html", caller, nav="tip", platforms=sorted(PLATFORMS - {"tip"}), result=None)


@router.post("/tips", name="tip_form")
async def tip_form(
    request: Request,
    state: State,
    caller: PageCaller,
    text: Annotated[str, Form(max_length=20000)] = "",
    seen_on: Annotated[str, Form(max_length=32)] = "",
    channel: Annotated[str, Form(max_length=500)] = "",
    contact: Annotated[str, Form(max_length=500)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    screenshot: Annotated[UploadFile | None, File()] = None,
) -> Response:
    check_form_csrf(caller, csrf_token)
    platforms = sorted(PLATFORMS - {"tip"})
    try:
        shot = await read_upload(screenshot)
        result = await run_in_threadpool(
            submit_tip, state, caller, text, seen_on=seen_on, channel=channel, screenshot=shot, contact=contact
        )
    except ConfigError as error:
        return page(
            request,
            state,
            "tip.html",
            caller,
            nav="tip",
            platforms=platforms,
            result=None,
            flashes=[{"kind": "error", "text": str(error)}],
            status_code=400,
        )
    return page(request, state, "tip.html", caller, nav="tip", platforms=platforms, result=result)


@router.get("/dashboard", name="dashboard_page", response_class=HTMLResponse)
def dashboard_page(request: Request, state: State, caller: PageCaller) -> Response:
    view = dashboard_view(state, caller.actor)
    return page(
        request, state, "dashboard.html", caller, nav="dashboard", view=view, style_guards=plotly_style_guards()
    )


@router.get("/network", name="network_page", response_class=HTMLResponse)
def network_page(
    request: Request,
    state: State,
    caller: PageCaller,
    case: Annotated[str, Query(max_length=32)] = "",
    entity: Annotated[str, Query(max_length=300)] = "",
) -> Response:
    case_id = int(case) if case.strip().isdigit() else None
    view = network_view(state, caller, case_id, entity.strip() or None)
    return page(request, state, "network.html", caller, nav="network", view=view)


def login_redirect(next_url: str) -> RedirectResponse:
    return RedirectResponse("/login?next=" + quote(next_url, safe="/"), status_code=303)
