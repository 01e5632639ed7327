"""Tip intake: text, an optional screenshot and an optional tipster contact.

A tip becomes a post (platform `tip`, source `tip`), goes through the same pipeline as monitored posts and is
stored through `varde.cases.ingest`, so an order in it opens (or joins) a case in the queue like any other; a tip
the detector does not flag still opens a case (a person reported it: an analyst decides). The tipster's contact
never enters the post: the case service keeps it in its own table, readable by supervisors only."""

from __future__ import annotations

import json
import secrets
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from sqlalchemy import select

from varde.cases import access
from varde.cases.access import Actor
from varde.cases.ingest import ingest
from varde.cases.service import CaseService
from varde.errors import InputError
from varde.media.store import MediaStore
from varde.posts import Post
from varde.records import MediaFile, Record
from varde.store import Store
from varde.store.case_tables import case_posts, cases
from varde.vocab import PLATFORMS

if TYPE_CHECKING:
    from varde.pipeline import Pipeline

MAX_TEXT = 20_000
MAX_SCREENSHOT = 10 * 1024 * 1024
MAX_CONTACT = 500
MAX_URL = 2_000
IMAGE_TYPES = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpg", b"RIFF": "webp"}


@dataclass(frozen=True, slots=True)
class Screenshot:
    data: bytes
    filename: str


@dataclass(frozen=True, slots=True)
class Seen:
    """Where and when the tipster saw the post (each may be unknown)."""

    platform: str
    at: datetime | None
    url: str


@dataclass(frozen=True, slots=True)
class TipOutcome:
    """What became of a tip: its post, the detector's verdict, and its case when the submitter may see it."""

    post_id: str
    is_order: bool
    score: float
    order_id: str | None
    case_id: int | None
    violence_types: tuple[str, ...]
    district: str | None
    media: tuple[str, ...]
    contact_stored: bool
    images: tuple[str, ...] = ()  # SHA-256 of the screenshot in the media store (shown through its case)

    def to_dict(self) -> dict[str, Any]:
        return {
            "post_id": self.post_id,
            "is_order": self.is_order,
            "score": self.score,
            "order_id": self.order_id,
            "case_id": self.case_id,
            "violence_types": list(self.violence_types),
            "district": self.district,
            "media": list(self.media),
            "images": list(self.images),
            "contact_stored": self.contact_stored,
        }


def image_extension(data: bytes) -> str:
    """The file extension for a PNG, JPEG or WebP by its first bytes; InputError for anything else."""
    for magic, ext in IMAGE_TYPES.items():
        if data.startswith(magic) and (ext != "webp" or data[8:12] == b"WEBP"):
            return ext
    raise InputError("screenshot: only PNG, JPEG and WebP images are accepted")


def parse_seen_at(text: str, zone: ZoneInfo, now: datetime) -> datetime | None:
    """When the tipster saw the post: an ISO 8601 date-time ("2026-03-01T21:30"), local time in `zone` unless it
    names its offset, as an aware UTC instant; None when empty. InputError for an unreadable or future time."""
    text = text.strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InputError("seen_at: not a date and time (2026-03-01T21:30)") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    moment = moment.astimezone(UTC)
    if moment > now:
        raise InputError("seen_at: in the future")
    return moment


def check_seen_url(text: str) -> str:
    """The address the tipster saw the post at, as inert text (never fetched); only http and https, with a host."""
    text = text.strip()
    if not text:
        return ""
    if len(text) > MAX_URL:
        raise InputError(f"seen_url: longer than {MAX_URL} characters")
    if any(ch.isspace() or ord(ch) < 32 or ch in '<>"\\`' for ch in text):
        raise InputError("seen_url: not a web address")
    try:
        parts = urlsplit(text)
    except ValueError:
        raise InputError("seen_url: not a web address") from None
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        raise InputError("seen_url: only http and https addresses")
    return text


def check_screenshot_size(size: int) -> None:
    if size > MAX_SCREENSHOT:
        raise InputError(f"screenshot: larger than {MAX_SCREENSHOT // (1024 * 1024)} MB")


def save_screenshot(media_dir: str, shot: Screenshot) -> MediaFile:
    """Keep the image in the media store (by SHA-256, as scanned media are, so evidence bundles include it); the
    returned file names it `tips/<sha256>.<ext>` as text."""
    check_screenshot_size(len(shot.data))
    ext = image_extension(shot.data)
    digest = MediaStore(media_dir).put(shot.data)
    return MediaFile(f"tips/{digest}.{ext}", digest, len(shot.data))


