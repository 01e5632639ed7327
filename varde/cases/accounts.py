"""`AccountService`: users, password logins, API tokens and web sessions — who someone is, and proof of it.

Kept apart from `CaseService` (what someone may do to cases): both share `Guarded`'s transactions and audited
refusals, and every account change is audited (`user.add`, `user.password`, `token.issue`, `login.failed`,
`login.locked`, `logout` …).

    accounts = AccountService(Store.open(url), policy=AccountPolicy())
    kari = accounts.actor("kari", source="cli:ops@host")             # trusted operator names the user (CLI)
    kari = accounts.login("kari", password, source="web:10.0.0.7")    # web: password; throttled per user and address
    session_id, csrf = accounts.start_session(kari)                   # the cookie carries session_id
    kari, csrf = accounts.session(session_id, source="web:10.0.0.7")  # None once ended, idle or expired

Sessions are rows (`web_sessions`), not signed cookies, so logout, a password change and deactivation end them at
once (as TheHive, MISP and Aleph keep theirs server-side). Errors: NotFound (no such user or token), AccessDenied
(`Throttled` after too many failed logins), Conflict (name taken), InputError (bad role, district or password)."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.exc import IntegrityError as DBIntegrityError

from varde.cases import access, throttle
from varde.cases.access import Actor
from varde.cases.guarded import Guarded
from varde.cases.users import (
    TOKEN_SCOPES,
    User,
    check_name,
    check_role,
    hash_password,
    new_token,
    parse_token,
    secret_matches,
    valid_scope,
    verify_password,
)
from varde.cases.values import IssuedToken
from varde.errors import AccessDenied, Conflict, InputError, NotFound
from varde.store.case_tables import api_tokens, users, web_sessions
from varde.store.database import Store

PER_USER = throttle.Limit(5, timedelta(minutes=5))
PER_ADDRESS = throttle.Limit(20, timedelta(minutes=5))

# last_seen_at is written at most this often per session, so reading pages does not write on every request.
_TOUCH_EVERY = timedelta(seconds=60)


@dataclass(frozen=True, slots=True)
class AccountPolicy:
    """Session timeouts and login throttling (from `Settings`; these defaults are the settings' defaults)."""

    session_idle: timedelta = timedelta(minutes=60)
    session_lifetime: timedelta = timedelta(hours=8)
    per_user: throttle.Limit = PER_USER
    per_address: throttle.Limit = PER_ADDRESS


@dataclass(frozen=True, slots=True)
class TokenInfo:
    """An API token as listed (never its secret)."""

    id: str
    user: str
    label: str
    scope: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "user": self.user,
            "label": self.label,
            "scope": self.scope,
            "created_at": self.created_at.isoformat(),
            "expires_at": self.expires_at.isoformat() if self.expires_at else None,
            "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
        }


def _session_digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


def _actor(row: Any, name: str, source: str) -> Actor:
    return Actor(name, row.role, frozenset(row.districts or []), source)


