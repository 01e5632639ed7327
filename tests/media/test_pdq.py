from __future__ import annotations

import random

import pytest
from PIL import Image

from bench.synthetic import images as synth
from varde.media.pdq import (
    MATCH_DISTANCE,
    bits_to_hex,
    hamming,
    ink_box,
    is_match,
    pdq_hash,
    usable_hash,
    usable_hashes,
    view_hashes,
)

from .helpers import AD_TEXT, NEGATIVE_TEXT, font


def _ad(text: str = AD_TEXT) -> Image.Image:
    return synth.render(
        text,
        synth.Style(
            layout="poster", font=font("DejaVuSans-Bold.ttf"), size=34, foreground=(255, 230, 0), background=(120, 0, 0)
        ),
    )


def test_hash_is_64_hex_digits_with_quality() -> None:
    result = pdq_hash(_ad())
    assert len(result.hex) == 64
    int(result.hex, 16)
    assert result.quality >= 50
    assert result.usable


def test_flat_image_is_too_plain_to_match_on() -> None:
    assert usable_hash(Image.new("RGB", (300, 200), (255, 255, 255))) is None


def test_same_image_hashes_the_same() -> None:
    assert pdq_hash(_ad()).hex == pdq_hash(_ad()).hex


def test_rescaled_recompressed_copy_matches_and_another_ad_does_not() -> None:
    original = _ad()
    h = pdq_hash(original).hex
    for scale, quality in [(0.5, 30), (2.0, 60), (0.8, 95)]:
        size = (round(original.width * scale), round(original.height * scale))
        copy = synth.jpeg(original.resize(size, Image.Resampling.BILINEAR), quality)
        assert is_match(h, pdq_hash(copy).hex)
    overlaid = synth.overlay_caption(original, "Videresendt fra @kanal", random.Random(3))
    assert is_match(h, pdq_hash(overlaid).hex)
    other = _ad(NEGATIVE_TEXT)
    assert hamming(h, pdq_hash(other).hex) > MATCH_DISTANCE


def test_hamming_counts_differing_bits() -> None:
    zero = "0" * 64
    assert hamming(zero, zero) == 0
    assert hamming(zero, "f" + "0" * 63) == 4
    assert hamming(zero, "f" * 64) == 256
    with pytest.raises(ValueError, match="64 hex digits"):
        hamming(zero, "abc")


def test_bits_to_hex_puts_the_first_bit_first() -> None:
    assert bits_to_hex([1] + [0] * 255) == "8" + "0" * 63
    with pytest.raises(ValueError, match="256 bits"):
        bits_to_hex([1, 0])


def _note(text: str = AD_TEXT) -> Image.Image:
    return synth.render(text, synth.Style(layout="note", font=font("DejaVuSans.ttf"), size=28, width=820))


def test_ink_box_is_the_text_and_ignores_margins_and_caption_bands() -> None:
    original = _note()
    box = ink_box(original)
    assert box is not None
    left, top, right, bottom = box
    assert 15 <= left <= 30 and 15 <= top <= 35  # the 24 px margin, less the overhang of the glyphs
    assert right < original.width - 24 and bottom < original.height - 20
    # Cut 12 px of margin off the left and top and lay a caption band over the bottom: same box, shifted.
    cropped = original.crop((12, 12, original.width, original.height))
    captioned = synth.overlay_caption(cropped, "Videresendt fra @kanal", random.Random(1))
    moved = ink_box(captioned)
    assert moved is not None
    assert all(abs(a - (b - 12)) <= 2 for a, b in zip(moved, box, strict=True))
    assert ink_box(Image.new("RGB", (300, 200), (255, 255, 255))) is None


def test_the_ink_view_matches_a_copy_cropped_in_its_margin_where_the_whole_frame_does_not() -> None:
    original = _note()
    copy = synth.jpeg(original.crop((20, 18, original.width - 15, original.height - 12)), 70)
    views, copied = view_hashes(original), view_hashes(copy)
    assert set(views) == {"full", "ink"}
    assert hamming(views["full"].hex, copied["full"].hex) > MATCH_DISTANCE
    assert hamming(views["ink"].hex, copied["ink"].hex) <= MATCH_DISTANCE
    assert usable_hashes(original) == (views["full"].hex, views["ink"].hex)
    other = view_hashes(_note(NEGATIVE_TEXT))
    assert all(hamming(a.hex, b.hex) > MATCH_DISTANCE for a in views.values() for b in other.values())


def test_a_poster_frame_and_a_caption_band_over_it_do_not_move_the_ink_box() -> None:
    poster = _ad()
    box = ink_box(poster)
    assert box is not None
    assert box[0] > 20 and box[1] > 20  # inside the frame drawn 8-12 px from the edge
    for seed in range(4):  # bands at the top and the bottom, dark and light
        captioned = synth.overlay_caption(poster, "Videresendt fra @kanal", random.Random(seed))
        assert ink_box(captioned) == box
