"""Synthetic images of text, for tests and benchmarks (nothing is downloaded).

`render` draws a text in one of several layouts — a plain note, a garish poster, a chat screenshot, a price
list — in the fonts installed on the machine (DejaVu and Liberation from Debian), with optional noise and a slight
rotation. `repost` makes the kind of copy a re-post is: rescaled, re-compressed as JPEG, cropped a little, with a
caption bar added. `abstract` draws an unrelated picture (shapes and gradients). All take a `random.Random`, so a
seed gives the same images every time.
"""

from __future__ import annotations

import io
import random
import textwrap
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL.Image import Image
    from PIL.ImageFont import FreeTypeFont

FONT_DIRS = ("/usr/share/fonts/truetype", "/usr/share/fonts/TTF", "/usr/local/share/fonts")
LAYOUTS = ("note", "poster", "screenshot", "pricelist", "photo")

Colour = tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class Style:
    """How a text is drawn; `random_style` picks one."""

    layout: str = "note"
    font: str = ""
    size: int = 28
    foreground: Colour = (0, 0, 0)
    background: Colour = (255, 255, 255)
    width: int = 720
    rotate: float = 0.0
    noise: float = 0.0


@lru_cache(maxsize=1)
def installed_fonts() -> tuple[str, ...]:
    """Regular TrueType fonts found on the machine (sorted, so a seed always picks the same)."""
    found: list[str] = []
    for folder in FONT_DIRS:
        root = Path(folder)
        if root.is_dir():
            found.extend(str(p) for p in root.rglob("*.ttf") if "ExtraLight" not in p.name and "Math" not in p.name)
    return tuple(sorted(found))


@lru_cache(maxsize=64)
def _font(path: str, size: int) -> FreeTypeFont:
    from PIL import ImageFont

    if path:
        return ImageFont.truetype(path, size)
    default = ImageFont.load_default(size)
    if not isinstance(default, ImageFont.FreeTypeFont):
        raise RuntimeError("no TrueType fonts found (run scripts/install-system-deps.sh)")
    return default


def _contrast(rng: random.Random, dark_on_light: bool) -> tuple[Colour, Colour]:
    def light() -> Colour:
        return (rng.randint(200, 255), rng.randint(200, 255), rng.randint(180, 255))

    def dark() -> Colour:
        return (rng.randint(0, 60), rng.randint(0, 60), rng.randint(0, 80))

    return (dark(), light()) if dark_on_light else (light(), dark())


def random_style(rng: random.Random, layout: str | None = None) -> Style:
    """A random layout, font, size and colours (always readable contrast), maybe a tilt and some noise."""
    fonts = installed_fonts() or ("",)
    layout = layout or rng.choice(LAYOUTS)
    if layout == "poster":
        foreground = rng.choice([(255, 230, 0), (255, 255, 255), (0, 255, 120), (255, 60, 60), (0, 220, 255)])
        background = rng.choice([(20, 20, 20), (120, 0, 0), (10, 10, 90), (60, 0, 80), (0, 70, 30)])
        bold = [f for f in fonts if "Bold" in f] or list(fonts)
        font, size = rng.choice(bold), rng.randint(30, 46)
    else:
        foreground, background = _contrast(rng, dark_on_light=layout != "screenshot" or rng.random() < 0.5)
        font, size = rng.choice(fonts), rng.randint(20, 32)
    return Style(
        layout=layout,
        font=font,
        size=size,
        foreground=foreground,
        background=background,
        width=rng.choice([640, 720, 800, 960]),
        rotate=rng.uniform(-2.5, 2.5) if rng.random() < 0.4 else 0.0,
        noise=rng.uniform(4, 14) if rng.random() < 0.4 else 0.0,
    )


def _wrap(text: str, font: FreeTypeFont, width: int) -> list[str]:
    """Wrap each paragraph so its lines fit `width` pixels."""
    average = max(1.0, font.getlength("abcdefghijklmnopqrstuvwxyz") / 26)
    columns = max(8, int(width / average))
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        lines.extend(textwrap.wrap(paragraph, columns) or [""])
    return lines


def _shade(colour: Colour, amount: int) -> Colour:
    r, g, b = (max(0, min(255, c + amount)) for c in colour)
    return (r, g, b)


