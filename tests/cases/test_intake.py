"""Cases are opened by `Store.save`: one per order, linked to all its posts, idempotent, safe under concurrency."""

from __future__ import annotations

import threading
from dataclasses import replace

import sqlalchemy as sa

from varde.cases.access import Actor
from varde.cases.ingest import ingest
from varde.cases.intake import priority_from_urgency
from varde.cases.service import CaseService
from varde.records import Place, Record
from varde.store import Store

from .conftest import T0, make_record


def _count(store: Store, sql: str) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(sa.text(sql)).scalar_one())


def test_one_detected_case_per_order_with_all_posts(
    service: CaseService, users: dict[str, Actor], oslo_and_vest: dict[str, int]
) -> None:
    detail = service.get_case(users["ana"], oslo_and_vest["oslo"])
    case = detail.case
    assert (case.state, case.order_id, case.district, case.n_posts) == ("detected", "o-oslo", "Oslo", 2)
    assert case.priority == priority_from_urgency(0.9) == 5
    assert case.platforms == ("telegram", "x") and case.violence_types == ("shooting",)
    assert [p.id for p in detail.posts] == ["telegram:foxchan:1", "telegram:other:7"]
    assert detail.posts[0].record is not None and detail.posts[0].record["order_id"] == "o-oslo"


def test_rescans_create_nothing_new(store: Store, oslo_and_vest: dict[str, int]) -> None:
    before = {t: _count(store, f"SELECT count(*) FROM {t}") for t in ("cases", "case_posts", "case_events")}
    audit_before = _count(store, "SELECT count(*) FROM audit_events")
    ingest(store, [make_record("telegram:foxchan:1", "o-oslo", district="Oslo", urgency=0.9)], now=T0)
    ingest(store, [make_record("telegram:foxchan:2", "o-vest", district="Vest", urgency=0.3, minutes=10)], now=T0)
    after = {t: _count(store, f"SELECT count(*) FROM {t}") for t in ("cases", "case_posts", "case_events")}
    assert after == before and _count(store, "SELECT count(*) FROM audit_events") == audit_before


def test_new_posts_join_the_case_and_manual_district_sticks(
    service: CaseService, users: dict[str, Actor], store: Store, oslo_and_vest: dict[str, int]
) -> None:
    oslo = oslo_and_vest["oslo"]
    service.set_district(users["ana"], oslo, "Øst", "the address is in Øst")
    service.set_status(users["ana"], oslo, "uncovered", "confirmed")
    ingest(
        store, [make_record("snapchat:x:1", "o-oslo", district="Oslo", urgency=0.2, minutes=30, platform="snapchat")]
    )
    case = service.get_case(users["ana"], oslo).case
    assert (case.n_posts, case.district, case.state) == (3, "Øst", "uncovered")
    assert "snapchat" in case.platforms


def test_concurrent_saves_of_one_order_open_one_case(store: Store) -> None:
    errors: list[Exception] = []
    barrier = threading.Barrier(3)

    def save(i: int) -> None:
        barrier.wait()
        try:
            ingest(store, [make_record(f"telegram:ch{i}:1", "o-race", minutes=i)], now=T0)
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=save, args=(i,)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert _count(store, "SELECT count(*) FROM cases WHERE order_id = 'o-race'") == 1
    assert _count(store, "SELECT count(*) FROM case_events WHERE action = 'created'") == 1
    # Every post of the order ends up on the case, whichever save came last.
    ingest(store, [make_record("telegram:ch0:1", "o-race")], now=T0)
    assert _count(store, "SELECT count(*) FROM case_posts") == 3
    assert CaseService(store).verify_audit().ok


def _tip(post_id: str, order_id: str | None = None, *, district: str = "Oslo", urgency: float = 0.5) -> Record:
    record = make_record(post_id, order_id, platform="tip", district=district, urgency=urgency)
    return replace(record, post=replace(record.post, source="tip"))


def test_a_tip_the_detector_did_not_flag_opens_its_own_case(
    service: CaseService, users: dict[str, Actor], store: Store
) -> None:
    ingest(store, [_tip("tip:1", district="Vest", urgency=0.3)], now=T0)
    page = service.list_cases(users["ana"])
    [case] = [c for c in page.items if c.order_id is None]
    assert (case.state, case.district, case.platform, case.n_posts) == ("detected", "Vest", "tip", 1)
    detail = service.get_case(users["ana"], case.id)
    assert [p.id for p in detail.posts] == ["tip:1"]
    assert "did not flag" in detail.events[0].reason and detail.events[0].actor == "system"
    # Saving the tip again (a re-scan, a redelivered message) opens nothing new; the audit chain holds.
    ingest(store, [_tip("tip:1", district="Vest", urgency=0.3)], now=T0)
    assert _count(store, "SELECT count(*) FROM cases") == 1
    assert _count(store, "SELECT count(*) FROM audit_events WHERE action = 'case.create'") == 1
    assert service.verify_audit().ok
    # District access applies as to any case.
    assert [c.id for c in service.list_cases(users["olav"]).items] == []
    assert [c.id for c in service.list_cases(users["vera"]).items] == [case.id]


