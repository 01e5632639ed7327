"""`GET /api/review`: the review band as JSON, with the access rules of `varde review list`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

from fastapi.testclient import TestClient

from varde.store.database import save_records

from .conftest import Seeded, order_record


def _review(client: TestClient, token: str, query: str = "") -> tuple[int, object]:
    response = client.get(f"/api/review{query}", headers={"authorization": f"Bearer {token}"})
    return response.status_code, response.json()


def test_the_review_band_through_the_api(client: TestClient, seeded: Seeded) -> None:
    now = datetime.now(UTC)
    possible = [
        replace(
            order_record(post_id, "-", "Jobb i kveld?", now, district=district, urgency=0.2),
            is_order=False,
            order_id=None,
        )
        for post_id, district in (("telegram:maybe:1", "Oslo"), ("telegram:maybe:2", "Vest"))
    ]
    with seeded.store.begin() as conn:
        save_records(conn, [replace(r, band="possible", score=0.6) for r in possible], now=now)
    code, answer = _review(client, seeded.tokens["ana"])
    assert code == 200 and isinstance(answer, dict)
    assert sorted(item["id"] for item in answer["items"]) == ["telegram:maybe:1", "telegram:maybe:2"]
    code, answer = _review(client, seeded.tokens["ana"], "?district=Vest")
    assert code == 200 and isinstance(answer, dict) and [i["id"] for i in answer["items"]] == ["telegram:maybe:2"]
    code, answer = _review(client, seeded.tokens["olav"])
    assert code == 200 and isinstance(answer, dict) and [i["id"] for i in answer["items"]] == ["telegram:maybe:1"]
    code, _ = _review(client, seeded.tokens["aud"])
    assert code == 403


def test_the_review_page_lists_the_band_as_a_queue_of_its_own(
    client: TestClient, seeded: Seeded, login_as: Callable[[str], str]
) -> None:
    now = datetime.now(UTC)
    hostile = 'Jobb i kveld? <script>alert("x")</script>'
    possible = [
        replace(
            order_record(post_id, "-", text, now, district=district, urgency=0.2),
            is_order=False,
            order_id=None,
        )
        for post_id, text, district in (
            ("telegram:maybe:1", hostile, "Oslo"),
            ("telegram:maybe:2", "Noen ledige i helgen? DM", "Vest"),
        )
    ]
    with seeded.store.begin() as conn:
        save_records(conn, [replace(r, band="possible", score=0.42) for r in possible], now=now)
    first = client.get("/review", follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"].startswith("/login?next=")
    login_as("ana")
    page = client.get("/review")
    assert page.status_code == 200
    assert 'data-post="telegram:maybe:1"' in page.text and 'data-post="telegram:maybe:2"' in page.text
    assert "<script>alert" not in page.text and "&lt;script&gt;alert" in page.text  # post text is escaped
    assert "Possible orders to review" in page.text and 'href="/review" aria-current="page"' in page.text
    assert "2 posts to review" in page.text
    vest = client.get("/review?district=Vest")
    assert 'data-post="telegram:maybe:2"' in vest.text and 'data-post="telegram:maybe:1"' not in vest.text
    assert "1 post to review" in vest.text
    assert "Mulige bestillinger til gjennomgang" in client.get("/review?lang=nb").text
    client.cookies.clear()
    login_as("olav")  # an investigator in Oslo sees the posts filed under Oslo only
    olav = client.get("/review?lang=en")
    assert 'data-post="telegram:maybe:1"' in olav.text and 'data-post="telegram:maybe:2"' not in olav.text
    client.cookies.clear()
    login_as("aud")
    assert client.get("/review").status_code == 403
