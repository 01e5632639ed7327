"""The errors Varde raises, one tree so callers can catch what they can handle.

    VardeError
    ├── InputError            bad user input: an unreadable file or stream, a wrong argument or form field
    │   └── InvalidPost       one input record is malformed (names the field)
    ├── ConfigError           configuration is wrong: settings, shipped data files, a missing extra
    ├── ModelError            the shipped detection model is missing or stale
    ├── StoreError            the database refused or failed
    │   ├── NotFound          no such case/post/user
    │   └── Conflict          a concurrent change won, retry
    ├── AccessDenied          the acting user's role or district does not allow this
    ├── InvalidTransition     a case state change that the lifecycle does not allow
    └── IntegrityError        an audit chain or evidence bundle failed verification

Edges map them to exit codes (`EXIT_CODES`) and HTTP statuses; the domain only raises them.
"""

from __future__ import annotations


class VardeError(Exception):
    """Base of every error Varde raises on purpose."""


class InputError(VardeError):
    """Bad user input: a file or stream could not be read, or an argument, form field or change is wrong (exit code
    2, HTTP 400)."""


class InvalidPost(InputError):
    """One input record is malformed; `field` names the offending field (None when the record itself is wrong)."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class ConfigError(VardeError):
    """The configuration is wrong: settings, shipped data files, a missing optional dependency (exit code 3)."""


class ModelError(VardeError):
    """The detection model is missing, unreadable or stale."""


class StoreError(VardeError):
    """The database refused or failed."""


class NotFound(StoreError):
    """No such object (or none the user may see)."""


class Conflict(StoreError):
    """Somebody else changed the same object first."""


class AccessDenied(VardeError):
    """The acting user may not do this."""


class InvalidTransition(VardeError):
    """The case lifecycle does not allow this state change."""


class IntegrityError(VardeError):
    """A hash chain or evidence bundle does not verify."""


EXIT_CODES: dict[type[VardeError], int] = {
    InputError: 2,
    ConfigError: 3,
    ModelError: 3,
    StoreError: 4,
    NotFound: 4,
    Conflict: 5,
    AccessDenied: 6,
    InvalidTransition: 7,
    IntegrityError: 8,
}


def exit_code(error: VardeError) -> int:
    """The process exit code for an error (the most specific class that has one)."""
    for cls in type(error).__mro__:
        if cls in EXIT_CODES:
            return EXIT_CODES[cls]
    return 1
