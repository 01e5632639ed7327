"""`POST /api/posts/{id}/label`: the JSON twin of `varde label`, with the same access rules."""

from __future__ import annotations

from fastapi.testclient import TestClient

from varde.cases.accounts import AccountService
from varde.cases.verdicts import VerdictService

from .conftest import Seeded


def _label(client: TestClient, token: str, post_id: str, body: dict[str, object]) -> tuple[int, object]:
    response = client.post(f"/api/posts/{post_id}/label", json=body, headers={"authorization": f"Bearer {token}"})
    return response.status_code, response.json()


def test_label_a_post_through_the_api(client: TestClient, seeded: Seeded) -> None:
    body = {"is_order": True, "violence_types": ["shooting"], "district": "Oslo", "reason": "a price"}
    code, answer = _label(client, seeded.tokens["olav"], "telegram:foxchan:1", body)
    assert code == 200 and isinstance(answer, dict)
    assert (answer["post_id"], answer["user"], answer["is_order"]) == ("telegram:foxchan:1", "olav", True)
    # Vest's investigator may not label an Oslo post, and learns nothing of it.
    code, _ = _label(client, seeded.tokens["vera"], "telegram:foxchan:1", {"is_order": False, "reason": "no"})
    assert code == 404
    code, _ = _label(client, seeded.tokens["aud"], "telegram:foxchan:1", {"is_order": False, "reason": "no"})
    assert code == 403
    code, _ = _label(
        client,
        seeded.tokens["ana"],
        "telegram:foxchan:1",
        {"is_order": False, "violence_types": ["arson"], "reason": "x"},
    )
    assert code in (400, 422)
    code, _ = _label(client, seeded.tokens["ana"], "telegram:foxchan:1", {"is_order": False, "reason": ""})
    assert code == 422
    supervisor = AccountService(seeded.store).actor("sig", source="test")
    history = VerdictService(seeded.store).history(supervisor)
    assert [(v.post_id, v.user_name, v.violence_types) for v in history] == [
        ("telegram:foxchan:1", "olav", ("shooting",))
    ]
