"""Image ads: safe loading of attached media, OCR with Tesseract, PDQ perceptual hashes.

    files.py       load_image / iter_post_images: paths kept inside the input folder, size and pixel caps
    ocr.py         ocr_image: preprocessing with Pillow, then the `tesseract` command (nor+swe+dan+eng)
    pdq.py         pdq_hash / view_hashes / usable_hashes / hamming: 256-bit PDQ hashes (whole frame and ink box)
                   as hex, quality <= 49 discarded
    stage.py       MediaStage: the "media" pipeline stage (image_text, image_hashes, notes)

Pillow and pdqhash are the "image" extra; Tesseract is a Debian package (scripts/install-system-deps.sh).
Without them the stage adds a note to each record with media and the rest of the pipeline runs as before.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from varde.media.files import LoadedImage, MediaRejected, iter_post_images, load_image
    from varde.media.ocr import OcrConfig, OcrError, ocr_image
    from varde.media.pdq import (
        MATCH_DISTANCE,
        MIN_QUALITY,
        PdqHash,
        hamming,
        pdq_hash,
        usable_hash,
        usable_hashes,
        view_hashes,
    )
    from varde.media.stage import MediaConfig, MediaStage

# Each name's module, imported on first use: `varde.media.store` (the case views, evidence export) should not load
# the stage, PDQ and OCR at a command's start.
_MODULES = {
    "LoadedImage": "files",
    "MediaRejected": "files",
    "iter_post_images": "files",
    "load_image": "files",
    "OcrConfig": "ocr",
    "OcrError": "ocr",
    "ocr_image": "ocr",
    "MATCH_DISTANCE": "pdq",
    "MIN_QUALITY": "pdq",
    "PdqHash": "pdq",
    "hamming": "pdq",
    "pdq_hash": "pdq",
    "usable_hash": "pdq",
    "usable_hashes": "pdq",
    "view_hashes": "pdq",
    "MediaConfig": "stage",
    "MediaStage": "stage",
}


def __getattr__(name: str) -> Any:
    if name in _MODULES:
        return getattr(import_module(f"varde.media.{_MODULES[name]}"), name)
    raise AttributeError(f"module 'varde.media' has no attribute {name!r}")


__all__ = [
    "MATCH_DISTANCE",
    "MIN_QUALITY",
    "LoadedImage",
    "MediaConfig",
    "MediaRejected",
    "MediaStage",
    "OcrConfig",
    "OcrError",
    "PdqHash",
    "hamming",
    "iter_post_images",
    "load_image",
    "ocr_image",
    "pdq_hash",
    "usable_hash",
    "usable_hashes",
    "view_hashes",
]
