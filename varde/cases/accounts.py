"""`AccountService`: users, password logins, API tokens and web sessions — who someone is, and proof of it.

Kept apart from `CaseService` (what someone may do to cases): both share `Guarded`'s transactions and audited
refusals, and every account change is audited (`user.add`, `user.password`, `token.issue`, `login.failed` …).

    accounts = AccountService(Store.open(url))
    kari = accounts.actor("kari", source="cli:ops@host")          # trusted operator names the user (CLI)
    kari = accounts.login("kari", password, source="web:10.0.0.7")  # web: password (audited as a login)

Errors: NotFound (no such user or token), AccessDenied, Conflict (name taken), ConfigError (bad role, district or
password)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.exc import IntegrityError as DBIntegrityError

from varde.cases import access
from varde.cases.access import Actor
from varde.cases.guarded import Guarded
from varde.cases.users import (
    User,
    check_name,
    check_role,
    hash_password,
    new_token,
    parse_token,
    secret_matches,
    verify_password,
)
from varde.cases.values import IssuedToken
from varde.errors import AccessDenied, Conflict, NotFound
from varde.store.case_tables import api_tokens, users


class AccountService(Guarded):
    """Users, logins and tokens over a `Store`. Stateless apart from the store; safe to share between threads."""

    def _user(self, conn: Connection, name: str) -> Any:
        return conn.execute(select(users).where(users.c.name == name)).first()

    def actor(self, name: str, *, source: str = "cli") -> Actor:
        """The actor for a user named by a trusted operator (the CLI's `--as`). NotFound / AccessDenied (inactive)."""
        with self.store.engine.connect() as conn:
            row = self._user(conn, name)
        if row is None:
            raise NotFound(f"no user {name!r} (add one with: varde users add {name} --role ROLE)")
        if not row.active:
            raise AccessDenied(f"user {name!r} is deactivated")
        return Actor(row.name, row.role, frozenset(row.districts or []), source)

    def login(self, name: str, password: str, *, source: str) -> Actor:
        """Check a password; audited as `login` or `login.failed`. Raises AccessDenied on any failure (one message,
        whether the user exists or not)."""
        with self.store.engine.connect() as conn:
            row = self._user(conn, name)
        ok = verify_password(row.password_hash if row is not None else None, password)
        ok = ok and row is not None and bool(row.active)
        with self._tx() as conn:
            self._audit(
                conn,
                Actor(name, row.role if row is not None else "unknown", source=source),
                "login" if ok else "login.failed",
                f"user:{name}",
                {"method": "password"},
            )
        if not ok or row is None:
            raise AccessDenied("wrong user name or password")
        return Actor(row.name, row.role, frozenset(row.districts or []), source)

    def authenticate_token(self, token: str, *, source: str, audit_login: bool = True) -> Actor:
        """The actor an API token belongs to; AccessDenied for unknown, revoked or expired tokens. Audited as
        `login` (method token) unless `audit_login` is False (e.g. when the caller audits the request itself)."""
        parsed = parse_token(token)
        row = None
        if parsed is not None:
            with self.store.engine.connect() as conn:
                row = conn.execute(
                    select(api_tokens, users.c.role, users.c.districts, users.c.active)
                    .join(users, users.c.name == api_tokens.c.user_name)
                    .where(api_tokens.c.id == parsed[0])
                ).first()
        now = self.now()
        ok = (
            parsed is not None
            and row is not None
            and secret_matches(row.secret_sha256, parsed[1])
            and row.revoked_at is None
            and (row.expires_at is None or row.expires_at > now)
            and bool(row.active)
        )
        if audit_login or not ok:
            name = row.user_name if row is not None else "unknown"
            with self._tx() as conn:
                self._audit(
                    conn,
                    Actor(name, row.role if row is not None else "unknown", source=source),
                    "login" if ok else "login.failed",
                    f"user:{name}",
                    {"method": "token", "token_id": parsed[0] if parsed else None},
                )
        if not ok or row is None:
            raise AccessDenied("invalid, revoked or expired API token")
        return Actor(row.user_name, row.role, frozenset(row.districts or []), source)

    def add_user(
        self,
        actor: Actor,
        name: str,
        role: str,
        *,
        districts: Sequence[str] = (),
        password: str | None = None,
    ) -> User:
        """Create a user (admins only). Conflict if the name is taken; ConfigError for a bad role/district."""
        self._require(actor, access.USER_ADMIN, f"user:{name}")
        check_name(name)
        wanted = frozenset(districts)
        check_role(role, wanted)
        digest = hash_password(password) if password is not None else None

        def work(conn: Connection) -> User:
            if self._user(conn, name) is not None:
                raise Conflict(f"user {name!r} exists already")
            try:
                conn.execute(
                    insert(users).values(
                        name=name,
                        role=role,
                        districts=sorted(wanted),
                        password_hash=digest,
                        active=True,
                        created_at=self.now(),
                    )
                )
            except DBIntegrityError:
                raise Conflict(f"user {name!r} exists already") from None
            self._audit(conn, actor, "user.add", f"user:{name}", {"role": role, "districts": sorted(wanted)})
            return User(name, role, wanted, True)

        return self._guarded(actor, access.USER_ADMIN, f"user:{name}", work)

    def set_password(self, actor: Actor, name: str, password: str) -> None:
        """Set a user's password (admins, or the user themself)."""
        if actor.name != name:
            self._require(actor, access.USER_ADMIN, f"user:{name}")
        digest = hash_password(password)

        def work(conn: Connection) -> None:
            result = conn.execute(update(users).where(users.c.name == name).values(password_hash=digest))
            if result.rowcount == 0:
                raise NotFound(f"no user {name!r}")
            self._audit(conn, actor, "user.password", f"user:{name}", {})

        self._guarded(actor, access.USER_ADMIN, f"user:{name}", work)

    def set_active(self, actor: Actor, name: str, active: bool) -> None:
        """Deactivate or reactivate a user (admins); their tokens stop working while inactive."""
        self._require(actor, access.USER_ADMIN, f"user:{name}")

        def work(conn: Connection) -> None:
            result = conn.execute(update(users).where(users.c.name == name).values(active=active))
            if result.rowcount == 0:
                raise NotFound(f"no user {name!r}")
            self._audit(conn, actor, "user.activate" if active else "user.deactivate", f"user:{name}", {})

        self._guarded(actor, access.USER_ADMIN, f"user:{name}", work)

    def list_users(self, actor: Actor) -> list[User]:
        self._require(actor, access.USER_ADMIN, "users")
        with self._tx() as conn:
            rows = conn.execute(select(users).order_by(users.c.name)).all()
            self._audit(conn, actor, "user.list", "users", {"count": len(rows)})
        return [User(r.name, r.role, frozenset(r.districts or []), bool(r.active)) for r in rows]

    def issue_token(
        self, actor: Actor, user_name: str, *, label: str = "", expires_at: datetime | None = None
    ) -> IssuedToken:
        """A new API token for `user_name` (admins, or the user for themself). The token is returned once."""
        if actor.name != user_name:
            self._require(actor, access.USER_ADMIN, f"user:{user_name}")
        token_id, token, digest = new_token()

        def work(conn: Connection) -> IssuedToken:
            if self._user(conn, user_name) is None:
                raise NotFound(f"no user {user_name!r}")
            conn.execute(
                insert(api_tokens).values(
                    id=token_id,
                    user_name=user_name,
                    secret_sha256=digest,
                    label=label,
                    created_at=self.now(),
                    expires_at=expires_at,
                    revoked_at=None,
                )
            )
            self._audit(conn, actor, "token.issue", f"user:{user_name}", {"token_id": token_id, "label": label})
            return IssuedToken(token_id, user_name, token)

        return self._guarded(actor, access.USER_ADMIN, f"user:{user_name}", work)

    def revoke_token(self, actor: Actor, token_id: str) -> None:
        """Revoke a token (admins, or its owner)."""

        def work(conn: Connection) -> None:
            row = conn.execute(select(api_tokens.c.user_name).where(api_tokens.c.id == token_id)).first()
            if row is None:
                raise NotFound(f"no token {token_id!r}")
            if row.user_name != actor.name:
                access.require(actor, access.USER_ADMIN)
            conn.execute(update(api_tokens).where(api_tokens.c.id == token_id).values(revoked_at=self.now()))
            self._audit(conn, actor, "token.revoke", f"user:{row.user_name}", {"token_id": token_id})

        self._guarded(actor, access.USER_ADMIN, f"token:{token_id}", work)
