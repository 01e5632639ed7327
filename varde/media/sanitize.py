"""Images made safe to show: re-encoded from the decoded pixels, so no metadata of the original survives.

    clean_image(data) -> CleanImage(data, content_type, width, height)

The bytes kept in the media store are evidence and stay as captured; what the workbench shows is a copy decoded
with the same caps as capture (`varde.media.files.decode_image`: formats, pixel count before decoding), turned
upright by its EXIF orientation, flattened to RGB, scaled down to at most `MAX_DIMENSION` pixels a side, and
written afresh as JPEG with no EXIF, GPS, XMP, ICC profile or comments: Pillow writes only what it is told to.
A copy still over `MAX_SHOWN_BYTES` is written again smaller until it fits. Pure (bytes in, bytes out).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from varde.media.files import MAX_PIXELS, MediaRejected, decode_image

MAX_DIMENSION = 1600  # pixels, longest side of the copy shown
MAX_SHOWN_BYTES = 1_500_000  # bytes of the copy shown
JPEG_QUALITY = 85


@dataclass(frozen=True, slots=True)
class CleanImage:
    data: bytes
    content_type: str
    width: int
    height: int


def clean_image(
    data: bytes,
    *,
    max_dimension: int = MAX_DIMENSION,
    max_bytes: int = MAX_SHOWN_BYTES,
    max_pixels: int = MAX_PIXELS,
) -> CleanImage:
    """A metadata-free JPEG copy of `data`, no larger than `max_dimension` a side and `max_bytes`;
    `MediaRejected` when `data` is not an image the capture rules accept."""
    from PIL import Image

    decoded = decode_image(data, "stored image", max_pixels)  # RGB, upright, first frame
    decoded.thumbnail((max_dimension, max_dimension))
    # A new image holding the pixels only: Pillow would otherwise carry `info` (a JPEG comment, …) into the copy.
    image = Image.new("RGB", decoded.size)
    image.paste(decoded)
    quality = JPEG_QUALITY
    while True:
        out = io.BytesIO()
        # No exif=, icc_profile=, comment=: the copy carries pixels only.
        image.save(out, format="JPEG", quality=quality, optimize=True)
        encoded = out.getvalue()
        if len(encoded) <= max_bytes:
            return CleanImage(encoded, "image/jpeg", image.width, image.height)
        if quality > 50:
            quality -= 15
        elif min(image.size) > 64:
            image.thumbnail((image.width * 3 // 4, image.height * 3 // 4))
        else:
            raise MediaRejected(f"stored image: cannot be shown within {max_bytes} bytes")
