"""Where and when a tipster saw a post: the form and its JSON twin take `seen_at` and `seen_url` beside `seen_on`,
keep them in the raw record, refuse a future or unreadable time and a non-web address, and count the tip as the
platform it was seen on in the report facts."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from varde.report.load import load_facts
from varde.store.tables import posts

from .conftest import Seeded

TIP_TEXT = "Betaler 40k for å skade en fyr i Oslo i kveld"


def bearer(seeded: Seeded, name: str) -> dict[str, str]:
    return {"authorization": f"Bearer {seeded.tokens[name]}"}


def stored(seeded: Seeded, post_id: str) -> tuple[dict[str, object], str | None]:
    with seeded.store.engine.connect() as conn:
        row = conn.execute(select(posts.c.raw, posts.c.url).where(posts.c.id == post_id)).one()
    return json.loads(row.raw), row.url


def test_the_api_keeps_where_and_when_a_tip_was_seen(client: TestClient, seeded: Seeded) -> None:
    response = client.post(
        "/api/tips",
        data={
            "text": TIP_TEXT,
            "seen_on": "snapchat",
            "seen_at": "2025-03-01T21:30",  # local time in the installation's zone (Europe/Oslo, UTC+1 in March)
            "seen_url": "https://snap.example/story/abc?x=1",
        },
        headers=bearer(seeded, "olav"),
    )
    assert response.status_code == 201, response.text
    raw, url = stored(seeded, response.json()["post_id"])
    assert raw["seen_on"] == "snapchat"
    assert raw["seen_at"] == "2025-03-01T20:30:00+00:00"
    assert raw["seen_url"] == url == "https://snap.example/story/abc?x=1"
    case = client.get(f"/api/cases/{response.json()['case_id']}", headers=bearer(seeded, "olav")).json()
    [post] = [p for g in case["post_groups"] for p in g["posts"] if p["id"] == response.json()["post_id"]]
    assert (post["seen_on"], post["seen_at"], post["url"]) == ("snapchat", "2025-03-01T20:30:00+00:00", url)
    form = client.get("/api/tips", headers=bearer(seeded, "olav")).json()
    assert {"seen_at", "seen_url"} <= set(form["fields"])


def test_a_tip_seen_on_snapchat_counts_as_snapchat_in_the_report(client: TestClient, seeded: Seeded) -> None:
    seen = client.post(
        "/api/tips", data={"text": TIP_TEXT, "seen_on": "snapchat"}, headers=bearer(seeded, "olav")
    ).json()
    unknown = client.post("/api/tips", data={"text": "Noen som vet hva dette er?"}, headers=bearer(seeded, "ana"))
    with seeded.store.engine.connect() as conn:
        facts = {fact.case_id: fact for fact in load_facts(conn)}
    assert facts[str(seen["case_id"])].platforms >= {"snapchat"}
    assert "tip" not in facts[str(seen["case_id"])].platforms
    assert facts[str(unknown.json()["case_id"])].platforms == {"tip"}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("seen_at", "2999-01-01T12:00"),
        ("seen_at", "last tuesday"),
        ("seen_at", "2025-02-30T10:00"),
        ("seen_url", "javascript:alert(1)"),
        ("seen_url", "ftp://files.example/x"),
        ("seen_url", '"><script>alert(1)</script>'),
        ("seen_url", 'https://a.example/"><script>alert(1)</script>'),
        ("seen_url", "https://"),
    ],
)
def test_a_bad_time_or_address_is_refused_naming_the_field(
    client: TestClient, seeded: Seeded, field: str, value: str
) -> None:
    response = client.post("/api/tips", data={"text": TIP_TEXT, field: value}, headers=bearer(seeded, "olav"))
    assert response.status_code == 400, response.text
    assert field in response.json()["detail"]


def test_an_overlong_address_is_refused(client: TestClient, seeded: Seeded) -> None:
    url = "https://a.example/" + "x" * 2_000
    response = client.post("/api/tips", data={"text": TIP_TEXT, "seen_url": url}, headers=bearer(seeded, "olav"))
    assert response.status_code in {400, 422}


def test_the_form_takes_the_fields_and_the_case_page_shows_the_address_as_text(
    client: TestClient, seeded: Seeded, login_as: Callable[[str], str]
) -> None:
    csrf = login_as("olav")
    page = client.get("/tips/new").text
    assert 'name="seen_at"' in page and 'name="seen_url"' in page
    bad = client.post("/tips", data={"text": TIP_TEXT, "seen_url": "javascript:alert(1)", "csrf_token": csrf})
    assert bad.status_code == 400 and "seen_url" in bad.text
    url = "https://snap.example/s?a=1&b=<2>"  # refused: angle brackets
    assert client.post("/tips", data={"text": TIP_TEXT, "seen_url": url, "csrf_token": csrf}).status_code == 400
    url = "https://snap.example/s?a=1&b=2'onmouseover=x"
    done = client.post(
        "/tips",
        data={
            "text": TIP_TEXT,
            "seen_on": "snapchat",
            "seen_at": "2025-03-01T21:30",
            "seen_url": url,
            "csrf_token": csrf,
        },
    )
    assert done.status_code == 200, done.text
    case_id = int(done.text.split("/cases/")[1].split('"')[0])
    html = client.get(f"/cases/{case_id}").text
    assert "https://snap.example/s?a=1&amp;b=2&#39;onmouseover=x" in html
    assert f'href="{url}' not in html and 'onmouseover=x"' not in html
    # Local time in the installation's zone (Europe/Oslo), as every time on the page.
    assert re.search(r"seen by the tipster on snapchat [^<]*21:30", html), html
