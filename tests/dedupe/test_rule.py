"""De-duplication: which posts share an order id, on hand-made records with their slots filled in."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import pytest

from varde.dedupe import MemoryOrderIndex, OrderIndex, assign_all
from varde.dedupe.rule import fingerprint, skeleton
from varde.posts import Post
from varde.records import Contact, Payment, Place, Record, Target

T0 = datetime.fromisoformat("2025-09-12T20:00:00+02:00")

OSLO = Place("Holmlia", "NO", "Oslo", "0301", "Oslo")
OSLO_OTHER_SPOT = Place("Grønland", "NO", "Oslo", "0301", "Oslo")
OSLO_CITY = Place("Oslo", "NO", "Oslo", "0301", "Oslo")
SARPSBORG = Place("Sarpsborg", "NO", "Sarpsborg", "3105", "Øst")
FREDRIKSTAD = Place("Fredrikstad", "NO", "Fredrikstad", "3107", "Øst")
NORRKOPING = Place("Norrköping", "SE", "Norrköping", "0581", "Öst")
LINKOPING = Place("Linköping", "SE", "Linköping", "0580", "Öst")


def record(
    text: str,
    *,
    n: int = 0,
    places: Sequence[Place] = (),
    amount: int | None = None,
    nok: int | None = None,
    contacts: Sequence[str] = (),
    types: Sequence[str] = (),
    target: Target | None = None,
    language: str | None = "nb",
    days: float = 0.0,
    images: Sequence[str] = (),
) -> Record:
    post = Post(id=f"p{n}", platform="telegram", text=text, created_at=T0 + timedelta(days=days))
    return Record(
        post=post,
        normalised=" ".join(text.lower().split()),
        language=language,
        is_order=True,
        violence_types=tuple(types),
        places=tuple(places),
        payment=Payment(str(amount), amount, None, nok) if amount else None,
        contacts=tuple(Contact("telegram", c) for c in contacts),
        target=target,
        image_hashes=tuple(images),
    )


def ids(records: Sequence[Record], index: OrderIndex | None = None) -> list[str | None]:
    return assign_all([r for r in records], index)


AD = "Trenger en som kan ta en jobb i Holmlia i kveld. 50k cash etter utført jobb. Kun seriøse, skriv til @nattjobb"


def ad(n: int = 0, text: str = AD, **kwargs: object) -> Record:
    defaults: dict[str, object] = {
        "places": [OSLO],
        "amount": 50000,
        "contacts": ["@nattjobb"],
        "types": ["shooting"],
    }
    defaults.update(kwargs)
    return record(text, n=n, **defaults)  # type: ignore[arg-type]


def test_exact_repost_and_forward_share_an_order() -> None:
    a, b = ids([ad(1), ad(2, days=3)])
    assert a == b
    assert a is not None and a.startswith("o-") and len(a) == 14


@pytest.mark.parametrize(
    "variant",
    [
        (
            "🔥🔥 TRENGER en som kan ta en jobb i Holmlia i kveld!!! 50k cash etter utført jobb. "
            "Kun seriøse, skriv til @nattjobb"
        ),
        (
            "Trenger en som kan ta en jobb i Holmlia i kveld. "
            "50k cash etter utført jobb. Kun seriøse, skriv til @natt_jobb2"
        ),
        (
            "Trenger noen som kan ta jobb i Holmlia i kveld. "
            "50k cash etter jobben er utført. Kun seriøse folk, skriv @nattjobb"
        ),
        (
            "T r e n g e r en som kan ta en jobb i Holmlia i kveld. "
            "50k c a s h etter utført jobb. Kun seriøse, skriv @nattjobb"
        ),
        "Тrеngеr еn sоm kаn tа еn jоbb i Hоlmliа i kvеld. 50k саsh еttеr utført jоbb. Kun seriøse, skriv til @nattjobb",
        (
            "Trenger en som kan ta en jobb i Holmlia i kveld.\n\n"
            "💰 50k cash etter utført jobb 💰\n\nKun seriøse 👉 @nattjobb"
        ),
    ],
    ids=["emoji-caps", "other-handle", "light-edit", "spaced", "homoglyphs", "formatting"],
)
def test_variants_of_one_ad_share_an_order(variant: str) -> None:
    a, b = ids([ad(1), ad(2, variant, days=1)])
    assert a == b


def test_translated_variant_with_the_same_contact_shares_an_order() -> None:
    swedish = "Behöver någon som kan ta ett jobb i Holmlia ikväll. 50k kontant efter utfört jobb. Skriv till @nattjobb"
    a, b = ids([ad(1), ad(2, swedish, language="sv", days=1)])
    assert a == b


def test_translated_variant_with_the_same_place_and_price_shares_an_order() -> None:
    english = "Looking for someone to do a job at Holmlia tonight. 50k cash when done. Serious people only."
    a, b = ids([ad(1), ad(2, english, language="en", contacts=[], days=2)])
    assert a == b


@pytest.mark.parametrize(
    ("first", "second"),
    [(SARPSBORG, FREDRIKSTAD), (NORRKOPING, LINKOPING), (OSLO, OSLO_OTHER_SPOT)],
    ids=["sarpsborg-fredrikstad", "norrkoping-linkoping", "two-spots-in-oslo"],
)
def test_identical_template_in_another_place_is_another_order(first: Place, second: Place) -> None:
    template = "Jobb i {} i natt. 40k. Skriv @byjobb"
    a, b = ids(
        [
            ad(1, template.format(first.text), places=[first], contacts=["@byjobb"], amount=40000),
            ad(2, template.format(second.text), places=[second], contacts=["@byjobb"], amount=40000),
        ]
    )
    assert a != b


def test_a_city_named_in_a_repost_of_a_neighbourhood_ad_is_compatible() -> None:
    a, b = ids([ad(1), ad(2, AD.replace("Holmlia", "Oslo"), places=[OSLO_CITY], days=1)])
    assert a == b


def test_identical_template_with_another_price_is_another_order() -> None:
    a, b = ids([ad(1), ad(2, AD.replace("50k", "80k"), amount=80000)])
    assert a != b


def test_identical_template_with_another_target_is_another_order() -> None:
    text = "Trenger en som tar {} på Holmlia i kveld. 50k. Skriv @nattjobb"
    a, b = ids(
        [
            ad(1, text.format("eieren av pizzeriaen"), target=Target("eieren av pizzeriaen", "person")),
            ad(2, text.format("eieren av frisørsalongen"), target=Target("eieren av frisørsalongen", "person")),
        ]
    )
    assert a != b


def test_another_kind_of_target_is_another_order() -> None:
    text = "Trenger en som tar {} på Holmlia i kveld. 50k. Skriv @nattjobb"
    a, b = ids(
        [
            ad(1, text.format("en kar"), target=Target("en kar", "person")),
            ad(2, text.format("en bil"), target=Target("en bil", "vehicle")),
        ]
    )
    assert a != b


def test_disjoint_violence_types_are_another_order() -> None:
    a, b = ids([ad(1, types=["shooting"]), ad(2, AD + " 🔥", types=["arson"])])
    assert a != b


def test_chains_cannot_glue_two_places_together() -> None:
    # The middle post names no place; it joins the first order, and the third (another city) must not follow it.
    text = "Jobb i {} i natt, 40k, skriv @byjobb"
    first = ad(1, text.format("Sarpsborg"), places=[SARPSBORG], amount=40000, contacts=["@byjobb"])
    middle = ad(2, "Jobb i natt, 40k, skriv @byjobb", places=[], amount=40000, contacts=["@byjobb"])
    last = ad(3, text.format("Fredrikstad"), places=[FREDRIKSTAD], amount=40000, contacts=["@byjobb"])
    a, b, c = ids([first, middle, last])
    assert a == b
    assert c != a


def test_the_same_broker_with_unrelated_ads_in_one_language_gives_two_orders() -> None:
    a, b = ids(
        [
            record("Søker sjåfører til oppdrag, god betaling. Skriv @megler", n=1, contacts=["@megler"]),
            record("Har du våpen til leie? Betaler godt, ta kontakt @megler", n=2, contacts=["@megler"]),
        ]
    )
    assert a != b


def test_unrelated_ads_are_different_orders() -> None:
    a, b = ids(
        [
            ad(1),
            record("Behöver folk till ett uppdrag i Malmö, 30 lax, hör av er på Signal", n=2, language="sv"),
        ]
    )
    assert a != b


def test_same_place_and_price_long_apart_without_similar_text_are_different_orders() -> None:
    english = "Looking for someone to do a job at Holmlia. 50k cash when done."
    a, b = ids([ad(1), ad(2, english, language="en", contacts=[], days=90)])
    assert a != b


def _image(bits: int) -> str:
    return format(bits, "064x")


BASE_IMAGE = int("c3a5" * 16, 16)


def test_near_identical_images_make_the_same_order() -> None:
    flipped = BASE_IMAGE ^ ((1 << 31) - 1)  # 31 bits changed
    a, b = ids(
        [
            record("", n=1, images=[_image(BASE_IMAGE)]),
            record("nytt oppdrag, se bildet", n=2, images=[_image(flipped)]),
        ]
    )
    assert a == b


def test_images_further_apart_than_the_threshold_are_different_orders() -> None:
    far = BASE_IMAGE ^ ((1 << 32) - 1)  # 32 bits changed
    a, b = ids([record("", n=1, images=[_image(BASE_IMAGE)]), record("", n=2, images=[_image(far)])])
    assert a != b


def test_ids_are_deterministic_and_derive_from_the_first_posts_skeleton() -> None:
    batch = [ad(1), ad(2, AD.replace("50k", "80k"), amount=80000), ad(3, days=1)]
    first, second = ids(batch), ids(batch)
    assert first == second
    import hashlib

    assert first[0] == "o-" + hashlib.sha256(skeleton(batch[0]).encode()).hexdigest()[:12]


def test_two_orders_with_the_same_skeleton_get_distinct_ids() -> None:
    a, b = ids([ad(1, types=["shooting"]), ad(2, types=["arson"])])
    assert a != b


def test_skeleton_ignores_emoji_punctuation_case_and_diacritics() -> None:
    plain = skeleton(record("Jobb på Grønland, 50k!"))
    fancy = skeleton(record("🔫 JOBB PÅ GRONLAND ... 50K 🔫"))
    assert plain == fancy == "jobb pa gronland 50k"


def test_fingerprint_of_an_empty_text_has_no_bands_and_no_skeleton_key() -> None:
    fp = fingerprint(record(""))
    assert fp.bands == () and fp.skeleton_key == ""


def test_index_counts_orders() -> None:
    index = MemoryOrderIndex()
    ids([ad(1), ad(2), ad(3, AD.replace("50k", "80k"), amount=80000)], index)
    assert len(index) == 2


def test_posts_not_flagged_as_orders_get_no_id() -> None:
    import dataclasses

    assert assign_all([dataclasses.replace(ad(1), is_order=False)]) == [None]


def test_handle_variants_with_other_separators_are_one_contact() -> None:
    danish = "Skal bruge en til en opgave i aften, god løn. Skriv hurtigt"
    swedish = "Behöver folk till ett uppdrag ikväll, bra betalt. Hör av dig snabbt"
    a, b = ids(
        [
            record(danish, n=1, language="da", contacts=["@rese_jobb.dk"]),
            record(swedish, n=2, language="sv", contacts=["@resejobb_dk"], days=1),
        ]
    )
    assert a == b


def test_an_unresolved_place_spelt_with_a_typo_is_the_same_place() -> None:
    unresolved = Place("Bakkeløkka", None)
    typo = Place("Bakkelökkaa", None)
    rewrite = "Noen som kan fikse en greie på Bakkelökkaa? Betaler 50k, ta kontakt"
    a, b = ids([ad(1, places=[unresolved]), ad(2, rewrite, places=[typo], contacts=[], days=1)])
    assert a == b


def test_a_rewrite_naming_the_target_in_other_words_is_the_same_order() -> None:
    rewrite = "Ny runde: noen som tar seg av kjøpmannen på Holmlia før helga? 50k. @nattjobb"
    a, b = ids(
        [
            ad(1, target=Target("eieren av butikken", "person")),
            ad(2, rewrite, target=Target("kjøpmannen", "person"), days=1),
        ]
    )
    assert a == b


def test_the_same_spot_and_price_in_other_words_is_the_same_order() -> None:
    rewrite = "Fortsatt ledig: oppdrag på Holmlia, betaling 50k ved fullført. Meld deg."
    a, b = ids([ad(1, contacts=[]), ad(2, rewrite, contacts=[], days=2)])
    assert a == b


def test_the_same_spot_and_price_from_two_brokers_in_other_words_are_two_orders() -> None:
    other = "Fortsatt ledig: oppdrag på Holmlia, betaling 50k ved fullført. Meld deg @annenmegler"
    a, b = ids([ad(1), ad(2, other, contacts=["@annenmegler"], days=2)])
    assert a != b


def test_emoji_tokens_from_the_normaliser_are_not_part_of_the_skeleton() -> None:
    import dataclasses

    with_tokens = dataclasses.replace(record("x"), normalised="GUN jobb i holmlia 50k MONEY")
    plain = dataclasses.replace(record("x"), normalised="jobb i holmlia 50k")
    assert skeleton(with_tokens) == skeleton(plain) == "jobb i holmlia 50k"
