from __future__ import annotations

import json
from pathlib import Path

import pytest

from varde.errors import InputError
from varde.posts import Post
from varde.readers import Rejected, iter_posts, telegram_text

LINE = {"id": "x:1", "platform": "telegram", "text": "hei", "created_at": "2025-09-14T18:00:00+02:00"}


def write_lines(path: Path, lines: list[bytes]) -> Path:
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def test_jsonl_bad_lines_are_reported_and_the_rest_is_read(tmp_path: Path) -> None:
    lines = [
        json.dumps(LINE).encode(),
        b"{not json",
        json.dumps({**LINE, "id": "x:2", "created_at": "never"}).encode(),
        b"\xff\xfe broken utf-8",
        b"[1, 2, 3]",
        json.dumps({k: v for k, v in LINE.items() if k != "platform"}).encode(),
        json.dumps({**LINE, "id": "x:3"}).encode(),
    ]
    path = write_lines(tmp_path / "in.jsonl", lines)
    results = list(iter_posts([path]))
    posts = [r for r in results if isinstance(r, Post)]
    rejected = [r for r in results if isinstance(r, Rejected)]
    assert [p.id for p in posts] == ["x:1", "x:3"]
    assert [(r.location, r.field) for r in rejected] == [
        ("line 2", None),
        ("line 3", "created_at"),
        ("line 4", None),
        ("line 5", None),
        ("line 6", "platform"),
    ]
    assert "invalid UTF-8" in rejected[2].reason
    assert rejected[2].raw == b"\xff\xfe broken utf-8"
    assert all(str(path) in r.message() for r in rejected)


def test_raw_bytes_are_kept_exactly(tmp_path: Path) -> None:
    raw = json.dumps({**LINE, "text": "\u202eevil\u200b <script>alert(1)</script>"}, ensure_ascii=False).encode()
    path = write_lines(tmp_path / "in.jsonl", [raw])
    (post,) = list(iter_posts([path]))
    assert isinstance(post, Post)
    assert post.raw == raw
    assert post.text == "\u202eevil\u200b <script>alert(1)</script>"


def test_csv_with_quoted_multiline_and_media(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text(
        "id,platform,text,created_at,media\n"
        'c:1,snapchat,"line one, with comma\nline two",2025-09-14T18:00:00+02:00,a.jpg|b.png\n'
        "c:2,snapchat,hei,not-a-date,\n",
        encoding="utf-8",
    )
    results = list(iter_posts([path]))
    assert isinstance(results[0], Post)
    assert results[0].text == "line one, with comma\nline two"
    assert results[0].media == ("a.jpg", "b.png")
    assert isinstance(results[1], Rejected) and results[1].field == "created_at"


def test_telegram_single_chat_export(tmp_path: Path) -> None:
    export = {
        "name": "Nattjobb",
        "type": "public_channel",
        "id": 777,
        "messages": [
            {
                "id": 1,
                "type": "service",
                "date": "2025-09-14T18:00:00",
                "date_unixtime": "1757865600",
                "action": "create_channel",
            },
            {
                "id": 2,
                "type": "message",
                "date": "2025-09-14T18:01:00",
                "date_unixtime": "1757865660",
                "from": "Natt",
                "from_id": "channel777",
                "text": ["jobb finns ", {"type": "mention", "text": "@nattjobb"}, " i kveld"],
                "photo": "photos/photo_1.jpg",
                "forwarded_from": "Annen kanal",
            },
            {
                "id": 3,
                "type": "message",
                "date": "2025-09-14T18:02:00",
                "date_unixtime": "1757865720",
                "from": "Ola",
                "from_id": "user5",
                "text": "dm sendt",
                "reply_to_message_id": 2,
                "photo": "(File not included. Change data exporting settings to download.)",
            },
            {"id": 4, "type": "message", "date": "2025-09-14T18:03:00", "date_unixtime": "soon", "text": "x"},
        ],
    }
    path = tmp_path / "result.json"
    path.write_text(json.dumps(export), encoding="utf-8")
    results = list(iter_posts([path]))
    posts = [r for r in results if isinstance(r, Post)]
    assert [p.id for p in posts] == ["telegram:777:2", "telegram:777:3"]
    assert posts[0].text == "jobb finns @nattjobb i kveld"
    assert posts[0].media == ("photos/photo_1.jpg",)
    assert posts[0].forwarded_from == "Annen kanal"
    assert posts[0].created_at.isoformat() == "2025-09-14T16:01:00+00:00"
    assert posts[1].reply_to == "telegram:777:2"
    assert posts[1].media == ()
    (bad,) = [r for r in results if isinstance(r, Rejected)]
    assert bad.location == "message 4" and bad.field == "date_unixtime"


def test_telegram_full_account_export(tmp_path: Path) -> None:
    chat = {
        "name": "A",
        "id": 1,
        "messages": [{"id": 9, "type": "message", "date_unixtime": "1757865600", "text": "hei"}],
    }
    other = {
        "name": "B",
        "id": 2,
        "messages": [{"id": 9, "type": "message", "date_unixtime": "1757865600", "text": "hallo"}],
    }
    path = tmp_path / "result.json"
    path.write_text(json.dumps({"about": "x", "chats": {"about": "y", "list": [chat, other]}}), encoding="utf-8")
    assert [r.id for r in iter_posts([path]) if isinstance(r, Post)] == ["telegram:1:9", "telegram:2:9"]


def test_telegram_text_accepts_strings_and_entities() -> None:
    assert telegram_text("plain") == "plain"
    assert telegram_text(["a", {"type": "bold", "text": "b"}, {"type": "x"}]) == "ab"
    assert telegram_text(None) == ""


def test_unreadable_file_raises_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"missing\.jsonl"):
        list(iter_posts([tmp_path / "missing.jsonl"]))


