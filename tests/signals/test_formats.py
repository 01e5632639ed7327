"""Both file formats: Varde's JSON lines round-trip; threatexchange's lines carry PDQ and TLSH only; bad input is
refused with its line number."""

from __future__ import annotations

import pytest

from varde.errors import InputError
from varde.signals.formats import Signal, quarter_of, read_lines, write_lines

PDQ = "ab" * 32
TLSH = "T1" + "A" * 70
MD5 = "0f" * 16


def test_varde_lines_round_trip() -> None:
    signals = [
        Signal("pdq", PDQ, "c-1", ("arson",), "2025Q3"),
        Signal("md5_text", MD5, "c-1", ("arson",), "2025Q3"),
        Signal("text_tlsh", TLSH, "c-2"),
    ]
    assert list(read_lines(write_lines(signals, "varde"))) == signals


def test_threatexchange_lines_hold_pdq_and_tlsh_only() -> None:
    signals = [Signal("pdq", PDQ, "c-1"), Signal("md5_text", MD5, "c-1"), Signal("text_tlsh", TLSH, "c-1")]
    lines = list(write_lines(signals, "threatexchange"))
    assert lines == [f"pdq {PDQ}\n", f"text_tlsh {TLSH}\n"]
    back = list(read_lines(lines, source="partner"))
    assert [(s.signal_type, s.value, s.content_id) for s in back] == [
        ("pdq", PDQ, "partner:1"),
        ("text_tlsh", TLSH, "partner:2"),
    ]


@pytest.mark.parametrize(
    "line",
    [
        "pdq abc",
        "sha1 " + "0" * 40,
        '{"signal_type": "pdq", "signal": "' + PDQ + '", "content_id": "bad id with spaces"}',
        '{"signal_type": "pdq", "signal": "' + PDQ + '", "content_id": "c", "violence_types": ["hugging"]}',
        '{"signal_type": "pdq", "signal": "' + PDQ + '", "content_id": "c", "first_seen": "2025-09-14"}',
        "{not json",
    ],
)
def test_bad_lines_are_refused(line: str) -> None:
    with pytest.raises(InputError, match="line 2"):
        list(read_lines(["# comment", line]))


def test_quarter() -> None:
    from datetime import UTC, datetime

    assert quarter_of(datetime(2025, 9, 30, tzinfo=UTC)) == "2025Q3"
    assert quarter_of(datetime(2026, 1, 1, tzinfo=UTC)) == "2026Q1"
