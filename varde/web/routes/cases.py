"""One case: its posts grouped by channel with cues highlighted, the extracted signals, time left, history, and
the actions the user's role allows; the JSON API for those actions. `case_view` feeds the page and the API alike.

Which actions to *offer* is asked of `varde.cases.access` (the same rules the service enforces); the service
checks them again on every call, so a hand-made request gets no further than the buttons."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Depends, Form, Query, Request
from fastapi import Path as Path_
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from varde.cases import access, lifecycle
from varde.cases.access import Actor
from varde.cases.service import CaseDetail, CasePost
from varde.errors import ConfigError, Conflict, InputError, InvalidTransition, NotFound
from varde.extractors.urgency import TIME_PASSED
from varde.web.deps import ApiCaller, Caller, Cases, PageCaller, State, WebState, check_form_csrf
from varde.web.highlight import highlight
from varde.web.render import page
from varde.web.timeleft import time_left, urgency_level

router = APIRouter(prefix="/api/cases", tags=["cases"])

pages = APIRouter(include_in_schema=False)  # the HTML page beside its JSON twin

DONE = {
    "status": "Status changed.",
    "assign": "Assignment saved.",
    "merge": "Case merged.",
    "note": "Note added.",
}


def allowed_actions(caller: Caller, detail: CaseDetail) -> dict[str, Any]:
    """The forms to show: status targets, and whether assign/merge/note/export are open to this user."""
    actor, case = caller.actor, detail.case
    live = case.state != lifecycle.MERGED
    can_change = access.may_on_case(actor, access.CASE_CHANGE, case.district)
    return {
        "status": [s for s in lifecycle.allowed_next(case.state) if s != lifecycle.MERGED] if can_change else [],
        "note": can_change and live,
        "assign": live and access.may_on_case(actor, access.CASE_ASSIGN, case.district),
        "merge": live and access.may_on_case(actor, access.CASE_MERGE, case.district),
        "export": access.may_on_case(actor, access.CASE_EXPORT, case.district),
    }


def _first(records: Sequence[dict[str, Any]], key: str) -> Any:
    return next((r[key] for r in records if r.get(key)), None)


def signals(posts: Sequence[CasePost]) -> dict[str, Any]:
    """What / when / where / payment / contacts / target / minors over all the order's posts (oldest first wins)."""
    records = [p.record for p in posts if p.record]
    places: dict[tuple[Any, ...], dict[str, Any]] = {}
    contacts: dict[tuple[str, str], dict[str, Any]] = {}
    for record in records:
        for place in record.get("places") or []:
            places.setdefault((place.get("text"), place.get("municipality"), place.get("district")), place)
        for contact in record.get("contacts") or []:
            contacts.setdefault((contact.get("kind"), contact.get("value")), contact)
    return {
        "violence_types": sorted({t for r in records for t in r.get("violence_types") or []}),
        "when": _first(records, "when"),
        "places": list(places.values()),
        "payment": _first(records, "payment"),
        "contacts": list(contacts.values()),
        "target": _first(records, "target"),
        "minor_signals": sorted({m for r in records for m in r.get("minor_signals") or []}),
        "languages": sorted({r["language"] for r in records if r.get("language")}),
    }


def post_groups(posts: Sequence[CasePost]) -> list[dict[str, Any]]:
    """Posts grouped by (platform, channel); groups in order of their first post, posts by time within."""
    groups: dict[tuple[str, str | None], list[CasePost]] = {}
    for post in sorted(posts, key=lambda p: (p.created_at, p.id)):
        groups.setdefault((post.platform, post.channel), []).append(post)
    out = []
    for index, ((platform, channel), members) in enumerate(groups.items(), start=1):
        out.append(
            {
                "index": index,
                "platform": platform,
                "channel": channel,
                "posts": [
                    {
                        "id": p.id,
                        "created_at": p.created_at.isoformat(),
                        "author": p.author,
                        "source": p.source,
                        "url": p.url,
                        "seen_on": p.seen_on,
                        "seen_at": p.seen_at.isoformat() if p.seen_at else None,
                        "sha256": p.sha256,
                        "media": list(p.media),
                        "images": list(p.images),
                        "text": p.text,
                        "score": (p.record or {}).get("score"),
                        "language": (p.record or {}).get("language"),
                        "is_order": (p.record or {}).get("is_order"),
                        "cues": list((p.record or {}).get("cues") or []),
                        "segments": [s.to_dict() for s in highlight(p.text, (p.record or {}).get("cues") or [])],
                    }
                    for p in members
                ],
            }
        )
    return out


