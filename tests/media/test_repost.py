from __future__ import annotations

import random

import pytest
from PIL import Image

from bench.repost import (
    Look,
    RepostIndex,
    look_of,
    looks_alike,
    same_words,
    shingles,
    text_similarity,
    texts_match,
)
from bench.synthetic import images as synth

AD = "Trenger to gutter til en jobb i Bergen i kveld, 80k kontant, skriv til @natteravn77"
ORIGINAL = (
    "Søker folk til en rask jobb!\nSprenge inngangen til en bule i Bergen sentrum i helgen.\n"
    "50k kontant.\nSignal: 412 55 908"
)
PRICE_IN_KRONER = ORIGINAL.replace("50k kontant.", "50.000 kr.")
WHITE = Look(3.0, (250.0, 250.0, 245.0))


def test_similar_ocr_texts_are_similar_and_short_texts_are_ignored() -> None:
    noisy = "Trenger to gutter til en jobb i\nBergen i kveld, 8Ok kontant,\nskriv til @natteravn77"
    assert text_similarity(AD, noisy) > 0.6
    assert text_similarity(AD, "Loppemarked på skolen lørdag, kaffe og vafler selges til inntekt for klassetur") < 0.1
    assert shingles("SALG") == set()
    assert text_similarity("SALG", "SALG") == 0.0


@pytest.mark.parametrize(
    "copy",
    [
        ORIGINAL,
        # A crop cut the start of every line, a caption was added on top, OCR misread a letter and the phone's gaps.
        "Fwd: sjekk denne\nsker folk til en rask jobb!\nprenge inngangen til en bule i Bergen sentrum i helgen.\n"
        "50k kontant.\ngnal: 412 5S 908",
        # Cut at the right, a caption at the bottom that names a handle, lines wrapped the same.
        "Søker folk til en rask jo\nSprenge inngangen til en bule i Bergen sentrum i hel\n50k kontant.\n"
        "Signal: 412 55 908\nVideresendt fra @kanal",
        # A deeper crop: "50k" lost its "5" and the cut "0" was read as "I"; OCR garbage from a caption below.
        "ker folk til en rask jobb!\nenge inngangen til en bule i Bergen sentrum i helgen.\nIk kontant.\n"
        "gnal: 412 55 908\nTITTET SN ENDTE RETTTENER ENTEN EGG",
    ],
)
def test_a_reposted_copy_has_the_same_words(copy: str) -> None:
    assert texts_match(ORIGINAL, copy)
    assert texts_match(copy, ORIGINAL)


@pytest.mark.parametrize(
    "other",
    [
        # The same template with another place and time, another price, another phone, another handle.
        "Søker folk til en rask jobb!\nSprenge inngangen til en bule i Drammen i kveld.\n50k kontant.\n"
        "Signal: 412 55 908",
        "Søker folk til en rask jobb!\nSprenge inngangen til en bule i Bergen sentrum i helgen.\n"
        "80k kontant.\nSignal: 412 55 908",
        "Søker folk til en rask jobb!\nSprenge inngangen til en bule i Bergen sentrum i helgen.\n"
        "50k kontant.\nSignal: 412 33 221",
        "Søker folk til en rask jobb!\nSprenge inngangen til en bule i Bergen sentrum i helgen.\n"
        "50k kontant.\nDM @nattjobb_no på Telegram",
        # A number is not the cut end of another: "20 tusind" is not what is left of "50.000 kr".
        "Søker folk til en rask jobb!\nSprenge inngangen til en bule i Bergen sentrum i helgen.\n"
        "20 tusind.\nSignal: 412 55 908",
    ],
)
def test_another_ad_from_the_same_template_does_not_match(other: str) -> None:
    assert text_similarity(ORIGINAL, other) >= 0.5  # so the word rule, not the similarity, tells them apart
    assert not same_words(ORIGINAL, other)
    assert not texts_match(other, ORIGINAL)


def test_looks_of_a_repost_agree_and_another_design_does_not() -> None:
    rng = random.Random(4)
    style = synth.Style(layout="poster", size=34, foreground=(255, 230, 0), background=(120, 0, 0), width=720)
    original = synth.render(ORIGINAL, style)
    copy = synth.repost(original, rng, "Fwd: sjekk denne")
    assert looks_alike(look_of(original), look_of(copy))
    assert not looks_alike(look_of(original), look_of(Image.new("RGB", original.size, (250, 250, 245))))
    assert not looks_alike(look_of(original), look_of(original.resize((original.width, original.height * 2))))


def test_repost_index_matches_by_hash_then_by_text() -> None:
    index = RepostIndex()
    original = "a" * 64
    index.add("post-1", [original], AD, WHITE)
    index.add("post-2", ["f" * 64], "Loppemarked på skolen lørdag kl 11, kaffe og vafler selges til alle")
    near = "b" + "a" * 63  # 0xa ^ 0xb: one bit
    by_hash = index.match([near])
    assert [(m.key, m.via, m.score) for m in by_hash] == [("post-1", "pdq", 1.0)]
    assert index.match([near], routes="text") == []
    by_text = index.match(["0" * 64], "Videresendt: " + AD, WHITE)
    assert [(m.key, m.via) for m in by_text] == [("post-1", "text")]
    assert index.match(["0" * 64], "Videresendt: " + AD, Look(1.0, (20.0, 20.0, 20.0))) == []
    assert index.match(["0" * 64], AD.replace("80k", "60k"), WHITE) == []
    assert index.match(["0" * 64], "Noe helt annet som ikke ligner på noen av tekstene over") == []


def test_cut_numbers_keep_their_digits() -> None:
    assert not same_words(PRICE_IN_KRONER, PRICE_IN_KRONER.replace("50.000 kr.", "20 tusind."))
    assert same_words(PRICE_IN_KRONER, PRICE_IN_KRONER.replace("50.000 kr.", "0.000 kr."))  # the "5" cut off
    assert not same_words(PRICE_IN_KRONER, PRICE_IN_KRONER.replace("50.000 kr.", "80.000 kr."))


def test_a_glyph_cut_by_the_crop_may_read_as_another_digit_only_when_the_lines_show_the_crop() -> None:
    original = "Gruppe\nHvem vil tjene nemme penge?!\nSkyde mod en dør i Ishøj i nat.\n30k kontant.\nSkriv på Session"
    cropped = "ruppe\nvem vil tjene nemme penge?!\nkyde mod en dør i Ishøj i nat.\n9k kontant.\nkriv på Session"
    assert same_words(original, cropped)
    assert not same_words(original, original.replace("30k", "90k"))  # no crop: another price
