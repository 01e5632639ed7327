"""Readers: turn input files into `Post`s — JSON Lines, CSV and Telegram Desktop exports; `-` is standard input.

Bad records never stop a run: each yields a `Rejected` that names the file, the line (or Telegram message id)
and the field, and carries the original bytes so nothing is silently dropped. That holds for hostile records
too: nesting 100,000 levels deep, numbers of thousands of digits, lone surrogates, oversized CSV cells, an
unclosed CSV quote, a second post with a used id and other text (tests/test_readers_fuzz.py checks it)."""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from varde.errors import InputError, InvalidPost
from varde.posts import Post, parse_timestamp, post_from_mapping, read_json

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

BOM = b"\xef\xbb\xbf"


def rejected_post(post: Post, field: str | None, reason: str) -> Rejected:
    """A `Rejected` for a post that was read but cannot go on, located by its `origin` ("path:line" or
    "path#message")."""
    path, sep, line = post.origin.rpartition(":")
    if sep and line.isdigit():
        return Rejected(path, f"line {line}", field, reason, post.raw)
    path, sep, message = post.origin.rpartition("#")
    if sep:
        return Rejected(path, f"message {message}", field, reason, post.raw)
    return Rejected(post.origin or "<unknown>", f"post {post.id}", field, reason, post.raw)


def iter_posts(paths: Iterable[str | Path]) -> Iterator[ReadResult]:
    """Read every input in turn; yields Posts and Rejected records in input order.

    A post whose id was already read in this run with other text is rejected, naming both places (it would
    otherwise be lost silently when stored); a repeat with the same text passes on as before (the store keeps
    one copy)."""
    seen: dict[str, tuple[str, bytes]] = {}  # id -> (origin, digest of the text) of its first post
    for path in paths:
        for item in read_path(str(path)):
            if isinstance(item, Post):
                digest = hashlib.blake2b(item.text.encode("utf-8"), digest_size=16).digest()
                first_origin, first_digest = seen.setdefault(item.id, (item.origin, digest))
                if first_digest != digest:
                    yield rejected_post(
                        item, "id", f"id {item.id!r} was first read at {first_origin} with other text ({item.origin})"
                    )
                    continue
            yield item


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
    data = data.removeprefix(BOM)  # editors on Windows start UTF-8 files with one; it is not part of the first record
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
    for candidate in (first_line, data):
        try:
            doc = json.loads(candidate)
        except json.JSONDecodeError:
            continue
        except (ValueError, RecursionError):
            # Valid-looking JSON that Python will not build (too deep, a number too long): look at its keys only.
            try:
                keys = {key for key, _, _ in _members(candidate.decode("utf-8", errors="replace"), 0)}
            except ValueError:
                continue
            return bool(keys & {"messages", "chats"}) and "platform" not in keys
        return isinstance(doc, dict) and ("messages" in doc or "chats" in doc) and "platform" not in doc
    return False


def _unreadable_json(error: ValueError | RecursionError) -> str:
    if isinstance(error, json.JSONDecodeError):
        return f"malformed JSON: {error.msg} (column {error.colno})"
    if isinstance(error, RecursionError):
        return "unreadable JSON: nested too deeply"
    return f"unreadable JSON: {error}"  # e.g. an integer of more than 4,300 digits


def read_jsonl(stream: BinaryIO, path: str, *, media_root: str = "") -> Iterator[ReadResult]:
    """One JSON object per line; blank lines are skipped."""
    for number, raw_line in enumerate(stream, start=1):
        raw = raw_line.rstrip(b"\r\n")
        if not raw.strip():
            continue
        location = f"line {number}"
        try:
            value = read_json(raw)
        except UnicodeDecodeError as error:  # a ValueError too: first
            yield Rejected(path, location, None, f"invalid UTF-8 at byte {error.start}", raw)
            continue
        except (ValueError, RecursionError) as error:
            yield Rejected(path, location, None, _unreadable_json(error), raw)
            continue
        try:
            yield post_from_mapping(value, raw=raw, origin=f"{path}:{number}", media_root=media_root)
        except InvalidPost as error:
            yield Rejected(path, location, error.field, str(error), raw)


