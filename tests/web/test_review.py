"""`GET /api/review`: the review band as JSON, with the access rules of `varde review list`."""

from __future__ import annotations

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
