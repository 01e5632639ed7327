"""Perceptual image hashes (PDQ, via `pdqhash`) and their Hamming distance.

PDQ gives 256 bits and a quality in 0-100; hashes of quality 49 or less (flat or nearly empty images) match too
much to be evidence and are discarded. Hashes travel as 64 hex digits. Two images are the same picture when their
hashes differ in at most `MATCH_DISTANCE` bits (the PDQ authors' suggested threshold).

Before hashing, the image is resampled to 128 x 128 with a Lanczos filter. PDQ's own box-filter downsampling
aliases on fine text, so the same screenshot at half and at double size can land 30-40 bits apart; after the
Lanczos step such copies stay within ~15 bits (`bench/bench_media.py`). On photographs the result stays within
~10-20 bits of reference PDQ, so hashes remain comparable with other PDQ sources at the usual threshold;
`normalise=False` gives reference PDQ exactly.

PDQ of the whole frame does not survive a crop of more than 1-2 % of a side. `view_hashes` therefore also hashes
a canonical view: the *ink box*, the bounding box of the pixels that differ from the background, after dropping
bars (rows and columns whose median colour is not the background: a caption band, a title bar, a poster frame)
and runs of ink rows wholly inside the top or bottom twelfth (a caption's text). A crop that removes only
background, or a caption laid over a margin, leaves the ink box unchanged, so its hash still matches. An image
contributes up to two hashes (`VIEWS`); two images are the same picture when any pair is within `MATCH_DISTANCE`.
`bench/bench_media.py` reports what each view adds and the false matches with all of them.
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
VIEWS = ("full", "ink")
INK_WORK_SIDE = 1024  # the ink box is found on a copy at most this large (1 px = 0.1 % of a side)
INK_CONTRAST = 60  # a pixel is ink when a channel differs this much from the background colour
INK_MIN_SHARE = 0.005  # rows/columns with less ink than this are margin
INK_BAR_SHARE = 0.85  # rows/columns with more are bars or bands, not text
EDGE_ZONE = 1 / 12  # ink runs wholly within this share of the height at the top or bottom are captions
MIN_VIEW_SIDE = 16


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


def ink_box(image: Image) -> tuple[int, int, int, int] | None:
    """The (left, top, right, bottom) box of the image's content (see the module docstring), or None."""
    import numpy as np
    from PIL import Image as PILImage

    small = image.convert("RGB")
    if max(small.size) > INK_WORK_SIDE:
        small = small.copy()
        small.thumbnail((INK_WORK_SIDE, INK_WORK_SIDE), PILImage.Resampling.BOX)
    pixels = np.asarray(small, dtype=np.int16)
    height, width, _ = pixels.shape
    border = np.concatenate([pixels[0], pixels[-1], pixels[:, 0], pixels[:, -1]])
    background = np.median(border, axis=0)
    ink = np.abs(pixels - background).max(axis=2) > INK_CONTRAST
    # A row or column whose median colour is not the background is a bar or band (title bar, caption band, frame).
    bar_rows = np.abs(np.median(pixels, axis=1) - background).max(axis=1) > INK_CONTRAST
    bar_columns = np.abs(np.median(pixels, axis=0) - background).max(axis=1) > INK_CONTRAST
    ink &= ~bar_rows[:, None] & ~bar_columns[None, :]
    rows = _text_runs(ink.mean(axis=1), height)
    if not rows:
        return None
    top, bottom = rows[0][0], rows[-1][1]
    column_share = ink[top : bottom + 1].mean(axis=0)
    columns = np.flatnonzero((column_share > INK_MIN_SHARE) & (column_share < INK_BAR_SHARE))
    if columns.size == 0:
        return None
    sx, sy = image.width / width, image.height / height
    box = (int(columns[0] * sx), int(top * sy), int((columns[-1] + 1) * sx), int((bottom + 1) * sy))
    if box[2] - box[0] < MIN_VIEW_SIDE or box[3] - box[1] < MIN_VIEW_SIDE:
        return None
    return box


def _text_runs(row_share: NDArray[Any], height: int) -> list[tuple[int, int]]:
    """Runs of rows holding text (some ink, not a solid bar), without those wholly inside the edge zones."""
    import numpy as np

    rows = np.flatnonzero((row_share > INK_MIN_SHARE) & (row_share < INK_BAR_SHARE))
    if rows.size == 0:
        return []
    breaks = np.flatnonzero(np.diff(rows) > 1)
    starts = np.concatenate([rows[:1], rows[breaks + 1]])
    ends = np.concatenate([rows[breaks], rows[-1:]])
    runs = [(int(a), int(b)) for a, b in zip(starts, ends, strict=True)]
    zone = EDGE_ZONE * height
    inner = [(a, b) for a, b in runs if not (b < zone or a > height - 1 - zone)]
    return inner or runs


def view_hashes(image: Image) -> dict[str, PdqHash]:
    """The PDQ hash of each view of the image (`VIEWS`): the whole frame, and the ink box when one is found."""
    views = {"full": pdq_hash(image)}
    box = ink_box(image)
    if box is not None:
        views["ink"] = pdq_hash(image.crop(box))
    return views


def usable_hashes(image: Image) -> tuple[str, ...]:
    """The distinct usable hex hashes of the image's views, whole frame first."""
    return tuple(dict.fromkeys(h.hex for h in view_hashes(image).values() if h.usable))


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
