from __future__ import annotations

import pytest
from PIL import Image

from bench.synthetic import images as synth
from varde.media.ocr import OcrConfig, OcrError, clean_ocr_text, ocr_image, preprocess

from .helpers import font, needs_tesseract


def _grey(image: Image.Image, xy: tuple[int, int]) -> int:
    """A pixel of a grey-scale image (Pillow types `getpixel` loosely)."""
    value = image.getpixel(xy)
    assert isinstance(value, int)
    return value


def test_preprocess_inverts_dark_posters_and_upscales_small_images() -> None:
    poster = Image.new("RGB", (300, 100), (10, 10, 60))
    out = preprocess(poster)
    assert out.mode == "L"
    assert out.size == (900, 300)  # 3x at most
    assert _grey(out, (5, 5)) > 200  # dark background became light
    page = Image.new("RGB", (2000, 1000), (250, 250, 250))
    assert preprocess(page).size == (2000, 1000)
    assert preprocess(Image.new("RGB", (8000, 2000), (255, 255, 255))).size == (4000, 1000)


def test_clean_ocr_text_drops_empty_lines_and_form_feeds() -> None:
    assert clean_ocr_text("  Hei  \n\n\nkveld \n\f") == "Hei\nkveld"


def test_missing_tesseract_is_a_clear_error() -> None:
    with pytest.raises(OcrError, match="not installed"):
        ocr_image(Image.new("RGB", (50, 50)), OcrConfig(command="no-such-tesseract-here"))


@needs_tesseract
def test_reads_nordic_text_in_a_poster() -> None:
    style = synth.Style(
        layout="poster",
        font=font("DejaVuSans-Bold.ttf"),
        size=36,
        foreground=(255, 230, 0),
        background=(90, 0, 0),
        width=760,
    )
    text = ocr_image(synth.render("Jobb i Tromsø på lørdag\nSöker förare i Malmö\nBetaling 50 000 kr", style))
    words = text.casefold().split()
    assert {"tromsø", "lørdag", "söker", "malmö", "betaling"} <= set(words)
    assert "50 000" in text


@needs_tesseract
def test_reads_a_noisy_tilted_screenshot() -> None:
    style = synth.Style(
        layout="screenshot",
        font=font("LiberationSans-Regular.ttf"),
        size=26,
        foreground=(20, 20, 20),
        background=(235, 240, 245),
        rotate=1.5,
        noise=10.0,
    )
    text = ocr_image(synth.render("Trenger sjåfør til Kolbotn fredag, skriv til @bilmann", style))
    assert "Kolbotn" in text
    assert "fredag" in text


@needs_tesseract
def test_timeout_is_an_ocr_error() -> None:
    image = synth.render("Tekst " * 200, synth.Style(font=font("DejaVuSans.ttf")))
    with pytest.raises(OcrError, match="timed out"):
        ocr_image(image, OcrConfig(timeout_s=0.01))


def test_flatten_background_makes_a_tinted_bubble_white_and_keeps_text_dark() -> None:
    from PIL import ImageDraw

    from varde.media.ocr import flatten_background

    page = Image.new("L", (400, 200), 248)
    draw = ImageDraw.Draw(page)
    draw.rounded_rectangle((20, 40, 380, 160), radius=20, fill=190)  # a grey chat bubble
    draw.rectangle((60, 90, 200, 96), fill=10)  # a stroke of text inside it
    flat = flatten_background(page)
    assert _grey(flat, (300, 130)) > 235  # bubble background is now near white
    assert _grey(flat, (5, 5)) > 235
    assert _grey(flat, (100, 93)) < 40  # the text stays dark
