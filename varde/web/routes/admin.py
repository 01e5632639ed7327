"""User and token administration (admins): a page at /admin and its JSON twin under /api/admin.

    GET  /api/admin/users                           users with role, districts, active
    POST /api/admin/users/{name}/disable|enable     deactivation ends the user's sessions; tokens stop working
    POST /api/admin/users/{name}/logout             end every session of the user
    POST /api/admin/users/{name}/password           {"password": …}; ends the user's sessions
    GET  /api/admin/tokens?user=NAME                tokens (never their secrets)
    POST /api/admin/users/{name}/tokens             {"label": …, "scope": "read"|"write", "expires_days": 90}
    POST /api/admin/tokens/{token_id}/revoke

Who may do this is `AccountService`'s decision (`user.admin`: admins only); every call is audited there."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from varde.cases.access import Actor
from varde.cases.accounts import AccountService
from varde.cases.users import TOKEN_SCOPES
from varde.web.deps import ApiCaller, PageCaller, State, check_form_csrf
from varde.web.render import page

api = APIRouter(prefix="/api/admin", tags=["admin"])
pages = APIRouter(include_in_schema=False)

DEFAULT_TOKEN_DAYS = 90


class PasswordBody(BaseModel):
    password: str = Field(min_length=1, max_length=1024)


class TokenBody(BaseModel):
    label: str = Field(default="", max_length=200)
    scope: str = Field(default="write", pattern="^(read|write)$")
    expires_days: int = Field(default=DEFAULT_TOKEN_DAYS, ge=0, le=3650, description="0: never expires")


def _issue(accounts: AccountService, actor: Actor, name: str, body: TokenBody) -> dict[str, Any]:
    expires = accounts.now() + timedelta(days=body.expires_days) if body.expires_days else None
    issued = accounts.issue_token(actor, name, label=body.label, scope=body.scope, expires_at=expires)
    return {"id": issued.id, "user": issued.user, "token": issued.token, "scope": body.scope, "expires_at": expires}


def _users_view(accounts: AccountService, actor: Actor) -> list[dict[str, Any]]:
    return [
        {"name": u.name, "role": u.role, "districts": sorted(u.districts), "active": u.active}
        for u in accounts.list_users(actor)
    ]


# --- JSON


@api.get("/users", summary="All users (admins)")
def api_users(state: State, caller: ApiCaller) -> list[dict[str, Any]]:
    return _users_view(state.accounts, caller.actor)


@api.post("/users/{name}/disable", summary="Deactivate a user: sessions end, tokens stop working")
def api_disable(state: State, caller: ApiCaller, name: str) -> dict[str, Any]:
    state.accounts.set_active(caller.actor, name, False)
    return {"name": name, "active": False}


@api.post("/users/{name}/enable", summary="Reactivate a user")
def api_enable(state: State, caller: ApiCaller, name: str) -> dict[str, Any]:
    state.accounts.set_active(caller.actor, name, True)
    return {"name": name, "active": True}


@api.post("/users/{name}/logout", summary="End every session of a user")
def api_logout(state: State, caller: ApiCaller, name: str) -> dict[str, Any]:
    return {"name": name, "sessions_ended": state.accounts.end_sessions(caller.actor, name)}


@api.post("/users/{name}/password", summary="Set a user's password (ends their sessions)")
def api_password(state: State, caller: ApiCaller, name: str, body: PasswordBody) -> dict[str, Any]:
    state.accounts.set_password(caller.actor, name, body.password)
    return {"name": name, "password": "changed"}


@api.get("/tokens", summary="API tokens, of one user or all (never their secrets)")
def api_tokens(
    state: State, caller: ApiCaller, user: Annotated[str | None, Query(max_length=128)] = None
) -> list[dict[str, Any]]:
    return [t.to_dict() for t in state.accounts.list_tokens(caller.actor, user)]


@api.post("/users/{name}/tokens", summary="Issue an API token (shown once)", status_code=201)
def api_issue(state: State, caller: ApiCaller, name: str, body: TokenBody) -> dict[str, Any]:
    return _issue(state.accounts, caller.actor, name, body)


@api.post("/tokens/{token_id}/revoke", summary="Revoke an API token")
def api_revoke(state: State, caller: ApiCaller, token_id: str) -> dict[str, Any]:
    state.accounts.revoke_token(caller.actor, token_id)
    return {"id": token_id, "revoked": True}


# --- the page


def _admin_page(
    request: Request, state: State, caller: PageCaller, *, done: str = "", issued: dict[str, Any] | None = None
) -> Response:
    actor = caller.actor
    flashes = [{"kind": "ok", "text": done}] if done else []
    return page(
        request,
        state,
        "admin.html",
        caller,
        nav="admin",
        users=_users_view(state.accounts, actor),
        tokens=[t.to_dict() for t in state.accounts.list_tokens(actor)],
        scopes=TOKEN_SCOPES,
        issued=issued,
        flashes=flashes,
    )


@pages.get("/admin", name="admin_page", response_class=HTMLResponse)
def admin_page(
    request: Request, state: State, caller: PageCaller, done: Annotated[str, Query(max_length=200)] = ""
) -> Response:
    return _admin_page(request, state, caller, done=done)


def _done(text: str) -> Response:
    return RedirectResponse(f"/admin?done={quote(text)}", status_code=303)


@pages.post("/admin/users/{user}/{what}", name="admin_user_form")
def admin_user_form(
    request: Request,
    state: State,
    caller: PageCaller,
    user: str,
    what: str,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    label: Annotated[str, Form(max_length=200)] = "",
    scope: Annotated[str, Form(pattern="^(read|write)$")] = "write",
    expires_days: Annotated[int, Form(ge=0, le=3650)] = DEFAULT_TOKEN_DAYS,
) -> Response:
    check_form_csrf(caller, csrf_token)
    accounts, actor, name = state.accounts, caller.actor, user
    if what == "disable":
        accounts.set_active(actor, name, False)
        return _done(f"{name} disabled; their sessions ended.")
    if what == "enable":
        accounts.set_active(actor, name, True)
        return _done(f"{name} enabled.")
    if what == "logout":
        return _done(f"{accounts.end_sessions(actor, name)} session(s) of {name} ended.")
    if what == "password":
        accounts.set_password(actor, name, password)
        return _done(f"Password of {name} changed; their sessions ended.")
    if what == "token":
        issued = _issue(accounts, actor, name, TokenBody(label=label, scope=scope, expires_days=expires_days))
        return _admin_page(
            request, state, caller, done="Token issued: copy it now, it is not shown again.", issued=issued
        )
    return Response(status_code=404)


@pages.post("/admin/tokens/{token_id}/revoke", name="admin_revoke_form")
def admin_revoke_form(
    state: State, caller: PageCaller, token_id: str, csrf_token: Annotated[str, Form(max_length=200)] = ""
) -> Response:
    check_form_csrf(caller, csrf_token)
    state.accounts.revoke_token(caller.actor, token_id)
    return _done(f"Token {token_id} revoked.")
