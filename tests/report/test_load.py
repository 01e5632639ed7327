from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from varde.cases.access import Actor
from varde.cases.ingest import ingest
from varde.cases.service import CaseService
from varde.posts import Post
from varde.records import Place, Record, When
from varde.report.load import load_facts
from varde.store import Store
from varde.store.case_tables import cases

T0 = datetime(2025, 8, 4, 18, 0, tzinfo=UTC)
OPERATOR = Actor("sig", "supervisor", frozenset(), "test")


def record(post_id: str, order_id: str, district: str, minutes: int, source: str, platform: str = "telegram") -> Record:
    text = f"Jobb i {district}, 50k, DM @nattjobb ({post_id})"
    post = Post(
        id=post_id,
        platform=platform,
        text=text,
        created_at=T0 + timedelta(minutes=minutes),
        source=source,
        raw=json.dumps({"id": post_id, "text": text}).encode(),
        origin=f"input.jsonl:{minutes + 1}",
    )
    return Record(
        post=post,
        language="nb",
        is_order=True,
        score=0.9,
        violence_types=("shooting",),
        order_id=order_id,
        places=(Place(district, "NO", district=district),),
        when=When("i kveld", T0 + timedelta(hours=6), T0 + timedelta(hours=12)),
        urgency=0.8,
    )


class Clock:
    def __init__(self) -> None:
        self.now = T0 + timedelta(hours=1)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store.open(f"sqlite:///{tmp_path / 'varde.db'}")
    ingest(
        store,
        [
            record("telegram:a:1", "o-oslo", "Oslo", 0, "monitoring"),
            record("x:b:2", "o-oslo", "Oslo", 30, "tip", platform="x"),
            record("telegram:a:3", "o-vest", "Vest", 10, "partner"),
        ],
        now=T0 + timedelta(minutes=45),
    )
    return store


def test_facts_carry_states_times_sources_and_deadline(store: Store) -> None:
    clock = Clock()
    service = CaseService(store, clock=clock)
    with store.engine.connect() as conn:
        ids = {f.order_id: int(f.case_id) for f in load_facts(conn)}
    service.set_status(OPERATOR, ids["o-oslo"], "uncovered", "confirmed order")
    clock.now = T0 + timedelta(hours=5)
    service.set_status(OPERATOR, ids["o-oslo"], "prevented", "patrol sent")
    with store.engine.connect() as conn:
        facts = {f.order_id: f for f in load_facts(conn, networks={"o-oslo": ["Foxtrot"]})}
    oslo = facts["o-oslo"]
    assert oslo.status == "prevented"
    assert (oslo.country, oslo.district, oslo.n_posts) == ("NO", "Oslo", 2)
    assert oslo.sources == {"monitoring", "tip"}
    assert oslo.platforms == {"telegram", "x"}
    assert oslo.violence_types == {"shooting"}
    assert oslo.networks == {"Foxtrot"}
    assert oslo.first_post_at == T0
    assert oslo.uncovered_at == T0 + timedelta(hours=1)
    assert oslo.prevented_at == T0 + timedelta(hours=5)
    assert oslo.executed_at is None
    assert oslo.when_start == T0 + timedelta(hours=6)
    vest = facts["o-vest"]
    assert (vest.status, vest.uncovered_at) == ("detected", None)
    assert vest.sources == {"partner"} and not vest.networks


def test_districts_limit_what_is_loaded(store: Store) -> None:
    with store.engine.connect() as conn:
        assert [f.district for f in load_facts(conn, ["Vest"])] == ["Vest"]
        assert load_facts(conn, []) == []


def test_a_case_counts_in_the_country_of_its_district(store: Store) -> None:
    with store.engine.begin() as conn:  # as a case could be stored before the primary place: SE with Oslo
        conn.execute(cases.update().where(cases.c.order_id == "o-oslo").values(country="SE"))
    with store.engine.connect() as conn:
        facts = {f.order_id: f for f in load_facts(conn)}
    assert (facts["o-oslo"].country, facts["o-oslo"].district) == ("NO", "Oslo")