def render(text: str, style: Style | None = None, rng: random.Random | None = None) -> Image:
    """Draw `text` as an image in `style` (a random one from `rng` when none is given)."""
    from PIL import Image as PILImage
    from PIL import ImageDraw

    rng = rng or random.Random(0)
    style = style or random_style(rng)
    font = _font(style.font, style.size)
    margin = 36 if style.layout == "poster" else 24
    inner = style.width - 2 * margin
    if style.layout == "screenshot":
        inner -= 60
    lines = _wrap(text, font, inner)
    line_height = int(style.size * 1.35)
    header = 64 if style.layout == "screenshot" else 0
    height = header + 2 * margin + line_height * len(lines) + (40 if style.layout == "screenshot" else 0)
    image = PILImage.new("RGB", (style.width, max(height, 120)), style.background)
    top = margin + header
    if style.layout == "photo":
        # Text on a picture: a busy background with a translucent panel behind the text.
        image = abstract(rng, (style.width, max(height, 120) + 160))
        panel = PILImage.new("RGB", image.size, style.background)
        mask = PILImage.new("L", image.size, 0)
        ImageDraw.Draw(mask).rectangle((margin - 10, 70, style.width - margin + 10, image.height - 70), fill=200)
        image.paste(panel, (0, 0), mask)
        top += 80
    draw = ImageDraw.Draw(image)
    if style.layout == "screenshot":
        # A messenger screenshot: title bar, one bubble with the text, a time stamp.
        bar = _shade(style.background, -40 if sum(style.background) > 380 else 40)
        draw.rectangle((0, 0, style.width, header - 8), fill=bar)
        draw.ellipse((14, 10, 54, 50), fill=(90, 140, 200))
        draw.text(
            (66, 18),
            rng.choice(["Kanal", "Gruppe", "Chat", "Kanalen"]),
            font=_font(style.font, 22),
            fill=style.foreground,
        )
        bubble = _shade(style.background, -18 if sum(style.background) > 380 else 30)
        draw.rounded_rectangle(
            (margin, top - 12, style.width - margin - 40, top + line_height * len(lines) + 30), radius=18, fill=bubble
        )
        draw.text(
            (style.width - margin - 120, top + line_height * len(lines)),
            f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}",
            font=_font(style.font, 16),
            fill=_shade(style.foreground, 90),
        )
        left = margin + 20
    elif style.layout == "poster":
        draw.rectangle((8, 8, style.width - 9, image.height - 9), outline=style.foreground, width=4)
        left = margin
    elif style.layout == "pricelist":
        left = margin
        for i in range(len(lines)):
            if i % 2:
                y = top + i * line_height - 4
                draw.rectangle(
                    (margin - 8, y, style.width - margin + 8, y + line_height), fill=_shade(style.background, -12)
                )
    else:
        left = margin
    for i, line in enumerate(lines):
        draw.text((left, top + i * line_height), line, font=font, fill=style.foreground)
    if style.noise:
        image = add_noise(image, style.noise, rng)
    if style.rotate:
        image = image.rotate(
            style.rotate, resample=PILImage.Resampling.BICUBIC, expand=True, fillcolor=style.background
        )
    return image


def add_noise(image: Image, sigma: float, rng: random.Random) -> Image:
    """Gaussian pixel noise with standard deviation `sigma`."""
    import numpy as np
    from PIL import Image as PILImage

    generator = np.random.default_rng(rng.getrandbits(32))
    pixels = np.asarray(image, dtype=np.float32)
    noisy = pixels + generator.normal(0.0, sigma, pixels.shape)
    return PILImage.fromarray(np.clip(noisy, 0, 255).astype(np.uint8))


def jpeg(image: Image, quality: int) -> Image:
    """The image after a round trip through JPEG at `quality`."""
    from PIL import Image as PILImage

    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="JPEG", quality=quality)
    buffer.seek(0)
    return PILImage.open(buffer).convert("RGB")


def overlay_caption(image: Image, caption: str, rng: random.Random) -> Image:
    """A caption drawn over the top or bottom of the image on a translucent band (as re-posters add)."""
    from PIL import ImageDraw

    copy = image.convert("RGB")
    draw = ImageDraw.Draw(copy, "RGBA")
    band = max(12, copy.height // 14)
    top = 0 if rng.random() < 0.5 else copy.height - band
    shade = rng.choice([(0, 0, 0, 150), (255, 255, 255, 170)])
    draw.rectangle((0, top, copy.width, top + band), fill=shade)
    ink = (255, 255, 255) if shade[0] == 0 else (0, 0, 0)
    fonts = installed_fonts() or ("",)
    draw.text((6, top + band // 8), caption, fill=ink, font=_font(rng.choice(fonts), max(9, band * 2 // 3)))
    return copy


def repost(image: Image, rng: random.Random, caption: str | None = None) -> Image:
    """A re-posted copy: cropped by up to 10 % of each dimension (split between the two sides at random), scaled
    0.5-2x, a caption overlaid when one is given, saved as JPEG at quality 30-95."""
    from PIL import Image as PILImage

    width, height = image.size
    crop_w, crop_h = int(width * rng.uniform(0, 0.10)), int(height * rng.uniform(0, 0.10))
    left, top = rng.randint(0, crop_w), rng.randint(0, crop_h)
    copy = image.crop((left, top, width - (crop_w - left), height - (crop_h - top)))
    scale = rng.uniform(0.5, 2.0)
    size = (max(16, round(copy.width * scale)), max(16, round(copy.height * scale)))
    copy = copy.resize(size, PILImage.Resampling.BILINEAR)
    if caption is not None:
        copy = overlay_caption(copy, caption, rng)
    return jpeg(copy, rng.randint(30, 95))


def abstract(rng: random.Random, size: tuple[int, int] | None = None) -> Image:
    """An unrelated picture: a gradient with random shapes (stand-in for photos and memes)."""
    import numpy as np
    from PIL import Image as PILImage
    from PIL import ImageDraw

    width, height = size or (rng.choice([480, 640, 800]), rng.choice([360, 480, 600, 800]))
    a = np.array([rng.randint(0, 255) for _ in range(3)], dtype=np.float32)
    b = np.array([rng.randint(0, 255) for _ in range(3)], dtype=np.float32)
    angle = rng.uniform(0, 6.283)
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    t = (np.cos(angle) * xs / width + np.sin(angle) * ys / height + 1.0) / 2.0
    pixels = a[None, None, :] * (1 - t[..., None]) + b[None, None, :] * t[..., None]
    image = PILImage.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(image)
    for _ in range(rng.randint(3, 12)):
        x0, y0 = rng.randint(-50, width), rng.randint(-50, height)
        x1, y1 = x0 + rng.randint(20, width // 2), y0 + rng.randint(20, height // 2)
        colour = (rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255))
        shape = rng.choice(["rect", "ellipse", "line"])
        if shape == "rect":
            draw.rectangle((x0, y0, x1, y1), fill=colour)
        elif shape == "ellipse":
            draw.ellipse((x0, y0, x1, y1), fill=colour)
        else:
            draw.line((x0, y0, x1, y1), fill=colour, width=rng.randint(2, 12))
    return image
