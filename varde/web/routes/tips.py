"""Tip intake: text, an optional screenshot and an optional tipster contact.

A tip becomes a post (platform `tip`, source `tip`), goes through the same pipeline as monitored posts and is
stored with `Store.save`, so an order in it opens (or joins) a case in the queue like any other; a tip the
detector does not flag still opens a case (a person reported it: an analyst decides). The tipster's
contact never enters the post: the service keeps it in its own table, readable by supervisors only."""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, UploadFile
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from varde.cases import access
from varde.errors import ConfigError
from varde.pipeline import build_pipeline
from varde.posts import Post
from varde.records import Record
from varde.store.case_tables import case_posts, cases
from varde.vocab import PLATFORMS
from varde.web.deps import ApiCaller, Caller, State, WebState

router = APIRouter(prefix="/api", tags=["tips"])

MAX_TEXT = 20_000
MAX_SCREENSHOT = 10 * 1024 * 1024
IMAGE_TYPES = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpg", b"RIFF": "webp"}


@dataclass(frozen=True, slots=True)
class Screenshot:
    data: bytes
    filename: str


def image_extension(data: bytes) -> str:
    """The file extension for a PNG, JPEG or WebP by its first bytes; ConfigError for anything else."""
    for magic, ext in IMAGE_TYPES.items():
        if data.startswith(magic) and (ext != "webp" or data[8:12] == b"WEBP"):
            return ext
    raise ConfigError("screenshot: only PNG, JPEG and WebP images are accepted")


def _save_screenshot(media_dir: str, shot: Screenshot) -> str:
    """Store the image under `<media_dir>/tips/` by content hash; returns its path relative to `media_dir`."""
    if len(shot.data) > MAX_SCREENSHOT:
        raise ConfigError(f"screenshot: larger than {MAX_SCREENSHOT // (1024 * 1024)} MB")
    ext = image_extension(shot.data)
    relative = f"tips/{hashlib.sha256(shot.data).hexdigest()}.{ext}"
    target = Path(media_dir) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        target.write_bytes(shot.data)
    return relative


def submit_tip(
    state: WebState,
    caller: Caller,
    text: str,
    *,
    seen_on: str = "",
    channel: str = "",
    screenshot: Screenshot | None = None,
    contact: str = "",
    now: datetime | None = None,
) -> dict[str, Any]:
    """Analyse and store one tip; returns what became of it (post id, order, case when the user may see it)."""
    # Submitting a tip is allowed to the roles that may record a tipster's contact (the case-handling roles).
    access.require(caller.actor, access.TIP_CONTACT_WRITE)
    now = now or datetime.now(UTC)
    text = text.strip()
    if len(text) > MAX_TEXT:
        raise ConfigError(f"text: longer than {MAX_TEXT} characters")
    if not text and screenshot is None:
        raise ConfigError("a tip needs text or a screenshot")
    if seen_on and seen_on not in PLATFORMS:
        raise ConfigError(f"seen_on: one of {', '.join(sorted(PLATFORMS))}")
    media = (_save_screenshot(state.media_dir, screenshot),) if screenshot is not None else ()
    post_id = f"tip:{now.strftime('%Y%m%dT%H%M%S')}-{secrets.token_hex(4)}"
    # The original record as received (evidence); the tipster's contact is deliberately not part of it.
    raw: dict[str, Any] = {
        "id": post_id,
        "platform": "tip",
        "text": text,
        "created_at": now.isoformat(),
        "source": "tip",
    }
    raw |= {"seen_on": seen_on} if seen_on else {}
    raw |= {"channel": channel.strip()} if channel.strip() else {}
    raw |= {"media": list(media), "submitted_by": caller.actor.name} if media else {"submitted_by": caller.actor.name}
    post = Post(
        id=post_id,
        platform="tip",
        text=text,
        created_at=now,
        channel=channel.strip() or None,
        media=media,
        source="tip",
        raw=json.dumps(raw, ensure_ascii=False, sort_keys=True).encode("utf-8"),
        origin=f"web tip by {caller.actor.name}",
        media_root=state.media_dir,
    )
    with state.pipeline_lock:
        if state.pipeline is None:
            state.pipeline = build_pipeline(state.store.order_index())
        record = state.pipeline.run([Record(post=post)])[0]
        state.store.save([record], now=now)
    if contact.strip():
        state.service.add_tip_contact(caller.actor, post_id, contact.strip()[:500])
    case_id = None
    # A flagged tip joins its order's case; any other tip has a case of its own (`open_tip_cases`).
    if record.is_order and record.order_id:
        find = select(cases.c.id, cases.c.district).where(cases.c.order_id == record.order_id)
    else:
        find = select(cases.c.id, cases.c.district).join(case_posts).where(case_posts.c.post_id == post_id)
    with state.store.engine.connect() as conn:
        row = conn.execute(find).first()
    if row is not None and access.may_on_case(caller.actor, access.CASE_READ, row.district):
        case_id = int(row.id)
    return {
        "post_id": post_id,
        "is_order": record.is_order,
        "score": float(record.score),
        "order_id": record.order_id if record.is_order and case_id is not None else None,  # hidden case: no id
        "case_id": case_id,
        "violence_types": list(record.violence_types),
        "district": record.district,
        "media": list(media),
        "contact_stored": bool(contact.strip()),
    }


@router.get("/tips", summary="What the tip form accepts (JSON twin of /tips/new)")
def api_tip_form(caller: ApiCaller) -> dict[str, Any]:
    access.require(caller.actor, access.TIP_CONTACT_WRITE)
    return {
        "fields": {
            "text": "required unless a screenshot is sent",
            "seen_on": "platform the tip was seen on",
            "channel": "channel or account",
            "screenshot": "PNG, JPEG or WebP",
            "contact": "tipster's contact; stored apart, supervisors only",
        },
        "platforms": sorted(PLATFORMS - {"tip"}),
        "max_text": MAX_TEXT,
        "max_screenshot_bytes": MAX_SCREENSHOT,
    }


@router.post("/tips", summary="Submit a tip (multipart: text, optional screenshot, optional contact)", status_code=201)
async def api_tip(
    state: State,
    caller: ApiCaller,
    text: Annotated[str, Form(max_length=MAX_TEXT)] = "",
    seen_on: Annotated[str, Form(max_length=32)] = "",
    channel: Annotated[str, Form(max_length=500)] = "",
    contact: Annotated[str, Form(max_length=500)] = "",
    screenshot: Annotated[UploadFile | None, File()] = None,
) -> dict[str, Any]:
    shot = await read_upload(screenshot)
    return await run_in_threadpool(
        submit_tip, state, caller, text, seen_on=seen_on, channel=channel, screenshot=shot, contact=contact
    )


async def read_upload(upload: UploadFile | None) -> Screenshot | None:
    """The uploaded file, or None when the field was left empty; refuses files over the size cap."""
    if upload is None or not upload.filename:
        return None
    data = await upload.read(MAX_SCREENSHOT + 1)
    if not data:
        return None
    if len(data) > MAX_SCREENSHOT:
        raise ConfigError(f"screenshot: larger than {MAX_SCREENSHOT // (1024 * 1024)} MB")
    return Screenshot(data, upload.filename)
