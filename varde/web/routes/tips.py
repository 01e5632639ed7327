"""Tip intake over HTTP: the form's fields and an uploaded screenshot in, what became of the tip out.

The work (validation, the pipeline, storing the tip and the tipster's contact, opening its case) is
`varde.cases.tips.TipService`'s."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from varde.cases import access
from varde.cases.tips import MAX_CONTACT, MAX_SCREENSHOT, MAX_TEXT, MAX_URL, Screenshot, check_screenshot_size
from varde.errors import ConfigError, InputError
from varde.vocab import PLATFORMS
from varde.web.deps import ApiCaller, PageCaller, State, Tips, check_form_csrf, tip_service
from varde.web.render import page

router = APIRouter(prefix="/api", tags=["tips"])

pages = APIRouter(include_in_schema=False)  # the HTML page beside its JSON twin


class TipForm(BaseModel):
    fields: dict[str, str]
    platforms: list[str]
    max_text: int
    max_screenshot_bytes: int


class TipResult(BaseModel):
    post_id: str
    is_order: bool
    score: float
    order_id: str | None
    case_id: int | None
    violence_types: list[str]
    district: str | None
    media: list[str]
    contact_stored: bool
    images: list[str]


@router.get("/tips", summary="What the tip form accepts (JSON twin of /tips/new)")
def api_tip_form(caller: ApiCaller) -> TipForm:
    access.require(caller.actor, access.TIP_CONTACT_WRITE)
    return TipForm(
        fields={
            "text": "required unless a screenshot is sent",
            "seen_on": "platform the tip was seen on",
            "seen_at": "when it was seen: ISO 8601 date and time, local time unless an offset is given; not future",
            "seen_url": "where it was seen: an http or https address, kept as text and never fetched",
            "channel": "channel or account",
            "screenshot": "PNG, JPEG or WebP",
            "contact": "tipster's contact; stored apart, supervisors only",
        },
        platforms=sorted(PLATFORMS - {"tip"}),
        max_text=MAX_TEXT,
        max_screenshot_bytes=MAX_SCREENSHOT,
    )


@router.post("/tips", summary="Submit a tip (multipart: text, optional screenshot, optional contact)", status_code=201)
async def api_tip(
    tips: Tips,
    caller: ApiCaller,
    text: Annotated[str, Form(max_length=MAX_TEXT)] = "",
    seen_on: Annotated[str, Form(max_length=32)] = "",
    seen_at: Annotated[str, Form(max_length=64)] = "",
    seen_url: Annotated[str, Form(max_length=MAX_URL)] = "",
    channel: Annotated[str, Form(max_length=500)] = "",
    contact: Annotated[str, Form(max_length=MAX_CONTACT)] = "",
    screenshot: Annotated[UploadFile | None, File()] = None,
) -> TipResult:
    shot = await read_upload(screenshot)
    outcome = await run_in_threadpool(
        tips.submit,
        caller.actor,
        text,
        seen_on=seen_on,
        seen_at=seen_at,
        seen_url=seen_url,
        channel=channel,
        screenshot=shot,
        contact=contact,
    )
    return TipResult(**outcome.to_dict())


async def read_upload(upload: UploadFile | None) -> Screenshot | None:
    """The uploaded file, or None when the field was left empty; refuses files over the size cap."""
    if upload is None or not upload.filename:
        return None
    data = await upload.read(MAX_SCREENSHOT + 1)
    if not data:
        return None
    check_screenshot_size(len(data))
    return Screenshot(data, upload.filename)


@pages.get("/tips/new", name="tip_page", response_class=HTMLResponse)
def tip_page(request: Request, state: State, caller: PageCaller) -> Response:
    access.require(caller.actor, access.TIP_CONTACT_WRITE)  # the roles that handle tips (see varde.cases.tips)
    return page(request, state, "tip.html", caller, nav="tip", platforms=sorted(PLATFORMS - {"tip"}), result=None)


@pages.post("/tips", name="tip_form")
async def tip_form(
    request: Request,
    state: State,
    caller: PageCaller,
    text: Annotated[str, Form(max_length=MAX_TEXT)] = "",
    seen_on: Annotated[str, Form(max_length=32)] = "",
    seen_at: Annotated[str, Form(max_length=64)] = "",
    seen_url: Annotated[str, Form(max_length=MAX_URL)] = "",
    channel: Annotated[str, Form(max_length=500)] = "",
    contact: Annotated[str, Form(max_length=MAX_CONTACT)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    screenshot: Annotated[UploadFile | None, File()] = None,
) -> Response:
    check_form_csrf(caller, csrf_token)
    platforms = sorted(PLATFORMS - {"tip"})
    try:
        shot = await read_upload(screenshot)
        outcome = await run_in_threadpool(
            tip_service(state).submit,
            caller.actor,
            text,
            seen_on=seen_on,
            seen_at=seen_at,
            seen_url=seen_url,
            channel=channel,
            screenshot=shot,
            contact=contact,
        )
    except (ConfigError, InputError) as error:
        return page(
            request,
            state,
            "tip.html",
            caller,
            nav="tip",
            platforms=platforms,
            result=None,
            flashes=[{"kind": "error", "text": str(error)}],
            status_code=400,
        )
    return page(request, state, "tip.html", caller, nav="tip", platforms=platforms, result=outcome.to_dict())