# --- CSV ----------------------------------------------------------------------------------------------------


# The longest CSV cell read (the csv module's default field limit); a longer one rejects its row.
MAX_CSV_CELL = 131_072


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
    """Rows in order. A row the csv module cannot read (a cell over its 131,072-character limit) or that swallowed
    the rows after it (an unclosed quote) is rejected by its first line, and reading starts again on the next."""
    lines = list(io.StringIO(text, newline=""))
    header_reader = csv.reader(iter(lines))
    try:
        fieldnames = next(header_reader)
    except StopIteration:
        return
    except csv.Error as error:
        yield Rejected(path, "line 1", None, f"unreadable CSV header: {error}", lines[0].encode("utf-8", "replace"))
        return
    pos = header_reader.line_num  # index of the first line not yet read
    while pos < len(lines):
        rows = csv.reader(lines[i] for i in range(pos, len(lines)))  # not a slice: restarts stay linear
        restart = None
        while restart is None:
            first = pos + rows.line_num  # index of the line the next row starts on
            try:
                cells = next(rows)
            except StopIteration:
                return
            except csv.Error as error:
                end = pos + rows.line_num
                raw = "".join(lines[first:end]).encode("utf-8", "replace")
                yield Rejected(path, f"line {first + 1}", None, f"unreadable CSV row: {error}", raw)
                restart = first + 1  # a multi-line row may be an unclosed quote: its lines are read again
                continue
            end = pos + rows.line_num
            if not cells:
                continue
            if any(len(cell) > MAX_CSV_CELL for cell in cells):
                # The csv module's own limit is process-wide and other libraries raise it; this one is ours.
                reason = f"unreadable CSV row: a cell is larger than the field limit ({MAX_CSV_CELL:,} characters)"
                yield Rejected(path, f"line {first + 1}", None, reason, lines[first].rstrip("\r\n").encode("utf-8"))
                continue
            swallowed = end - first > 1 and _swallowed_rows(lines[first:end], cells, fieldnames, end == len(lines))
            if swallowed:
                reason = f"unclosed quote: {swallowed} (lines {first + 1}-{end}); the lines after this are read again"
                yield Rejected(path, f"line {first + 1}", None, reason, lines[first].rstrip("\r\n").encode("utf-8"))
                restart = first + 1
                continue
            yield from _csv_record(fieldnames, cells, end, path, media_root)
        pos = restart


def _swallowed_rows(row_lines: list[str], cells: list[str], fieldnames: list[str], at_eof: bool) -> str | None:
    """Why a row spanning several lines is an unclosed quote rather than a quoted cell with line breaks (None when
    it is not): it ends at the end of the file with its quote still open, or a cell holds a line that reads as a
    whole row (as many cells as the header, and a valid `created_at` in its column)."""
    if at_eof and "".join(row_lines).count('"') % 2 == 1:
        return "the quoted cell runs to the end of the file"
    if "created_at" not in fieldnames:
        return None
    column = fieldnames.index("created_at")
    for cell in cells:
        for line in cell.splitlines()[1:]:
            try:
                inner = next(csv.reader([line]))
                if len(inner) == len(fieldnames):
                    parse_timestamp(inner[column])
                    return "the quoted cell holds lines that read as rows of their own"
            except (csv.Error, InvalidPost, StopIteration):
                continue
    return None


def _csv_record(
    fieldnames: list[str], cells: list[str], number: int, path: str, media_root: str
) -> Iterator[ReadResult]:
    row: dict[str, str | None] = {name: None for name in fieldnames}
    row.update(zip(fieldnames, cells, strict=False))
    raw = _csv_row_bytes(fieldnames, row)
    if len(cells) > len(fieldnames):
        yield Rejected(path, f"line {number}", None, "more cells than header columns", raw)
        return
    cleaned = {k: v for k, v in row.items() if v not in (None, "")}
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


