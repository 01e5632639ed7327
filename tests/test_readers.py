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
