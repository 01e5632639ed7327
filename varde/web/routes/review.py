"""The review band as JSON: posts the detector scored `possible` (not orders, so no case), for analysts to label.
Scoped and audited by `varde.cases.review.ReviewService`; the page twin is not built yet (`varde review list`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from varde.cases.review import MAX_PER_PAGE
from varde.web.deps import ApiCaller, Review

router = APIRouter(prefix="/api", tags=["review"])


@router.get("/review", summary="Posts in the detector's review band (possible orders), highest score first")
def api_review(review: Review, caller: ApiCaller, district: str = "", page: int = 1, per_page: int = 50) -> Any:
    result = review.list_possible(
        caller.actor,
        districts=(district,) if district else (),
        page=page,
        per_page=min(max(1, per_page), MAX_PER_PAGE),
    )
    return result.to_dict()
