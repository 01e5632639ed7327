"""Who am I (`GET /api/me`). Logging in with a password is the login page's job; scripts use API tokens."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from varde.cases import access
from varde.web.deps import ApiCaller

router = APIRouter(prefix="/api", tags=["auth"])


@router.get("/me", summary="The calling user, their role, districts and what the role allows")
def api_me(caller: ApiCaller) -> dict[str, Any]:
    actor = caller.actor
    return {
        "name": actor.name,
        "role": actor.role,
        "districts": sorted(actor.districts),
        "allows": sorted(access.ROLE_ACTIONS.get(actor.role, frozenset())),
        "auth": "token" if caller.by_token else "session",
    }
