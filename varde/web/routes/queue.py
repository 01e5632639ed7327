"""The triage queue: cases the user may see, most urgent first, with filters and counts per status.

`queue_view` builds the one view both the page and `GET /api/queue` show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Annotated, Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel

from varde.cases.lifecycle import STATES
from varde.cases.service import TIME_FILTERS, CaseFilter
from varde.errors import InputError
from varde.extractors.urgency import TIME_PASSED
from varde.network.attribution import load_watchlist
from varde.vocab import ALL_DISTRICTS, LANGUAGES, PLATFORMS, VIOLENCE_TYPES, district_label
from varde.web.deps import ApiCaller, PageCaller, State, WebState, queue_reader
from varde.web.render import LOCAL_ZONE, page
from varde.web.timeleft import time_left, urgency_level

router = APIRouter(prefix="/api", tags=["queue"])

pages = APIRouter(include_in_schema=False)  # the HTML page beside its JSON twin

OPEN = ("detected", "uncovered")
STATUS_CHOICES = ("open", "all", *STATES)
PER_PAGE = 50
SNIPPET = 140


@dataclass(frozen=True, slots=True)
class QueueQuery:
    """The queue's filters as they arrive in the URL; empty strings mean "any"."""

    status: str = "open"
    district: str = ""
    violence_type: str = ""
    platform: str = ""
    language: str = ""
    network: str = ""
    date_from: str = ""
    date_to: str = ""
    page: int = 1
    per_page: int = PER_PAGE
    time: str = ""  # "preventable", "passed" ("time passed — check outcome") or any

    def to_params(self, **changes: Any) -> str:
        values = {
            "status": self.status,
            "district": self.district,
            "violence_type": self.violence_type,
            "platform": self.platform,
            "language": self.language,
            "network": self.network,
            "date_from": self.date_from,
            "date_to": self.date_to,
            "time": self.time,
            "page": self.page,
        } | changes
        return urlencode({k: v for k, v in values.items() if v not in ("", None, 1) or k == "status"})


@lru_cache(maxsize=1)
def _shipped_networks() -> frozenset[str]:
    return frozenset(network.id for network in load_watchlist().networks)


def network_options(state: WebState) -> list[str]:
    """The choices of the queue's network filter: the shipped watchlist's networks and any network a case is
    tagged with (a build with another watchlist)."""
    return sorted(_shipped_networks() | queue_reader(state).tagged_networks())


