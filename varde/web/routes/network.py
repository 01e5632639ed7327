"""Network view: the neighbourhood of a case's order or of an account, and the ranked backmen.

The graph, attribution and ranking come from `varde.network.service.NetworkService` (which applies the district
scope and audits every read); for a case, the case is first read through the case service, so access is checked
and the read audited exactly as on the case page. When the network analysis has nothing for a case yet, the page
shows the contacts, channels and authors of the case's own posts.

The neighbourhood is also drawn as a graph: laid out on the server (`varde.network.draw`, deterministic) and written
as inline SVG by the template (autoescaped text, no script, nothing from a CDN)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel

from varde.errors import NotFound
from varde.network.draw import draw
from varde.network.service import AnalysisPending
from varde.web.deps import ApiCaller, Caller, PageCaller, State, WebState, network_service
from varde.web.render import page

router = APIRouter(prefix="/api", tags=["network"])

pages = APIRouter(include_in_schema=False)  # the HTML page beside its JSON twin
BACKMEN_SHOWN = 20


class NetworkView(BaseModel):
    case: int | None
    entity: str | None
    focus: dict[str, Any] | None
    focus_missing: str | None
    case_posts: dict[str, list[dict[str, Any]]] | None
    backmen: list[dict[str, Any]]
    graph: dict[str, Any] | None
    as_of: datetime | None = None
    updating: bool = False
    pending: bool = False


def _case_posts_view(state: WebState, caller: Caller, case_id: int) -> tuple[str | None, dict[str, Any]]:
    detail = state.service.get_case(caller.actor, case_id)
    contacts: dict[tuple[str, str], int] = {}
    channels: dict[tuple[str, str | None, str | None], int] = {}
    for post in detail.posts:
        for contact in (post.record or {}).get("contacts") or []:
            key = (str(contact.get("kind")), str(contact.get("value")))
            contacts[key] = contacts.get(key, 0) + 1
        where = (post.platform, post.channel, post.author)
        channels[where] = channels.get(where, 0) + 1
    return detail.case.order_id, {
        "contacts": [{"kind": k, "value": v, "posts": n} for (k, v), n in sorted(contacts.items())],
        "channels": [
            {"platform": p, "channel": c, "author": a, "posts": n}
            for (p, c, a), n in sorted(channels.items(), key=lambda kv: (-kv[1], str(kv[0])))
        ],
    }


def network_view(state: WebState, caller: Caller, case_id: int | None, entity: str | None) -> dict[str, Any]:
    """What the network page shows: an entity's neighbourhood (by case or name), the case's own contacts, and the
    top backmen; on a big store, from the previous analysis while a rebuild runs (`updating`, data `as_of`), or
    nothing yet (`pending`) while the very first one is built."""
    network = network_service(state)
    view: dict[str, Any] = {"case": case_id, "entity": entity, "focus": None, "focus_missing": None}
    view |= {"case_posts": None, "backmen": [], "graph": None, "as_of": None, "updating": False, "pending": False}
    if case_id is not None:
        order_id, view["case_posts"] = _case_posts_view(state, caller, case_id)
        if order_id and not entity:
            entity = order_id
    try:
        if entity:
            try:
                focus = view["focus"] = network.show(caller.actor, entity, stale_ok=True)
                view["graph"] = asdict(draw(focus["entity"]["id"], focus["nodes"], focus["edges"]))
            except NotFound as error:
                if case_id is None:
                    raise
                view["focus_missing"] = str(error)
        view["backmen"] = [b.to_dict() for b in network.backmen(caller.actor, limit=BACKMEN_SHOWN, stale_ok=True)]
    except AnalysisPending:  # the very first analysis of this scope, being built in the background
        view["pending"] = True
        return view
    served = network.served()
    if served is not None:
        view["as_of"], view["updating"] = served.as_of, served.updating
    return view


@router.get("/network", summary="Network view of a case or an entity, and the top backmen (JSON twin of /network)")
def api_network(
    state: State,
    caller: ApiCaller,
    case: Annotated[int | None, Query()] = None,
    entity: Annotated[str | None, Query(max_length=300)] = None,
) -> NetworkView:
    return NetworkView(**network_view(state, caller, case, entity))


@pages.get("/network", name="network_page", response_class=HTMLResponse)
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