class AccountService(Guarded):
    """Users, logins, tokens and sessions over a `Store`. Stateless apart from the store; safe to share."""

    def __init__(
        self,
        store: Store,
        *,
        clock: Callable[[], datetime] | None = None,
        policy: AccountPolicy | None = None,
    ) -> None:
        super().__init__(store, clock=clock)
        self.policy = policy or AccountPolicy()

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
        return _actor(row, row.name, source)

    # --- password login, throttled

    def login(self, name: str, password: str, *, source: str) -> Actor:
        """Check a password; audited as `login` or `login.failed`. Raises AccessDenied on any failure (one message,
        whether the user exists or not), `Throttled` while the user or the source address is locked out (audited as
        `login.throttled`; no password is checked then)."""
        keys = {"user": f"user:{name}", "address": f"addr:{source}"}
        with self._tx() as conn:
            until = throttle.locked_until(conn, list(keys.values()), self.now())
            if until is not None:
                wait = max(1, int((until - self.now()).total_seconds()))
                self._audit(
                    conn, Actor(name, "unknown", source=source), "login.throttled", f"user:{name}", {"wait": wait}
                )
        if until is not None:
            raise throttle.Throttled(f"too many failed logins; try again in {wait} seconds", wait)
        with self.store.engine.connect() as conn:
            row = self._user(conn, name)
        ok = verify_password(row.password_hash if row is not None else None, password)
        ok = ok and row is not None and bool(row.active)
        with self._tx() as conn:
            who = Actor(name, row.role if row is not None else "unknown", source=source)
            self._audit(conn, who, "login" if ok else "login.failed", f"user:{name}", {"method": "password"})
            if ok:
                throttle.clear(conn, keys["user"])
            else:
                for kind, limit in (("user", self.policy.per_user), ("address", self.policy.per_address)):
                    locked = throttle.fail(conn, keys[kind], self.now(), limit)
                    if locked is not None:
                        self._audit(
                            conn, who, "login.locked", f"user:{name}", {"by": kind, "until": locked.isoformat()}
                        )
        if not ok or row is None:
            raise AccessDenied("wrong user name or password")
        return _actor(row, row.name, source)

    # --- web sessions

    def start_session(self, actor: Actor) -> tuple[str, str]:
        """A new session for a logged-in `actor`: (session id for the cookie, the session's CSRF token)."""
        session_id, csrf, now = secrets.token_urlsafe(32), secrets.token_urlsafe(32), self.now()
        with self._tx() as conn:
            conn.execute(
                insert(web_sessions).values(
                    id_sha256=_session_digest(session_id),
                    user_name=actor.name,
                    csrf=csrf,
                    source=actor.source[:256],
                    created_at=now,
                    last_seen_at=now,
                    expires_at=now + self.policy.session_lifetime,
                )
            )
        return session_id, csrf

    def session(self, session_id: str, *, source: str) -> tuple[Actor, str] | None:
        """(actor, CSRF token) of a live session; None when it is unknown, ended, idle too long, past its lifetime,
        or its user is deactivated."""
        if not session_id or len(session_id) > 200:
            return None
        digest, now = _session_digest(session_id), self.now()
        with self.store.engine.connect() as conn:
            row = conn.execute(
                select(web_sessions, users.c.role, users.c.districts, users.c.active)
                .join(users, users.c.name == web_sessions.c.user_name)
                .where(web_sessions.c.id_sha256 == digest)
            ).first()
        if (
            row is None
            or row.ended_at is not None
            or not row.active
            or row.expires_at <= now
            or row.last_seen_at <= now - self.policy.session_idle
        ):
            return None
        if row.last_seen_at <= now - _TOUCH_EVERY:
            with self._tx() as conn:
                conn.execute(update(web_sessions).where(web_sessions.c.id_sha256 == digest).values(last_seen_at=now))
        return _actor(row, row.user_name, source), str(row.csrf)

    def end_session(self, actor: Actor, session_id: str) -> None:
        """Log out: the session ends now (audited as `logout`)."""
        with self._tx() as conn:
            conn.execute(
                update(web_sessions)
                .where(web_sessions.c.id_sha256 == _session_digest(session_id), web_sessions.c.ended_at.is_(None))
                .values(ended_at=self.now(), ended_why="logout")
            )
            self._audit(conn, actor, "logout", f"user:{actor.name}", {})

    def _end_sessions(self, conn: Connection, name: str, why: str) -> int:
        return int(
            conn.execute(
                update(web_sessions)
                .where(web_sessions.c.user_name == name, web_sessions.c.ended_at.is_(None))
                .values(ended_at=self.now(), ended_why=why)
            ).rowcount
        )

    def end_sessions(self, actor: Actor, name: str) -> int:
        """End every session of user `name` (admins, or the user themself); returns how many were live."""
        if actor.name != name:
            self._require(actor, access.USER_ADMIN, f"user:{name}")

        def work(conn: Connection) -> int:
            if self._user(conn, name) is None:
                raise NotFound(f"no user {name!r}")
            ended = self._end_sessions(conn, name, "revoked")
            self._audit(conn, actor, "session.revoke", f"user:{name}", {"sessions": ended})
            return ended

        return self._guarded(actor, access.USER_ADMIN, f"user:{name}", work)

    # --- users

    def add_user(
        self,
        actor: Actor,
        name: str,
        role: str,
        *,
        districts: Sequence[str] = (),
        password: str | None = None,
    ) -> User:
        """Create a user (admins only). Conflict if the name is taken; InputError for a bad role/district or a
        short or common password."""
        self._require(actor, access.USER_ADMIN, f"user:{name}")
        check_name(name)
        wanted = frozenset(districts)
        check_role(role, wanted)
        digest = hash_password(password, name) if password is not None else None

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
        """Set a user's password (admins, or the user themself); every session of the user ends and a login lockout
        of the user is lifted."""
        if actor.name != name:
            self._require(actor, access.USER_ADMIN, f"user:{name}")
        digest = hash_password(password, name)

        def work(conn: Connection) -> None:
            result = conn.execute(update(users).where(users.c.name == name).values(password_hash=digest))
            if result.rowcount == 0:
                raise NotFound(f"no user {name!r}")
            ended = self._end_sessions(conn, name, "password")
            throttle.clear(conn, f"user:{name}")  # a new password lifts a lockout (e.g. one an attacker caused)
            self._audit(conn, actor, "user.password", f"user:{name}", {"sessions_ended": ended})

        self._guarded(actor, access.USER_ADMIN, f"user:{name}", work)

    def set_active(self, actor: Actor, name: str, active: bool) -> None:
        """Deactivate or reactivate a user (admins); deactivation ends their sessions, and their tokens stop
        working while inactive."""
        self._require(actor, access.USER_ADMIN, f"user:{name}")

        def work(conn: Connection) -> None:
            result = conn.execute(update(users).where(users.c.name == name).values(active=active))
            if result.rowcount == 0:
                raise NotFound(f"no user {name!r}")
            ended = 0 if active else self._end_sessions(conn, name, "deactivated")
            action = "user.activate" if active else "user.deactivate"
            self._audit(conn, actor, action, f"user:{name}", {"sessions_ended": ended})

        self._guarded(actor, access.USER_ADMIN, f"user:{name}", work)

    def actors_in_use(self) -> list[Actor]:
        """One stand-in actor per case scope in use: an analyst (all districts), then one per district set of the
        active district-bound users. For warming caches in the background; nothing is read for a user."""
        with self.store.begin() as conn:
            rows = conn.execute(select(users.c.role, users.c.districts).where(users.c.active)).all()
        actors = [Actor("warm-up", access.ANALYST, frozenset(), "system")]
        seen: set[frozenset[str]] = set()
        for role, districts in rows:
            scope = frozenset(districts or ())
            if role in access.DISTRICT_BOUND and scope not in seen:
                seen.add(scope)
                actors.append(Actor("warm-up", role, scope, "system"))
        return actors

    def list_users(self, actor: Actor) -> list[User]:
        self._require(actor, access.USER_ADMIN, "users")
        with self._tx() as conn:
            rows = conn.execute(select(users).order_by(users.c.name)).all()
            self._audit(conn, actor, "user.list", "users", {"count": len(rows)})
        return [User(r.name, r.role, frozenset(r.districts or []), bool(r.active)) for r in rows]

    # --- API tokens

    def authenticate_token(self, token: str, *, source: str, audit_login: bool = True) -> Actor:
        """The actor an API token belongs to; AccessDenied for unknown, revoked or expired tokens. Audited as
        `login` (method token) unless `audit_login` is False (e.g. when the caller audits the request itself)."""
        return self.token_login(token, source=source, audit_login=audit_login)[0]

    def token_login(self, token: str, *, source: str, audit_login: bool = True) -> tuple[Actor, str]:
        """`authenticate_token` plus the token's scope (`read`, `write` or `bank:NAME`)."""
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
        return _actor(row, row.user_name, source), str(row.scope)

    def issue_token(
        self,
        actor: Actor,
        user_name: str,
        *,
        label: str = "",
        expires_at: datetime | None = None,
        scope: str = "write",
    ) -> IssuedToken:
        """A new API token for `user_name` (admins, or the user for themself). The token is returned once."""
        if not valid_scope(scope):
            raise InputError(f"unknown token scope {scope!r}; one of: {', '.join(TOKEN_SCOPES)}, bank:NAME")
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
                    scope=scope,
                )
            )
            details = {
                "token_id": token_id,
                "label": label,
                "scope": scope,
                "expires_at": expires_at.isoformat() if expires_at else None,
            }
            self._audit(conn, actor, "token.issue", f"user:{user_name}", details)
            return IssuedToken(token_id, user_name, token)

        return self._guarded(actor, access.USER_ADMIN, f"user:{user_name}", work)

    def list_tokens(self, actor: Actor, user_name: str | None = None) -> list[TokenInfo]:
        """Tokens (never their secrets), newest first: all or one user's (admins), or the caller's own."""
        if user_name != actor.name:
            self._require(actor, access.USER_ADMIN, f"user:{user_name}" if user_name else "users")
        query = select(api_tokens).order_by(api_tokens.c.created_at.desc(), api_tokens.c.id)
        if user_name is not None:
            query = query.where(api_tokens.c.user_name == user_name)
        with self.store.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [TokenInfo(r.id, r.user_name, r.label, r.scope, r.created_at, r.expires_at, r.revoked_at) for r in rows]

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
