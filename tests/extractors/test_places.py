from __future__ import annotations

import pytest

from varde.extractors import extract_places
from varde.extractors.gazetteer import Entry, Gazetteer, load_gazetteer
from varde.vocab import DISTRICTS_DK, DISTRICTS_NO, REGIONS_SE


@pytest.mark.parametrize(
    ("text", "language", "country", "municipality", "district"),
    [
        ("Jobb i Oslo i kveld", "nb", "NO", "Oslo", "Oslo"),
        ("en kar på Grønland skal få besøk", "nb", "NO", "Oslo", "Oslo"),
        ("Holmlia, 30k", "nb", "NO", "Oslo", "Oslo"),
        ("sør-oslo, må ha egen bil", "nb", "NO", "Oslo", "Oslo"),
        ("Oppdrag i Sandvika", "nb", "NO", "Bærum", "Oslo"),
        ("folk til Asker", "nb", "NO", "Asker", "Oslo"),
        ("Leirvik på Stord", "nb", "NO", "Stord", "Sør-Vest"),
        ("noe i Sirdal", "nb", "NO", "Sirdal", "Sør-Vest"),
        ("Harestua, et hus", "nb", "NO", "Lunner", "Innlandet"),
        ("jobb på Jevnaker", "nb", "NO", "Jevnaker", "Sør-Øst"),
        ("Bindal", "nb", "NO", "Bindal", "Trøndelag"),
        ("Gratangen", "nb", "NO", "Gratangen", "Troms"),
        ("Trenger folk i Tjeldsund", "nb", "NO", "Tjeldsund", "Troms"),
        ("i Kautokeino", "nb", "NO", "Kautokeino", "Finnmark"),
        ("Guovdageaidnu", "nb", "NO", "Kautokeino", "Finnmark"),
        ("Tråante", "nb", "NO", "Trondheim", "Trøndelag"),
        ("Saupstad i kveld", "nb", "NO", "Trondheim", "Trøndelag"),
        ("Loddefjord", "nb", "NO", "Bergen", "Vest"),
        ("Vågsbygd", "nb", "NO", "Kristiansand", "Agder"),
        ("Tromsdalen", "nb", "NO", "Tromsø", "Troms"),
        ("jobb i Moss i helga", "nb", "NO", "Moss", "Øst"),
        ("Noe skal skje i Hole", "nb", "NO", "Hole", "Sør-Øst"),
        ("Bø kommune", "nb", "NO", "Bø", "Nordland"),
        ("Oslo/Moss", "nb", "NO", "Oslo", "Oslo"),
        ("hele Osloo vet det", "nb", "NO", "Oslo", "Oslo"),
        ("Tromso tonight", "en", "NO", "Tromsø", "Troms"),
        ("Drammen job", "en", "NO", "Drammen", "Sør-Øst"),
        ("Rinkeby ikväll", "sv", "SE", "Stockholm", "Stockholm"),
        ("Hallunda, 50 ton", "sv", "SE", "Botkyrka", "Stockholm"),
        ("sthlm city", "sv", "SE", "Stockholm", "Stockholm"),
        ("jobb i Gbg", "sv", "SE", "Göteborg", "Väst"),
        ("Biskopsgården", "sv", "SE", "Göteborg", "Väst"),
        ("Rosengård", "sv", "SE", "Malmö", "Syd"),
        ("Gottsunda", "sv", "SE", "Uppsala", "Mitt"),
        ("Skäggetorp", "sv", "SE", "Linköping", "Öst"),
        ("i Lund", "sv", "SE", "Lund", "Syd"),
        ("Vivalla, Örebro", "sv", "SE", "Örebro", "Bergslagen"),
        ("jobb i umeå", "sv", "SE", "Umeå", "Nord"),
        ("Malmo tonight", "en", "SE", "Malmö", "Syd"),
        ("Tingbjerg i aften", "da", "DK", "København", "Københavns Politi"),
        ("Nørrebro", "da", "DK", "København", "Københavns Politi"),
        ("Kbh", "da", "DK", "København", "Københavns Politi"),
        ("Albertslund", "da", "DK", "Albertslund", "Københavns Vestegns Politi"),
        ("Gellerup", "da", "DK", "Aarhus", "Østjyllands Politi"),
        ("Vollsmose", "da", "DK", "Odense", "Fyns Politi"),
        ("Aalborg 🔥", "da", "DK", "Aalborg", "Nordjyllands Politi"),
        ("Copenhagen job", "en", "DK", "København", "Københavns Politi"),
        ("Hellerup", "da", "DK", "Gentofte", "Nordsjællands Politi"),
        ("jobb i Nacka ikväll", "sv", "SE", "Nacka", "Stockholm"),
        ("Osloområdet", "nb", "NO", "Oslo", "Oslo"),
        ("i Stockholmsområdet", "sv", "SE", "Stockholm", "Stockholm"),
        ("adresse med postnr 0560", "nb", "NO", "Oslo", "Oslo"),
        ("postnummer 413 19", "sv", "SE", "Göteborg", "Väst"),
        ("postnr. 1000", "da", "DK", "København", "Københavns Politi"),
        ("Bø i Telemark", "nb", "NO", "Midt-Telemark", "Sør-Øst"),
        ("Herøy i Nordland", "nb", "NO", "Herøy", "Nordland"),
        ("Vi er på Moss i kveld", "nb", "NO", "Moss", "Øst"),
        ("b r e n n  b i l  i  S k i e n", "nb", "NO", "Skien", "Sør-Øst"),
    ],
)
def test_place_resolves_to_municipality_and_district(
    text: str, language: str, country: str, municipality: str, district: str
) -> None:
    place = extract_places(text, language)[0]
    assert (place.country, place.municipality, place.district) == (country, municipality, district)
    assert place.span is not None and text[place.span[0] : place.span[1]] == place.text


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Det vokser moss på taket", "nb"),
        ("there is a hole in the fence", "en"),
        ("Han satt i hole-in-one", "en"),
        ("Moss. Vi betaler godt", "nb"),
        ("en lund med trær", "nb"),
        ("Vi tar vik for ingen", "nb"),
        ("bø!", "nb"),
        ("Ta god time til det", "nb"),
        ("kom til strand", "nb"),
        ("Jobb hos @oslo_jobb", "nb"),
        ("mail: malmo@example.com", "sv"),
        ("Vi har hør av er", "sv"),
        ("Det kommer an på vara", "sv"),
        ("Vi ska nacka honom", "sv"),
        ("Det ligger i kjeller", "nb"),
        ("på et høyere nivå", "nb"),
        ("strømmen er borte", "nb"),
    ],
)
def test_common_words_are_not_places(text: str, language: str) -> None:
    assert extract_places(text, language) == ()


