"""Read the text in an image with Debian's `tesseract` command.

Preprocessing (Pillow, pure): grey scale, light-on-dark images inverted (Tesseract's LSTM reads dark text on light
best), small images upscaled so letters reach a readable height, contrast stretched. The image goes to Tesseract
on stdin as PNG (no temporary files), with an argument list (never a shell) and a timeout. The combined language
string (`swe+nor+dan+eng`) lets one pass read Swedish, Norwegian, Danish and English, including æ ø å ä ö.
"""

from __future__ import annotations

import dataclasses
import io
import os
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from varde.errors import InputError

if TYPE_CHECKING:
    from PIL.Image import Image

# Swedish first: with Norwegian first, Tesseract reads Swedish ä as å ("ikvåll", "Flytthjålp"), which changes what
# the detector sees; Swedish first keeps ä/ö and still reads Norwegian/Danish æ ø å (bench/bench_media.py).
LANGUAGES = "swe+nor+dan+eng"
TIMEOUT_S = 30.0
MIN_LONG_SIDE = 1000  # upscale smaller images: Tesseract wants cap heights of roughly 20-40 px
MAX_UPSCALE = 3.0
MAX_LONG_SIDE = 4000  # downscale larger ones: more pixels only cost time


class OcrError(InputError):
    """Tesseract is missing, failed or timed out on one image."""


@dataclass(frozen=True, slots=True)
class OcrConfig:
    """How to run Tesseract. `psm` 3 = automatic page segmentation; 11 = sparse text."""

    languages: str = LANGUAGES
    timeout_s: float = TIMEOUT_S
    psm: int = 3
    command: str = "tesseract"
    min_long_side: int = MIN_LONG_SIDE


@lru_cache(maxsize=8)
def find_tesseract(command: str = "tesseract") -> str | None:
    """The full path of the Tesseract command, or None when it is not installed."""
    return shutil.which(command)


@lru_cache(maxsize=8)
def installed_languages(command: str = "tesseract") -> frozenset[str]:
    """The language packs Tesseract reports (empty when it is not installed)."""
    exe = find_tesseract(command)
    if exe is None:
        return frozenset()
    try:
        done = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=15, check=False)
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    lines = (done.stdout + "\n" + done.stderr).splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and " " not in line.strip())


def usable_languages(config: OcrConfig) -> str:
    """`config.languages` restricted to the installed packs (so a missing pack degrades instead of failing)."""
    have = installed_languages(config.command)
    wanted = [lang for lang in config.languages.split("+") if lang]
    usable = [lang for lang in wanted if lang in have] if have else wanted
    return "+".join(usable or wanted)


def preprocess(image: Image, min_long_side: int = MIN_LONG_SIDE) -> Image:
    """Grey scale, dark backgrounds inverted, resized to a readable scale, contrast stretched."""
    from PIL import Image as PILImage
    from PIL import ImageOps, ImageStat

    grey = image.convert("L")
    if ImageStat.Stat(grey).median[0] < 110:
        grey = ImageOps.invert(grey)  # light text on a dark poster
    long_side = max(grey.size)
    scale = 1.0
    if long_side < min_long_side:
        scale = min(MAX_UPSCALE, min_long_side / long_side)
    elif long_side > MAX_LONG_SIDE:
        scale = MAX_LONG_SIDE / long_side
    if scale != 1.0:
        size = (max(1, round(grey.width * scale)), max(1, round(grey.height * scale)))
        grey = grey.resize(size, PILImage.Resampling.LANCZOS)
    return ImageOps.autocontrast(grey, cutoff=1)


def flatten_background(grey: Image) -> Image:
    """Divide out the local background (a blurred max filter), so text on a tinted bubble or panel is dark on white.

    Tesseract binarises with one global Otsu threshold; on a grey chat bubble on a white page that threshold can
    fall between bubble and page and turn the bubble, text and all, black (it then reads nothing)."""
    import numpy as np
    from PIL import Image as PILImage
    from PIL import ImageFilter

    small = grey.reduce(4) if min(grey.size) >= 64 else grey
    background = small.filter(ImageFilter.MaxFilter(5)).filter(ImageFilter.GaussianBlur(2))
    background = background.resize(grey.size, PILImage.Resampling.BILINEAR)
    pixels = np.asarray(grey, dtype=np.float32)
    base = np.maximum(np.asarray(background, dtype=np.float32), 1.0)
    return PILImage.fromarray(np.clip(pixels / base * 255.0, 0, 255).astype(np.uint8))


def clean_ocr_text(raw: str) -> str:
    """Tesseract's output without form feeds, trailing spaces and empty lines."""
    lines = (line.strip() for line in raw.replace("\f", "\n").splitlines())
    return "\n".join(line for line in lines if line)


def ocr_image(image: Image, config: OcrConfig | None = None) -> str:
    """The text Tesseract reads in `image` (after `preprocess`); `OcrError` when it cannot run or times out."""
    config = config or OcrConfig()
    exe = find_tesseract(config.command)
    if exe is None:
        raise OcrError("tesseract is not installed (run scripts/install-system-deps.sh); image text not read")
    prepared = preprocess(image, config.min_long_side)
    text = _run_tesseract(exe, prepared, config)
    if len(text) < 3:
        # Nothing read: retry once with the background flattened (see `flatten_background`) and the page taken as
        # one block of text (automatic segmentation can take a framed poster for a picture and skip it).
        retry = _run_tesseract(exe, flatten_background(prepared), dataclasses.replace(config, psm=6))
        text = retry if len(retry) > len(text) else text
    return text


def _run_tesseract(exe: str, prepared: Image, config: OcrConfig) -> str:
    buffer = io.BytesIO()
    prepared.save(buffer, format="PNG")
    args = [exe, "stdin", "stdout", "-l", usable_languages(config), "--psm", str(config.psm)]
    # One thread per Tesseract: the caller decides the parallelism, OpenMP would oversubscribe the cores.
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        done = subprocess.run(
            args, input=buffer.getvalue(), capture_output=True, timeout=config.timeout_s, check=False, env=env
        )
    except subprocess.TimeoutExpired:
        raise OcrError(f"OCR timed out after {config.timeout_s:g} s") from None
    except OSError as exc:
        raise OcrError(f"tesseract could not run: {exc}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise OcrError(f"tesseract failed ({done.returncode}): {message[-1] if message else 'no message'}")
    return clean_ocr_text(done.stdout.decode("utf-8", "replace"))
