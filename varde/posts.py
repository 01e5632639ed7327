"""Input posts (CONTRACT §1) and their validation.

A `Post` is what a reader yields: one social-media post or tip, exactly as it came in, plus where it came from.
`post_from_mapping` turns a decoded JSON object or CSV row into a `Post`, or raises `InvalidPost` naming the field.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson

from varde.errors import InvalidPost
from varde.vocab import PLATFORMS, SOURCES

REQUIRED_FIELDS = ("id", "platform", "text", "created_at")
OPTIONAL_TEXT_FIELDS = ("author", "author_id", "channel", "url", "reply_to", "forwarded_from", "source")


@dataclass(frozen=True, slots=True)
class Post:
    """One input post (CONTRACT §1). `raw` is the original record, byte for byte; `origin` says where it was read."""

    id: str
    platform: str
    text: str
    created_at: datetime
    author: str | None = None
    author_id: str | None = None
    channel: str | None = None
    url: str | None = None
    reply_to: str | None = None
    forwarded_from: str | None = None
    media: tuple[str, ...] = ()
    source: str | None = None
    raw: bytes = field(default=b"", repr=False, compare=False)
    origin: str = field(default="", compare=False)
    media_root: str = field(default="", compare=False)  # folder that relative `media` paths are read from

    @property
    def sha256(self) -> str:
        """SHA-256 of the original record (or of the text when there is none), for evidence."""
        return hashlib.sha256(self.raw or self.text.encode("utf-8")).hexdigest()

    def to_contract_dict(self) -> dict[str, Any]:
        """The post as a CONTRACT §1 object (for publishing to a stream or re-export)."""
        out: dict[str, Any] = {
            "id": self.id,
            "platform": self.platform,
            "text": self.text,
            "created_at": self.created_at.isoformat(),
        }
        for name in OPTIONAL_TEXT_FIELDS:
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        if self.media:
            out["media"] = list(self.media)
        return out


def parse_timestamp(value: object, field_name: str = "created_at") -> datetime:
    """Parse an ISO 8601 timestamp that carries an offset; anything else is an `InvalidPost` naming the field."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidPost(f"{field_name}: expected an ISO 8601 timestamp with offset, got {value!r}", field=field_name)
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidPost(f"{field_name}: not an ISO 8601 timestamp: {value!r}", field=field_name) from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidPost(f"{field_name}: timestamp has no UTC offset: {value!r}", field=field_name)
    try:
        moment.astimezone(UTC)
    except OverflowError:  # 9999-12-31T23:59:59-14:00 is past year 9999 in UTC, where it is stored and compared
        raise InvalidPost(f"{field_name}: outside the years 1-9999 in UTC: {value!r}", field=field_name) from None
    return moment


def _encodable(value: str, name: str) -> str:
    """`value` unchanged; a lone surrogate ("\\ud800" in JSON) cannot be written as UTF-8 anywhere downstream."""
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as error:
            reason = f"{name}: not valid Unicode (lone surrogate at character {error.start})"
            raise InvalidPost(reason, field=name) from None
    return value


def _optional_text(data: Mapping[str, Any], name: str) -> str | None:
    value = data.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise InvalidPost(f"{name}: expected a string, got {type(value).__name__}", field=name)
    return _encodable(value, name)


def _media(value: object) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        # CSV cells hold several paths separated by '|' or ';'.
        parts = [p.strip() for p in _encodable(value, "media").replace(";", "|").split("|")]
        return tuple(p for p in parts if p)
    if isinstance(value, list) and all(isinstance(p, str) for p in value):
        return tuple(_encodable(p, "media") for p in value)
    raise InvalidPost("media: expected a list of file paths", field="media")


def read_json(raw: bytes) -> Any:
    """`json.loads(raw.decode("utf-8"))`, with its result and its errors (UnicodeDecodeError, ValueError,
    RecursionError), read with orjson where orjson reads the same. orjson is several times faster; it refuses what it
    does not read the same way (invalid UTF-8, NaN, lone surrogates, deep nesting) and reads integers over 64 bits as
    floats, so a document with a float among its objects' fields (nested objects included, e.g. a message's post)
    goes the standard library's way too: posts carry none."""
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return json.loads(raw.decode("utf-8"))
    if _has_float_field(value):
        return json.loads(raw.decode("utf-8"))
    return value


def _has_float_field(value: Any) -> bool:
    """Whether `value` is an object with a float among its fields, its nested objects' included."""
    if not isinstance(value, dict):
        return False
    fields = value.values()
    return any(type(field) is float or (isinstance(field, dict) and _has_float_field(field)) for field in fields)


def post_from_mapping(data: object, *, raw: bytes = b"", origin: str = "", media_root: str = "") -> Post:
    """Validate one decoded input object and build a `Post`; raise `InvalidPost` naming the first bad field."""
    if not isinstance(data, Mapping):
        raise InvalidPost(f"expected a JSON object, got {type(data).__name__}", field=None)
    for name in REQUIRED_FIELDS:
        if name not in data or data[name] is None:
            raise InvalidPost(f"{name}: required field is missing", field=name)
    post_id = data["id"]
    if isinstance(post_id, int) and not isinstance(post_id, bool):
        post_id = str(post_id)
    if not isinstance(post_id, str) or not post_id.strip():
        raise InvalidPost("id: expected a non-empty string", field="id")
    _encodable(post_id, "id")
    platform = data["platform"]
    if not isinstance(platform, str) or platform.strip().lower() not in PLATFORMS:
        raise InvalidPost(f"platform: {platform!r} is not one of {', '.join(sorted(PLATFORMS))}", field="platform")
    text = data["text"]
    if not isinstance(text, str):
        raise InvalidPost(f"text: expected a string, got {type(text).__name__}", field="text")
    _encodable(text, "text")
    created_at = parse_timestamp(data["created_at"])
    source = _optional_text(data, "source")
    if source is not None and source not in SOURCES:
        raise InvalidPost(f"source: {source!r} is not one of {', '.join(sorted(SOURCES))}", field="source")
    return Post(
        id=post_id,
        platform=platform.strip().lower(),
        text=text,
        created_at=created_at,
        author=_optional_text(data, "author"),
        author_id=_optional_text(data, "author_id"),
        channel=_optional_text(data, "channel"),
        url=_optional_text(data, "url"),
        reply_to=_optional_text(data, "reply_to"),
        forwarded_from=_optional_text(data, "forwarded_from"),
        media=_media(data.get("media")),
        source=source,
        raw=raw,
        origin=origin,
        media_root=media_root,
    )
