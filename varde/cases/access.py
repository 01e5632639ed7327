"""Who may do what: the one place the access rules live. `CaseService` calls `require` before every action and
`case_scope` to restrict every case query, so the CLI, the API and the pages all obey the same rules.

| role         | cases seen          | may change | assign, merge, district | audit log | users | tip contacts |
|--------------|---------------------|------------|-------------------------|-----------|-------|--------------|
| analyst      | all                 | yes        | district only           | no        | no    | no           |
| investigator | own district(s)     | yes (own)  | no                      | no        | no    | no           |
| supervisor   | all                 | yes        | yes                     | no        | no    | yes          |
| auditor      | none                | no         | no                      | read      | no    | no           |
| admin        | none                | no         | no                      | no        | yes   | no           |

Detector models (`varde model …`): analysts and supervisors read the registry and run backtests (`model.read`); only
supervisors promote, roll back, set the shadow model and re-score open cases (`model.admin`).

Signal banks (`varde.signals`): analysts and supervisors list them; only supervisors create, fill, import and
export them.

A case a user may not see is reported as not found, so its existence does not leak."""

from __future__ import annotations

from dataclasses import dataclass

from varde.errors import AccessDenied, NotFound

ANALYST = "analyst"
INVESTIGATOR = "investigator"
SUPERVISOR = "supervisor"
AUDITOR = "auditor"
ADMIN = "admin"

# Actions on cases (checked together with the case's district) and elsewhere.
CASE_READ = "case.read"  # list, search, show
CASE_CHANGE = "case.change"  # status, note, priority
CASE_EXPORT = "case.export"
CASE_ASSIGN = "case.assign"
CASE_MERGE = "case.merge"
CASE_DISTRICT = "case.district"
CASE_PURGE = "case.purge"
AUDIT_READ = "audit.read"
USER_ADMIN = "user.admin"
TIP_CONTACT_READ = "tip.read"
TIP_CONTACT_WRITE = "tip.write"
MODEL_READ = "model.read"  # the registry, backtests, the shadow comparison
MODEL_ADMIN = "model.admin"  # promote, roll back, shadow, re-score open cases
SIGNAL_READ = "signal.read"  # list banks
SIGNAL_MANAGE = "signal.manage"  # create banks, collect signals from confirmed cases, import
SIGNAL_EXPORT = "signal.export"  # hand signals to platforms and partners

CASE_ACTIONS = frozenset({CASE_READ, CASE_CHANGE, CASE_EXPORT, CASE_ASSIGN, CASE_MERGE, CASE_DISTRICT})

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    ANALYST: frozenset(
        {CASE_READ, CASE_CHANGE, CASE_EXPORT, CASE_DISTRICT, TIP_CONTACT_WRITE, MODEL_READ, SIGNAL_READ}
    ),
    INVESTIGATOR: frozenset({CASE_READ, CASE_CHANGE, CASE_EXPORT, TIP_CONTACT_WRITE}),
    SUPERVISOR: frozenset(
        {
            CASE_READ,
            CASE_CHANGE,
            CASE_EXPORT,
            CASE_ASSIGN,
            CASE_MERGE,
            CASE_DISTRICT,
            CASE_PURGE,
            TIP_CONTACT_READ,
            TIP_CONTACT_WRITE,
            MODEL_READ,
            MODEL_ADMIN,
            SIGNAL_READ,
            SIGNAL_MANAGE,
            SIGNAL_EXPORT,
        }
    ),
    AUDITOR: frozenset({AUDIT_READ}),
    ADMIN: frozenset({USER_ADMIN}),
}

# Roles that see only the cases of their own districts.
DISTRICT_BOUND = frozenset({INVESTIGATOR})


@dataclass(frozen=True, slots=True)
class Actor:
    """The user an action is done as, and from where (`cli:kari@host`, `web:10.0.0.7`, `system`)."""

    name: str
    role: str
    districts: frozenset[str] = frozenset()
    source: str = "cli"


SYSTEM = Actor("system", "system", frozenset(), "system")


def may(actor: Actor, action: str) -> bool:
    """Whether the role allows `action` at all (for cases, before looking at the district)."""
    return action in ROLE_ACTIONS.get(actor.role, frozenset())


def may_on_case(actor: Actor, action: str, district: str | None) -> bool:
    """Whether `actor` may do `action` to a case in `district`."""
    if not may(actor, action):
        return False
    if actor.role in DISTRICT_BOUND:
        return district is not None and district in actor.districts
    return True


def case_scope(actor: Actor) -> frozenset[str] | None:
    """The districts whose cases `actor` may see: None for all; empty for none. Raises for roles without cases."""
    require(actor, CASE_READ)
    return actor.districts if actor.role in DISTRICT_BOUND else None


def require(actor: Actor, action: str) -> None:
    """Raise AccessDenied unless the role allows `action`."""
    if not may(actor, action):
        raise AccessDenied(f"user {actor.name!r} ({actor.role}) may not {_verb(action)}")


def require_on_case(actor: Actor, action: str, case_id: int, district: str | None) -> None:
    """Raise NotFound for a case the actor may not even see, AccessDenied for one they see but may not change."""
    if not may_on_case(actor, CASE_READ, district):
        if may(actor, CASE_READ):
            raise NotFound(f"no case {case_id}")
        raise AccessDenied(f"user {actor.name!r} ({actor.role}) may not {_verb(CASE_READ)}")
    if not may_on_case(actor, action, district):
        raise AccessDenied(f"user {actor.name!r} ({actor.role}) may not {_verb(action)} (case {case_id})")


def _verb(action: str) -> str:
    return {
        CASE_READ: "read cases",
        CASE_CHANGE: "change cases",
        CASE_EXPORT: "export cases",
        CASE_ASSIGN: "assign cases",
        CASE_MERGE: "merge cases",
        CASE_DISTRICT: "change a case's district",
        CASE_PURGE: "purge cases",
        AUDIT_READ: "read the audit log",
        USER_ADMIN: "manage users",
        TIP_CONTACT_READ: "read tip contacts",
        TIP_CONTACT_WRITE: "store tip contacts",
        MODEL_READ: "read the model registry",
        MODEL_ADMIN: "change the active or shadow model",
        SIGNAL_READ: "list signal banks",
        SIGNAL_MANAGE: "manage signal banks",
        SIGNAL_EXPORT: "export signals",
    }.get(action, action)
