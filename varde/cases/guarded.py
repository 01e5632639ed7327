"""`Guarded`: what every service over the cases tables shares — transactions, audited refusals, audit events.

`CaseService` (cases), `AccountService` (users, logins, tokens, sessions) and `NetworkService` (the entity graph)
build on it, so a refused attempt is audited the same way whichever service refused it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import Connection
from sqlalchemy.exc import OperationalError

from varde.cases import access, audit
from varde.cases.access import Actor
from varde.errors import AccessDenied, Conflict, NotFound
from varde.store.database import Store

T = TypeVar("T")


class UnknownUser(NotFound):
    """An assignee that does not exist: a typo, not an attempt on something hidden, so not audited as a refusal."""


class Guarded:
    """A service over a `Store`. Stateless apart from the store; safe to share between threads."""

    def __init__(self, store: Store, *, clock: Callable[[], datetime] | None = None) -> None:
        self.store = store
        self._clock = clock or (lambda: datetime.now(UTC))

    def now(self) -> datetime:
        return self._clock()

    @contextmanager
    def _tx(self) -> Iterator[Connection]:
        """A transaction; database lock conflicts become `Conflict` so callers see one clear error."""
        try:
            with self.store.begin() as conn:
                yield conn
        except OperationalError as error:
            text = str(error.orig).lower()
            if "deadlock" in text or "could not serialize" in text or "database is locked" in text:
                raise Conflict(f"a concurrent change got in the way; retry ({error.orig})") from None
            raise

    @contextmanager
    def _refusals_audited(self, actor: Actor, action: str, obj: str) -> Iterator[Connection]:
        """A transaction; if access is refused inside it, the refusal is audited in its own transaction (the refused
        one rolls back)."""
        try:
            with self._tx() as conn:
                yield conn
        except (AccessDenied, NotFound) as error:
            if actor.role in access.ROLE_ACTIONS and not isinstance(
                error, UnknownUser
            ):  # real users only; typos in ids by the system are not attempts
                with self._tx() as conn:
                    self._audit(
                        conn,
                        actor,
                        "access.denied",
                        obj,
                        {"attempted": action, "error": type(error).__name__, "message": str(error)},
                    )
            raise

    def _guarded(self, actor: Actor, action: str, obj: str, work: Callable[[Connection], T]) -> T:
        """Run `work` in a transaction; if access is refused, audit the refusal (in its own transaction)."""
        with self._refusals_audited(actor, action, obj) as conn:
            return work(conn)

    def _require(self, actor: Actor, action: str, obj: str) -> None:
        """`access.require`, auditing a refusal."""
        self._guarded(actor, action, obj, lambda _conn: access.require(actor, action))

    def _audit(self, conn: Connection, actor: Actor, action: str, obj: str, details: dict[str, Any]) -> None:
        audit.append(conn, audit.AuditEntry(actor.name, action, obj, actor.source, details), at=self.now())
