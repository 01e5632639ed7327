"""Helpers and fixtures for the signal bank tests: the demo corpus's flyer order scanned into a database and
confirmed by an analyst (database A), and a second database of either backend (database B)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import DEMO
from varde.cases.access import ADMIN, Actor
from varde.cases.accounts import AccountService
from varde.cases.ingest import ingest
from varde.cases.service import CaseService
from varde.media import MediaStage
from varde.media.stage import MediaConfig
from varde.media.store import MediaStore
from varde.pipeline import build_pipeline
from varde.posts import Post
from varde.records import Record
from varde.signals.service import SignalService
from varde.store import Store
from varde.store.case_tables import cases

OPERATOR = Actor("operator", ADMIN, frozenset(), "test")
ORIGINAL = (
    "Oppdrag i kveld 🔫 Holmlia. Skyte mot ei dør i en blokk, ingen skal treffes. 80k cash rett etter. "
    "Kun seriøse, dm @kveldsjobb_osl"
)
EDITED = (
    "OPPDRAG i kveld 🔫🔫 Holmlia. Skyte mot ei dør i en blokk, ingen skal treffes. 90k cash rett etter!! "
    "Kun seriøse, dm @kveldsjobb_oslo"
)
WHEN = datetime(2026, 9, 26, 14, 57, tzinfo=UTC)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def url_b(request: pytest.FixtureRequest) -> str:
    return str(request.getfixturevalue(f"{request.param}_url"))


@pytest.fixture
def media_root(tmp_path: Path) -> Path:
    root = tmp_path / "input"
    (root / "media").mkdir(parents=True)
    for name in ("flyer.png", "flyer_repost.png"):
        shutil.copy(DEMO / "media" / name, root / "media" / name)
    return root


def post(post_id: str, text: str, media: tuple[str, ...], root: Path, minutes: int = 0) -> Post:
    return Post(
        id=post_id,
        platform="telegram",
        text=text,
        created_at=WHEN + timedelta(minutes=minutes),
        channel="Oslo Jobber 24/7",
        author="@bror.jobb",
        media=media,
        media_root=str(root),
    )


def scan(store: Store, media: Path, posts: list[Post]) -> list[Record]:
    """What `varde scan` does with these posts (OCR off: PDQ hashes are what matter here)."""
    stage = MediaStage(MediaConfig(ocr=False), media_store=MediaStore(media))
    pipeline = build_pipeline(store.order_index(), first=[stage])
    found = list(pipeline.run_posts(posts, batch_size=16))
    ingest(store, found, now=WHEN + timedelta(hours=1))
    return found


def people(store: Store) -> dict[str, Actor]:
    accounts = AccountService(store)
    for name, role in (("ana", "analyst"), ("sig", "supervisor"), ("adm", "admin")):
        accounts.add_user(OPERATOR, name, role)
    return {name: accounts.actor(name, source="test") for name in ("ana", "sig", "adm")}


@pytest.fixture
def source_db(tmp_path: Path, media_root: Path) -> Iterator[tuple[Store, SignalService, dict[str, Actor]]]:
    """Database A: the original order (flyer + text) scanned, its case confirmed by an analyst."""
    store = Store.open(f"sqlite:///{tmp_path / 'a.db'}")
    who = people(store)
    media = tmp_path / "a.db.media"  # where `varde` keeps a SQLite database's media
    scanned = scan(store, media, [post("telegram:a:1", ORIGINAL, ("media/flyer.png",), media_root)])
    assert scanned[0].is_order and scanned[0].image_hashes
    with store.engine.connect() as conn:
        case_id = conn.execute(select(cases.c.id)).scalar_one()
    CaseService(store).set_status(who["ana"], case_id, "uncovered", "confirmed: a real order")
    yield store, SignalService(store, media_store=MediaStore(media)), who
    store.close()
