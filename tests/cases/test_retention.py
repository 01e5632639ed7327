from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from varde.cases.access import SYSTEM, Actor
from varde.cases.service import CaseService
from varde.errors import AccessDenied, NotFound
from varde.store import Store

from .conftest import Clock


def _count(store: Store, sql: str) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(sa.text(sql)).scalar_one())


def test_dismissed_cases_are_purged_after_the_period_leaving_hashes(
    service: CaseService, users: dict[str, Actor], oslo_and_vest: dict[str, int], store: Store, clock: Clock
) -> None:
    oslo, vest = oslo_and_vest["oslo"], oslo_and_vest["vest"]
    service.set_status(users["ana"], vest, "dismissed", "a legitimate job ad")
    service.add_tip_contact(users["ana"], "telegram:foxchan:2", "tipster@example.org")
    service.set_status(users["ana"], oslo, "uncovered", "real")
    clock.advance(days=89)
    assert service.purge_expired(SYSTEM, days=90) == []
    clock.advance(days=2)
    with pytest.raises(AccessDenied):
        service.purge_expired(users["ana"], days=90)
    assert service.purge_expired(users["sig"], days=90) == [vest]
    with pytest.raises(NotFound):
        service.get_case(users["ana"], vest)
    assert _count(store, "SELECT count(*) FROM posts WHERE id = 'telegram:foxchan:2'") == 0
    assert _count(store, "SELECT count(*) FROM records WHERE post_id = 'telegram:foxchan:2'") == 0
    assert _count(store, "SELECT count(*) FROM orders WHERE id = 'o-vest'") == 0
    assert _count(store, "SELECT count(*) FROM tip_contacts") == 0
    assert _count(store, f"SELECT count(*) FROM case_events WHERE case_id = {vest}") == 0
    assert service.get_case(users["ana"], oslo).case.state == "uncovered"  # other cases untouched
    with store.engine.connect() as conn:
        details = conn.execute(
            sa.text("SELECT details FROM audit_events WHERE action = 'retention.purge'")
        ).scalar_one()
    purged = json.loads(details)
    assert purged["order_id"] == "o-vest" and purged["retention_days"] == 90
    assert set(purged["posts"]) == {"telegram:foxchan:2"} and len(purged["posts"]["telegram:foxchan:2"]) == 64
    assert purged["tip_contacts_deleted"] == 1
    assert len(purged["history_sha256"]) == 64 and set(purged["records"]) == {"telegram:foxchan:2"}
    assert service.verify_audit().ok
    assert service.purge_expired(SYSTEM, days=90) == []  # nothing left to purge
