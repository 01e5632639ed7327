"""Helpers for the media tests: images are generated with Pillow, never downloaded."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bench.synthetic import images as synth
from varde.posts import Post

AD_TEXT = "Oppdrag i Drammen i kveld!\nTrenger en som kan skyte, 60k kontant.\nSkriv til @natteravn77 på Telegram"
NEGATIVE_TEXT = "Loppemarked på skolen lørdag kl 11.\nKaffe og vafler selges.\nVelkommen til alle!"

needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")


def make_post(root: Path, media: tuple[str, ...], text: str = "", post_id: str = "test:1") -> Post:
    return Post(
        id=post_id,
        platform="telegram",
        text=text,
        created_at=datetime(2025, 9, 14, 12, 0, tzinfo=UTC),
        media=media,
        media_root=str(root),
    )


def font(name: str) -> str:
    """The installed font file called `name` ("" = Pillow's default)."""
    return next((f for f in synth.installed_fonts() if f.endswith("/" + name)), "")
