"""Vocabulary values and the case page's own messages in bokmål (`varde.terms` through the page's language)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from .conftest import Seeded, login


def test_case_page_and_flash_in_bokmal(app: FastAPI, seeded: Seeded) -> None:
    case_id = seeded.case("o-oslo")
    with TestClient(app, base_url="http://127.0.0.1") as client:
        csrf = login(client, "ana")
        changed = client.post(
            f"/cases/{case_id}/status", data={"status": "uncovered", "reason": "sjekket", "csrf_token": csrf}
        )
        assert changed.status_code == 200
        assert "Status endret." in changed.text and ">avdekket</span>" in changed.text
        assert "skyting" in changed.text and '<option value="prevented">avverget</option>' in changed.text
