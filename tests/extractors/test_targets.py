from __future__ import annotations

import pytest

from varde.extractors import extract_target


@pytest.mark.parametrize(
    ("text", "language", "kind", "target_text"),
    [
        ("JOBB: en kar på Grønland skal få juling. 30k", "nb", "person", "en kar på Grønland"),
        ("Et hus skal få besøk, mot vinduene. Bil stiller vi med.", "nb", "residence", "Et hus"),
        ("Skyte mot inngangsdøra i Drammen", "nb", "residence", "inngangsdøra i Drammen"),
        (
            "Skjut i benen på en kille som säljer för fel folk. 60 ton.",
            "sv",
            "person",
            "en kille som säljer för fel folk",
        ),
        ("bränna en bil 10 ton", "sv", "vehicle", "en bil"),
        ("Smäll mot porten i Rinkeby", "sv", "residence", "porten i Rinkeby"),
        ("Brand i en butik, 25k", "da", "business", "en butik"),
        ("Skyd mod en opgang i Tingbjerg", "da", "residence", "en opgang i Tingbjerg"),
        ("Tæsk en fyr fra Vollsmose", "da", "person", "en fyr fra Vollsmose"),
        ("Need someone to scare a guy in Malmö", "en", "person", "a guy in Malmö"),
        ("torch the car outside the gym", "en", "vehicle", "the car outside the gym"),
        ("attack the rival gang in Aarhus now", "en", "group", "the rival gang in Aarhus"),
        ("Shots at the barbershop on Main street", "en", "business", "the barbershop on Main street"),
        ("bränn en bil i kväll", "sv", "vehicle", "en bil"),
        ("Stik en fyr i benet, 30.000", "da", "person", "en fyr"),
        ("scare a guy who owes money and make him pay", "en", "person", "a guy who owes money"),
    ],
)
def test_target(text: str, language: str, kind: str, target_text: str) -> None:
    target = extract_target(text, language)
    assert target is not None
    assert (target.kind, target.text) == (kind, target_text)
    assert target.span is not None and text[target.span[0] : target.span[1]] == target.text


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("bil+verktyg+gömställe ordnas. 50 ton", "sv"),
        ("Bil stiller vi med. 40k", "nb"),
        ("Vi trenger folk. Snap: husby.kontor", "nb"),
        ("Tg @butikk_jobb", "nb"),
        ("Transport and a car provided", "en"),
        ("Unga killar välkomna", "sv"),
        ("", "da"),
    ],
)
def test_no_target(text: str, language: str) -> None:
    assert extract_target(text, language) is None


def test_lexicon_kinds_are_the_vocabulary() -> None:
    from varde.extractors.targets import _lexicon
    from varde.vocab import TARGET_KINDS

    assert set(_lexicon().values()) == set(TARGET_KINDS)


@pytest.mark.parametrize(
    ("text", "language", "handle"),
    [
        ("50k til den som tar ut @someone, bevis på video", "nb", "@someone"),
        (
            "Bounty: 100k to whoever finds @snitch_bergen and makes him regret it. DM @bounty_nord",
            "en",
            "@snitch_bergen",
        ),
        ("Belöning 200 000 kr till den som tar hand om @golare_sthlm. Tele @belon_sthlm", "sv", "@golare_sthlm"),
        (
            "Bounty 75k på @rotta_fra_sagene, den som knuser han får betalt. Tg @sagene_bounty",
            "nb",
            "@rotta_fra_sagene",
        ),
        ("got this on insta: Someone pays 50k to have @quiet_kid_99 beaten up in Uppsala", "en", "@quiet_kid_99"),
        ("@golare_08 ska få stryk i helgen, 20k", "sv", "@golare_08"),
    ],
)
def test_a_bounty_handle_is_the_target(text: str, language: str, handle: str) -> None:
    target = extract_target(text, language)
    assert target is not None
    assert (target.text, target.kind) == (handle, "person")
    assert target.span is not None and text[target.span[0] : target.span[1]] == handle


def test_a_contact_handle_is_not_a_bounty_target() -> None:
    target = extract_target("Trenger en til å banke en kar. Tg @banke_jobb", "nb")
    assert target is not None and target.text == "en kar"


@pytest.mark.parametrize(
    "text", ["Skriv til @nattjobb for pris", "Prisen er 50k. Snap @pris_jobb", "reward is 20k. dm @payer_x"]
)
def test_a_handle_to_write_to_is_no_bounty_target(text: str) -> None:
    target = extract_target(text, "nb")
    assert target is None or not target.text.startswith("@")


def test_the_object_of_an_act_noun_is_the_target() -> None:
    target = extract_target("Sprängning av en bil i Eskilstuna natten till lördag. 100k.", "sv")
    assert target is not None and (target.text, target.kind) == ("en bil i Eskilstuna", "vehicle")