class TipService:
    def __init__(
        self,
        store: Store,
        cases: CaseService,
        *,
        media_dir: str,
        pipeline: Pipeline | None = None,
        zone: ZoneInfo | None = None,
        model_dir: str | None = None,
    ) -> None:
        """Tips run through `pipeline`, by default `build_pipeline(store.order_index())`, built on the first tip;
        a `seen_at` without an offset is local time in `zone` (the installation's, default UTC)."""
        self.store = store
        self.cases = cases
        self.media_dir = media_dir
        self.zone = zone or ZoneInfo("UTC")
        self._pipeline = pipeline
        self.model_dir = model_dir  # registered models' files: tips score with the active model (shipped if None)
        # The pipeline's de-duplication index is not thread-safe; tips are rare, so one at a time.
        self._pipeline_lock = threading.Lock()

    def submit(
        self,
        actor: Actor,
        text: str,
        *,
        seen_on: str = "",
        seen_at: str = "",
        seen_url: str = "",
        channel: str = "",
        screenshot: Screenshot | None = None,
        contact: str = "",
        now: datetime | None = None,
    ) -> TipOutcome:
        """Analyse and store one tip; returns what became of it (post id, order, case when the user may see it).

        `seen_on` (platform), `seen_at` (when, local time) and `seen_url` (where) say where the tipster saw it;
        they are kept in the raw record, and `seen_url` as the post's URL (inert text)."""
        # Submitting a tip is allowed to the roles that may record a tipster's contact (the case-handling roles).
        access.require(actor, access.TIP_CONTACT_WRITE)
        now = now or datetime.now(UTC)
        text = text.strip()
        if len(text) > MAX_TEXT:
            raise InputError(f"text: longer than {MAX_TEXT} characters")
        if not text and screenshot is None:
            raise InputError("a tip needs text or a screenshot")
        if seen_on and seen_on not in PLATFORMS:
            raise InputError(f"seen_on: one of {', '.join(sorted(PLATFORMS))}")
        seen = Seen(seen_on, parse_seen_at(seen_at, self.zone, now), check_seen_url(seen_url))
        files = (save_screenshot(self.media_dir, screenshot),) if screenshot is not None else ()
        media = tuple(file.name for file in files)
        post = self._post(actor, text, seen=seen, channel=channel.strip(), media=media, now=now)
        with self._pipeline_lock:
            if self._pipeline is None:
                from varde.pipeline import build_pipeline  # scikit-learn: on the first tip, not at start-up
                from varde.store.model_files import ActiveModels, ModelFiles

                models = ActiveModels(self.store, ModelFiles(Path(self.model_dir))) if self.model_dir else None
                self._pipeline = build_pipeline(self.store.order_index(), models=models)
            record = self._pipeline.run([Record(post=post, media_files=files)])[0]
            ingest(self.store, [record], now=now)
        if contact.strip():
            self.cases.add_tip_contact(actor, post.id, contact.strip()[:MAX_CONTACT])
        case_id = self._visible_case(actor, record)
        return TipOutcome(
            post_id=post.id,
            is_order=record.is_order,
            score=float(record.score),
            # Another district's case stays hidden: not even its order id is told.
            order_id=record.order_id if record.is_order and case_id is not None else None,
            case_id=case_id,
            violence_types=tuple(record.violence_types),
            district=record.district,
            media=media,
            contact_stored=bool(contact.strip()),
            images=tuple(file.sha256 for file in files if file.sha256) if case_id is not None else (),
        )

    def _post(
        self, actor: Actor, text: str, *, seen: Seen, channel: str, media: tuple[str, ...], now: datetime
    ) -> Post:
        post_id = f"tip:{now.strftime('%Y%m%dT%H%M%S')}-{secrets.token_hex(4)}"
        # The original record as received (evidence); the tipster's contact is deliberately not part of it.
        raw: dict[str, Any] = {
            "id": post_id,
            "platform": "tip",
            "text": text,
            "created_at": now.isoformat(),
            "source": "tip",
        }
        raw |= {"seen_on": seen.platform} if seen.platform else {}
        raw |= {"seen_at": seen.at.isoformat()} if seen.at else {}
        raw |= {"seen_url": seen.url} if seen.url else {}
        raw |= {"channel": channel} if channel else {}
        raw |= {"media": list(media), "submitted_by": actor.name} if media else {"submitted_by": actor.name}
        return Post(
            id=post_id,
            platform="tip",
            text=text,
            created_at=now,
            channel=channel or None,
            url=seen.url or None,
            media=media,
            source="tip",
            raw=json.dumps(raw, ensure_ascii=False, sort_keys=True).encode("utf-8"),
            origin=f"web tip by {actor.name}",
        )

    def _visible_case(self, actor: Actor, record: Record) -> int | None:
        """The tip's case, if `actor` may read it: a flagged tip joins its order's case; any other tip has a case
        of its own (`varde.cases.intake.open_tip_cases`)."""
        if record.is_order and record.order_id:
            find = select(cases.c.id, cases.c.district).where(cases.c.order_id == record.order_id)
        else:
            find = select(cases.c.id, cases.c.district).join(case_posts).where(case_posts.c.post_id == record.id)
        with self.store.engine.connect() as conn:
            row = conn.execute(find).first()
        if row is not None and access.may_on_case(actor, access.CASE_READ, row.district):
            return int(row.id)
        return None
