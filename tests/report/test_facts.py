from __future__ import annotations

from datetime import datetime

import pytest

from varde.report.facts import CaseFact, fact_from_dict, fact_to_dict, visible_facts


def test_round_trip_through_dict(hand_facts: list[CaseFact]) -> None:
    for fact in hand_facts:
        assert fact_from_dict(fact_to_dict(fact)) == fact


def test_invalid_facts_are_refused(hand_facts: list[CaseFact]) -> None:
    data = fact_to_dict(hand_facts[0])
    with pytest.raises(ValueError, match="status"):
        fact_from_dict({**data, "status": "solved"})
    with pytest.raises(ValueError, match="sources"):
        fact_from_dict({**data, "sources": ["rumour"]})
    with pytest.raises(ValueError, match="timezone"):
        fact_from_dict({**data, "first_post_at": datetime(2025, 7, 1).isoformat()})


def test_visible_facts_respect_districts(hand_facts: list[CaseFact]) -> None:
    assert visible_facts(hand_facts, None) == hand_facts
    assert {f.case_id for f in visible_facts(hand_facts, ["Øst"])} == {"C", "D"}
    assert visible_facts(hand_facts, []) == []
