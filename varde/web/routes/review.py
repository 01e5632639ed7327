"""The review band: posts the detector scored `possible` (not orders, so no case), for analysts to label — the
page `/review` (a queue of its own, filtered by district) and its JSON twin `/api/review`. Scoped and audited by
`varde.cases.review.ReviewService` (the same rules as `varde review list`)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from varde.cases.review import MAX_PER_PAGE
from varde.vocab import ALL_DISTRICTS, district_label
from varde.web.deps import ApiCaller, PageCaller, Review, State, review_service
from varde.web.render import page

router = APIRouter(prefix="/api", tags=["review"])

pages = APIRouter(include_in_schema=False)  # the HTML page beside its JSON twin

PAGE_SIZE = 50


@router.get("/review", summary="Posts in the detector's review band (possible orders), highest score first")
def api_review(review: Review, caller: ApiCaller, district: str = "", page: int = 1, per_page: int = 50) -> Any:
    result = review.list_possible(
        caller.actor,
        districts=(district,) if district else (),
        page=page,
        per_page=min(max(1, per_page), MAX_PER_PAGE),
    )
    return result.to_dict()


@pages.get("/review", name="review_page", response_class=HTMLResponse)
def review_page(
    request: Request, state: State, caller: PageCaller, district: str = "", page_number: int = 1
) -> Response:
    if district not in ALL_DISTRICTS:
        district = ""
    result = review_service(state).list_possible(
        caller.actor, districts=(district,) if district else (), page=max(1, page_number), per_page=PAGE_SIZE
    )

    def link(number: int) -> str:
        query = {"district": district} if district else {}
        return "?" + urlencode(query | {"page_number": number})

    view = {
        "posts": result.items,
        "total": result.total,
        "offset": (result.page - 1) * result.per_page,
        "district": district,
        "districts": {d: district_label(d) for d in ALL_DISTRICTS},
        "prev_link": link(result.page - 1) if result.page > 1 else None,
        "next_link": link(result.page + 1) if result.page < result.pages else None,
    }
    return page(request, state, "review.html", caller, nav="review", view=view)
