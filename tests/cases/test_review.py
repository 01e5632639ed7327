"""The review list (`ReviewService`, `varde review list`): posts the detector scored `possible` — only those, scoped
by district for investigators like the cases, audited — on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
import sqlalchemy as sa

from varde.cases.access import Actor
from varde.cases.ingest import ingest
from varde.cases.review import ReviewService
from varde.errors import AccessDenied
from varde.records import Record
from varde.store import Store
from varde.store.case_tables import audit_events

from .conftest import T0, Clock, make_record
from .test_cli import run


@pytest.fixture
def possible(store: Store) -> None:
    """An order, two possible posts (Oslo, Vest), a possible post with no district and a plain post."""

    def maybe(post_id: str, district: str | None, score: float) -> Record:
        return replace(make_record(post_id, None, district=district), band="possible", score=score)

    ingest(
        store,
        [
            make_record("telegram:foxchan:1", "o-oslo", district="Oslo"),
            maybe("telegram:foxchan:2", "Oslo", 0.6),
            maybe("telegram:foxchan:3", "Vest", 0.7),
            maybe("telegram:foxchan:4", None, 0.5),
            make_record("telegram:foxchan:5", None, district="Oslo"),
        ],
        now=T0,
    )


@pytest.fixture
def review(store: Store, clock: Clock) -> ReviewService:
    return ReviewService(store, clock=clock)


def _ids(review: ReviewService, actor: Actor, districts: tuple[str, ...] = ()) -> list[str]:
    return [item.id for item in review.list_possible(actor, districts=districts).items]


def test_analysts_see_every_possible_post_and_nothing_else(
    review: ReviewService, users: dict[str, Actor], possible: None
) -> None:
    expected = ["telegram:foxchan:3", "telegram:foxchan:2", "telegram:foxchan:4"]  # highest score first
    assert _ids(review, users["ana"]) == expected
    assert _ids(review, users["sig"]) == expected
    assert _ids(review, users["ana"], districts=("Vest",)) == ["telegram:foxchan:3"]
    page = review.list_possible(users["ana"], page=2, per_page=2)
    assert ([i.id for i in page.items], page.total, page.pages) == (["telegram:foxchan:4"], 3, 2)


def test_investigators_see_their_districts_only(review: ReviewService, users: dict[str, Actor], possible: None) -> None:
    assert _ids(review, users["olav"]) == ["telegram:foxchan:2"]
    assert _ids(review, users["vera"]) == ["telegram:foxchan:3"]
    assert _ids(review, users["vera"], districts=("Oslo",)) == []


def test_other_roles_are_refused_and_every_read_is_audited(
    review: ReviewService, store: Store, users: dict[str, Actor], possible: None
) -> None:
    for name in ("aud", "adm"):
        with pytest.raises(AccessDenied):
            review.list_possible(users[name])
    review.list_possible(users["olav"])
    with store.engine.connect() as conn:
        events = conn.execute(
            sa.select(audit_events.c.actor, audit_events.c.action, audit_events.c.details).order_by(audit_events.c.seq)
        ).all()
    logged = [(e.actor, e.action) for e in events if e.action in ("review.list", "access.denied")]
    assert logged == [("aud", "access.denied"), ("adm", "access.denied"), ("olav", "review.list")]
    details = events[-1].details
    details = details if isinstance(details, dict) else json.loads(details)
    assert details["returned"] == ["telegram:foxchan:2"] and details["scope"] == ["Oslo"]


def test_the_cli_prints_the_possible_posts(db_url: str, store: Store, possible: None) -> None:
    for args in (["ana", "--role", "analyst"], ["vera", "--role", "investigator", "--district", "Vest"]):
        code, output = run(["users", "add", args[0], *args[1:], "--no-password", "--db", db_url])
        assert code == 0, output
    code, output = run(["review", "list", "--json", "--as", "ana", "--db", db_url])
    assert code == 0, output
    answer = json.loads(output)
    assert [item["id"] for item in answer["items"]] == [
        "telegram:foxchan:3",
        "telegram:foxchan:2",
        "telegram:foxchan:4",
    ]
    assert answer["total"] == 3
    code, output = run(["review", "list", "--as", "vera", "--db", db_url])
    assert code == 0, output
    assert "possible posts: 1" in output and "telegram:foxchan:3" in output and "telegram:foxchan:2" not in output
    code, output = run(["review", "list", "--db", db_url])
    assert code != 0