def test_a_flagged_tip_joins_its_orders_case_and_other_posts_open_nothing(
    service: CaseService, users: dict[str, Actor], store: Store
) -> None:
    ingest(store, [make_record("telegram:foxchan:1", "o-oslo")], now=T0)
    ingest(store, [_tip("tip:2", "o-oslo"), make_record("telegram:chat:9", None)], now=T0)
    [case] = service.list_cases(users["ana"]).items
    assert case.order_id == "o-oslo" and case.n_posts == 2
    assert _count(store, "SELECT count(*) FROM cases") == 1


def test_tips_in_one_batch_each_get_their_own_case(service: CaseService, users: dict[str, Actor], store: Store) -> None:
    ingest(store, [_tip(f"tip:{i}", district=d) for i, d in enumerate(("Vest", "Oslo", "Agder", "Øst"))], now=T0)
    cases = [c for c in service.list_cases(users["ana"]).items if c.order_id is None]
    assert len(cases) == 4
    for case in cases:
        [post] = service.get_case(users["ana"], case.id).posts
        expected = {"tip:0": "Vest", "tip:1": "Oslo", "tip:2": "Agder", "tip:3": "Øst"}[post.id]
        assert case.district == expected
    assert service.verify_audit().ok


def test_the_store_alone_opens_no_case(store: Store) -> None:
    store.save([make_record("telegram:foxchan:7", "o-alone")], now=T0)
    assert _count(store, "SELECT count(*) FROM cases") == 0
    ingest(store, [make_record("telegram:foxchan:7", "o-alone")], now=T0)
    assert _count(store, "SELECT count(*) FROM cases WHERE order_id = 'o-alone'") == 1


SVERIGE = Place("Sverige", "SE")
OSLO = Place("Oslo", "NO", "Oslo", "0301", "Oslo")


def test_sweden_or_oslo_files_record_order_and_case_under_oslo_norway(
    service: CaseService, users: dict[str, Actor], store: Store
) -> None:
    first = replace(make_record("telegram:foxchan:40", "o-svosl", minutes=0), places=(SVERIGE,))
    second = replace(make_record("telegram:foxchan:41", "o-svosl", minutes=5), places=(SVERIGE, OSLO))
    ingest(store, [first, second], now=T0)
    with store.engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT post_id, country, district FROM records ORDER BY post_id")).all()
        order = conn.execute(sa.text("SELECT country, district FROM orders WHERE id = 'o-svosl'")).one()
    assert [tuple(r) for r in stored] == [("telegram:foxchan:40", "SE", None), ("telegram:foxchan:41", "NO", "Oslo")]
    # Country and district from one record's primary place, never SE from one and Oslo from the other.
    assert tuple(order) == ("NO", "Oslo")
    case = service.list_cases(users["ana"]).items[0]
    assert (case.country, case.district) == ("NO", "Oslo")


def test_a_district_set_by_hand_brings_its_country(
    service: CaseService, users: dict[str, Actor], oslo_and_vest: dict[str, int]
) -> None:
    service.set_district(users["ana"], oslo_and_vest["oslo"], "Väst", "the address is in Gothenburg")
    case = service.get_case(users["ana"], oslo_and_vest["oslo"]).case
    assert (case.country, case.district) == ("SE", "Väst")


def test_new_cases_of_one_batch_are_numbered_in_order_id_order(store: Store) -> None:
    # The orders table holds them in the opposite order (as PostgreSQL's heap can after updates): the numbering must
    # not follow the table's physical order, or two runs of the same feed number their cases differently.
    from varde.cases.intake import open_cases
    from varde.store.tables import orders

    ids = ["o-3", "o-2", "o-1"]
    with store.engine.begin() as conn:
        for order_id in ids:
            conn.execute(
                orders.insert().values(
                    id=order_id,
                    first_post_id=f"telegram:foxchan:{order_id}",
                    first_seen_at=T0,
                    last_seen_at=T0,
                    n_posts=1,
                    violence_types=["shooting"],
                    urgency=0.5,
                    detected_at=T0,
                )
            )
        created = open_cases(conn, ids, now=T0)
        numbered = dict(conn.execute(sa.select(sa.text("order_id, id")).select_from(sa.text("cases"))).all())
    assert sorted(numbered, key=numbered.__getitem__) == ["o-1", "o-2", "o-3"]
    assert sorted(created) == sorted(numbered.values())