def case_view(state: WebState, caller: Caller, case_id: int, *, now: datetime | None = None) -> dict[str, Any]:
    """The case page as a JSON-ready dict (the service checks access and audits the read)."""
    now = now or state.service.now()  # the clock the service reads by
    detail = state.service.get_case(caller.actor, case_id)
    found = signals(detail.posts)
    when = found["when"]
    left = None
    if when:
        left = time_left(datetime.fromisoformat(when["start"]), datetime.fromisoformat(when["end"]), now)
    tip_contacts = None
    if access.may(caller.actor, access.TIP_CONTACT_READ):
        tip_contacts = [
            {"post_id": t.post_id, "contact": t.contact, "created_at": t.created_at.isoformat(), "by": t.created_by}
            for p in detail.posts
            if p.source == "tip" or p.platform == "tip"
            for t in state.service.tip_contacts(caller.actor, p.id)
        ]
    case = detail.case.to_dict()
    case["status"] = detail.case.state
    case["urgency_level"] = urgency_level(detail.case.urgency)
    case["order_label"] = detail.case.order_label
    case["time_passed"] = detail.case.urgency_band(now) == TIME_PASSED
    case["district_label"] = detail.case.district_label
    groups = post_groups(detail.posts)
    return {
        "case": case,
        "n_posts": len(detail.posts),
        "signals": found,
        "time_left": left,
        "post_groups": groups,
        "cue_kinds": sorted({c["kind"] for g in groups for p in g["posts"] for c in p["cues"] if c.get("kind")}),
        "history": [
            {
                "at": e.at.isoformat(),
                "actor": e.actor,
                "kind": e.action,
                "from_status": e.from_state,
                "to_status": e.to_state,
                "reason": e.reason,
                "detail": ", ".join(f"{k}: {v}" for k, v in sorted(e.data.items())) if e.action != "created" else "",
            }
            for e in detail.events
        ],
        "actions": allowed_actions(caller, detail),
        "tip_contacts": tip_contacts,
    }


class StatusChange(BaseModel):
    status: str = Field(max_length=16)
    reason: str = Field(min_length=1, max_length=2000)
    expected_version: int | None = None


class Assignment(BaseModel):
    assignee: str | None = Field(default=None, max_length=128)
    reason: str = Field(min_length=1, max_length=2000)
    expected_version: int | None = None


class Merge(BaseModel):
    into: int
    reason: str = Field(min_length=1, max_length=2000)
    expected_version: int | None = None


class Note(BaseModel):
    text: str = Field(min_length=1, max_length=10000)
    expected_version: int | None = None


class CaseOut(BaseModel):
    """A case as a change leaves it (`CaseSummary`); pass `version` back as `expected_version`."""

    id: int
    order_id: str | None
    state: str
    version: int
    district: str | None
    district_overridden: bool
    country: str | None
    language: str | None
    platform: str | None
    platforms: list[str]
    violence_types: list[str]
    urgency: float
    priority: int
    priority_overridden: bool
    assignee: str | None
    notes: str
    n_posts: int
    first_seen_at: str
    last_seen_at: str
    created_at: str
    updated_at: str
    state_changed_at: str
    merged_into: int | None


class HistoryEntry(BaseModel):
    at: str
    actor: str
    kind: str
    from_status: str | None
    to_status: str | None
    reason: str | None
    detail: str


