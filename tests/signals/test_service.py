"""Signal banks end to end on SQLite and PostgreSQL: collect from a confirmed case, export, import into another
database, match a re-post (cropped image, edited text) scanned there; negative banks; flood protection."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tests.signals.conftest import EDITED, ORIGINAL, WHEN, people, post, scan
from varde.cases.access import Actor
from varde.cases.ingest import ingest
from varde.cases.service import CaseService
from varde.errors import AccessDenied, InputError
from varde.posts import Post
from varde.records import Record
from varde.signals.formats import read_lines, write_lines
from varde.signals.service import FLOOD_LIMIT, SignalService, match_banks
from varde.signals.text import MD5, TLSH
from varde.store import Store
from varde.store.case_tables import audit_events, cases
from varde.store.signal_tables import signals
from varde.store.tables import records


def bank_cues(store: Store, post_id: str) -> list[dict[str, Any]]:
    with store.engine.connect() as conn:
        data = conn.execute(select(records.c.data).where(records.c.post_id == post_id)).scalar_one()
    return [c for c in data["cues"] if c["kind"] == "bank_match"]


def test_round_trip_matches_a_cropped_edited_repost(
    source_db: tuple[Store, SignalService, dict[str, Actor]], url_b: str, tmp_path: Path, media_root: Path
) -> None:
    _, service_a, who_a = source_db
    service_a.create_bank(who_a["sig"], "politiet-no")
    added = service_a.collect(who_a["sig"], "politiet-no")
    assert added >= 3  # MD5 and TLSH of the text, PDQ of the image (whole frame and ink box)
    exported = service_a.export(who_a["sig"], bank="politiet-no")
    assert {s.signal_type for s in exported} == {MD5, TLSH, "pdq"}
    assert all(s.violence_types == ("shooting",) and s.first_seen == "2026Q3" for s in exported)
    file = tmp_path / "bank.jsonl"
    file.write_text("".join(write_lines(exported, "varde")), encoding="utf-8")
    text = file.read_text("utf-8")
    assert "Holmlia" not in text and "kveldsjobb" not in text and "Oslo" not in text  # nothing personal leaves

    store_b = Store.open(url_b)
    try:
        who_b = people(store_b)
        service_b = SignalService(store_b)
        result = service_b.import_signals(who_b["sig"], "politiet-no", read_lines(text.split("\n")))
        assert result.added == len(exported)
        repost = post("telegram:b:9", EDITED, ("media/flyer_repost.png",), media_root, minutes=40)
        scan(store_b, tmp_path / "b-media", [repost])
        found = bank_cues(store_b, "telegram:b:9")
        assert {c["signal_type"] for c in found} == {TLSH, "pdq"}
        assert all(c["bank"] == "politiet-no" and c["violence_types"] == ["shooting"] for c in found)
        assert all(0 < c["distance"] <= 31 for c in found)
        with store_b.engine.connect() as conn:
            urgency = conn.execute(select(records.c.urgency).where(records.c.post_id == "telegram:b:9")).scalar_one()
        assert urgency >= 0.8

        # A negative bank holding the image suppresses the image match, and only that.
        pdq = [s for s in exported if s.signal_type == "pdq"]
        service_b.import_signals(who_b["sig"], "known-fp", pdq, negative=True)
        scan(store_b, tmp_path / "b-media", [dataclasses.replace(repost, id="telegram:b:10")])
        assert {c["signal_type"] for c in bank_cues(store_b, "telegram:b:10")} == {TLSH}
    finally:
        store_b.close()


def test_collect_takes_only_confirmed_cases(tmp_path: Path, media_root: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'c.db'}")
    try:
        who = people(store)
        scan(store, tmp_path / "m", [post("telegram:c:1", ORIGINAL, (), media_root)])
        service = SignalService(store)
        service.create_bank(who["sig"], "orders")
        assert service.collect(who["sig"], "orders") == 0  # detected, not yet confirmed by an analyst
        with store.engine.connect() as conn:
            case_id = conn.execute(select(cases.c.id)).scalar_one()
        CaseService(store).set_status(who["ana"], case_id, "uncovered", "looks real")
        assert service.collect(who["sig"], "orders") == 2  # MD5 and TLSH of the text
        assert len(service.export(who["sig"], bank="orders")) == 2
        CaseService(store).set_status(who["ana"], case_id, "dismissed", "not an order after all")
        assert service.collect(who["sig"], "orders") == 0
        assert service.export(who["sig"], bank="orders") == []  # withdrawn with the case
        with pytest.raises(AccessDenied):
            service.export(who["ana"], bank="orders")
    finally:
        store.close()


def test_short_texts_give_no_signals() -> None:
    from varde.signals.text import text_signals

    assert text_signals("Skyt ham, 50k, dm") is None  # short: its hash could be guessed
    assert text_signals("ha " * 40) is None  # long but uniform
    assert text_signals(ORIGINAL) is not None


def _plain(post_id: str, text: str) -> Record:
    return Record(post=Post(id=post_id, platform="telegram", text=text, created_at=WHEN), score=0.1)


@pytest.fixture
def store_any(database_url: str) -> Iterator[Store]:
    store = Store.open(database_url)
    yield store
    store.close()


def test_flood_protection_quarantines_a_signal_matching_a_thousand_posts(store_any: Store) -> None:
    who = people(store_any)
    service = SignalService(store_any)
    line = json.dumps({"signal_type": MD5, "signal": _md5(ORIGINAL), "content_id": "planted-1"})
    planted = list(read_lines([line]))
    service.import_signals(who["sig"], "partner", planted)
    matched = 0
    for start in range(0, 1000, 100):
        batch = [_plain(f"telegram:flood:{i}", ORIGINAL) for i in range(start, start + 100)]
        stored = ingest(store_any, batch, now=WHEN + timedelta(minutes=start // 100))
        assert stored is not None
    with store_any.engine.connect() as conn:
        for (data,) in conn.execute(select(records.c.data)):
            matched += any(c["kind"] == "bank_match" for c in data["cues"])
        row = conn.execute(select(signals.c.quarantined_at, signals.c.window_hits)).one()
        events = conn.execute(select(audit_events.c.details).where(audit_events.c.action == "signal.quarantine")).all()
    assert matched == FLOOD_LIMIT
    assert row.quarantined_at is not None
    assert len(events) == 1 and json.loads(events[0].details)["posts"] > FLOOD_LIMIT
    assert service.export(who["sig"], bank="partner") == []  # a quarantined signal is not passed on
    [(signal_id, _, _, _)] = service.quarantined(who["ana"])
    with pytest.raises(AccessDenied):
        service.release(who["ana"], signal_id, "checked")
    service.release(who["sig"], signal_id, "checked: the text is a real order, the flood was a raid of re-posts")
    assert len(service.export(who["sig"], bank="partner")) == 1 and service.quarantined(who["sig"]) == []


def test_negative_bank_suppresses_a_text_match(store_any: Store) -> None:
    who = people(store_any)
    service = SignalService(store_any)
    line = json.dumps({"signal_type": MD5, "signal": _md5(ORIGINAL), "content_id": "c-1"})
    service.import_signals(who["sig"], "partner", read_lines([line]))
    with store_any.begin() as conn:
        [hit] = match_banks(conn, [_plain("p:1", ORIGINAL)], now=WHEN)
    assert [c.bank for c in hit.cues if c.kind == "bank_match"] == ["partner"]
    service.import_signals(who["sig"], "false-positives", read_lines([line]), negative=True)
    with store_any.begin() as conn:
        [hit] = match_banks(conn, [_plain("p:2", ORIGINAL)], now=WHEN)
    assert not [c for c in hit.cues if c.kind == "bank_match"]
    with pytest.raises(InputError):
        service.import_signals(who["sig"], "partner", read_lines([line]), negative=True)


def _md5(text: str) -> str:
    from varde.signals.text import md5_of, normalise

    return md5_of(normalise(text))
