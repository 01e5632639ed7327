"""Tip intake over HTTP: the form's fields and an uploaded screenshot in, what became of the tip out.

The work (validation, the pipeline, storing the tip and the tipster's contact, opening its case) is
`varde.cases.tips.TipService`'s."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from varde.cases import access
from varde.cases.tips import MAX_CONTACT, MAX_SCREENSHOT, MAX_TEXT, Screenshot, check_screenshot_size
from varde.vocab import PLATFORMS
from varde.web.deps import ApiCaller, Tips

router = APIRouter(prefix="/api", tags=["tips"])


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


@router.get("/tips", summary="What the tip form accepts (JSON twin of /tips/new)")
def api_tip_form(caller: ApiCaller) -> TipForm:
    access.require(caller.actor, access.TIP_CONTACT_WRITE)
    return TipForm(
        fields={
            "text": "required unless a screenshot is sent",
            "seen_on": "platform the tip was seen on",
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
    channel: Annotated[str, Form(max_length=500)] = "",
    contact: Annotated[str, Form(max_length=MAX_CONTACT)] = "",
    screenshot: Annotated[UploadFile | None, File()] = None,
) -> TipResult:
    shot = await read_upload(screenshot)
    outcome = await run_in_threadpool(
        tips.submit, caller.actor, text, seen_on=seen_on, channel=channel, screenshot=shot, contact=contact
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