# --- hostile records: each becomes a located reject and the rest of the input is read ----------------------

CREATED = "2025-09-14T18:00:00+02:00"


def jsonl_around(tmp_path: Path, bad: bytes) -> list[Post | Rejected]:
    good = [json.dumps({**LINE, "id": f"x:{n}"}).encode() for n in (1, 3)]
    return list(iter_posts([write_lines(tmp_path / "in.jsonl", [good[0], bad, good[1]])]))


@pytest.mark.parametrize(
    ("bad", "field", "reason"),
    [
        (json.dumps({**LINE, "id": "x:2", "text": "a\ud800b"}).encode(), "text", "lone surrogate"),
        (json.dumps({**LINE, "id": "x:2", "author": "\udfff"}).encode(), "author", "lone surrogate"),
        (b"[" * 100_000 + b"]" * 100_000, None, "nested too deeply"),
        (b'{"a":' * 100_000 + b"1" + b"}" * 100_000, None, "nested too deeply"),
        (b'{"id": ' + b"7" * 5000 + b"}", None, "4300 digits"),
        (json.dumps({**LINE, "id": "x:2", "created_at": "9999-12-31T23:59:59-14:00"}).encode(), "created_at", "UTC"),
    ],
    ids=["surrogate-text", "surrogate-author", "deep-array", "deep-object", "long-integer", "created-at-overflow"],
)
def test_jsonl_hostile_line_is_a_located_reject(tmp_path: Path, bad: bytes, field: str | None, reason: str) -> None:
    results = jsonl_around(tmp_path, bad)
    assert [r.id for r in results if isinstance(r, Post)] == ["x:1", "x:3"]
    (rejected,) = [r for r in results if isinstance(r, Rejected)]
    assert (rejected.location, rejected.field) == ("line 2", field)
    assert reason in rejected.reason


def telegram_export(second: str) -> str:
    """A pretty-printed one-chat export (as Telegram Desktop writes it) whose second message is `second`."""
    first = {"id": 1, "type": "message", "date_unixtime": "1757865600", "text": "hei"}
    third = {"id": 3, "type": "message", "date_unixtime": "1757865600", "text": "hallo"}
    export = json.dumps({"name": "Kanal", "id": 77, "messages": [first, "SECOND", third]}, indent=1)
    return export.replace('"SECOND"', second)


