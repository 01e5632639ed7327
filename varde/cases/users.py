"""Users, argon2 password hashes and API tokens (pure helpers; the service stores and audits them).

A token reads `vt_<id>_<secret>`: `id` finds the row, and only the SHA-256 of the 32-byte random `secret` is stored
(a slow hash adds nothing for random secrets and would slow every API call)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from varde.errors import InputError
from varde.vocab import ALL_DISTRICTS, ROLES

TOKEN_PREFIX = "vt_"
_HASHER = PasswordHasher()


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


def check_name(name: str) -> None:
    if not name or len(name) > 128 or not all(c.isalnum() or c in "._-@" for c in name):
        raise InputError(f"invalid user name {name!r}: use letters, digits and . _ - @ (at most 128)")


def hash_password(password: str) -> str:
    if len(password) < 8:
        raise InputError("password too short: use at least 8 characters")
    return _HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when `password` matches; False for a wrong password, no password set, or a malformed hash."""
    if not password_hash:
        _HASHER.hash("timing equaliser")  # the same cost whether or not the user exists
        return False
    try:
        return _HASHER.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


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
