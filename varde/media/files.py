"""Safe loading of a post's attached images (edge I/O).

Media paths come from untrusted input, so every path is resolved against the post's `media_root` and must stay
inside it (no `../`, no absolute paths, no symlinks that lead out), must be a regular file below a byte cap, must
decode as one of a few raster formats, and must stay below a pixel cap *before* it is decoded (decompression
bombs). Anything else is a `MediaRejected` with a message fit for `Record.notes`; nothing here crashes a run.
Telegram Desktop writes "(File not included. …)" in place of media it did not export; those are skipped quietly.
"""

from __future__ import annotations

import hashlib
import io
import os
import stat
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from varde.errors import InputError

if TYPE_CHECKING:
    from PIL.Image import Image

    from varde.posts import Post

MAX_FILE_BYTES = 20 * 1024 * 1024  # larger than any social-media image; keeps memory bounded
MAX_PIXELS = 40_000_000  # ~ 8000 x 5000; Pillow's own MAX_IMAGE_PIXELS (89 M) only warns
ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "BMP", "TIFF")
TELEGRAM_PLACEHOLDER = "(File not included"


class MediaRejected(InputError):
    """One media file was refused; the message says which and why (the rest of the post is still processed)."""


@dataclass(frozen=True, slots=True)
class LoadedImage:
    """A decoded image (RGB), the path it was given as, the SHA-256 of its file (for evidence and caching) and the
    file's bytes (copied into the media store at capture)."""

    path: str
    image: Image
    sha256: str
    data: bytes = field(default=b"", repr=False)


def is_placeholder(path: str) -> bool:
    """True for Telegram's "(File not included…)" stand-in for media left out of an export."""
    return path.strip().startswith(TELEGRAM_PLACEHOLDER)


def resolve_media_path(root: str, relative: str) -> Path:
    """The real path of `relative` under `root`, or `MediaRejected` if it is absolute or leads outside `root`."""
    if not relative or not relative.strip():
        raise MediaRejected("media: empty path")
    if "\x00" in relative:
        raise MediaRejected(f"media {relative!r}: path contains a NUL character")
    candidate = Path(relative)
    if candidate.is_absolute() or relative.startswith(("/", "\\")) or (len(relative) > 1 and relative[1] == ":"):
        raise MediaRejected(f"media {relative!r}: absolute paths are not allowed; give a path relative to the input")
    base = Path(root or ".").resolve()
    target = (base / candidate).resolve()  # follows symlinks, so a link pointing out is caught below
    if target != base and base not in target.parents:
        raise MediaRejected(f"media {relative!r}: path leads outside the input folder")
    return target


def read_media_bytes(path: Path, relative: str, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file no bigger than `max_bytes`, or `MediaRejected` saying why not."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise MediaRejected(f"media {relative!r}: file not found") from None
    except OSError as exc:
        raise MediaRejected(f"media {relative!r}: cannot read ({exc.strerror or exc})") from None
    if not stat.S_ISREG(info.st_mode):
        # FIFOs and devices would block or never end.
        raise MediaRejected(f"media {relative!r}: not a regular file")
    if info.st_size > max_bytes:
        raise MediaRejected(f"media {relative!r}: file is {info.st_size} bytes, over the {max_bytes}-byte limit")
    try:
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(path, flags)
        with os.fdopen(fd, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise MediaRejected(f"media {relative!r}: cannot read ({exc.strerror or exc})") from None
    if len(data) > max_bytes:
        raise MediaRejected(f"media {relative!r}: file is over the {max_bytes}-byte limit")
    return data


def decode_image(data: bytes, relative: str, max_pixels: int = MAX_PIXELS) -> Image:
    """Decode image bytes to RGB, checking the pixel count from the header before decoding."""
    try:
        from PIL import Image as PILImage
        from PIL import ImageOps, UnidentifiedImageError
    except ImportError:  # pragma: no cover - pillow is in the "image" extra
        raise MediaRejected("media: Pillow is not installed (pip install 'varde[image]')") from None
    if not data:
        raise MediaRejected(f"media {relative!r}: file is empty")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            opened = PILImage.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
            width, height = opened.size
            if width <= 0 or height <= 0:
                raise MediaRejected(f"media {relative!r}: image has no pixels")
            if width * height > max_pixels:
                raise MediaRejected(
                    f"media {relative!r}: image is {width}x{height} pixels, over the {max_pixels}-pixel limit "
                    "(possible decompression bomb)"
                )
            opened.seek(0)  # first frame of an animation
            opened.load()
            upright = ImageOps.exif_transpose(opened) or opened
            return upright.convert("RGB")
    except MediaRejected:
        raise
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
        raise MediaRejected(f"media {relative!r}: image is too large (possible decompression bomb)") from None
    except UnidentifiedImageError:
        raise MediaRejected(f"media {relative!r}: not an image (or not one of {', '.join(ALLOWED_FORMATS)})") from None
    except (OSError, ValueError, SyntaxError, EOFError, MemoryError, IndexError, TypeError) as exc:
        # Truncated or corrupt files raise any of these from the decoders.
        raise MediaRejected(f"media {relative!r}: unreadable image ({type(exc).__name__}: {exc})") from None


def load_image(
    root: str, relative: str, *, max_bytes: int = MAX_FILE_BYTES, max_pixels: int = MAX_PIXELS
) -> LoadedImage:
    """Load one media file given relative to `root`; `MediaRejected` with a clear message when it is refused."""
    path = resolve_media_path(root, relative)
    data = read_media_bytes(path, relative, max_bytes)
    return LoadedImage(relative, decode_image(data, relative, max_pixels), hashlib.sha256(data).hexdigest(), data)


def iter_post_images(
    post: Post, *, max_bytes: int = MAX_FILE_BYTES, max_pixels: int = MAX_PIXELS
) -> Iterator[LoadedImage | MediaRejected]:
    """Each of the post's media as a `LoadedImage`, or the `MediaRejected` that refused it; placeholders skipped."""
    for relative in post.media:
        if is_placeholder(relative):
            continue
        try:
            yield load_image(post.media_root, relative, max_bytes=max_bytes, max_pixels=max_pixels)
        except MediaRejected as exc:
            yield exc
