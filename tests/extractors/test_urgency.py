from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

import pytest

from varde.extractors import assess_urgency, compute_urgency
from varde.extractors.urgency import IMMINENT, LATER, SOON, TIME_PASSED, UNDATED
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


def test_an_order_whose_time_has_passed_leaves_the_imminent_band() -> None:
    record = _record(hours=4, types=("shooting",), target=True, place="municipality", contact=True)
    assert record.when is not None
    fresh = assess_urgency(record, now=CREATED)
    assert fresh.score == pytest.approx(0.965)
    assert fresh.band == IMMINENT
    later = record.when.end + timedelta(days=487)
    stale = assess_urgency(record, now=later)
    assert stale.band == TIME_PASSED and stale.time_passed
    assert stale.score == pytest.approx(0.35 * 0.9 + 0.20 * 1.0)  # no imminence left
    assert compute_urgency(record, now=later) == stale.score < fresh.score
    # Undated orders rank above those whose time is over, all else equal.
    undated = dataclasses.replace(record, when=None)
    assert compute_urgency(undated, now=later) > stale.score


def test_an_open_window_is_imminent_and_bands_follow_the_time_left() -> None:
    record = _record(hours=1)
    assert record.when is not None
    inside = record.when.start + timedelta(minutes=30)
    assert assess_urgency(record, now=inside).band == IMMINENT
    assert assess_urgency(_record(hours=48)).band == SOON
    assert assess_urgency(_record(hours=24 * 30)).band == LATER
    assert assess_urgency(_record()).band == UNDATED
    # Without `now` the post's own time is the reference, as before.
    assert compute_urgency(_record(hours=4)) == compute_urgency(_record(hours=4), now=CREATED)


def test_a_when_before_the_post_itself_counts_as_passed() -> None:
    assert assess_urgency(_record(hours=-48)).band == TIME_PASSED
