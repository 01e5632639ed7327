"""Same/not-same judgements only on entities the actor may see (role and district), refusals audited; through the
service, the JSON API and the CLI (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from fastapi.testclient import TestClient

from varde.cli import cli
from varde.errors import AccessDenied, NotFound
from varde.network.service import NetworkService
from varde.settings import Settings
from varde.store import Store
from varde.store.network_tables import entity_links
from varde.web import create_app

from .test_service import OPERATOR, actor, store  # noqa: F401  (the seeded store fixture)


def links(opened: Store) -> int:
    with opened.engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(entity_links)).scalar_one())


def denied(opened: Store, user: str) -> list[str]:
    with opened.engine.connect() as conn:
        return list(
            conn.execute(
                sa.text("SELECT object FROM audit_events WHERE action = 'access.denied' AND actor = :u ORDER BY seq"),
                {"u": user},
            ).scalars()
        )


def test_judgements_need_entities_the_actor_may_see(store: Store) -> None:  # noqa: F811
    service = NetworkService(store)
    inv, aud = actor(store, "inv"), actor(store, "aud")
    with pytest.raises(NotFound):  # another district's backman
        service.link(inv, "acct:telegram:vest_boss", "acct:telegram:vestjobb", same=True, reason="looks alike")
    with pytest.raises(NotFound):  # made up
        service.link(inv, "acct:x:kro_jobb", "acct:x:nobody_at_all", same=True, reason="guess")
    with pytest.raises(AccessDenied):
        service.link(aud, "acct:x:kro_jobb", "acct:telegram:krojobb", same=True, reason="auditors do not judge")
    assert links(store) == 0
    assert len(denied(store, "inv")) == 2
    stored = service.link(inv, "acct:x:kro_jobb", "acct:telegram:krojobb", same=False, reason="own district")
    assert stored.judgement == "not_same" and links(store) == 1
    assert service.link(actor(store, "ana"), "acct:telegram:vest_boss", "acct:telegram:vestjobb", same=True, reason="r")


def test_the_api_and_the_cli_refuse_hidden_entities(store: Store, tmp_path: Path) -> None:  # noqa: F811
    from varde.cases.accounts import AccountService

    url = store.engine.url.render_as_string(hide_password=False)
    token = AccountService(store).issue_token(OPERATOR, "inv").token
    app = create_app(Settings(database_url=url), store=store, secure_cookies=False, media_dir=str(tmp_path))
    with TestClient(app) as http:
        body = {"a": "acct:telegram:vest_boss", "b": "acct:telegram:vestjobb", "same": True, "reason": "x"}
        refused = http.post("/api/network/link", json=body, headers={"authorization": f"Bearer {token}"})
        assert refused.status_code == 404
    result = CliRunner().invoke(
        cli,
        [
            "network",
            "link",
            "acct:telegram:vest_boss",
            "acct:telegram:vestjobb",
            "--same",
            "--reason",
            "x",
            "--as",
            "inv",
            "--db",
            url,
        ],
    )
    assert result.exit_code != 0 and isinstance(result.exception, NotFound)
    assert links(store) == 0