def test_places_in_text_order_each_once() -> None:
    places = extract_places("Oslo, Bergen og Oslo igjen, så Rinkeby", "nb")
    assert [p.municipality for p in places] == ["Oslo", "Bergen", "Stockholm"]


def test_region_has_district_but_no_municipality() -> None:
    place = extract_places("hele Skåne", "sv")[0]
    assert (place.country, place.municipality, place.district) == ("SE", None, "Syd")
    assert extract_places("Østlandet", "nb")[0].district is None


def test_shared_name_goes_to_the_language_country() -> None:
    assert extract_places("i Askim", "nb")[0].country == "NO"
    assert extract_places("i Askim", "sv")[0].country == "SE"
    assert extract_places("a job in Lund", "en")[0].country == "SE"


def test_gazetteer_covers_all_municipalities_with_vocabulary_districts() -> None:
    allowed = {"NO": set(DISTRICTS_NO), "SE": set(REGIONS_SE), "DK": set(DISTRICTS_DK)}
    gazetteer = load_gazetteer()
    municipalities: dict[str, set[str]] = {"NO": set(), "SE": set(), "DK": set()}
    for entries in gazetteer.by_key.values():
        for entry in entries:
            if entry.district is not None:
                assert entry.district in allowed[entry.country], entry
            if entry.code:
                municipalities[entry.country].add(entry.code)
    assert (len(municipalities["NO"]), len(municipalities["SE"]), len(municipalities["DK"])) == (357, 290, 98)


def test_a_gazetteer_can_be_passed_in() -> None:
    # An invented town: only the injected gazetteer knows it, and it knows nothing else.
    town = Entry("Fjellvik", "NO", "Fjellvik", "9999", "Vest", False)
    own = Gazetteer(by_key={"fjellvik": (town,)}, by_variant={}, max_tokens=1)
    text = "Jobb i Fjellvik og Oslo i kveld"
    assert [p.municipality for p in extract_places(text, "nb", own)] == ["Fjellvik"]
    assert [p.municipality for p in extract_places(text, "nb")] == ["Oslo"]


def test_the_extract_stage_uses_the_gazetteer_it_is_given() -> None:
    from datetime import UTC, datetime

    from varde.pipeline.stages import ExtractStage
    from varde.posts import Post
    from varde.records import Record

    town = Entry("Fjellvik", "NO", "Fjellvik", "9999", "Vest", False)
    stage = ExtractStage(Gazetteer(by_key={"fjellvik": (town,)}, by_variant={}, max_tokens=1))
    post = Post(id="x:1", platform="telegram", text="Jobb i Fjellvik", created_at=datetime(2025, 9, 1, tzinfo=UTC))
    [record] = stage([Record(post=post, is_order=True, language="nb")])
    assert [p.district for p in record.places] == ["Vest"]


def test_every_shipped_postcode_range_names_a_shipped_municipality() -> None:
    from importlib import resources

    from varde.extractors.places import shipped_places

    text = resources.files("varde.extractors").joinpath("data", "postcodes.csv").read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line and not line.startswith("#")][1:]  # less the header
    assert len(shipped_places().postcodes()) == len(rows) > 0