@pytest.mark.parametrize(
    ("second", "field", "reason"),
    [
        ('{"id": 2, "type": "message", "date_unixtime": "1757865600", "text": ' + "[" * 100_000 + "]" * 100_000 + "}",
         None, "nested too deeply"),
        ('{"id": 2, "type": "message", "date_unixtime": "1757865600", "text": ' + "9" * 5000 + "}",
         None, "4300 digits"),
        ('{"id": 2, "type": "message", "date_unixtime": "99999999999999999999", "text": "x"}',
         "date_unixtime", "not a Unix time"),
        ('{"id": 2, "type": "message", "date_unixtime": "1757865600", "text": "\\ud800"}', "text", "lone surrogate"),
        ('{"id": 2, "type": "message", "date_unixtime": "1757865600", "text": "x", "from": "\\ud800"}',
         "author", "lone surrogate"),
    ],
    ids=["deep-text", "long-integer", "unixtime-overflow", "surrogate-text", "surrogate-author"],
)
def test_telegram_hostile_message_is_a_located_reject(
    tmp_path: Path, second: str, field: str | None, reason: str
) -> None:
    path = tmp_path / "result.json"
    path.write_text(telegram_export(second), encoding="utf-8")
    results = list(iter_posts([path]))
    assert [r.id for r in results if isinstance(r, Post)] == ["telegram:77:1", "telegram:77:3"]
    (rejected,) = [r for r in results if isinstance(r, Rejected)]
    assert (rejected.location, rejected.field) == ("message 2", field)
    assert reason in rejected.reason


@pytest.mark.parametrize(
    ("document", "location", "field"),
    [
        ('{"chats": []}', "file", "chats"),
        ('{"chats": null}', "file", "chats"),
        ('{"chats": {"list": 5}}', "file", "chats"),
        ('{"name": "K", "messages": 5}', "chat 1", "messages"),
        ('{"chats": {"list": [7]}}', "chat 1", "chats"),
    ],
)
def test_telegram_export_of_the_wrong_shape_is_a_located_reject(
    tmp_path: Path, document: str, location: str, field: str
) -> None:
    path = tmp_path / "result.json"
    path.write_text(document, encoding="utf-8")
    (rejected,) = list(iter_posts([path]))
    assert isinstance(rejected, Rejected)
    assert (rejected.location, rejected.field) == (location, field)


def test_telegram_chat_of_the_wrong_shape_does_not_lose_the_other_chats(tmp_path: Path) -> None:
    good = {"name": "B", "id": 2, "messages": [{"id": 9, "type": "message", "date_unixtime": "1757865600",
                                                  "text": "hallo"}]}
    path = tmp_path / "result.json"
    path.write_text(json.dumps({"chats": {"list": [{"name": "A", "messages": 5}, good]}}), encoding="utf-8")
    results = list(iter_posts([path]))
    assert [type(r).__name__ for r in results] == ["Rejected", "Post"]


