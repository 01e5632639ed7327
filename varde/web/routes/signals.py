"""A signal bank's feed for platforms: `GET /api/signals/banks/{name}`, read-only, with an API token scoped to that
bank alone (`varde signals token NAME --user ACCOUNT`; such a token opens nothing else, see `deps.find_caller`).

Paging: signals come oldest first, `limit` per page (at most 10,000); `next_after` is the cursor for the next page
(null on the last). `since` (ISO 8601) keeps only signals added at or after it. Each page has an ETag: a client that
sends it back in If-None-Match gets 304 while that page is unchanged. Every pull is audited (`signal.feed`)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from varde.errors import AccessDenied, InputError
from varde.signals.service import FEED_LIMIT
from varde.web.deps import Signals, State, Unauthenticated, bearer_token, client_source

router = APIRouter(prefix="/api/signals", tags=["signals"])


def _since(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InputError(f"since: not an ISO 8601 date or time: {value[:40]!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@router.get("/banks/{name}", summary="A signal bank's active signals, for a platform holding a token for it")
def bank_feed(
    name: str,
    request: Request,
    state: State,
    signals: Signals,
    since: str | None = None,
    after: int = 0,
    limit: int = FEED_LIMIT,
) -> Any:
    token = bearer_token(request)
    if token is None:
        raise Unauthenticated()
    try:
        actor, scope = state.accounts.token_login(token, source=client_source(request), audit_login=False)
    except AccessDenied:
        raise Unauthenticated() from None  # unknown, revoked or expired (token_login audited the failure)
    page = signals.feed(
        name, token_actor=actor, token_scope=scope, since=_since(since), after=max(0, after), limit=limit
    )
    headers = {"etag": page.etag, "cache-control": "private, no-cache"}
    if request.headers.get("if-none-match") == page.etag:
        return Response(status_code=304, headers=headers)
    return JSONResponse(page.to_dict(), headers=headers)
