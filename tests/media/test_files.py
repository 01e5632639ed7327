from __future__ import annotations

import os
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from varde.media.files import MediaRejected, is_placeholder, iter_post_images, load_image

from .helpers import make_post


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims `width` x `height` pixels but holds almost no data (a decompression bomb's header)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def test_loads_an_image_inside_the_folder(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    Image.new("RGBA", (40, 30), (10, 20, 30, 255)).save(tmp_path / "sub" / "a.png")
    loaded = load_image(str(tmp_path), "sub/a.png")
    assert loaded.image.size == (40, 30)
    assert loaded.image.mode == "RGB"
    assert loaded.path == "sub/a.png"
    assert len(loaded.sha256) == 64


def test_dot_dot_that_stays_inside_is_allowed(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    Image.new("RGB", (8, 8)).save(tmp_path / "a.png")
    assert load_image(str(tmp_path), "sub/../a.png").image.size == (8, 8)


@pytest.mark.parametrize(
    ("relative", "message"),
    [
        ("../outside.png", "outside the input folder"),
        ("sub/../../outside.png", "outside the input folder"),
        ("/etc/passwd", "absolute paths are not allowed"),
        ("missing.png", "file not found"),
        ("", "empty path"),
        ("a\x00.png", "NUL"),
    ],
)
def test_refuses_bad_paths(tmp_path: Path, relative: str, message: str) -> None:
    root = tmp_path / "input"
    (root / "sub").mkdir(parents=True)
    Image.new("RGB", (8, 8)).save(tmp_path / "outside.png")
    with pytest.raises(MediaRejected, match=message):
        load_image(str(root), relative)


def test_refuses_a_symlink_that_leads_out(tmp_path: Path) -> None:
    root = tmp_path / "input"
    root.mkdir()
    Image.new("RGB", (8, 8)).save(tmp_path / "secret.png")
    (root / "link.png").symlink_to(tmp_path / "secret.png")
    with pytest.raises(MediaRejected, match="outside the input folder"):
        load_image(str(root), "link.png")


def test_follows_a_symlink_that_stays_inside(tmp_path: Path) -> None:
    Image.new("RGB", (8, 8)).save(tmp_path / "real.png")
    (tmp_path / "link.png").symlink_to(tmp_path / "real.png")
    assert load_image(str(tmp_path), "link.png").image.size == (8, 8)


def test_refuses_a_file_that_is_not_an_image(tmp_path: Path) -> None:
    (tmp_path / "a.png").write_text("<html>not a picture</html>")
    with pytest.raises(MediaRejected, match="not an image"):
        load_image(str(tmp_path), "a.png")


def test_refuses_an_empty_file(tmp_path: Path) -> None:
    (tmp_path / "a.jpg").write_bytes(b"")
    with pytest.raises(MediaRejected, match="empty"):
        load_image(str(tmp_path), "a.jpg")


def test_refuses_a_truncated_image(tmp_path: Path) -> None:
    Image.effect_noise((200, 200), 60).convert("RGB").save(tmp_path / "full.jpg", quality=90)
    data = (tmp_path / "full.jpg").read_bytes()
    (tmp_path / "cut.jpg").write_bytes(data[: len(data) // 3])
    with pytest.raises(MediaRejected, match="unreadable image"):
        load_image(str(tmp_path), "cut.jpg")


def test_refuses_a_decompression_bomb_before_decoding(tmp_path: Path) -> None:
    (tmp_path / "bomb.png").write_bytes(_png_header_only(100_000, 100_000))
    with pytest.raises(MediaRejected, match="decompression bomb"):
        load_image(str(tmp_path), "bomb.png")


def test_refuses_an_image_over_the_pixel_cap(tmp_path: Path) -> None:
    (tmp_path / "big.png").write_bytes(_png_header_only(9_000, 6_000))  # 54 M pixels: under Pillow's limit, over ours
    with pytest.raises(MediaRejected, match="9000x6000 pixels"):
        load_image(str(tmp_path), "big.png")


def test_refuses_a_file_over_the_byte_cap(tmp_path: Path) -> None:
    Image.new("RGB", (64, 64)).save(tmp_path / "a.bmp")
    with pytest.raises(MediaRejected, match="byte limit"):
        load_image(str(tmp_path), "a.bmp", max_bytes=100)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_refuses_a_fifo_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.png")
    with pytest.raises(MediaRejected, match="not a regular file"):
        load_image(str(tmp_path), "pipe.png")


def test_iter_post_images_reports_each_file_and_skips_telegram_placeholders(tmp_path: Path) -> None:
    Image.new("RGB", (8, 8)).save(tmp_path / "ok.png")
    placeholder = "(File not included. Change data exporting settings to download.)"
    post = make_post(tmp_path, ("ok.png", placeholder, "../x.png", "gone.png"))
    results = list(iter_post_images(post))
    assert len(results) == 3
    assert not isinstance(results[0], MediaRejected)
    assert [str(r) for r in results[1:]] == [
        "media '../x.png': path leads outside the input folder",
        "media 'gone.png': file not found",
    ]
    assert is_placeholder(placeholder)
    assert not is_placeholder("photos/photo_1.jpg")
