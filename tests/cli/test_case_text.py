"""`varde case show` as text lists every fact of each post with its evidence, times labelled with their zone."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from varde.cli.case_text import fact_lines
from varde.i18n import clock

OSLO = ZoneInfo("Europe/Oslo")

RECORD = {
    "id": "telegram:fox:1",
    "is_order": True,
    "score": 0.9312,
    "language": "nb",
    "violence_types": ["shooting"],
    "order_id": "o-1",
    "cues": [{"kind": "payment", "text": "40k", "start": 10, "end": 13}, {"kind": "violence", "text": "skyt\u202e"}],
    "when": {"text": "i kveld", "start": "2025-09-14T18:00:00+00:00", "end": "2025-09-14T21:59:00+00:00"},
    "places": [{"text": "Grønland", "country": "NO", "municipality": "Oslo", "district": "Oslo"}],
    "payment": {"text": "40k", "amount": 40000, "currency": "NOK", "amount_nok": 40000},
    "contacts": [{"kind": "telegram", "value": "@nattjobb_x"}],
    "target": {"text": "en fyr", "kind": "person"},
    "minor_signals": ["ung"],
    "urgency": 0.8,
}


def test_every_fact_is_shown_with_its_evidence() -> None:
    text = "\n".join(fact_lines(RECORD, OSLO))
    assert "score 0.93  order yes  language nb  urgency 0.80" in text
    assert "time: 'i kveld' → 2025-09-14 20:00 (Oslo) – 2025-09-14 23:59 (Oslo)" in text
    assert "place: 'Grønland' → Oslo · Oslo · NO" in text
    assert "pay: '40k' → 40 000 NOK (≈ 40 000 NOK)" in text
    assert "contacts: telegram '@nattjobb_x'" in text
    assert "target: 'en fyr' (person)" in text
    assert "minors: ung" in text
    assert "cues: payment '40k' [10:13], violence 'skyt\\u202e'" in text  # hostile characters stay escaped


def test_missing_facts_are_said_to_be_missing() -> None:
    text = "\n".join(fact_lines({"score": 0.1, "is_order": False}, OSLO))
    for line in ("time: not stated", "place: not stated", "pay: not stated", "contacts: none", "cues: none"):
        assert line in text


def test_clock_is_labelled_and_reads_naive_times_as_utc() -> None:
    assert clock(datetime(2025, 1, 14, 12, 0, tzinfo=UTC), OSLO) == "2025-01-14 13:00 (Oslo)"
    assert clock(datetime(2025, 7, 14, 12, 0), OSLO) == "2025-07-14 14:00 (Oslo)"
    assert clock(datetime(2025, 7, 14, 12, 0, tzinfo=UTC), ZoneInfo("UTC")) == "2025-07-14 12:00 (UTC)"
