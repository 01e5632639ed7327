"""Accounts hardening at the service: server-side sessions that end, login throttling, common passwords, token
scopes — on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from varde.cases import users as user_rules
from varde.cases.access import Actor
from varde.cases.accounts import AccountPolicy, AccountService
from varde.cases.throttle import Limit, Throttled, lock_for
from varde.errors import AccessDenied, InputError
from varde.store import Store

from .conftest import OPERATOR, Clock

GOOD = "long unusual phrase 7"


@pytest.fixture
def kari(accounts: AccountService) -> Actor:
    accounts.add_user(OPERATOR, "kari", "investigator", districts=["Oslo"], password=GOOD)
    return accounts.login("kari", GOOD, source="web:10.0.0.7")


def actions(store: Store, prefix: str) -> list[str]:
    with store.engine.connect() as conn:
        return list(
            conn.execute(
                sa.text("SELECT action FROM audit_events WHERE action LIKE :p ORDER BY seq"), {"p": prefix + "%"}
            ).scalars()
        )


def test_a_session_ends_at_logout(accounts: AccountService, kari: Actor) -> None:
    session_id, csrf = accounts.start_session(kari)
    live = accounts.session(session_id, source="web:10.0.0.7")
    assert live is not None and live[0].name == "kari" and live[1] == csrf
    accounts.end_session(kari, session_id)
    assert accounts.session(session_id, source="web:10.0.0.7") is None
    assert accounts.session("made-up", source="web:10.0.0.7") is None


def test_sessions_store_only_a_hash_of_their_id(accounts: AccountService, kari: Actor, store: Store) -> None:
    session_id, _ = accounts.start_session(kari)
    with store.engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT id_sha256 FROM web_sessions")).scalar_one()
    assert session_id not in stored and len(stored) == 64


def test_password_change_and_deactivation_end_every_session(
    accounts: AccountService, kari: Actor, users: dict[str, Actor]
) -> None:
    first, _ = accounts.start_session(kari)
    second, _ = accounts.start_session(kari)
    accounts.set_password(kari, "kari", "another unusual phrase 8")
    assert accounts.session(first, source="web") is None and accounts.session(second, source="web") is None
    third, _ = accounts.start_session(kari)
    accounts.set_active(users["adm"], "kari", False)
    assert accounts.session(third, source="web") is None
    accounts.set_active(users["adm"], "kari", True)
    assert accounts.session(third, source="web") is None  # reactivation does not bring old sessions back


def test_sessions_time_out_when_idle_and_after_their_lifetime(store: Store, clock: Clock) -> None:
    policy = AccountPolicy(session_idle=timedelta(minutes=30), session_lifetime=timedelta(hours=8))
    accounts = AccountService(store, clock=clock, policy=policy)
    accounts.add_user(OPERATOR, "kari", "analyst")
    kari = accounts.actor("kari", source="web")
    idle, _ = accounts.start_session(kari)
    clock.advance(minutes=31)
    assert accounts.session(idle, source="web") is None
    busy, _ = accounts.start_session(kari)
    for _ in range(8 * 3):  # used every 20 minutes: never idle, but the shift ends
        clock.advance(minutes=20)
        alive = accounts.session(busy, source="web") is not None
    assert not alive
    clock.now -= timedelta(minutes=21)
    assert accounts.session(busy, source="web") is not None


def test_admins_revoke_sessions(accounts: AccountService, kari: Actor, users: dict[str, Actor]) -> None:
    session_id, _ = accounts.start_session(kari)
    with pytest.raises(AccessDenied):
        accounts.end_sessions(users["ana"], "kari")
    assert accounts.end_sessions(users["adm"], "kari") == 1
    assert accounts.session(session_id, source="web") is None


def test_wrong_passwords_lock_the_user_out_then_back_off(
    accounts: AccountService, kari: Actor, store: Store, clock: Clock
) -> None:
    for attempt in range(5):
        with pytest.raises(AccessDenied, match="wrong user name or password"):
            accounts.login("kari", f"guess {attempt}", source="web:10.0.0.66")
    with pytest.raises(Throttled) as locked:
        accounts.login("kari", GOOD, source="web:10.0.0.7")  # even the right password, from anywhere
    assert 290 <= locked.value.retry_after <= 300
    clock.advance(seconds=301)
    with pytest.raises(AccessDenied):
        accounts.login("kari", "guess 6", source="web:10.0.0.66")
    with pytest.raises(Throttled) as longer:
        accounts.login("kari", GOOD, source="web:10.0.0.7")
    assert longer.value.retry_after > 590  # doubled
    clock.advance(seconds=601)
    assert accounts.login("kari", GOOD, source="web:10.0.0.7").name == "kari"
    assert "login.locked" in actions(store, "login.") and "login.throttled" in actions(store, "login.")
    with pytest.raises(AccessDenied, match="wrong"):  # a success cleared the count
        accounts.login("kari", "guess 7", source="web:10.0.0.66")
    assert accounts.login("kari", GOOD, source="web:10.0.0.7").name == "kari"


def test_a_new_password_lifts_a_lockout(accounts: AccountService, kari: Actor, users: dict[str, Actor]) -> None:
    for attempt in range(5):
        with pytest.raises(AccessDenied):
            accounts.login("kari", f"guess {attempt}", source="web:10.0.0.66")
    with pytest.raises(Throttled):
        accounts.login("kari", GOOD, source="web:10.0.0.7")
    accounts.set_password(users["adm"], "kari", "a fresh long phrase 3")
    assert accounts.login("kari", "a fresh long phrase 3", source="web:10.0.0.7").name == "kari"


def test_one_address_trying_many_names_is_locked_out(store: Store, clock: Clock) -> None:
    policy = AccountPolicy(per_address=Limit(3, timedelta(minutes=5)))
    accounts = AccountService(store, clock=clock, policy=policy)
    accounts.add_user(OPERATOR, "kari", "analyst", password=GOOD)
    for name in ("a1", "a2", "a3"):
        with pytest.raises(AccessDenied, match="wrong"):
            accounts.login(name, "x", source="web:10.6.6.6")
    with pytest.raises(Throttled):
        accounts.login("kari", GOOD, source="web:10.6.6.6")
    assert accounts.login("kari", GOOD, source="web:10.0.0.7").name == "kari"


def test_lockouts_double_and_are_capped() -> None:
    limit = Limit(5, timedelta(minutes=5))
    assert lock_for(4, limit) is None
    assert [lock_for(n, limit) for n in (5, 6, 7)] == [timedelta(minutes=m) for m in (5, 10, 20)]
    assert lock_for(100, limit) == timedelta(hours=24)


def test_common_passwords_and_the_user_name_are_refused(accounts: AccountService, kari: Actor) -> None:
    for weak in ("password1", "Passord123", "qwertyuiop", "12345678", "Sommer2025"):
        with pytest.raises(InputError, match="too common"):
            accounts.add_user(OPERATOR, "x", "analyst", password=weak)
    with pytest.raises(InputError, match="too common"):
        accounts.set_password(kari, "kari", "kari-is-my-name")
    assert len(user_rules.common_passwords()) > 500


def test_password_hashing_runs_at_most_two_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """60 concurrent logins must not run 60 argon2 hashes (64 MiB each) at once."""
    running = 0
    peak = 0
    lock = threading.Lock()

    class CountingHasher:
        def verify(self, digest: str, password: str) -> bool:
            nonlocal running, peak
            with lock:
                running += 1
                peak = max(peak, running)
            time.sleep(0.05)
            with lock:
                running -= 1
            return False

    monkeypatch.setattr(user_rules, "_HASHER", CountingHasher())
    threads = [threading.Thread(target=user_rules.verify_password, args=("$argon2id$x", "y")) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert peak == user_rules.HASHING_SLOTS == 2


def test_tokens_have_a_scope_and_are_listed_without_secrets(
    accounts: AccountService, users: dict[str, Actor], clock: Clock
) -> None:
    issued = accounts.issue_token(users["adm"], "ana", label="report", scope="read")
    actor, scope = accounts.token_login(issued.token, source="api")
    assert (actor.name, scope) == ("ana", "read")
    with pytest.raises(InputError, match="scope"):
        accounts.issue_token(users["adm"], "ana", scope="admin")
    listed = accounts.list_tokens(users["adm"], "ana")
    assert [(t.id, t.scope, t.label) for t in listed] == [(issued.id, "read", "report")]
    assert issued.token not in str([t.to_dict() for t in listed])
    with pytest.raises(AccessDenied):
        accounts.list_tokens(users["ana"])
    assert [t.id for t in accounts.list_tokens(users["ana"], "ana")] == [issued.id]