def _csv_row_bytes(fieldnames: Iterable[str], row: dict[str, str | None]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([row.get(name, "") for name in fieldnames])
    return buffer.getvalue().rstrip("\r\n").encode("utf-8", "replace")


# --- Telegram Desktop exports -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Unreadable:
    """A message Python's JSON reader would not build (nested too deeply, a number too long)."""

    id: object
    reason: str
    raw: bytes


def read_telegram(data: bytes, path: str, *, media_root: str = "") -> Iterator[ReadResult]:
    """A Telegram Desktop `result.json`: one chat (`messages`) or a whole account (`chats.list[]`)."""
    try:
        text = data.decode("utf-8")
        doc: object = json.loads(text)
    except (ValueError, RecursionError) as error:
        if isinstance(error, json.JSONDecodeError | UnicodeDecodeError):
            yield Rejected(path, "file", None, f"not a readable Telegram export: {error}", data[:2000])
            return
        # Well-formed but some message is too deep or has too long a number: read it message by message.
        try:
            doc = _outline(text, 0)
        except ValueError as outline_error:
            yield Rejected(path, "file", None, f"not a readable Telegram export: {outline_error}", data[:2000])
            return
    if not isinstance(doc, dict):
        yield Rejected(path, "file", None, "not a Telegram export: expected a JSON object", data[:2000])
        return
    if "chats" in doc:
        chats = doc["chats"].get("list") if isinstance(doc["chats"], dict) else None
        if not isinstance(chats, list):
            yield Rejected(path, "file", "chats", "chats: expected an object with a 'list' array", data[:2000])
            return
    else:
        chats = [doc]
    for number, chat in enumerate(chats, start=1):
        if not isinstance(chat, dict):
            yield Rejected(path, f"chat {number}", "chats", "chat is not an object", _json_bytes(chat))
            continue
        chat_name = str(chat.get("name") or chat.get("id") or "chat")
        chat_key = str(chat.get("id") or chat_name)
        messages = chat.get("messages", [])
        if not isinstance(messages, list):
            reason = f"messages: expected an array, got {type(messages).__name__}"
            yield Rejected(path, f"chat {number}", "messages", reason, _json_bytes(messages))
            continue
        for message in messages:
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


def _message_location(msg_id: object) -> str:
    """"message 12"; "message ?" for an id that is long, not a number or string, or not printable (a lone
    surrogate could not even be written to the rejects file)."""
    shown = str(msg_id)
    if not isinstance(msg_id, int | str) or len(shown) > 40 or not shown.isprintable():
        shown = "?"
    return f"message {shown}"


def _json_bytes(value: object) -> bytes:
    """`value` as JSON bytes for a reject's `raw`; ASCII escapes where it holds lone surrogates."""
    try:
        return json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(value).encode("ascii")
    except RecursionError:
        return b"(nested too deeply to show)"


def _telegram_message(
    message: object, chat_name: str, chat_key: str, path: str, media_root: str
) -> Iterator[ReadResult]:
    if isinstance(message, _Unreadable):
        yield Rejected(path, _message_location(message.id), None, message.reason, message.raw)
        return
    if not isinstance(message, dict):
        yield Rejected(path, "message ?", None, "message is not an object", _json_bytes(message))
        return
    raw = _json_bytes(message)
    msg_id = message.get("id")
    location = _message_location(msg_id)
    if message.get("type") == "service":
        return
    if msg_id is None:
        yield Rejected(path, location, "id", "id: required field is missing", raw)
        return
    if not isinstance(msg_id, int | str) or isinstance(msg_id, bool):
        yield Rejected(path, location, "id", f"id: expected a number, got {type(msg_id).__name__}", raw)
        return
    unixtime = message.get("date_unixtime")
    try:
        created = datetime.fromtimestamp(int(str(unixtime)), tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        shown = repr(unixtime)[:60]
        yield Rejected(path, location, "date_unixtime", f"date_unixtime: not a Unix time: {shown}", raw)
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
        "reply_to": f"telegram:{chat_key}:{reply}" if isinstance(reply, int | str) else None,
        "forwarded_from": message.get("forwarded_from"),
        "media": media,
    }
    try:
        yield post_from_mapping(record, raw=raw, origin=f"{path}#{msg_id}", media_root=media_root)
    except InvalidPost as error:
        yield Rejected(path, location, error.field, str(error), raw)


# A JSON outline: the same document with each Telegram message parsed on its own, so that one message Python's
# reader will not build becomes an `_Unreadable` instead of losing the whole export. Used only after the fast
# whole-document parse failed that way.

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_SCALAR = re.compile(r"[^,\]}\s]+")
_BRACKET_OR_QUOTE = re.compile(r'["\[\]{}]')


def _outline(text: str, start: int) -> object:
    """The JSON value at `start`; objects are walked member by member, `messages` arrays element by element."""
    start = _skip_space(text, start)
    if not text.startswith("{", start):
        return _load(text, start, _value_end(text, start))
    out: dict[str, object] = {}
    for key, value_start, value_end in _members(text, start):
        if key == "chats":
            out[key] = _outline(text, value_start)
        elif key == "list" and text.startswith("[", value_start):
            out[key] = [_outline(text, s) for _, s, _ in _members(text, value_start)]
        elif key == "messages" and text.startswith("[", value_start):
            out[key] = [_message_outline(text, s, e) for _, s, e in _members(text, value_start)]
        else:
            out[str(key)] = _load(text, value_start, value_end)
    return out


def _load(text: str, start: int, end: int) -> object:
    """The value in text[start:end], or None where Python will not build it (a chat's name is not essential)."""
    try:
        return json.loads(text[start:end])
    except (ValueError, RecursionError):
        return None


def _message_outline(text: str, start: int, end: int) -> object:
    try:
        return json.loads(text[start:end])
    except (ValueError, RecursionError) as error:
        msg_id: object = None
        with contextlib.suppress(ValueError):
            msg_id = next((_load(text, s, e) for key, s, e in _members(text, start) if key == "id"), None)
        return _Unreadable(msg_id, _unreadable_json(error), text[start:end].encode("utf-8", "replace"))


def _skip_space(text: str, pos: int) -> int:
    space = _WHITESPACE.match(text, pos)
    return space.end() if space else pos


def _members(text: str, start: int) -> Iterator[tuple[str | None, int, int]]:
    """(key, start, end) of each member of the object (key None for an array) that starts at `start`; raises
    ValueError where the text is not JSON."""
    start = _skip_space(text, start)
    opener = text[start : start + 1]
    if opener not in ("{", "["):
        raise ValueError(f"expected an object or array at character {start}")
    closer = "}" if opener == "{" else "]"
    pos = _skip_space(text, start + 1)
    if text.startswith(closer, pos):
        return
    while True:
        key = None
        if opener == "{":
            found = _STRING.match(text, pos)
            if not found:
                raise ValueError(f"expected a key at character {pos}")
            key = json.loads(found.group())
            pos = _skip_space(text, found.end())
            if not text.startswith(":", pos):
                raise ValueError(f"expected ':' at character {pos}")
            pos = _skip_space(text, pos + 1)
        end = _value_end(text, pos)
        yield key, pos, end
        pos = _skip_space(text, end)
        if text.startswith(",", pos):
            pos = _skip_space(text, pos + 1)
        elif text.startswith(closer, pos):
            return
        else:
            raise ValueError(f"expected ',' or '{closer}' at character {pos}")


def _value_end(text: str, start: int) -> int:
    """Where the JSON value starting at `start` ends: strings skipped whole, brackets counted without recursion."""
    if text.startswith('"', start):
        found = _STRING.match(text, start)
        if not found:
            raise ValueError(f"unterminated string at character {start}")
        return found.end()
    if not text.startswith(("{", "["), start):
        scalar = _SCALAR.match(text, start)
        if not scalar:
            raise ValueError(f"expected a value at character {start}")
        return scalar.end()
    depth, pos = 0, start
    while token := _BRACKET_OR_QUOTE.search(text, pos):
        if token.group() == '"':
            found = _STRING.match(text, token.start())
            if not found:
                break
            pos = found.end()
            continue
        depth += 1 if token.group() in "[{" else -1
        pos = token.end()
        if depth == 0:
            return pos
    raise ValueError(f"unterminated value at character {start}")
