"""Network view of a case: the accounts, channels and contacts its posts reveal.

A first version that shows what the store holds; the network module (entity graph, attribution) fills in the
interactive graph later. Reads go through the service, so access rules hold."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from varde.web.deps import ApiCaller, Caller, State, WebState

router = APIRouter(prefix="/api", tags=["network"])


def network_view(state: WebState, caller: Caller, case_id: int | None) -> dict[str, Any]:
    if case_id is None:
        return {"case": None, "contacts": [], "channels": []}
    detail = state.service.get_case(caller.actor, case_id)
    contacts: dict[tuple[str, str], set[int]] = {}
    channels: dict[tuple[str, str | None, str | None], int] = {}
    for post in detail.posts:
        for contact in (post.record or {}).get("contacts") or []:
            contacts.setdefault((str(contact.get("kind")), str(contact.get("value"))), set()).add(case_id)
        key = (post.platform, post.channel, post.author)
        channels[key] = channels.get(key, 0) + 1
    return {
        "case": case_id,
        "contacts": [{"kind": k, "value": v, "cases": sorted(ids)} for (k, v), ids in sorted(contacts.items())],
        "channels": [
            {"platform": p, "channel": c, "author": a, "posts": n}
            for (p, c, a), n in sorted(channels.items(), key=lambda kv: (-kv[1], str(kv[0])))
        ],
    }


@router.get("/network", summary="Network view of a case (JSON twin of /network)")
def api_network(state: State, caller: ApiCaller, case: Annotated[int | None, Query()] = None) -> dict[str, Any]:
    return network_view(state, caller, case)
