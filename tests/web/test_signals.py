"""The platform feed of a signal bank: a token scoped to one bank reads that bank (ETag, `since`/cursor paging)
and nothing else; other tokens and other banks are refused."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.web.conftest import OPERATOR, Seeded
from varde.cases.accounts import AccountService
from varde.signals.formats import read_lines
from varde.signals.service import SignalService
from varde.store.case_tables import audit_events

LINES = [
    json.dumps({"signal_type": "pdq", "signal": f"{i:02x}" * 32, "content_id": f"c-{i}", "violence_types": ["arson"]})
    for i in range(3)
]


def setup_banks(seeded: Seeded) -> tuple[str, str]:
    """Two banks; returns a token scoped to `politiet-no` and a supervisor's ordinary read token."""
    accounts = AccountService(seeded.store)
    service = SignalService(seeded.store)
    sig = accounts.actor("sig", source="test")
    service.import_signals(sig, "politiet-no", read_lines(LINES))
    service.import_signals(sig, "other", read_lines(LINES[:1]))
    accounts.add_user(OPERATOR, "platform-x", "analyst")
    bank_token = accounts.issue_token(OPERATOR, "platform-x", scope="bank:politiet-no").token
    read_token = accounts.issue_token(OPERATOR, "sig", scope="read").token
    return bank_token, read_token


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def test_a_bank_token_pages_its_bank_with_etags(seeded: Seeded, client: TestClient) -> None:
    token, _ = setup_banks(seeded)
    first = client.get("/api/signals/banks/politiet-no?limit=2", headers=bearer(token))
    assert first.status_code == 200, first.text
    body = first.json()
    assert [s["content_id"] for s in body["signals"]] == ["c-0", "c-1"]
    assert body["signals"][0]["violence_types"] == ["arson"] and body["next_after"] is not None
    again = client.get(
        "/api/signals/banks/politiet-no?limit=2", headers={**bearer(token), "if-none-match": first.headers["etag"]}
    )
    assert again.status_code == 304
    rest = client.get(f"/api/signals/banks/politiet-no?limit=2&after={body['next_after']}", headers=bearer(token))
    assert [s["content_id"] for s in rest.json()["signals"]] == ["c-2"] and rest.json()["next_after"] is None
    later = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    assert client.get(f"/api/signals/banks/politiet-no?since={later}", headers=bearer(token)).json()["signals"] == []
    with seeded.store.engine.connect() as conn:
        pulls = conn.execute(select(audit_events.c.actor).where(audit_events.c.action == "signal.feed")).all()
    assert [p.actor for p in pulls] == ["platform-x"] * 4


def test_a_bank_token_opens_nothing_else(seeded: Seeded, client: TestClient) -> None:
    token, read_token = setup_banks(seeded)
    assert client.get("/api/signals/banks/other", headers=bearer(token)).status_code == 403
    assert client.get("/api/queue", headers=bearer(token)).status_code == 401
    assert client.get("/api/queue", headers=bearer(read_token)).status_code == 200  # the same call, another token
    assert client.get("/api/signals/banks/politiet-no", headers=bearer(read_token)).status_code == 403
    assert client.get("/api/signals/banks/politiet-no").status_code == 401
    assert client.get("/api/signals/banks/politiet-no", headers=bearer("vt_nope_nope")).status_code == 401
    assert client.post("/api/signals/banks/politiet-no", headers=bearer(token)).status_code in (401, 405)
