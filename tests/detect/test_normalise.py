from __future__ import annotations

import pytest

from varde.detect import clean, model_text
from varde.detect.normalise import unleet


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("𝐣𝐨𝐛𝐛 i kväll", "jobb i kväll"),
        ("Ｊｏｂｂ", "Jobb"),
        ("ᴊᴏʙʙ ꜰɪɴɴꜱ", "jobb finns"),
        ("ѕkjutа", "skjuta"),  # Cyrillic s and a
        ("ΟΡΡDRAG", "OPPDRAG"),  # Greek capitals
        ("sk\u200bju\u200dta", "skjuta"),
        ("s k j u t a  i  k v ä l l", "skjuta  i  kväll"),
        ("s.k.j.u.t.a", "skjuta"),
        ("S-P-R-E-N-G-E", "SPRENGE"),
        ("j̶o̶b̶b̶", "jobb"),
        ("ⓙⓞⓑⓑ", "jobb"),
        ("🅙🅞🅑🅑", "JOBB"),
        ("a\u030a", "å"),  # combining ring composes
    ],
)
def test_clean_undoes_obfuscation(text: str, expected: str) -> None:
    assert clean(text).text == expected


@pytest.mark.parametrize("text", ["Jeg er i å se", "i a o ok", "Smälla i Sthlm 100 ton", "A B C"])
def test_clean_leaves_ordinary_text_alone(text: str) -> None:
    assert clean(text).text == text


def test_clean_keeps_case_and_emojis() -> None:
    view = clean("Jobb 🔫🔫 Gbg 🇸🇪")
    assert view.text == "Jobb 🔫🔫 Gbg 🇸🇪"


@pytest.mark.parametrize(
    "text", ["𝐬𝐤𝐣𝐮𝐭𝐚 i 𝐤𝐯ä𝐥𝐥 🔫", "s k j u t a nå", "sk\u200bjut\u200ba", "ѕkjutа 50k", "plain ascii", "", "🇯 🇴 🇧"]
)
def test_offsets_map_back_to_the_original(text: str) -> None:
    view = clean(text)
    assert len(view.offsets) == len(view.text) + 1
    assert view.offsets[-1] == len(text)
    assert list(view.offsets) == sorted(view.offsets)
    for i, char in enumerate(view.text):
        original = text[view.offsets[i]]
        if char.isascii() and char.isalpha() and original.isascii():
            assert original.lower() == char.lower()


def test_original_span_of_a_word_in_stylised_text() -> None:
    text = "ring 𝐬𝐤𝐣𝐮𝐭𝐚 nå"
    view = clean(text)
    start = view.text.index("skjuta")
    a, b = view.original_span(start, start + len("skjuta"))
    assert text[a:b] == "𝐬𝐤𝐣𝐮𝐭𝐚"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jobb 🔫🔫 Gbg", "jobb GUN GUN gbg"),
        ("💣 dør", "BOMB dør"),
        ("bil 🔥", "bil FIRE"),
        ("☠️ 🔪", "SKULL KNIFE"),
        ("🇸🇪 jobb", "FLAGSE jobb"),
        ("sk1ut h4n", "skiut han"),
        ("50k  kontant\n\nnå", "50k kontant nå"),
    ],
)
def test_model_text(text: str, expected: str) -> None:
    assert model_text(clean(text).text) == expected


def test_unleet_keeps_length_and_numbers() -> None:
    assert unleet("spr3ng 50k +4712345678") == "spreng 50k +4712345678"
    assert len(unleet("b0ss k1ll")) == len("b0ss k1ll")


def test_clean_of_plain_text_is_the_identity() -> None:
    for text in ["", "hei", "Trenger noen i kveld, 50k. Send melding", "x" * 700]:
        view = clean(text)
        assert view.text == text
        assert view.offsets == tuple(range(len(text) + 1))


def test_model_text_collapses_all_unicode_whitespace() -> None:
    text = "  Jobb\u00a0i\u2003kveld \t\n 50k\u3000  "
    assert model_text(text) == "jobb i kveld 50k"
