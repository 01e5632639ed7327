"""JSON API of the network analysis: backmen, one entity's neighbourhood, same/not-same judgements.

    GET  /api/network/backmen?limit=50
    GET  /api/network/entity/{entity}?depth=1      entity: an id (acct:telegram:x, order:o-1, phone:+46…) or @handle
    POST /api/network/link   {"a": …, "b": …, "same": false, "reason": "…"}

Every call goes through `varde.network.service.NetworkService`, so the access rules and district scope of
`varde.cases.access` hold and every call is audited. Errors are VardeErrors (404 / 403 / 400 by the app's
handlers). The workbench's network page can draw `nodes`/`edges` of the entity view."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from varde.web.deps import ApiCaller, State, network_service

router = APIRouter(prefix="/api/network", tags=["network"])


class LinkBody(BaseModel):
    a: str = Field(description="entity id, e.g. acct:telegram:nattjobb")
    b: str = Field(description="entity id, e.g. phone:+46701740605")
    same: bool = Field(description="true: the same actor; false: not the same (never proposed again)")
    reason: str = Field(min_length=1, max_length=2000)


@router.get("/backmen", summary="Ranked backmen with country and legal route")
def api_backmen(
    state: State, caller: ApiCaller, limit: Annotated[int, Query(ge=1, le=1000)] = 50
) -> list[dict[str, Any]]:
    return [b.to_dict() for b in network_service(state).backmen(caller.actor, limit=limit)]


@router.get("/entity/{entity:path}", summary="One entity: actor, links with evidence, attribution, neighbourhood")
def api_entity(
    state: State, caller: ApiCaller, entity: str, depth: Annotated[int, Query(ge=0, le=3)] = 1
) -> dict[str, Any]:
    return network_service(state).show(caller.actor, entity, depth=depth)


@router.post("/link", summary="Record a same / not-same judgement (audited; respected by later runs)")
def api_link(state: State, caller: ApiCaller, body: LinkBody) -> dict[str, Any]:
    stored = network_service(state).link(caller.actor, body.a, body.b, same=body.same, reason=body.reason)
    return stored.to_dict()
