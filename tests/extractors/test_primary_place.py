"""The primary place: one place per record, from which country, municipality and district come together."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from varde.extractors.gazetteer import load_gazetteer
from varde.extractors.places import extract_places
from varde.records import Place, choose_primary_place
from varde.vocab import DISTRICT_COUNTRY

ENTRIES = sorted(
    {entry for bucket in load_gazetteer().by_key.values() for entry in bucket},
    key=lambda e: (e.country, e.name, e.municipality or ""),
)
PLACES = [Place(e.name, e.country, e.municipality, e.code, e.district) for e in ENTRIES]


def test_every_gazetteer_district_belongs_to_its_country() -> None:
    wrong = [
        (e.name, e.country, e.district) for e in ENTRIES if e.district and DISTRICT_COUNTRY[e.district] != e.country
    ]
    assert wrong == []


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PLACES), max_size=6))
def test_the_primary_district_belongs_to_the_primary_country(places: list[Place]) -> None:
    primary = choose_primary_place(places)
    if primary is None:
        assert not any(p.country for p in places)
        return
    assert primary.place in places
    if primary.district is not None:
        assert DISTRICT_COUNTRY[primary.district] == primary.country
    else:  # a district is chosen whenever one is named
        assert not any(p.country and p.district for p in places)


def test_sweden_or_oslo_is_filed_under_oslo_norway() -> None:
    places = extract_places("skyte en kar i Sverige eller Oslo, 50k, skriv på snap", "sv")
    assert [p.text for p in places] == ["Sverige", "Oslo"]
    primary = choose_primary_place(places)
    assert primary is not None
    assert (primary.country, primary.municipality, primary.district, primary.place_text) == (
        "NO",
        "Oslo",
        "Oslo",
        "Oslo",
    )
    assert "police district" in primary.reason


def test_a_country_alone_is_the_primary_place_without_a_district() -> None:
    primary = choose_primary_place(extract_places("jobb i Sverige, 50k", "sv"))
    assert primary is not None
    assert (primary.country, primary.district) == ("SE", None)
    assert choose_primary_place(()) is None