class TipContactRow(BaseModel):
    post_id: str
    contact: str
    created_at: str
    by: str


class CaseView(BaseModel):
    case: dict[str, Any]
    n_posts: int
    signals: dict[str, Any]
    time_left: dict[str, Any] | None
    post_groups: list[dict[str, Any]]
    cue_kinds: list[str]
    history: list[HistoryEntry]
    actions: dict[str, Any]
    tip_contacts: list[TipContactRow] | None


@router.get("/{case_id}", summary="One case (JSON twin of /cases/{id})")
def api_case(state: State, caller: ApiCaller, case_id: int) -> CaseView:
    return CaseView(**case_view(state, caller, case_id))


@router.post("/{case_id}/status", summary="Change a case's status, with a reason")
def api_status(cases: Cases, caller: ApiCaller, case_id: int, body: StatusChange) -> CaseOut:
    changed = cases.set_status(caller.actor, case_id, body.status, body.reason, expected_version=body.expected_version)
    return CaseOut(**changed.to_dict())


@router.post("/{case_id}/assign", summary="Assign a case (or unassign with null)")
def api_assign(cases: Cases, caller: ApiCaller, case_id: int, body: Assignment) -> CaseOut:
    changed = cases.assign(
        caller.actor, case_id, body.assignee or None, body.reason, expected_version=body.expected_version
    )
    return CaseOut(**changed.to_dict())


@router.post("/{case_id}/merge", summary="Merge a case into another (it becomes `merged`)")
def api_merge(cases: Cases, caller: ApiCaller, case_id: int, body: Merge) -> CaseOut:
    changed = cases.merge(caller.actor, case_id, body.into, body.reason, expected_version=body.expected_version)
    return CaseOut(**changed.to_dict())


@router.post("/{case_id}/notes", summary="Add a note to a case")
def api_note(cases: Cases, caller: ApiCaller, case_id: int, body: Note) -> CaseOut:
    changed = cases.add_note(caller.actor, case_id, body.text, expected_version=body.expected_version)
    return CaseOut(**changed.to_dict())


def image_response(state: WebState, caller: Caller, case_id: int, digest: str) -> Response:
    """A case's image by digest, as a metadata-free JPEG copy (`varde.media.sanitize`); 404 for anything else."""
    from varde.media.files import MediaRejected
    from varde.media.sanitize import clean_image

    data = state.service.case_image(caller.actor, case_id, digest, media_folder=Path(state.media_dir))
    try:
        shown = clean_image(data)
    except MediaRejected as error:
        raise NotFound(f"image {digest}: cannot be shown ({error})") from None
    return Response(
        shown.data,
        media_type=shown.content_type,
        headers={
            "x-content-type-options": "nosniff",
            "content-disposition": f'inline; filename="{digest[:16]}.jpg"',
            "cache-control": "private, no-store",
        },
    )


@router.get("/{case_id}/images/{digest}", summary="An image of the case's posts by SHA-256 (EXIF-free JPEG copy)")
def api_image(state: State, caller: ApiCaller, case_id: int, digest: Annotated[str, Path_(max_length=64)]) -> Response:
    return image_response(state, caller, case_id, digest)


@pages.get("/cases/{case_id}/images/{digest}", name="case_image")
def case_image(
    state: State, caller: PageCaller, case_id: int, digest: Annotated[str, Path_(max_length=64)]
) -> Response:
    return image_response(state, caller, case_id, digest)


