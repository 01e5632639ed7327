"""`varde users disable|enable|passwd|token|tokens|revoke-token|logout` (SQLite and PostgreSQL)."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from varde.cases.accounts import AccountService
from varde.cli import cli
from varde.errors import AccessDenied
from varde.store import Store

GOOD = "long unusual phrase 7"


def run(args: list[str], stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, args, input=stdin)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def db(db_url: str) -> str:
    code, _, err = run(["users", "add", "kari", "--role", "analyst", "--password-stdin", "--db", db_url], GOOD + "\n")
    assert code == 0, err
    return db_url


def test_tokens_show_their_id_expire_and_can_be_revoked(db: str, store: Store) -> None:
    code, out, err = run(["users", "token", "kari", "--scope", "read", "--expires-days", "7", "--db", db])
    assert code == 0, err
    token = out.strip()
    token_id = re.search(r"token id (\w+) for kari: scope read, expires 20", err)
    assert token_id and token.startswith(f"vt_{token_id.group(1)}_")
    accounts = AccountService(store)
    actor, scope = accounts.token_login(token, source="test")
    assert (actor.name, scope) == ("kari", "read")
    code, out, _ = run(["users", "tokens", "kari", "--db", db])
    assert code == 0 and token_id.group(1) in out and "read" in out and token not in out
    assert run(["users", "revoke-token", token_id.group(1), "--db", db])[0] == 0
    with pytest.raises(AccessDenied):
        accounts.token_login(token, source="test")


def test_disable_ends_sessions_and_passwd_changes_the_password(db: str, store: Store) -> None:
    accounts = AccountService(store)
    kari = accounts.login("kari", GOOD, source="web:10.0.0.7")
    session_id, _ = accounts.start_session(kari)
    assert run(["users", "disable", "kari", "--db", db])[0] == 0
    assert accounts.session(session_id, source="web") is None
    with pytest.raises(AccessDenied):
        accounts.login("kari", GOOD, source="web:10.0.0.7")
    assert run(["users", "enable", "kari", "--db", db])[0] == 0
    code, _, err = run(["users", "passwd", "kari", "--password-stdin", "--db", db], "password123\n")
    assert code != 0  # too common
    code, _, err = run(["users", "passwd", "kari", "--password-stdin", "--db", db], "a new long phrase 9\n")
    assert code == 0, err
    assert accounts.login("kari", "a new long phrase 9", source="web:10.0.0.7").name == "kari"
    session_id, _ = accounts.start_session(kari)
    code, out, _ = run(["users", "logout", "kari", "--db", db])
    assert code == 0 and "ended 1 session" in out
    assert accounts.session(session_id, source="web") is None
