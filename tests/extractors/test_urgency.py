from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from varde.extractors import compute_urgency
from varde.posts import Post
from varde.records import Contact, Place, Record, Target, TextView, When

CREATED = datetime.fromisoformat("2025-09-10T14:00:00+02:00")


def _record(
    text: str = "jobb",
    hours: float | None = None,
    types: tuple[str, ...] = (),
    target: bool = False,
    place: str | None = None,
    contact: bool = False,
) -> Record:
    post = Post(id="t:1", platform="telegram", text=text, created_at=CREATED)
    when = None
    if hours is not None:
        start = CREATED + timedelta(hours=hours)
        when = When("x", start, start + timedelta(hours=2))
    places: tuple[Place, ...] = ()
    if place == "municipality":
        places = (Place("Oslo", "NO", "Oslo", "0301", "Oslo"),)
    elif place == "region":
        places = (Place("Skåne", "SE", None, None, "Syd"),)
    return Record(
        post=post,
        view=TextView.identity(text),
        is_order=True,
        violence_types=types,
        when=when,
        places=places,
        target=Target("en kar", "person") if target else None,
        contacts=(Contact("telegram", "@x_jobb"),) if contact else (),
    )


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        (_record(hours=4, types=("shooting",), target=True, place="municipality", contact=True), 0.965),
        (_record(hours=4, types=("murder",), target=True, place="municipality", contact=True), 1.0),
        (_record(contact=True), 0.245),
        (_record(), 0.195),
        (_record(text="asap!"), 0.42),
        (_record(hours=48, types=("arson",)), 0.6225),
        (_record(hours=24 * 5, types=("threat",), place="region"), 0.44),
        (_record(hours=24 * 30, types=("vandalism",), contact=True), 0.29),
    ],
)
def test_urgency_formula(record: Record, expected: float) -> None:
    assert compute_urgency(record) == pytest.approx(expected, abs=1e-4)


def test_sooner_and_graver_is_more_urgent() -> None:
    soon = compute_urgency(_record(hours=3, types=("assault",)))
    later = compute_urgency(_record(hours=24 * 10, types=("assault",)))
    graver = compute_urgency(_record(hours=3, types=("explosion",)))
    assert later < soon < graver
    assert later >= 0.0 and graver <= 1.0
