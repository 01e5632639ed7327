"""The JSON API for analysts' verdicts on posts: `POST /api/posts/{id}/label`, the twin of `varde label`.
`VerdictService` decides what the caller may label; this module only translates."""

from __future__ import annotations

from typing import Annotated, Any, cast

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from varde.cases.verdicts import VerdictService
from varde.web.deps import ApiCaller, State

router = APIRouter(prefix="/api/posts", tags=["labels"])


def verdict_service(state: State) -> VerdictService:
    """One per app, built on first use."""
    service = state.services.get("verdicts")
    if service is None:
        service = state.services.setdefault("verdicts", VerdictService(state.store, clock=state.service.now))
    return cast(VerdictService, service)


Verdicts = Annotated[VerdictService, Depends(verdict_service)]


class Label(BaseModel):
    is_order: bool
    reason: str = Field(min_length=1, max_length=2000)
    violence_types: list[Annotated[str, Field(max_length=32)]] = Field(default_factory=list, max_length=16)
    district: str | None = Field(default=None, max_length=64)


@router.post("/{post_id:path}/label", summary="Record your verdict on a post: an order or not")
def api_label(verdicts: Verdicts, caller: ApiCaller, post_id: str, body: Label) -> dict[str, Any]:
    verdict = verdicts.label(
        caller.actor,
        post_id,
        is_order=body.is_order,
        reason=body.reason,
        violence_types=body.violence_types,
        district=body.district,
    )
    return verdict.to_dict()
