"""Perceptual image hashes (PDQ, via `pdqhash`) and their Hamming distance.

PDQ gives 256 bits and a quality in 0-100; hashes of quality 49 or less (flat or nearly empty images) match too
much to be evidence and are discarded. Hashes travel as 64 hex digits. Two images are the same picture when their
hashes differ in at most `MATCH_DISTANCE` bits (the PDQ authors' suggested threshold).

Before hashing, the image is resampled to 128 x 128 with a Lanczos filter. PDQ's own box-filter downsampling
aliases on fine text, so the same screenshot at half and at double size can land 30-40 bits apart; after the
Lanczos step such copies stay within ~15 bits (`bench/bench_media.py`). On photographs the result stays within
~10-20 bits of reference PDQ, so hashes remain comparable with other PDQ sources at the usual threshold;
`normalise=False` gives reference PDQ exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from numpy.typing import NDArray
    from PIL.Image import Image

BITS = 256
HEX_DIGITS = BITS // 4
MIN_QUALITY = 50  # quality <= 49 is discarded
MATCH_DISTANCE = 31
NORMAL_SIZE = 128


@dataclass(frozen=True, slots=True)
class PdqHash:
    """A PDQ hash as 64 hex digits, and its quality (0-100)."""

    hex: str
    quality: int

    @property
    def usable(self) -> bool:
        return self.quality >= MIN_QUALITY


def bits_to_hex(bits: Sequence[int] | NDArray[Any]) -> str:
    """256 bits (a sequence of 0/1, first bit most significant) as 64 hex digits."""
    import numpy as np

    values = np.asarray(bits).astype(np.uint8).ravel()
    if values.size != BITS:
        raise ValueError(f"expected {BITS} bits, got {values.size}")
    return bytes(np.packbits(values != 0)).hex()


def pdq_hash(image: Image, *, normalise: bool = True) -> PdqHash:
    """The PDQ hash of an image (any mode; converted to RGB), after the Lanczos resampling unless `normalise=False`."""
    import numpy as np
    import pdqhash
    from PIL import Image as PILImage

    rgb = image.convert("RGB")
    if normalise:
        rgb = rgb.resize((NORMAL_SIZE, NORMAL_SIZE), PILImage.Resampling.LANCZOS)
    pixels = np.asarray(rgb, dtype=np.uint8)
    bits, quality = pdqhash.compute(pixels)
    return PdqHash(bits_to_hex(bits), int(quality))


def usable_hash(image: Image) -> str | None:
    """The hex PDQ hash of an image, or None when its quality is too low to match on."""
    result = pdq_hash(image)
    return result.hex if result.usable else None


def parse_hex(value: str) -> int:
    """A hash as an int; `ValueError` unless it is exactly 64 hex digits."""
    if len(value) != HEX_DIGITS:
        raise ValueError(f"a PDQ hash has {HEX_DIGITS} hex digits, got {len(value)}")
    return int(value, 16)


def hamming(a: str, b: str) -> int:
    """Number of differing bits between two hex hashes."""
    return (parse_hex(a) ^ parse_hex(b)).bit_count()


def is_match(a: str, b: str, max_distance: int = MATCH_DISTANCE) -> bool:
    return hamming(a, b) <= max_distance
