"""Fixtures for the cases tests: a migrated store on SQLite (temporary file) and on PostgreSQL (a fresh schema per
test, dropped afterwards), users of every role, and orders saved through the real `Store.save` path."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from varde.cases.access import ADMIN, Actor
from varde.cases.accounts import AccountService
from varde.cases.ingest import ingest
from varde.cases.service import CaseService
from varde.posts import Post
from varde.records import Place, Record
from varde.store import Store

PG_SERVER = os.environ.get("VARDE_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
T0 = datetime(2025, 9, 14, 18, 0, tzinfo=UTC)


def _pg_available() -> bool:
    try:
        engine = sa.create_engine(PG_SERVER)
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:
        return False


PG_OK = _pg_available()


@pytest.fixture
def pg_schema_url() -> Iterator[str]:
    """A URL whose connections use a fresh, empty schema (isolated from other tests on the same server)."""
    if not PG_OK:
        pytest.skip("PostgreSQL server not reachable")
    schema = f"t_cases_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{PG_SERVER}?options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'varde.db'}"
    return str(request.getfixturevalue("pg_schema_url"))


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    store = Store.open(db_url)
    yield store
    store.close()


class Clock:
    """A settable clock, so tests control time (retention, token expiry)."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now = self.now + timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock(T0 + timedelta(hours=1))


@pytest.fixture
def service(store: Store, clock: Clock) -> CaseService:
    return CaseService(store, clock=clock)


@pytest.fixture
def accounts(store: Store, clock: Clock) -> AccountService:
    return AccountService(store, clock=clock)


OPERATOR = Actor("operator", ADMIN, frozenset(), "test")


def make_record(
    post_id: str,
    order_id: str | None,
    *,
    district: str | None = "Oslo",
    urgency: float = 0.5,
    violence: tuple[str, ...] = ("shooting",),
    platform: str = "telegram",
    language: str = "nb",
    minutes: int = 0,
    text: str | None = None,
    media: tuple[str, ...] = (),
    origin: str = "",
) -> Record:
    body = text if text is not None else f"Jobb i {district or 'byen'}, 50k, DM @nattjobb ({post_id})"
    raw = json.dumps({"id": post_id, "platform": platform, "text": body}).encode()
    post = Post(
        id=post_id,
        platform=platform,
        text=body,
        created_at=T0 + timedelta(minutes=minutes),
        channel="foxchan",
        author="@nattjobb",
        media=media,
        raw=raw,
        origin=origin or f"input.jsonl:{minutes + 1}",
    )
    places = (Place(district or "somewhere", "NO", district=district),) if district else ()
    return Record(
        post=post,
        language=language,
        is_order=order_id is not None,
        score=0.9 if order_id else 0.1,
        violence_types=violence if order_id else (),
        order_id=order_id,
        places=places,
        urgency=urgency,
    )


SaveFn = Callable[..., None]


@pytest.fixture
def users(accounts: AccountService) -> dict[str, Actor]:
    """One actor per role; the investigators are from Vest and from Oslo."""
    specs = {
        "ana": ("analyst", ()),
        "vera": ("investigator", ("Vest",)),
        "olav": ("investigator", ("Oslo",)),
        "sig": ("supervisor", ()),
        "aud": ("auditor", ()),
        "adm": ("admin", ()),
    }
    for name, (role, districts) in specs.items():
        # No passwords here: argon2 is slow on purpose; test_users.py covers password login.
        accounts.add_user(OPERATOR, name, role, districts=districts)
    return {name: accounts.actor(name, source="test") for name in specs}


@pytest.fixture
def oslo_and_vest(store: Store) -> dict[str, int]:
    """Two orders saved through Store.save: one in Oslo (two posts), one in Vest; returns their case ids."""
    ingest(
        store,
        [
            make_record("telegram:foxchan:1", "o-oslo", district="Oslo", urgency=0.9, minutes=0),
            make_record("telegram:other:7", "o-oslo", district="Oslo", urgency=0.8, minutes=5, platform="x"),
            make_record("telegram:foxchan:2", "o-vest", district="Vest", urgency=0.3, minutes=10),
            make_record("telegram:foxchan:3", None, district=None, minutes=11),
        ],
        now=T0,
    )
    with store.engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT order_id, id FROM cases")).all()
    return {str(order_id).removeprefix("o-"): int(case_id) for order_id, case_id in rows}
