"""One change of a case: the checks that need no database, what it does to the case row, and its record.

Pure apart from `raise_conflict` (which reads the current versions to name the case that changed). `CaseService`
applies changes; every applied change leaves exactly one history row and one audit event, both built by `record`
(single changes, batches and merges alike)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, and_, bindparam, select, update

from varde.cases import access, audit, lifecycle
from varde.cases.access import Actor
from varde.cases.intake import PRIORITY_LEVELS
from varde.cases.values import CHANGE_KINDS, CaseChange, jsonable
from varde.errors import Conflict, InputError, InvalidTransition, VardeError
from varde.store.case_tables import cases
from varde.vocab import ALL_DISTRICTS, DISTRICT_COUNTRY


@dataclass(frozen=True, slots=True)
class Change:
    """What one change does to a case row, for the history and the audit log."""

    action: str
    values: dict[str, Any]
    reason: str
    from_state: str | None = None
    to_state: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


def check_version(case_id: int, version: int, state: str, expected: int | None) -> None:
    """A caller that saw an older version gets a Conflict before any rule is checked against the newer state."""
    if expected is not None and version != expected:
        raise Conflict(
            f"case {case_id} was changed by someone else (expected version {expected}, now version {version}, "
            f"state {state!r}); reload and retry"
        )


def require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidTransition("a reason is required for every change of a case")
    return reason


# The access each kind of change needs.
CHANGE_ACTIONS: dict[str, str] = {
    "status": access.CASE_CHANGE,
    "note": access.CASE_CHANGE,
    "priority": access.CASE_CHANGE,
    "assign": access.CASE_ASSIGN,
    "district": access.CASE_DISTRICT,
}

# Case ids per SELECT … IN (…) when a batch reads its cases (well under SQLite's bound-parameter limit).
READ_CHUNK = 500


def located(error: VardeError, change: CaseChange, position: int | None) -> VardeError:
    """`error` with the refused change's origin (else its `position` in the batch) in front, so a batch names which
    of its changes failed."""
    where = change.origin or (f"change {position}" if position is not None else "")
    return type(error)(f"{where}: {error}") if where else error


def check_change(change: CaseChange, position: int | None = None) -> CaseChange:
    """The checks that need no case: kind, reason, value; the change with its reason (a note's text) trimmed."""
    try:
        if change.kind not in CHANGE_KINDS:
            raise InputError(f"unknown change {change.kind!r}; one of: {', '.join(CHANGE_KINDS)}")
        if change.kind == "note":
            text = require_reason(change.value if isinstance(change.value, str) else "")
            return replace(change, value=text, reason=text)
        reason = require_reason(change.reason)
        value = change.value
        if change.kind == "district" and value not in ALL_DISTRICTS:
            raise InputError(f"unknown district {value!r}")
        if change.kind == "priority" and not (isinstance(value, int) and 1 <= value <= PRIORITY_LEVELS):
            raise InputError(f"priority must be 1 … {PRIORITY_LEVELS}")
        if change.kind == "status" and not isinstance(value, str):
            raise InvalidTransition(f"unknown case state {value!r}; states are: {', '.join(lifecycle.STATES)}")
        if change.kind == "assign" and not (value is None or isinstance(value, str)):
            raise InputError(f"assign to a user name (or nobody), not {value!r}")
    except VardeError as error:
        raise located(error, change, position) from None
    return replace(change, reason=reason)


def build_change(actor_name: str, change: CaseChange, row: dict[str, Any], now: datetime) -> Change:
    """What a checked `change` does to the case `row` (as earlier changes left it); InvalidTransition if the
    lifecycle does not allow it. Pure."""
    value = change.value
    if change.kind == "status":
        state = str(value)
        lifecycle.check_transition(change.case_id, row["state"], state)
        return Change("status", {"state": state, "state_changed_at": now}, change.reason, row["state"], state)
    if change.kind == "assign":
        return Change("assign", {"assignee": value}, change.reason, data={"from": row["assignee"], "to": value})
    if change.kind == "priority":
        return Change(
            "priority",
            {"priority": value, "priority_overridden": True},
            change.reason,
            data={"from": int(row["priority"]), "to": value},
        )
    if change.kind == "district":
        return Change(
            "district",
            # The country goes with the district (a district belongs to one country).
            {"district": value, "country": DISTRICT_COUNTRY[str(value)], "district_overridden": True},
            change.reason,
            data={"from": row["district"], "to": value},
        )
    stamp = f"[{now.strftime('%Y-%m-%d %H:%M')} {actor_name}] {change.reason}"
    notes = f"{row['notes']}\n{stamp}" if row["notes"] else stamp
    return Change("note", {"notes": notes}, change.reason)


@lru_cache(maxsize=64)
def update_statement(columns: tuple[str, ...]) -> Any:
    """UPDATE of `columns` (plus version and updated_at) of one case, if it is still at the version it was read at;
    built once per set of columns, executed with one parameter set per case."""
    return (
        update(cases)
        .where(and_(cases.c.id == bindparam("b_id"), cases.c.version == bindparam("b_read_version")))
        .values(version=bindparam("b_version"), updated_at=bindparam("b_updated_at"))
        .values({c: bindparam(f"b_{c}") for c in columns})
    )


def raise_conflict(conn: Connection, read_versions: dict[int, int], case_ids: list[int]) -> None:
    """Name the first case that changed (or went) since the batch read it."""
    now_at = {
        int(r.id): r
        for r in conn.execute(select(cases.c.id, cases.c.version, cases.c.state).where(cases.c.id.in_(case_ids)))
    }
    for case_id in case_ids:
        row = now_at.get(case_id)
        if row is None or int(row.version) != read_versions[case_id]:
            state = f"version {row.version}, state {row.state!r}" if row is not None else "gone"
            raise Conflict(
                f"case {case_id} was changed by someone else (expected version {read_versions[case_id]}, now {state}); "
                "reload and retry"
            )
    raise Conflict(f"cases {case_ids} changed while being written; reload and retry")


def record(
    actor: Actor, case_id: int, change: Change, version: int, now: datetime
) -> tuple[dict[str, Any], audit.AuditEntry]:
    """The history row (for `case_events`) and the audit event of `change` applied to case `case_id`, which it
    brought to `version`. Pure."""
    history = {
        "case_id": case_id,
        "at": now,
        "actor": actor.name,
        "action": change.action,
        "from_state": change.from_state,
        "to_state": change.to_state,
        "reason": change.reason,
        "data": jsonable(change.data),
    }
    entry = audit.AuditEntry(
        actor.name,
        "case.change",
        f"case:{case_id}",
        actor.source,
        {
            "change": change.action,
            "from_state": change.from_state,
            "to_state": change.to_state,
            "reason": change.reason,
            "version": version,
            **jsonable(change.data),
        },
    )
    return history, entry
