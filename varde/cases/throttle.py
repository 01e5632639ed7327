"""Login throttling: failed password logins counted per key (`user:NAME`, `addr:SOURCE`), and lockouts.

After `limit` failures in a row a key is locked for `lockout`, doubling with each further failure (capped at a
day), as MISP's brute-force protection and the OWASP authentication guidance suggest; while locked, attempts are
refused before any password is hashed, so they cost no argon2 time. A success clears the user's key. Failures older
than `FORGET_AFTER` without a newer one are forgotten."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, select, update

from varde.errors import AccessDenied
from varde.store.case_tables import login_throttle
from varde.store.upsert import insert_ignore

FORGET_AFTER = timedelta(hours=24)
MAX_LOCK = timedelta(hours=24)


class Throttled(AccessDenied):
    """Too many failed logins for this user or address; `retry_after` seconds until the next try (429)."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class Limit:
    """`failures` in a row lock a key for `lockout` (doubling after that)."""

    failures: int
    lockout: timedelta


def lock_for(failures: int, limit: Limit) -> timedelta | None:
    """How long a key with `failures` failures in a row is locked; None below the limit. Pure."""
    if failures < limit.failures:
        return None
    lock: timedelta = limit.lockout * (2 ** min(failures - limit.failures, 20))
    return min(lock, MAX_LOCK)


def locked_until(conn: Connection, keys: list[str], now: datetime) -> datetime | None:
    """The latest lock still running on any of `keys`, or None."""
    rows = conn.execute(select(login_throttle.c.locked_until).where(login_throttle.c.key.in_(keys))).scalars()
    running = [until for until in rows if until is not None and until > now]
    return max(running) if running else None


def fail(conn: Connection, key: str, now: datetime, limit: Limit) -> datetime | None:
    """Count a failure for `key`; returns when its new lock ends, if this failure locks it."""
    insert_ignore(conn, login_throttle, [{"key": key, "failures": 0, "last_failure_at": now}], ["key"])
    row = conn.execute(
        select(login_throttle.c.failures, login_throttle.c.last_failure_at).where(login_throttle.c.key == key)
    ).one()
    failures = 1 if row.failures and row.last_failure_at < now - FORGET_AFTER else int(row.failures) + 1
    lock = lock_for(failures, limit)
    until = now + lock if lock is not None else None
    conn.execute(
        update(login_throttle)
        .where(login_throttle.c.key == key)
        .values(failures=failures, last_failure_at=now, locked_until=until)
    )
    return until


def clear(conn: Connection, key: str) -> None:
    conn.execute(update(login_throttle).where(login_throttle.c.key == key).values(failures=0, locked_until=None))
