"""Users, argon2 password hashes and API tokens (pure helpers; the service stores and audits them).

A token reads `vt_<id>_<secret>`: `id` finds the row, and only the SHA-256 of the 32-byte random `secret` is stored
(a slow hash adds nothing for random secrets and would slow every API call). A token's scope is `read` (GET only),
`write` (everything its user may do) or `bank:NAME` (only the feed of signal bank NAME, for a platform; see
`varde.signals.service`).

argon2 takes 64 MiB and tens of milliseconds per hash on purpose; at most `HASHING_SLOTS` run at once, so a burst of
logins queues here instead of taking the server's memory and CPU from everyone else."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
from dataclasses import dataclass
from functools import cache
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from varde.errors import AccessDenied, InputError
from varde.vocab import ALL_DISTRICTS, ROLES

TOKEN_PREFIX = "vt_"
TOKEN_SCOPES = ("read", "write")
BANK_SCOPE_PREFIX = "bank:"
_BANK_SCOPE = re.compile(r"^bank:[a-z0-9][a-z0-9_.-]{0,63}$")
MIN_PASSWORD = 8
HASHING_SLOTS = 2
HASHING_WAIT_SECONDS = 20.0
_HASHER = PasswordHasher()
_HASHING = threading.BoundedSemaphore(HASHING_SLOTS)


class HashingBusy(AccessDenied):
    """Too many password checks queued: refuse rather than wait without end (the web answers 429)."""

    retry_after = 5


@dataclass(frozen=True, slots=True)
class User:
    """A user as stored: name, role, districts (investigators), whether active."""

    name: str
    role: str
    districts: frozenset[str]
    active: bool = True


def check_role(role: str, districts: frozenset[str]) -> None:
    """Raise InputError for an unknown role or district, or an investigator without a district."""
    if role not in ROLES:
        raise InputError(f"unknown role {role!r}; roles are: {', '.join(ROLES)}")
    unknown = sorted(d for d in districts if d not in ALL_DISTRICTS)
    if unknown:
        raise InputError(f"unknown district(s) {', '.join(map(repr, unknown))}; see districts in vocab.yaml")
    if role == "investigator" and not districts:
        raise InputError("an investigator needs at least one --district")


def valid_scope(scope: str) -> bool:
    """`read`, `write` or `bank:NAME`."""
    return scope in TOKEN_SCOPES or bool(_BANK_SCOPE.match(scope))


def check_name(name: str) -> None:
    if not name or len(name) > 128 or not all(c.isalnum() or c in "._-@" for c in name):
        raise InputError(f"invalid user name {name!r}: use letters, digits and . _ - @ (at most 128)")


@cache
def common_passwords() -> frozenset[str]:
    """The deny-list shipped in data/common_passwords.txt (lower case)."""
    text = resources.files("varde.cases").joinpath("data/common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def check_password(password: str, user_name: str = "") -> None:
    """Raise InputError for a password that is too short, very common, or the user's own name."""
    if len(password) < MIN_PASSWORD:
        raise InputError(f"password too short: use at least {MIN_PASSWORD} characters")
    lowered = password.lower()
    if lowered in common_passwords() or (user_name and user_name.lower() in lowered):
        raise InputError("password too common or contains the user name: choose another")


def _hashing_slot() -> threading.BoundedSemaphore:
    if not _HASHING.acquire(timeout=HASHING_WAIT_SECONDS):
        raise HashingBusy("the server is busy checking passwords; try again in a few seconds")
    return _HASHING


def hash_password(password: str, user_name: str = "") -> str:
    check_password(password, user_name)
    slot = _hashing_slot()
    try:
        return _HASHER.hash(password)
    finally:
        slot.release()


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when `password` matches; False for a wrong password, no password set, or a malformed hash."""
    slot = _hashing_slot()
    try:
        if not password_hash:
            _HASHER.hash("timing equaliser")  # the same cost whether or not the user exists
            return False
        try:
            return _HASHER.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False
    finally:
        slot.release()


def new_token() -> tuple[str, str, str]:
    """A fresh token: (token id, full token to hand out once, SHA-256 of its secret to store)."""
    token_id = secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    return token_id, f"{TOKEN_PREFIX}{token_id}_{secret}", secret_digest(secret)


def parse_token(token: str) -> tuple[str, str] | None:
    """(token id, secret) of a well-formed token, else None."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    token_id, sep, secret = token[len(TOKEN_PREFIX) :].partition("_")
    if not sep or not token_id or not secret:
        return None
    return token_id, secret


def secret_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def secret_matches(stored_digest: str, secret: str) -> bool:
    return hmac.compare_digest(stored_digest, secret_digest(secret))
