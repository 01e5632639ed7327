"""Readers: turn input files into `Post`s — JSON Lines, CSV and Telegram Desktop exports; `-` is standard input.

Bad records never stop a run: each yields a `Rejected` that names the file, the line (or Telegram message id)
and the field, and carries the original bytes so nothing is silently dropped."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from varde.errors import InputError, InvalidPost
from varde.posts import Post, post_from_mapping

STDIN = "-"


@dataclass(frozen=True, slots=True)
class Rejected:
    """A record that could not be read: where, which field, why, and its original bytes."""

    path: str
    location: str  # "line 12" or "message 345"
    field: str | None
    reason: str
    raw: bytes

    def message(self) -> str:
        field = f" field {self.field!r}:" if self.field else ""
        return f"{self.path}: {self.location}:{field} {self.reason}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "location": self.location,
            "field": self.field,
            "reason": self.reason,
            "raw": self.raw.decode("utf-8", errors="replace"),
        }


ReadResult = Post | Rejected


def iter_posts(paths: Iterable[str | Path]) -> Iterator[ReadResult]:
    """Read every input in turn; yields Posts and Rejected records in input order."""
    for path in paths:
        yield from read_path(str(path))


def read_path(path: str) -> Iterator[ReadResult]:
    """Read one input, choosing the format by name and content (`-` is standard input, JSONL or CSV)."""
    if path == STDIN:
        data = sys.stdin.buffer.read()
        yield from _read_bytes(data, "<stdin>", media_root=str(Path.cwd()))
        return
    file = Path(path)
    try:
        data = file.read_bytes()
    except OSError as error:
        raise InputError(f"{path}: cannot read file: {error.strerror or error}") from None
    yield from _read_bytes(data, path, media_root=str(file.resolve().parent), suffix=file.suffix.lower())


def _read_bytes(data: bytes, path: str, *, media_root: str, suffix: str = "") -> Iterator[ReadResult]:
    head = data.lstrip()[:1]
    if suffix == ".csv":
        yield from read_csv(data, path, media_root=media_root)
    elif head == b"{" and _is_telegram_export(data):
        yield from read_telegram(data, path, media_root=media_root)
    elif suffix in {".jsonl", ".ndjson", ".json"} or head in {b"{", b"["}:
        yield from read_jsonl(io.BytesIO(data), path, media_root=media_root)
    elif data.strip():
        yield from read_csv(data, path, media_root=media_root)


def _is_telegram_export(data: bytes) -> bool:
    """A Telegram export is one JSON document with `messages` or `chats` (and no post fields)."""
    first_line = data.lstrip().split(b"\n", 1)[0].strip()
    try:
        doc = json.loads(first_line)
    except ValueError:
        try:
            doc = json.loads(data)
        except ValueError:
            return False
    return isinstance(doc, dict) and ("messages" in doc or "chats" in doc) and "platform" not in doc


def read_jsonl(stream: BinaryIO, path: str, *, media_root: str = "") -> Iterator[ReadResult]:
    """One JSON object per line; blank lines are skipped."""
    for number, raw_line in enumerate(stream, start=1):
        raw = raw_line.rstrip(b"\r\n")
        if not raw.strip():
            continue
        location = f"line {number}"
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            yield Rejected(path, location, None, f"invalid UTF-8 at byte {error.start}", raw)
            continue
        try:
            value = json.loads(text)
        except json.JSONDecodeError as error:
            yield Rejected(path, location, None, f"malformed JSON: {error.msg} (column {error.colno})", raw)
            continue
        try:
            yield post_from_mapping(value, raw=raw, origin=f"{path}:{number}", media_root=media_root)
        except InvalidPost as error:
            yield Rejected(path, location, error.field, str(error), raw)


def read_csv(data: bytes, path: str, *, media_root: str = "") -> Iterator[ReadResult]:
    """CSV with a header row using the JSON field names; `media` holds paths separated by `|`."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        # Decode line by line so one bad line does not lose the file.
        yield from _read_csv_lines(data, path, media_root, first_error=error.start)
        return
    yield from _read_csv_text(text, path, media_root)