def _day(text: str, name: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{name}: expected a date like 2025-09-14, got {text!r}") from None


def case_filter(query: QueueQuery, zone: ZoneInfo = LOCAL_ZONE) -> CaseFilter:
    """The service filter for a queue query (dates are calendar days in the shown zone, `date_to` included)."""
    if query.status not in STATUS_CHOICES:
        raise InputError(f"status: one of {', '.join(STATUS_CHOICES)}")
    states: tuple[str, ...] = OPEN if query.status == "open" else () if query.status == "all" else (query.status,)
    since = _day(query.date_from, "date_from")
    until = _day(query.date_to, "date_to")
    return CaseFilter(
        states=states,
        districts=(query.district,) if query.district else (),
        violence_types=(query.violence_type,) if query.violence_type else (),
        platforms=(query.platform,) if query.platform else (),
        languages=(query.language,) if query.language else (),
        networks=(query.network,) if query.network else (),
        since=datetime.combine(since, time(), zone) if since else None,
        until=datetime.combine(until + timedelta(days=1), time(), zone) if until else None,
        time=query.time or None,
    )


def _snippet(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= SNIPPET else flat[: SNIPPET - 1] + "…"


def queue_view(state: WebState, caller: ApiCaller, query: QueueQuery, *, now: datetime | None = None) -> dict[str, Any]:
    """The queue as a JSON-ready dict: filters, counts per status, one page of cases, links and filter options."""
    now = now or state.service.now()  # the clock the service filters and sorts by
    result = state.service.list_cases(
        caller.actor, case_filter(query, state.settings.zone), page=query.page, per_page=query.per_page, sort="priority"
    )
    reader = queue_reader(state)
    extras = reader.order_previews(result.items)
    tip_texts = reader.tip_texts(result.items)
    rows = []
    for c in result.items:
        extra = extras.get(c.order_id or "")
        when_start = c.when_start
        band = c.urgency_band(now)
        text = extra.text if extra is not None else tip_texts.get(c.id, "")
        rows.append(
            {
                "id": c.id,
                "order_id": c.order_id,
                "status": c.state,
                "version": c.version,
                "district": c.district,
                "country": c.country,
                "district_label": c.district_label,
                "violence_types": list(c.violence_types),
                "platforms": list(c.platforms),
                "language": c.language,
                "urgency": c.urgency,
                # As seen now: a case whose time has passed is no longer "high", whatever it scored when posted.
                "urgency_level": "passed" if band == TIME_PASSED else urgency_level(c.urgency),
                "urgency_band": band,
                "time_passed": band == TIME_PASSED,
                "priority": c.priority,
                "n_posts": c.n_posts,
                "first_seen_at": c.first_seen_at.isoformat(),
                "assignee": c.assignee,
                "when_start": when_start.isoformat() if when_start else None,
                "time_left": time_left(when_start, c.when_end, now) if when_start else None,
                "snippet": _snippet(text),
            }
        )
    offset = (result.page - 1) * result.per_page
    return {
        "filters": {
            "status": query.status,
            "district": query.district,
            "violence_type": query.violence_type,
            "platform": query.platform,
            "language": query.language,
            "network": query.network,
            "date_from": query.date_from,
            "date_to": query.date_to,
            "time": query.time,
        },
        "counts": result.counts,
        "total": result.total,
        "page": result.page,
        "pages": result.pages,
        "per_page": result.per_page,
        "offset": offset,
        "cases": rows,
        "status_links": {s: "/?" + query.to_params(status=s, page=1) for s in result.counts},
        "prev_link": "/?" + query.to_params(page=result.page - 1) if result.page > 1 else None,
        "next_link": "/?" + query.to_params(page=result.page + 1) if result.page < result.pages else None,
        "options": {
            "status": list(STATUS_CHOICES),
            "time": list(TIME_FILTERS),
            "district": list(ALL_DISTRICTS),
            "violence_type": list(VIOLENCE_TYPES),
            "platform": sorted(PLATFORMS),
            "language": list(LANGUAGES),
            # Cases are tagged with their networks by `varde network build` (attribution to the watchlist).
            "network": network_options(state),
        },
        # "Øst (NO)" and "Öst (SE)" in the district choices, so neither looks like a typo of the other.
        "district_labels": {d: district_label(d) for d in ALL_DISTRICTS},
    }


def queue_query(
    status: Annotated[str, Query()] = "open",
    district: Annotated[str, Query(max_length=64)] = "",
    violence_type: Annotated[str, Query(max_length=32)] = "",
    platform: Annotated[str, Query(max_length=32)] = "",
    language: Annotated[str, Query(max_length=8)] = "",
    network: Annotated[str, Query(max_length=128)] = "",
    date_from: Annotated[str, Query(max_length=10)] = "",
    date_to: Annotated[str, Query(max_length=10)] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=500)] = PER_PAGE,
    time: Annotated[str, Query(max_length=16)] = "",
) -> QueueQuery:
    return QueueQuery(
        status, district, violence_type, platform, language, network, date_from, date_to, page, per_page, time
    )


QueryDep = Annotated[QueueQuery, Depends(queue_query)]


class QueueCase(BaseModel):
    id: int
    order_id: str | None
    status: str
    version: int
    district: str | None
    country: str | None
    district_label: str
    violence_types: list[str]
    platforms: list[str]
    language: str | None
    urgency: float
    urgency_level: str
    urgency_band: str
    time_passed: bool
    priority: int
    n_posts: int
    first_seen_at: str
    assignee: str | None
    when_start: str | None
    time_left: dict[str, Any] | None
    snippet: str


class QueueView(BaseModel):
    filters: dict[str, str]
    counts: dict[str, int]
    total: int
    page: int
    pages: int
    per_page: int
    offset: int
    cases: list[QueueCase]
    status_links: dict[str, str]
    prev_link: str | None
    next_link: str | None
    options: dict[str, list[str]]
    district_labels: dict[str, str]


@router.get("/queue", summary="The triage queue (JSON twin of /)")
def api_queue(state: State, caller: ApiCaller, query: QueryDep) -> QueueView:
    return QueueView(**queue_view(state, caller, query))


@pages.get("/", name="queue_page", response_class=HTMLResponse)
def queue_page(request: Request, state: State, caller: PageCaller, query: QueryDep) -> Response:
    return page(request, state, "queue.html", caller, nav="queue", view=queue_view(state, caller, query))