def evidence_response(state: WebState, caller: Caller, case_id: int, tasks: BackgroundTasks) -> FileResponse:
    """Write the evidence bundle to a temporary file, send it, and delete it afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="varde-evidence-"))
    path = folder / f"case-{case_id}-evidence.zip"

    def cleanup() -> None:
        path.unlink(missing_ok=True)
        folder.rmdir()

    tasks.add_task(cleanup)
    try:
        digest = state.service.export_evidence(
            caller.actor, case_id, path, media_folder=Path(state.media_dir), keys=state.settings.key_folder
        )
    except BaseException:
        cleanup()
        raise
    return FileResponse(
        path,
        media_type="application/zip",
        filename=path.name,
        headers={"x-manifest-sha256": digest},
    )


@router.post("/{case_id}/evidence", summary="Export the case's evidence bundle (zip with a SHA-256 manifest)")
def api_evidence(state: State, caller: ApiCaller, case_id: int, tasks: BackgroundTasks) -> FileResponse:
    return evidence_response(state, caller, case_id, tasks)


def _case_page(
    request: Request,
    state: WebState,
    caller: Caller,
    case_id: int,
    *,
    error: str = "",
    done: str = "",
    status_code: int = 200,
) -> Response:
    flashes = [{"kind": "error", "text": error}] if error else []
    if done in DONE:
        flashes.append({"kind": "ok", "text": DONE[done], "translate": "yes"})
    view = case_view(state, caller, case_id)
    return page(request, state, "case.html", caller, nav="queue", view=view, flashes=flashes, status_code=status_code)


@pages.get("/cases/{case_id}", name="case_page", response_class=HTMLResponse)
def case_page(
    request: Request, state: State, caller: PageCaller, case_id: int, done: Annotated[str, Query(max_length=16)] = ""
) -> Response:
    return _case_page(request, state, caller, case_id, done=done)


@dataclass(frozen=True, slots=True)
class CaseForm:
    """A form posted from the case page: who, on which case, with the session's CSRF token already checked."""

    request: Request
    state: WebState
    caller: Caller
    case_id: int
    reason: str

    def act(self, done: str, work: Callable[[Actor], object]) -> Response:
        """Run a case action as the caller; on success redirect to the case page, on a refused change show why."""
        try:
            work(self.caller.actor)
        except (InvalidTransition, Conflict, ConfigError, InputError) as error:
            return self.refuse(str(error), 409)
        return RedirectResponse(f"/cases/{self.case_id}?done={done}", status_code=303)

    def refuse(self, error: str, status_code: int) -> Response:
        return _case_page(self.request, self.state, self.caller, self.case_id, error=error, status_code=status_code)


def case_form(
    request: Request,
    state: State,
    caller: PageCaller,
    case_id: int,
    reason: Annotated[str, Form(max_length=2000)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> CaseForm:
    check_form_csrf(caller, csrf_token)
    return CaseForm(request, state, caller, case_id, reason)


Posted = Annotated[CaseForm, Depends(case_form)]


@pages.post("/cases/{case_id}/status", name="case_status_form")
def case_status_form(form: Posted, cases: Cases, status: Annotated[str, Form(max_length=16)]) -> Response:
    return form.act("status", lambda actor: cases.set_status(actor, form.case_id, status, form.reason))


@pages.post("/cases/{case_id}/assign", name="case_assign_form")
def case_assign_form(form: Posted, cases: Cases, assignee: Annotated[str, Form(max_length=128)] = "") -> Response:
    who = assignee.strip() or None
    why = form.reason.strip() or (f"assigned to {who}" if who else "unassigned")
    return form.act("assign", lambda actor: cases.assign(actor, form.case_id, who, why))


@pages.post("/cases/{case_id}/merge", name="case_merge_form")
def case_merge_form(form: Posted, cases: Cases, into: Annotated[str, Form(max_length=32)]) -> Response:
    if not into.strip().isdigit():
        return form.refuse("Merge: give the number of the case to merge into.", 400)
    return form.act("merge", lambda actor: cases.merge(actor, form.case_id, int(into), form.reason))


@pages.post("/cases/{case_id}/note", name="case_note_form")
def case_note_form(form: Posted, cases: Cases, text: Annotated[str, Form(max_length=10000)] = "") -> Response:
    return form.act("note", lambda actor: cases.add_note(actor, form.case_id, text))


@pages.post("/cases/{case_id}/export", name="case_export_form")
def case_export_form(form: Posted, tasks: BackgroundTasks) -> Response:
    return evidence_response(form.state, form.caller, form.case_id, tasks)
