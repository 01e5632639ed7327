"""The case lifecycle of CONTRACT §3 as a table: which state may follow which.

    detected ──► uncovered ──► prevented
        │            ├───────► executed
        └────────────┴───────► dismissed
    any state except merged ──► merged (only through a merge, which names the surviving case)

`prevented`, `executed`, `dismissed` and `merged` are final: the police statistics count cases by these states, so
a case does not leave them (a wrong `dismissed` is corrected by opening the evidence in a new case)."""

from __future__ import annotations

from varde.errors import InvalidTransition

DETECTED = "detected"
UNCOVERED = "uncovered"
PREVENTED = "prevented"
EXECUTED = "executed"
DISMISSED = "dismissed"
MERGED = "merged"

STATES: tuple[str, ...] = (DETECTED, UNCOVERED, PREVENTED, EXECUTED, DISMISSED, MERGED)

TRANSITIONS: dict[str, frozenset[str]] = {
    DETECTED: frozenset({UNCOVERED, DISMISSED, MERGED}),
    UNCOVERED: frozenset({PREVENTED, EXECUTED, DISMISSED, MERGED}),
    PREVENTED: frozenset({MERGED}),
    EXECUTED: frozenset({MERGED}),
    DISMISSED: frozenset({MERGED}),
    MERGED: frozenset(),
}

FINAL: frozenset[str] = frozenset({PREVENTED, EXECUTED, DISMISSED, MERGED})


def allowed_next(state: str) -> tuple[str, ...]:
    """The states a case in `state` may move to, in lifecycle order."""
    return tuple(s for s in STATES if s in TRANSITIONS.get(state, frozenset()))


def check_transition(case_id: int, current: str, target: str, *, merging: bool = False) -> None:
    """Raise `InvalidTransition` unless the lifecycle lets case `case_id` go from `current` to `target`.

    `merged` is reached only through a merge (`merging=True`), because it must name the surviving case."""
    if target not in TRANSITIONS:
        raise InvalidTransition(f"unknown case state {target!r}; states are: {', '.join(STATES)}")
    if target == MERGED and not merging:
        raise InvalidTransition(f"case {case_id}: use a merge (naming the case it duplicates) to mark it merged")
    if current == target:
        raise InvalidTransition(f"case {case_id} is already {current!r}")
    if target not in TRANSITIONS.get(current, frozenset()):
        options = [s for s in allowed_next(current) if s != MERGED or merging]
        hint = f"from {current!r} it may go to: {', '.join(options)}" if options else f"{current!r} is final"
        raise InvalidTransition(f"case {case_id}: cannot go from {current!r} to {target!r}; {hint}")
