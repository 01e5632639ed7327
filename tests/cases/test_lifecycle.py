from __future__ import annotations

import pytest

from varde.cases.lifecycle import STATES, TRANSITIONS, allowed_next, check_transition
from varde.errors import InvalidTransition
from varde.vocab import CASE_STATES

LEGAL = [
    ("detected", "uncovered"),
    ("detected", "dismissed"),
    ("uncovered", "prevented"),
    ("uncovered", "executed"),
    ("uncovered", "dismissed"),
]
ILLEGAL = [
    ("detected", "prevented"),
    ("detected", "executed"),
    ("uncovered", "detected"),
    ("prevented", "uncovered"),
    ("executed", "prevented"),
    ("dismissed", "uncovered"),
    ("merged", "detected"),
    ("detected", "detected"),
]


@pytest.mark.parametrize(("current", "target"), LEGAL)
def test_legal_transitions_pass(current: str, target: str) -> None:
    check_transition(1, current, target)


@pytest.mark.parametrize(("current", "target"), ILLEGAL)
def test_illegal_transitions_fail_naming_both_states(current: str, target: str) -> None:
    with pytest.raises(InvalidTransition) as caught:
        check_transition(7, current, target)
    assert "case 7" in str(caught.value)
    assert current in str(caught.value)


@pytest.mark.parametrize("current", [s for s in STATES if s != "merged"])
def test_any_state_but_merged_may_be_merged(current: str) -> None:
    check_transition(1, current, "merged", merging=True)


def test_merged_needs_a_merge_and_is_final() -> None:
    with pytest.raises(InvalidTransition, match="merge"):
        check_transition(1, "detected", "merged")
    with pytest.raises(InvalidTransition):
        check_transition(1, "merged", "merged", merging=True)
    assert allowed_next("merged") == ()


def test_error_says_what_is_allowed() -> None:
    with pytest.raises(InvalidTransition, match=r"from 'detected' it may go to: uncovered, dismissed"):
        check_transition(3, "detected", "prevented")
    with pytest.raises(InvalidTransition, match="unknown case state"):
        check_transition(3, "detected", "solved")


def test_table_covers_every_state() -> None:
    assert set(TRANSITIONS) == set(STATES)
    assert all(target in STATES for targets in TRANSITIONS.values() for target in targets)


def test_the_lifecycle_and_the_vocabulary_name_the_same_states() -> None:
    assert set(STATES) == set(CASE_STATES) == set(TRANSITIONS)


def test_every_kind_of_change_needs_a_known_access() -> None:
    from varde.cases.changes import CHANGE_ACTIONS
    from varde.cases.values import CHANGE_KINDS

    assert set(CHANGE_ACTIONS) == set(CHANGE_KINDS)
