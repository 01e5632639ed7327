"""A small hand-made set of cases whose figures are worked out by hand in the tests (see the comments)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from varde.report.facts import CaseFact

AS_OF = datetime(2025, 12, 1, tzinfo=UTC)


def at(month: int, day: int, hour: int = 0, year: int = 2025) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def fact(case_id: str, status: str, first: datetime, **fields: object) -> CaseFact:
    values: dict[str, object] = {
        "case_id": case_id,
        "order_id": "o-" + case_id,
        "status": status,
        "country": "NO",
        "district": "Oslo",
        "violence_types": frozenset(),
        "platforms": frozenset({"telegram"}),
        "networks": frozenset(),
        "sources": frozenset({"monitoring"}),
        "n_posts": 1,
        "first_post_at": first,
        "detected_at": first + timedelta(hours=1),
    }
    values.update(fields)
    return CaseFact(**values)  # type: ignore[arg-type]


def h(base: datetime, hours: float) -> datetime:
    return base + timedelta(hours=hours)


@pytest.fixture
def hand_facts() -> list[CaseFact]:
    """Ten cases around 2025Q3 (Oslo time). Expected 2025Q3 figures, all cases by hand:

    raw ads 8 (A3 B2 C1 F1 J1; D dismissed, E merged, G in Q2, H in 2024, I in Q4 by Oslo time),
    unique orders 5 (A B C F J), uncovered 3 (A B, and G uncovered in Q3 though first posted in Q2),
    prevented 1 (A), executed 1 (F, never uncovered), dismissed 1 (D)."""
    a, b, c = at(7, 1, 10), at(7, 10, 8), at(8, 5, 12)
    f, g, j = at(9, 10), at(6, 20), at(7, 15)
    return [
        fact(
            "A",
            "prevented",
            a,
            n_posts=3,
            detected_at=h(a, 2),
            uncovered_at=h(a, 10),
            prevented_at=h(a, 34),
            sources=frozenset({"monitoring", "tip"}),
            violence_types=frozenset({"shooting"}),
            networks=frozenset({"Foxtrot"}),
            when_start=at(7, 3, 10),
        ),
        fact(
            "B",
            "uncovered",
            b,
            n_posts=2,
            detected_at=h(b, 4),
            uncovered_at=h(b, 20),
            violence_types=frozenset({"shooting", "explosion"}),
            platforms=frozenset({"telegram", "snapchat"}),
            when_start=at(7, 10, 18),
        ),
        fact(
            "C",
            "detected",
            c,
            district="Øst",
            detected_at=h(c, 1),
            sources=frozenset({"tip"}),
            platforms=frozenset({"snapchat"}),
            when_start=at(8, 6, 12),
        ),
        fact("D", "dismissed", at(8, 20), district="Øst", n_posts=5, dismissed_at=at(8, 22)),
        fact("E", "merged", at(9, 1), n_posts=4),
        fact(
            "F",
            "executed",
            f,
            country="SE",
            district="Stockholm",
            detected_at=h(f, 6),
            executed_at=at(9, 12),
            sources=frozenset({"partner"}),
            networks=frozenset({"Rumba"}),
        ),
        fact(
            "G", "uncovered", g, n_posts=2, uncovered_at=at(7, 2), sources=frozenset({"monitoring", "platform_report"})
        ),
        fact("H", "uncovered", at(8, 1, year=2024), uncovered_at=at(8, 2, year=2024)),
        fact("I", "prevented", at(9, 30, 22), district="Vest", prevented_at=at(10, 2)),
        fact("J", "detected", j, country="DK", district=None, detected_at=h(j, 3)),
    ]
