"""Fuzzing every reader (JSONL, CSV, Telegram result.json) with hypothesis: whatever the input, no exception
escapes (a bad record is a located `Rejected`, and both kinds can be written out as UTF-8), and every valid
record among the junk still comes out, in order. Bounded to run in seconds."""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from varde.posts import Post
from varde.readers import Rejected, iter_posts

# VARDE_FUZZ_EXAMPLES=2000 for a longer hunt; 80 keeps the normal test run to seconds.
FUZZ = settings(
    max_examples=int(os.environ.get("VARDE_FUZZ_EXAMPLES", "80")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
CREATED = "2025-09-14T18:00:00+02:00"
FIELDS = ["id", "platform", "text", "created_at", "author", "channel", "media", "source", "reply_to", "url"]

# Text with everything in it: lone surrogates, bidi controls, NUL, newlines and quotes (st.text leaves out
# surrogates, so characters are joined by hand).
SPECIAL = st.sampled_from(["\ud800", "\udfff", "\u202e", "\x00", '"', "\n", "\r", "\ufeff", ","])
ANY_TEXT = st.lists(st.one_of(st.characters(), SPECIAL), max_size=30).map("".join)
CLEAN_TEXT = st.text(max_size=40)  # what a well-formed record can hold (no lone surrogates)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | ANY_TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(ANY_TEXT, inner, max_size=4),
    max_leaves=12,
)
PLAUSIBLE = st.sampled_from(["telegram", "x", "snapchat", CREATED, "9999-12-31T23:59:59-14:00", "", "tip", "a|b"])
POST_LIKE = st.dictionaries(st.sampled_from(FIELDS), PLAUSIBLE | JSON_VALUES, max_size=6)
HOSTILE_JSON = st.sampled_from(
    [
        "[" * 5000 + "]" * 5000,
        '{"a":' * 3000 + "1" + "}" * 3000,
        "9" * 5000,
        '{"id": "h", "platform": "x", "text": "\\ud800", "created_at": "' + CREATED + '"}',
        '{"id": "h", "platform": "x", "text": "t", "created_at": "0001-01-01T00:00:00+14:00"}',
    ]
)
JUNK_LINE = st.one_of(
    JSON_VALUES.map(json.dumps),
    POST_LIKE.map(json.dumps),
    HOSTILE_JSON,
    st.binary(max_size=40).filter(lambda b: b"\n" not in b).map(lambda b: b.decode("latin-1")),
)
PIECES = st.sampled_from(
    [b"{", b"}", b"[", b"]", b'"', b",", b":", b"\n", b"\r\n", b"\xef\xbb\xbf", b'"messages"', b'"chats"',
     b'"list"', b'"id"', b'"text"', b"1", b"9" * 5000, b"[" * 3000, b"\\ud800", b"\xff", b"null", b"true",
     b'"date_unixtime"', b'"99999999999999999999"', b"id,platform,text,created_at\n", b"x" * 140_000]
)  # fmt: skip
ANY_BYTES = st.one_of(st.binary(max_size=300), st.lists(PIECES, max_size=30).map(b"".join))


@contextmanager
def written(data: bytes, name: str) -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        yield path


def read(path: Path) -> list[Post | Rejected]:
    """Everything the readers make of `path`, checked to be writable as the outputs and rejects files are."""
    results = list(iter_posts([path]))
    for item in results:
        if isinstance(item, Post):
            json.dumps(item.to_contract_dict(), ensure_ascii=False).encode("utf-8")
        else:
            assert isinstance(item, Rejected)
            json.dumps(item.to_dict(), ensure_ascii=False).encode("utf-8")
            item.message().encode("utf-8")
    return results


def valid_ids(results: list[Post | Rejected]) -> list[str]:
    return [r.id for r in results if isinstance(r, Post) and r.id.startswith("valid")]


@FUZZ
@given(ANY_BYTES, st.sampled_from(["in.jsonl", "in.csv", "result.json", "in", "in.txt"]))
def test_any_bytes_in_any_file_never_raise(data: bytes, name: str) -> None:
    with written(data, name) as path:
        read(path)


@FUZZ
@given(st.lists(st.one_of(CLEAN_TEXT.map(lambda t: ("valid", t)), JUNK_LINE.map(lambda j: ("junk", j))), max_size=12),
       st.booleans())
def test_jsonl_valid_records_come_out_among_junk_lines(lines: list[tuple[str, str]], bom: bool) -> None:
    expected, out = [], []
    for number, (kind, value) in enumerate(lines):
        if kind == "valid":
            expected.append(f"valid:{number}")
            value = json.dumps({"id": f"valid:{number}", "platform": "x", "text": value, "created_at": CREATED})
        out.append(value.encode("utf-8", "surrogatepass"))
    with written((b"\xef\xbb\xbf" if bom else b"") + b"\n".join(out) + b"\n", "in.jsonl") as path:
        results = read(path)
    assert valid_ids(results) == expected
    assert len(results) <= len(lines)  # one result per line at most: nothing invented


BAD_UNIXTIME = st.sampled_from(["99999999999999999999", "-99999999999", "1e5", ""])
VALID_MESSAGE = CLEAN_TEXT.map(lambda t: {"type": "message", "date_unixtime": "1757865600", "text": t})
JUNK_MESSAGE = st.one_of(
    JSON_VALUES,
    st.fixed_dictionaries(
        {"type": st.just("message")},
        optional={
            "id": st.one_of(st.integers(max_value=-1), ANY_TEXT.filter(lambda s: not s.strip().isdigit()), JSON_VALUES),
            "date_unixtime": st.one_of(BAD_UNIXTIME, JSON_VALUES),
            "text": JSON_VALUES,
            "from": JSON_VALUES,
            "reply_to_message_id": JSON_VALUES,
            "photo": JSON_VALUES,
        },
    ),
)


@FUZZ
@given(
    st.lists(st.one_of(VALID_MESSAGE.map(lambda m: ("valid", m)), JUNK_MESSAGE.map(lambda m: ("junk", m))), max_size=9),
    st.sampled_from(["chat", "account"]),
    st.booleans(),
    st.dictionaries(st.sampled_from(["name", "id", "about", "type"]), JSON_VALUES, max_size=3),
)
def test_telegram_valid_messages_come_out_among_junk(
    messages: list[tuple[str, object]], shape: str, deep: bool, extra: dict[str, object]
) -> None:
    listed, expected = [], []
    for number, (kind, message) in enumerate(messages):
        if kind == "valid":
            assert isinstance(message, dict)
            message = {"id": 1_000_000 + number, **message}
            expected.append(1_000_000 + number)
        listed.append(json.dumps(message))
    if deep:  # one message Python's JSON reader will not build: the export is then read message by message
        listed.insert(len(listed) // 2, '{"id": -5, "text": ' + "[" * 5000 + "]" * 5000 + "}")
    chat = "{" + "".join(f"{json.dumps(k)}: {json.dumps(v)}, " for k, v in extra.items() if k != "id")
    chat += '"id": 77, "messages": [\n' + ",\n".join(listed) + "\n]}"
    document = chat if shape == "chat" else '{"about": "x", "chats": {"list": [' + chat + "]}}"
    with written(document.encode("utf-8", "surrogatepass"), "result.json") as path:
        results = read(path)
    wanted = [f"telegram:77:{n}" for n in expected]
    name = extra.get("name")
    if isinstance(name, str) and name.encode("utf-8", "replace").decode("utf-8") != name:
        wanted = []  # a chat name with a lone surrogate cannot be stored: its messages are rejected (field channel)
    assert [r.id for r in results if isinstance(r, Post) and r.id in wanted] == wanted


CSV_CELL = st.one_of(CLEAN_TEXT, st.sampled_from(['"', '""', "a,b", "x\ny", "\r", CREATED, "telegram"]))


@FUZZ
@given(
    st.lists(
        st.one_of(
            CLEAN_TEXT.map(lambda t: ("valid", [t])),
            st.lists(CSV_CELL, max_size=6).map(lambda cells: ("junk", cells)),
        ),
        max_size=10,
    )
)
def test_csv_valid_rows_come_out_among_junk_rows(rows: list[tuple[str, list[str]]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["id", "platform", "text", "created_at"])
    expected, texts = [], []
    for number, (kind, cells) in enumerate(rows):
        if kind == "valid":
            expected.append(f"valid:{number}")
            texts.append(cells[0])
            cells = [f"valid:{number}", "x", cells[0], CREATED]
        writer.writerow(cells)
    with written(buffer.getvalue().encode("utf-8"), "in.csv") as path:
        results = read(path)
    assert valid_ids(results) == expected
    assert [r.text for r in results if isinstance(r, Post) and r.id.startswith("valid")] == texts


CSV_LINE = st.one_of(
    st.text(max_size=30).filter(lambda s: "\n" not in s and "\r" not in s),
    st.lists(st.sampled_from(['"', '""', ",", "a", "x:1", "x", CREATED]), max_size=8).map("".join),
)


@FUZZ
@given(st.lists(st.one_of(st.just("valid"), CSV_LINE), max_size=10))
def test_csv_unclosed_quotes_do_not_swallow_the_rows_after_them(lines: list[str]) -> None:
    out, expected = ["id,platform,text,created_at"], []
    for number, line in enumerate(lines):
        if line == "valid":
            expected.append(f"valid:{number}")
            line = f"valid:{number},x,hei,{CREATED}"
        out.append(line)
    with written(("\n".join(out) + "\n").encode("utf-8"), "in.csv") as path:
        results = read(path)
    assert valid_ids(results) == expected