def _read_csv_text(text: str, path: str, media_root: str) -> Iterator[ReadResult]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if reader.fieldnames is None:
        return
    for row in reader:
        number = reader.line_num
        raw = _csv_row_bytes(reader.fieldnames, row)
        if None in row:
            yield Rejected(path, f"line {number}", None, "more cells than header columns", raw)
            continue
        cleaned = {k: v for k, v in row.items() if k is not None and v not in (None, "")}
        if "text" in row and row["text"] == "":
            cleaned["text"] = ""
        try:
            yield post_from_mapping(cleaned, raw=raw, origin=f"{path}:{number}", media_root=media_root)
        except InvalidPost as error:
            yield Rejected(path, f"line {number}", error.field, str(error), raw)


def _read_csv_lines(data: bytes, path: str, media_root: str, first_error: int) -> Iterator[ReadResult]:
    lines = data.split(b"\n")
    good: list[str] = []
    for number, line in enumerate(lines, start=1):
        try:
            good.append(line.decode("utf-8-sig" if number == 1 else "utf-8"))
        except UnicodeDecodeError as error:
            yield Rejected(path, f"line {number}", None, f"invalid UTF-8 at byte {error.start}", line)
            good.append("")  # keep line numbers stable
    yield from _read_csv_text("\n".join(good), path, media_root)


def _csv_row_bytes(fieldnames: Iterable[str], row: dict[str | Any, Any]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([row.get(name, "") for name in fieldnames])
    return buffer.getvalue().rstrip("\r\n").encode("utf-8")


# --- Telegram Desktop exports -------------------------------------------------------------------------------


def read_telegram(data: bytes, path: str, *, media_root: str = "") -> Iterator[ReadResult]:
    """A Telegram Desktop `result.json`: one chat (`messages`) or a whole account (`chats.list[]`)."""
    try:
        doc = json.loads(data)
    except (ValueError, UnicodeDecodeError) as error:
        yield Rejected(path, "file", None, f"not a readable Telegram export: {error}", data[:2000])
        return
    chats = doc.get("chats", {}).get("list", []) if "chats" in doc else [doc]
    for chat in chats:
        if not isinstance(chat, dict):
            continue
        chat_name = str(chat.get("name") or chat.get("id") or "chat")
        chat_key = str(chat.get("id") or chat_name)
        for message in chat.get("messages", []):
            yield from _telegram_message(message, chat_name, chat_key, path, media_root)


def telegram_text(value: object) -> str:
    """Telegram `text` is a string or a list of strings and entity objects ({"type": ..., "text": ...})."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        parts = []
        for part in value:
            if isinstance(part, str):
                parts.append(part)
            elif isinstance(part, dict) and isinstance(part.get("text"), str):
                parts.append(part["text"])
        return "".join(parts)
    return ""


def _telegram_message(
    message: object, chat_name: str, chat_key: str, path: str, media_root: str
) -> Iterator[ReadResult]:
    if not isinstance(message, dict):
        yield Rejected(path, "message ?", None, "message is not an object", json.dumps(message).encode())
        return
    raw = json.dumps(message, ensure_ascii=False).encode("utf-8")
    msg_id = message.get("id")
    location = f"message {msg_id}"
    if message.get("type") == "service":
        return
    if msg_id is None:
        yield Rejected(path, location, "id", "id: required field is missing", raw)
        return
    unixtime = message.get("date_unixtime")
    try:
        created = datetime.fromtimestamp(int(str(unixtime)), tz=UTC)
    except (TypeError, ValueError):
        yield Rejected(path, location, "date_unixtime", f"date_unixtime: not a Unix time: {unixtime!r}", raw)
        return
    text = telegram_text(message.get("text"))
    if not text and "text_entities" in message:
        text = telegram_text(message.get("text_entities"))
    media = [
        str(message[key])
        for key in ("photo", "file")
        if isinstance(message.get(key), str) and not str(message[key]).startswith("(File not included")
    ]
    reply = message.get("reply_to_message_id")
    author = message.get("from")
    record = {
        "id": f"telegram:{chat_key}:{msg_id}",
        "platform": "telegram",
        "text": text,
        "created_at": created.isoformat(),
        "author": author if isinstance(author, str) else None,
        "author_id": message.get("from_id"),
        "channel": chat_name,
        "reply_to": f"telegram:{chat_key}:{reply}" if reply is not None else None,
        "forwarded_from": message.get("forwarded_from"),
        "media": media,
    }
    try:
        yield post_from_mapping(record, raw=raw, origin=f"{path}#{msg_id}", media_root=media_root)
    except InvalidPost as error:
        yield Rejected(path, location, error.field, str(error), raw)
