"""Verdicts on posts: given directly or by dismissing/confirming a case; audited; district-scoped; exported in the
labelled-set format."""

from __future__ import annotations

import json

import pytest

from varde.cases.access import Actor
from varde.cases.service import CaseService
from varde.cases.verdicts import VerdictService, check_verdict
from varde.errors import AccessDenied, InputError, NotFound
from varde.store import Store

from .conftest import Clock

# The keys of a line of the labelled evaluation sets (shared/eval/dev.jsonl).
DEV_KEYS = {"id", "platform", "channel", "author", "text", "created_at", "label"}
DEV_LABEL_KEYS = {
    "is_order",
    "bucket",
    "violence_types",
    "order_group",
    "country",
    "district",
    "municipality",
    "payment_amount",
    "payment_currency",
    "when_date",
    "contacts",
    "minor",
    "language",
}


@pytest.fixture
def verdicts(store: Store, clock: Clock) -> VerdictService:
    return VerdictService(store, clock=clock)


def test_a_label_is_stored_and_audited(
    verdicts: VerdictService, service: CaseService, users: dict[str, Actor], oslo_and_vest: dict[str, int]
) -> None:
    given = verdicts.label(
        users["ana"], "telegram:foxchan:3", is_order=True, violence_types=["arson"], district="Oslo", reason="menu"
    )
    assert (given.is_order, given.violence_types, given.district) == (True, ("arson",), "Oslo")
    assert [v.post_id for v in verdicts.history(users["sig"])] == ["telegram:foxchan:3"]
    labelled = [e for e in service.audit_log(users["aud"]) if e.action == "post.label"]
    assert [e.object for e in labelled] == ["post:telegram:foxchan:3"]


def test_bad_verdicts_are_refused() -> None:
    with pytest.raises(InputError, match="reason"):
        check_verdict(True, [], None, "  ")
    with pytest.raises(InputError, match="unknown violence"):
        check_verdict(True, ["tickling"], None, "x")
    with pytest.raises(InputError, match="unknown district"):
        check_verdict(True, [], "Atlantis", "x")
    with pytest.raises(InputError, match="not-order"):
        check_verdict(False, ["arson"], None, "x")
    assert check_verdict(True, ["arson", " arson"], " Oslo ", " why ") == (("arson",), "Oslo", "why")


def test_an_investigator_labels_only_posts_of_their_districts_cases(
    verdicts: VerdictService, users: dict[str, Actor], oslo_and_vest: dict[str, int]
) -> None:
    verdicts.label(users["olav"], "telegram:foxchan:1", is_order=False, reason="a joke")
    with pytest.raises(NotFound):
        verdicts.label(users["olav"], "telegram:foxchan:2", is_order=False, reason="Vest's case")
    with pytest.raises(NotFound):
        verdicts.label(users["olav"], "telegram:foxchan:3", is_order=False, reason="in no case")
    with pytest.raises(NotFound):
        verdicts.label(users["ana"], "telegram:nowhere:9", is_order=False, reason="no such post")
    with pytest.raises(AccessDenied):
        verdicts.label(users["aud"], "telegram:foxchan:1", is_order=False, reason="auditors do not label")
    # The Vest investigator sees no verdict on Oslo's posts.
    assert verdicts.history(users["vera"]) == []
    assert len(verdicts.history(users["olav"])) == 1


def test_dismissing_and_confirming_a_case_record_verdicts_on_its_posts(
    verdicts: VerdictService, service: CaseService, users: dict[str, Actor], oslo_and_vest: dict[str, int]
) -> None:
    service.set_status(users["olav"], oslo_and_vest["oslo"], "dismissed", reason="a rap lyric")
    service.set_status(users["vera"], oslo_and_vest["vest"], "uncovered", reason="confirmed by a source")
    seen = {(v.post_id, v.is_order, v.violence_types, v.district) for v in verdicts.history(users["sig"])}
    assert seen == {
        ("telegram:foxchan:1", False, (), None),
        ("telegram:other:7", False, (), None),
        ("telegram:foxchan:2", True, ("shooting",), "Vest"),
    }
    actions = [e.action for e in service.audit_log(users["aud"])]
    assert actions.count("post.label") == 3


def test_the_last_verdict_per_user_counts_and_the_history_is_kept(
    verdicts: VerdictService, users: dict[str, Actor], oslo_and_vest: dict[str, int], clock: Clock
) -> None:
    post = "telegram:foxchan:3"
    verdicts.label(users["ana"], post, is_order=True, reason="looks like one")
    clock.advance(minutes=1)
    verdicts.label(users["ana"], post, is_order=False, reason="on second thought: a game")
    clock.advance(minutes=1)
    verdicts.label(users["sig"], post, is_order=False, reason="agree")
    assert len(verdicts.history(users["sig"], post)) == 3
    [line] = [x for x in verdicts.export(users["sig"]) if x["id"] == post]
    assert line["label"]["is_order"] is False
    # Two users' current verdicts: not-order twice. One more order verdict ties: the most recent wins.
    clock.advance(minutes=1)
    verdicts.label(users["olav"], "telegram:foxchan:1", is_order=True, violence_types=["shooting"], reason="yes")
    clock.advance(minutes=1)
    verdicts.label(users["ana"], "telegram:foxchan:1", is_order=False, reason="no")
    lines = {x["id"]: x for x in verdicts.export(users["sig"])}
    assert lines["telegram:foxchan:1"]["label"]["is_order"] is False


def test_the_export_has_the_labelled_set_format_and_only_what_the_user_may_see(
    verdicts: VerdictService, service: CaseService, users: dict[str, Actor], oslo_and_vest: dict[str, int]
) -> None:
    service.set_status(users["sig"], oslo_and_vest["oslo"], "uncovered", reason="confirmed")
    verdicts.label(users["ana"], "telegram:foxchan:2", is_order=False, reason="a film quote")
    everything = verdicts.export(users["sig"])
    assert [x["id"] for x in everything] == ["telegram:foxchan:1", "telegram:foxchan:2", "telegram:other:7"]
    for line in everything:
        assert set(line) == DEV_KEYS
        assert set(line["label"]) == DEV_LABEL_KEYS
        assert json.loads(json.dumps(line)) == line
    first = everything[0]
    assert first["label"]["is_order"] is True and first["label"]["district"] == "Oslo"
    assert first["label"]["violence_types"] == ["shooting"]
    assert [x["id"] for x in verdicts.export(users["vera"])] == ["telegram:foxchan:2"]
    with pytest.raises(AccessDenied):
        verdicts.export(users["adm"])
