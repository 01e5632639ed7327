"""Pure helpers of the web layer: highlighting, signed sessions, time left."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from varde.web import sessions
from varde.web.highlight import Segment, highlight, reveal
from varde.web.timeleft import time_left, urgency_level


def test_highlight_cuts_at_cue_offsets() -> None:
    text = "Skyt ham i kveld, 50k"
    cues = [{"kind": "violence", "start": 0, "end": 4}, {"kind": "payment", "start": 18, "end": 21}]
    assert highlight(text, cues) == [
        Segment("Skyt", ("violence",)),
        Segment(" ham i kveld, "),
        Segment("50k", ("payment",)),
    ]


def test_highlight_overlaps_and_bad_offsets() -> None:
    text = "abcdef"
    cues = [
        {"kind": "a", "start": 1, "end": 4},
        {"kind": "b", "start": 3, "end": 5},
        {"kind": "x", "start": 4, "end": 2},  # empty
        {"kind": "y", "start": -5, "end": 1},  # clipped to 0..1
        {"kind": "z", "start": "1", "end": 3},  # not an int
        {"kind": "img", "start": 0, "end": 6, "origin": "image"},  # offsets into OCR text, not this text
        {"kind": "far", "start": 50, "end": 60},
    ]
    segments = highlight(text, cues)
    assert "".join(s.text for s in segments) == text
    assert segments == [
        Segment("a", ("y",)),
        Segment("bc", ("a",)),
        Segment("d", ("a", "b")),
        Segment("e", ("b",)),
        Segment("f"),
    ]


def test_highlight_keeps_hostile_text_verbatim() -> None:
    text = "<script>alert(1)</script>\u202e50k"
    segments = highlight(text, [{"kind": "payment", "start": 26, "end": 29}])
    assert "".join(s.text for s in segments) == text
    assert segments[-1] == Segment("50k", ("payment",))
    assert reveal("exe\u202egnp") == "exe[U+202E]gnp"


def test_csrf_tokens_compare_in_constant_time_and_never_match_when_missing() -> None:
    token = sessions.new_token()
    assert len(token) >= 40 and sessions.same_token(token, token)
    assert (
        not sessions.same_token(token, "x") and not sessions.same_token(None, None) and not sessions.same_token("", "")
    )


NOW = datetime(2025, 9, 14, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("start", "end", "text", "css"),
    [
        (NOW + timedelta(hours=2), NOW + timedelta(hours=8), "in 2 h", "soon"),
        (NOW + timedelta(hours=10, minutes=5), None, "in 10 h 5 min", "today"),
        (NOW + timedelta(days=3), None, "in 3 d", ""),
        (NOW - timedelta(hours=1), NOW + timedelta(minutes=30), "now (window ends in 30 min)", "soon"),
        (NOW - timedelta(days=2), NOW - timedelta(days=1), "passed 1 d ago", "overdue"),
    ],
)
def test_time_left(start: datetime, end: datetime | None, text: str, css: str) -> None:
    left = time_left(start, end, NOW)
    assert left is not None and (left["text"], left["css"]) == (text, css)


def test_urgency_levels() -> None:
    assert [urgency_level(u) for u in (0.95, 0.7, 0.5, 0.1)] == ["high", "high", "medium", "low"]
