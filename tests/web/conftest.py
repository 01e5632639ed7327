"""Web fixtures: a store seeded with users of every role and cases in Oslo and Vest (some with hostile text),
a TestClient app, API tokens, and a live uvicorn server on a free localhost port for the browser tests."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from varde.cases.access import ADMIN, Actor
from varde.cases.accounts import AccountService
from varde.cases.ingest import ingest
from varde.cases.service import CaseService
from varde.pipeline import Pipeline
from varde.posts import Post
from varde.records import Contact, Cue, Payment, Place, Record, Target, When
from varde.settings import Settings
from varde.store import Store
from varde.store.case_tables import cases
from varde.web import create_app

OPERATOR = Actor("operator", ADMIN, frozenset(), "test")
PASSWORD = "correct horse battery"
ROLES = {
    "ana": ("analyst", ()),
    "vera": ("investigator", ("Vest",)),
    "olav": ("investigator", ("Oslo",)),
    "sig": ("supervisor", ()),
    "aud": ("auditor", ()),
    "adm": ("admin", ()),
}

# Post texts that try to run code when shown; each sets window.__pwned or opens a dialog if it ever executes.
XSS_PAYLOADS = [
    "<script>window.__pwned='script';alert(1)</script> Skyt ham i kveld, 50k, DM @nattjobb",
    "<img src=x onerror=\"window.__pwned='img';alert(2)\"> jobb på Grønland 40k",
    "<a href=\"javascript:window.__pwned='href';alert(3)\">klikk</a> trenger en sjåfør til jobb, 30k",
    "<svg onload=\"window.__pwned='svg';alert(4)\"><script>window.__pwned='svg2'</script></svg> spreng døra",
    "\u202egnp.exe\u202c <body onload=alert(5)> \u202e<script>window.__pwned='rtl'</script> skade ham, 20k",
    '"><script>window.__pwned="attr"</script><input autofocus onfocus=alert(6)> {{7*7}} ${alert(7)}',
    "</textarea></title><iframe srcdoc=\"<script>parent.__pwned='iframe'</script>\"></iframe> jobb Oslo",
]


def _post(
    post_id: str,
    text: str,
    at: datetime,
    *,
    channel: str,
    platform: str = "telegram",
    author: str = "@nattjobb",
    source: str = "monitoring",
) -> Post:
    raw = json.dumps({"id": post_id, "platform": platform, "text": text}, ensure_ascii=False).encode()
    return Post(
        id=post_id,
        platform=platform,
        text=text,
        created_at=at,
        channel=channel,
        author=author,
        source=source,
        raw=raw,
        origin="test",
    )


def order_record(
    post_id: str,
    order_id: str,
    text: str,
    at: datetime,
    *,
    district: str,
    urgency: float,
    channel: str = "foxchan",
    platform: str = "telegram",
    violence: tuple[str, ...] = ("shooting",),
    when_hours: float | None = None,
    author: str = "@nattjobb",
) -> Record:
    """A record as the pipeline would make it, with cues at real offsets in `text`."""
    cues = []
    for kind, word in (("violence", "Skyt"), ("payment", "50k"), ("contact", "@nattjobb"), ("time", "i kveld")):
        start = text.find(word)
        if start >= 0:
            cues.append(Cue(kind, word, start, start + len(word)))
    when = None
    if when_hours is not None:
        when = When("i kveld", at + timedelta(hours=when_hours), at + timedelta(hours=when_hours + 6))
    return Record(
        post=_post(post_id, text, at, channel=channel, platform=platform, author=author),
        language="nb",
        is_order=True,
        score=0.95,
        violence_types=violence,
        order_id=order_id,
        cues=tuple(cues),
        when=when,
        places=(Place("Grønland", "NO", "Oslo", "0301", district),),
        payment=Payment("50k", 50000, "NOK", 50000),
        contacts=(Contact("telegram", "@vestjobb" if "@vestjobb" in text else "@nattjobb"),),
        target=Target("en kar på Grønland", "person"),
        minor_signals=("15+",),
        urgency=urgency,
    )


@dataclass
class Seeded:
    store: Store
    service: CaseService
    case_ids: dict[str, int]  # order id → case id
    tokens: dict[str, str]  # user → API token

    def case(self, order_id: str) -> int:
        return self.case_ids[order_id]


def seed(store: Store, *, now: datetime | None = None, hostile: bool = True) -> Seeded:
    now = now or datetime.now(UTC)
    service = CaseService(store)
    for name, (role, districts) in ROLES.items():
        AccountService(store).add_user(OPERATOR, name, role, districts=districts, password=PASSWORD)
    text = "Skyt en kar på Grønland i kveld. 50k cash. DM @nattjobb"
    batch = [
        order_record(
            "telegram:foxchan:1", "o-oslo", text, now - timedelta(hours=3), district="Oslo", urgency=0.92, when_hours=5
        ),
        order_record(
            "telegram:nightjobs:9",
            "o-oslo",
            text + " (repost)",
            now - timedelta(hours=2),
            district="Oslo",
            urgency=0.9,
            channel="nightjobs",
            when_hours=4,
        ),
        order_record(
            "x:1234",
            "o-oslo",
            text,
            now - timedelta(hours=1),
            district="Oslo",
            urgency=0.88,
            channel=None,
            platform="x",
        ),
        order_record(
            "telegram:foxchan:2",
            "o-vest",
            "Trenger folk til jobb i Bergen, 20k, DM @vestjobb",
            now - timedelta(hours=5),
            district="Vest",
            urgency=0.35,
            violence=("assault",),
            author="@vestboss",
        ),
        order_record(
            "telegram:foxchan:3",
            "o-oslo-2",
            "Brann i bil på Tøyen, 10k, DM @nattjobb",
            now - timedelta(days=1),
            district="Oslo",
            urgency=0.6,
            violence=("arson",),
        ),
    ]
    if hostile:
        for index, payload in enumerate(XSS_PAYLOADS):
            batch.append(
                order_record(
                    f"telegram:evil:{index}",
                    f"o-evil-{index}",
                    payload,
                    now - timedelta(minutes=30 + index),
                    district="Oslo",
                    urgency=0.5 + index / 100,
                    channel=f"<b>evil{index}</b><script>window.__pwned='channel'</script>",
                )
            )
    ingest(store, batch, now=now)
    with store.engine.connect() as conn:
        ids = {str(o): int(i) for o, i in conn.execute(select(cases.c.order_id, cases.c.id)).all()}
    tokens = {name: AccountService(store).issue_token(OPERATOR, name, label="tests").token for name in ROLES}
    return Seeded(store, service, ids, tokens)


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Seeded]:
    """One seeded SQLite file per test session (argon2 hashing is slow on purpose); each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "web.db"
    store = Store.open(f"sqlite:///{path}")
    seeded = seed(store)
    store.close()
    return path, seeded


