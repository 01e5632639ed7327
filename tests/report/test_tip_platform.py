"""A tip counts in the report facts as the platform the tipster saw it on (`seen_on` in its raw record), and as
`tip` only when that is unknown; on both databases."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from varde.cases.access import Actor
from varde.cases.ingest import ingest
from varde.cases.service import CaseService
from varde.posts import Post
from varde.records import Place, Record
from varde.report.load import load_facts, seen_on
from varde.store import Store
from varde.store.case_tables import cases

T0 = datetime(2025, 8, 4, 18, 0, tzinfo=UTC)


def tip(post_id: str, order_id: str, minutes: int, raw: dict[str, object]) -> Record:
    text = f"Jobb i Oslo, 50k, DM @nattjobb ({post_id})"
    post = Post(
        id=post_id,
        platform="tip",
        text=text,
        created_at=T0 + timedelta(minutes=minutes),
        source="tip",
        raw=json.dumps({"id": post_id, "platform": "tip", "text": text} | raw).encode(),
        origin="web tip by olav",
    )
    return Record(
        post=post,
        language="nb",
        is_order=True,
        score=0.9,
        violence_types=("shooting",),
        order_id=order_id,
        places=(Place("Oslo", "NO", district="Oslo"),),
    )


def test_a_tip_counts_as_the_platform_it_was_seen_on(store: Store) -> None:
    ingest(
        store,
        [
            tip("tip:1", "o-snap", 0, {"seen_on": "snapchat"}),
            tip("tip:2", "o-unknown", 5, {}),
            tip("tip:3", "o-mixed", 10, {"seen_on": "telegram"}),
            tip("tip:4", "o-mixed", 15, {"seen_on": "no-such-platform"}),
        ],
        now=T0 + timedelta(minutes=30),
    )
    with store.engine.connect() as conn:
        facts = {fact.order_id: fact.platforms for fact in load_facts(conn)}
    assert facts == {"o-snap": {"snapchat"}, "o-unknown": {"tip"}, "o-mixed": {"telegram", "tip"}}


def test_seen_on_reads_only_a_known_platform() -> None:
    assert seen_on(b'{"seen_on": "snapchat"}') == "snapchat"
    assert seen_on(b'{"seen_on": "<script>"}') == "tip"
    assert seen_on(b"not json") == "tip"
    assert seen_on(b"[1]") == "tip"


def test_the_case_shows_where_and_when_a_tip_was_seen(store: Store) -> None:
    seen_at = "2025-08-04T17:30:00+00:00"
    ingest(
        store,
        [tip("tip:1", "o-snap", 0, {"seen_on": "snapchat", "seen_at": seen_at}), tip("tip:2", "o-snap", 5, {})],
        now=T0 + timedelta(minutes=30),
    )
    with store.engine.connect() as conn:
        case_id = int(conn.execute(select(cases.c.id).where(cases.c.order_id == "o-snap")).scalar_one())
    detail = CaseService(store).get_case(Actor("sig", "supervisor", frozenset(), "test"), case_id)
    seen = {p.id: (p.seen_on, p.seen_at) for p in detail.posts}
    assert seen == {"tip:1": ("snapchat", datetime.fromisoformat(seen_at)), "tip:2": (None, None)}