def test_csv_cell_over_the_field_limit_is_a_located_reject(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text(
        "id,platform,text,created_at\n"
        f"c:1,snapchat,{'x' * 140_000},{CREATED}\n"
        f"c:2,snapchat,hei,{CREATED}\n",
        encoding="utf-8",
    )
    rejected, post = list(iter_posts([path]))
    assert isinstance(rejected, Rejected) and rejected.location == "line 2" and "field limit" in rejected.reason
    assert isinstance(post, Post) and post.id == "c:2" and post.origin == f"{path}:3"


def test_csv_unclosed_quote_is_reported_and_the_rows_it_swallowed_are_read(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text(
        "id,platform,text,created_at\n"
        f'c:1,snapchat,"never closed,{CREATED}\n'
        f"c:2,snapchat,hei,{CREATED}\n"
        f'c:3,snapchat,"quoted, with comma",{CREATED}\n'
        f'c:4,snapchat,"two\nlines",{CREATED}\n',
        encoding="utf-8",
    )
    results = list(iter_posts([path]))
    assert [r.id for r in results if isinstance(r, Post)] == ["c:2", "c:3", "c:4"]
    (rejected,) = [r for r in results if isinstance(r, Rejected)]
    assert rejected.location == "line 2" and "unclosed quote" in rejected.reason
    assert rejected.raw == f'c:1,snapchat,"never closed,{CREATED}'.encode()


def test_csv_unclosed_quote_at_the_end_of_the_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text(
        f"id,platform,text,created_at\nc:1,snapchat,hei,{CREATED}\nc:2,snapchat,\"open\nto the end\n",
        encoding="utf-8",
    )
    results = list(iter_posts([path]))
    assert [r.id for r in results if isinstance(r, Post)] == ["c:1"]
    first_reject = next(r for r in results if isinstance(r, Rejected))
    assert first_reject.location == "line 3" and "end of the file" in first_reject.reason


def test_same_id_with_other_text_is_a_reject_naming_both_lines(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "in.jsonl",
        [json.dumps(LINE).encode(), json.dumps({**LINE, "id": "x:2"}).encode(),
         json.dumps({**LINE, "text": "annen tekst"}).encode()],
    )
    results = list(iter_posts([path]))
    assert [r.text for r in results if isinstance(r, Post)] == ["hei", "hei"]
    (rejected,) = [r for r in results if isinstance(r, Rejected)]
    assert (rejected.location, rejected.field) == ("line 3", "id")
    assert f"{path}:1" in rejected.reason and f"{path}:3" in rejected.reason


def test_same_id_in_a_second_file_is_checked_too(tmp_path: Path) -> None:
    first = write_lines(tmp_path / "a.jsonl", [json.dumps(LINE).encode()])
    second = write_lines(tmp_path / "b.jsonl", [json.dumps({**LINE, "text": "annen"}).encode()])
    post, rejected = list(iter_posts([first, second]))
    assert isinstance(post, Post) and isinstance(rejected, Rejected) and rejected.path == str(second)


def test_identical_repeat_passes_on_as_before(tmp_path: Path) -> None:
    # Same id and text: not a conflict; the store keeps one copy, `analyze` writes both (unchanged behaviour).
    path = write_lines(tmp_path / "in.jsonl", [json.dumps(LINE).encode(), json.dumps(LINE).encode()])
    assert [type(r).__name__ for r in iter_posts([path])] == ["Post", "Post"]


@pytest.mark.parametrize("name", ["in.jsonl", "in.json", "in", "result.json"])
def test_utf8_bom_does_not_lose_the_first_record(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    if name == "result.json":
        body = telegram_export('{"id": 2, "type": "message", "date_unixtime": "1757865600", "text": "x"}').encode()
    else:
        body = json.dumps(LINE).encode() + b"\n" + json.dumps({**LINE, "id": "x:2"}).encode() + b"\n"
    path.write_bytes(b"\xef\xbb\xbf" + body)
    results = list(iter_posts([path]))
    assert all(isinstance(r, Post) for r in results)
    assert len(results) == (3 if name == "result.json" else 2)
    assert not results[0].raw.startswith(b"\xef\xbb\xbf")  # type: ignore[union-attr]


def _line(fields: bytes) -> bytes:
    return b'{"platform": "telegram", "created_at": "' + CREATED.encode() + b'", ' + fields + b"}"


@pytest.mark.parametrize(
    "line",
    [
        _line(b'"id": "x:2", "text": "first", "text": "second"'),
        _line(b'"id": 12345678901234567890123, "text": "big id"'),
        _line(b'"id": "x:2", "text": "nan", "channel": NaN'),
        _line(b'"id": "x:2", "text": "\\u00e6\\u00f8\\u00e5 \\ud83d\\udd2b"'),
        _line(b'"id": "x:2", "text": "float author", "author": 1.5'),
    ],
    ids=["duplicate-key", "integer-over-64-bits", "nan", "escaped-astral", "float-field"],
)
def test_jsonl_lines_are_read_as_the_standard_json_module_reads_them(tmp_path: Path, line: bytes) -> None:
    # The fast parser refuses some of these and the standard library reads them; either way the post is the same.
    from varde.posts import post_from_mapping

    (result,) = list(iter_posts([write_lines(tmp_path / "in.jsonl", [line])]))
    assert result == post_from_mapping(json.loads(line), raw=line, origin=f"{tmp_path / 'in.jsonl'}:1")
