"""The scan summary counts flagged posts per district, each district with its country."""

from __future__ import annotations

from datetime import UTC, datetime

from varde.posts import Post
from varde.records import Place, Record
from varde.summary import RunSummary


def _order(post_id: str, *places: Place) -> Record:
    post = Post(id=post_id, platform="telegram", text="jobb", created_at=datetime(2025, 9, 14, tzinfo=UTC))
    return Record(post=post, is_order=True, order_id=f"o-{post_id}", places=places)


def test_districts_of_two_countries_with_the_same_name_stay_apart() -> None:
    summary = RunSummary()
    summary.add(_order("1", Place("Sarpsborg", "NO", "Sarpsborg", "3105", "Øst")))
    summary.add(_order("2", Place("Linköping", "SE", "Linköping", "0580", "Öst")))
    summary.add(_order("3", Place("Sverige", "SE"), Place("Oslo", "NO", "Oslo", "0301", "Oslo")))
    summary.add(_order("4"))
    assert summary.by_district == {"Øst (NO)": 1, "Öst (SE)": 1, "Oslo (NO)": 1, "unknown": 1}
