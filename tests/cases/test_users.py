from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from varde.cases.access import Actor
from varde.cases.accounts import AccountService
from varde.cases.users import parse_token, verify_password
from varde.errors import AccessDenied, Conflict, InputError, NotFound
from varde.store import Store

from .conftest import OPERATOR, Clock


def test_password_login_is_checked_hashed_and_audited(accounts: AccountService, store: Store) -> None:
    accounts.add_user(OPERATOR, "kari", "investigator", districts=["Oslo"], password="correct horse")
    with store.engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT password_hash FROM users WHERE name = 'kari'")).scalar_one()
    assert stored.startswith("$argon2id$") and "correct horse" not in stored
    assert verify_password(stored, "correct horse")
    actor = accounts.login("kari", "correct horse", source="web:10.0.0.7")
    assert (actor.name, actor.role, actor.districts, actor.source) == (
        "kari",
        "investigator",
        frozenset({"Oslo"}),
        "web:10.0.0.7",
    )
    with pytest.raises(AccessDenied, match="wrong user name or password"):
        accounts.login("kari", "wrong", source="web:10.0.0.8")
    with pytest.raises(AccessDenied, match="wrong user name or password"):
        accounts.login("nobody", "whatever", source="web:10.0.0.9")
    with store.engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT actor, action, source FROM audit_events WHERE action LIKE 'login%' ORDER BY seq")
        ).all()
    assert [tuple(r) for r in rows] == [
        ("kari", "login", "web:10.0.0.7"),
        ("kari", "login.failed", "web:10.0.0.8"),
        ("nobody", "login.failed", "web:10.0.0.9"),
    ]


def test_user_rules(accounts: AccountService) -> None:
    with pytest.raises(InputError, match="district"):
        accounts.add_user(OPERATOR, "inv", "investigator")
    with pytest.raises(InputError, match="unknown role"):
        accounts.add_user(OPERATOR, "x", "boss")
    with pytest.raises(InputError, match="unknown district"):
        accounts.add_user(OPERATOR, "x", "investigator", districts=["Atlantis"])
    with pytest.raises(InputError, match="too short"):
        accounts.add_user(OPERATOR, "x", "analyst", password="short")
    accounts.add_user(OPERATOR, "x", "analyst")
    with pytest.raises(Conflict):
        accounts.add_user(OPERATOR, "x", "analyst")
    with pytest.raises(NotFound):
        accounts.actor("nobody")


def test_tokens_authenticate_until_revoked_or_expired(
    accounts: AccountService, users: dict[str, Actor], clock: Clock
) -> None:
    issued = accounts.issue_token(users["adm"], "vera", label="script")
    assert parse_token(issued.token) is not None
    actor = accounts.authenticate_token(issued.token, source="api:10.0.0.5")
    assert (actor.name, actor.role, actor.districts) == ("vera", "investigator", frozenset({"Vest"}))
    with pytest.raises(AccessDenied):
        accounts.authenticate_token(issued.token[:-2] + "xx", source="api")
    with pytest.raises(AccessDenied):
        accounts.authenticate_token("garbage", source="api")
    accounts.revoke_token(users["vera"], issued.id)  # owners may revoke their own
    with pytest.raises(AccessDenied):
        accounts.authenticate_token(issued.token, source="api")
    short = accounts.issue_token(users["vera"], "vera", expires_at=clock.now + timedelta(hours=1))
    assert accounts.authenticate_token(short.token, source="api").name == "vera"
    clock.advance(hours=2)
    with pytest.raises(AccessDenied):
        accounts.authenticate_token(short.token, source="api")
    with pytest.raises(AccessDenied):
        accounts.issue_token(users["vera"], "ana")  # only admins issue tokens for others


def test_deactivated_users_cannot_act(accounts: AccountService, users: dict[str, Actor]) -> None:
    token = accounts.issue_token(users["adm"], "ana")
    accounts.set_active(users["adm"], "ana", False)
    with pytest.raises(AccessDenied):
        accounts.actor("ana")
    with pytest.raises(AccessDenied):
        accounts.authenticate_token(token.token, source="api")
