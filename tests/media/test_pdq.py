from __future__ import annotations

import random

import pytest
from PIL import Image

from varde.media import synth
from varde.media.pdq import MATCH_DISTANCE, bits_to_hex, hamming, is_match, pdq_hash, usable_hash

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
