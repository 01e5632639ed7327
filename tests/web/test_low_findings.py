"""Low findings: a tip does not reveal another district's hidden order; huge ids are 404/422, not 500; bidi
controls are made visible in notes, reasons, extracted fields and tip contacts, not only in post text."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from varde.store import Store

from .conftest import Seeded, make_app, seed

RLO = "\u202e"


def bearer(seeded: Seeded, name: str) -> dict[str, str]:
    return {"authorization": f"Bearer {seeded.tokens[name]}"}


def test_a_tip_does_not_reveal_the_order_of_another_districts_case(client: TestClient, seeded: Seeded) -> None:
    text = {"text": "Betaler 40k for en jobb på Grønland i natt, DM @tipjobb"}
    first = client.post("/api/tips", data=text, headers=bearer(seeded, "ana")).json()
    assert first["order_id"] and first["case_id"]  # the stand-in detector puts it in Oslo
    hidden = client.post("/api/tips", data=text, headers=bearer(seeded, "vera"))  # Vest investigator, same order
    assert hidden.status_code == 201
    assert hidden.json()["case_id"] is None and hidden.json()["order_id"] is None
    assert first["order_id"] not in hidden.text


def test_huge_and_negative_case_ids_are_not_found(client: TestClient, seeded: Seeded) -> None:
    ana = bearer(seeded, "ana")
    for case_id in ("99999999999999999999", "9223372036854775808", "2147483648", "-1", "0"):
        response = client.get(f"/api/cases/{case_id}", headers=ana)
        assert response.status_code in (404, 422), (case_id, response.status_code)
        posted = client.post(f"/api/cases/{case_id}/notes", json={"text": "x"}, headers=ana)
        assert posted.status_code in (404, 422), (case_id, posted.status_code)
    merge = client.post(
        f"/api/cases/{seeded.case('o-oslo')}/merge",
        json={"into": 99999999999999999999, "reason": "x"},
        headers=bearer(seeded, "sig"),
    )
    assert merge.status_code in (404, 422)


def test_bidi_controls_are_visible_in_notes_reasons_and_contacts(
    client: TestClient, seeded: Seeded, login_as: Callable[[str], str]
) -> None:
    sig = bearer(seeded, "sig")
    case = seeded.case("o-oslo")
    assert client.post(f"/api/cases/{case}/notes", json={"text": f"note {RLO}gnp.exe"}, headers=sig).status_code == 200
    changed = client.post(
        f"/api/cases/{case}/status", json={"status": "uncovered", "reason": f"why {RLO}fdp.exe"}, headers=sig
    )
    assert changed.status_code == 200
    tip = client.post("/api/tips", data={"text": "Betaler 30k for jobb i Oslo", "contact": f"tlf {RLO}99"}, headers=sig)
    login_as("sig")
    page = client.get(f"/cases/{case}").text + client.get(f"/cases/{tip.json()['case_id']}").text
    assert RLO not in page
    assert "[U+202E]gnp.exe" in page and "[U+202E]fdp.exe" in page and "[U+202E]99" in page


@pytest.mark.postgres
def test_a_nul_character_is_a_bad_request_on_postgres(postgres_url: str, tmp_path: Path) -> None:
    store = Store.open(postgres_url)
    try:
        seeded = seed(store, hostile=False)
        with TestClient(make_app(store, tmp_path), base_url="http://127.0.0.1") as client:
            sig = bearer(seeded, "sig")
            note = client.post(f"/api/cases/{seeded.case('o-oslo')}/notes", json={"text": "a\x00b"}, headers=sig)
            assert note.status_code == 400
            assert client.get("/api/queue", params={"district": "a\x00b"}, headers=sig).status_code in (200, 400)
            assert client.get(f"/api/cases/{99999999999999999999}", headers=sig).status_code in (404, 422)
    finally:
        store.close()