@pytest.fixture
def seeded(seeded_template: tuple[Path, Seeded], tmp_path: Path) -> Iterator[Seeded]:
    template, data = seeded_template
    copy = tmp_path / "web.db"
    shutil.copyfile(template, copy)  # closed cleanly, so the WAL is checkpointed into the main file
    store = Store.open(f"sqlite:///{copy}")
    yield Seeded(store, CaseService(store), dict(data.case_ids), dict(data.tokens))
    store.close()


def make_app(store: Store, tmp_path: Path) -> FastAPI:
    settings = Settings(
        database_url=str(store.engine.url), secret_key="test-secret-key", key_dir=str(tmp_path / "keys")
    )
    return create_app(
        settings, store=store, secure_cookies=False, media_dir=str(tmp_path / "media"), pipeline=tip_pipeline()
    )


@pytest.fixture
def app(seeded: Seeded, tmp_path: Path) -> FastAPI:
    return make_app(seeded.store, tmp_path)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    # The pages' tests read English; bokmål, the default, has its own tests (test_i18n.py).
    with TestClient(app, base_url="http://127.0.0.1", headers={"accept-language": "en"}) as test_client:
        yield test_client


CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def login(client: TestClient, name: str, password: str = PASSWORD) -> str:
    """Log in through the form; returns the session's CSRF token (from the page's meta tag)."""
    form = client.get("/login")
    match = CSRF_FIELD.search(form.text)
    assert match, "login form has no CSRF field"
    response = client.post(
        "/login", data={"username": name, "password": password, "csrf_token": match.group(1)}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    page = client.get("/")
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page.text)
    assert token
    return token.group(1)


@pytest.fixture
def login_as(client: TestClient) -> Callable[[str], str]:
    return lambda name: login(client, name)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LiveServer:
    """uvicorn in a background thread on a free localhost port."""

    def __init__(self, app: FastAPI) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


BERGEN = Place("Bergen", "NO", "Bergen", "4601", "Vest")


class TipStage:
    """A stand-in detector for web tests: flags every tip as an Oslo shooting order, except tips that mention
    `MISSED` (a tip the detector does not flag). Detection is tested elsewhere; here only the wiring from the form
    to the queue is."""

    MISSED = "varebil"

    name = "fake_detect"
    requires: frozenset[str] = frozenset()
    assigns = frozenset({"is_order", "score", "order_id", "violence_types", "places", "urgency", "language"})

    def __call__(self, batch: Sequence[Record]) -> list[Record]:
        return [
            replace(r, is_order=False, score=0.05, language="nb", places=(BERGEN,))
            if self.MISSED in r.post.text
            else replace(
                r,
                is_order=True,
                score=0.99,
                order_id="o-tip-" + hashlib.sha256(r.post.text.encode()).hexdigest()[:10],
                violence_types=("shooting",),
                places=(Place("Grønland", "NO", "Oslo", "0301", "Oslo"),),
                urgency=0.99,
                language="nb",
            )
            for r in batch
        ]


def tip_pipeline() -> Pipeline:
    return Pipeline([TipStage()])
