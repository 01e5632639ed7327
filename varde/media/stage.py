"""The "media" pipeline stage: read the text in a post's images and hash them for re-post matching.

For each record whose post has media, every image is loaded safely (`varde.media.files`), read with Tesseract
(`varde.media.ocr`) and hashed with PDQ (`varde.media.pdq`). `image_text` is the OCR text of all images, one
image after another separated by newlines; `image_hashes` the usable PDQ hashes in media order (up to two per
image: the whole frame and its ink box, `varde.media.pdq.view_hashes`); refused files, a
missing Tesseract and OCR failures become `notes`, and never stop the run. The stage runs before "normalise",
which joins `image_text` to the post text, so detection and extraction see it and cues in it are marked "image".

Capture: every accepted file is copied into the media store (`varde.media.store`, by SHA-256) and the record's
`media_files` keeps, per media entry, the given name as inert text plus either that digest or why it was refused. Only
the digest is ever used to open the file again (evidence export); a refused path is never opened again.

Images are processed by a small thread pool (Tesseract runs as a subprocess, so threads give real parallelism);
identical files (same SHA-256) are read once per stage instance.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from varde.cache import LruCache
from varde.media.files import MAX_FILE_BYTES, MAX_PIXELS, LoadedImage, MediaRejected, load_image
from varde.media.files import is_placeholder as _is_placeholder
from varde.media.ocr import OcrConfig, OcrError, find_tesseract, ocr_image
from varde.media.pdq import usable_hashes
from varde.media.store import MediaStore
from varde.records import MediaFile, Record

_CACHE_SIZE = 2048


@dataclass(frozen=True, slots=True)
class MediaConfig:
    """What the media stage does: OCR and/or hashing, limits, and how many images to work on at once."""

    ocr: bool = True
    hashes: bool = True
    ocr_config: OcrConfig = dataclasses.field(default_factory=OcrConfig)
    max_bytes: int = MAX_FILE_BYTES
    max_pixels: int = MAX_PIXELS
    workers: int = max(1, min(2, os.cpu_count() or 1))


@dataclass(frozen=True, slots=True)
class ImageResult:
    """What one media file gave: its OCR text, its usable PDQ hashes (none when too plain to match on), notes."""

    text: str = ""
    hashes: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    file: MediaFile | None = None


def _hash_available() -> bool:
    try:
        import pdqhash  # noqa: F401
    except ImportError:
        return False
    return True


class MediaStage:
    """Fill `image_text`, `image_hashes` and `notes` for records whose post has media."""

    name = "media"
    requires: frozenset[str] = frozenset()
    assigns = frozenset({"image_text", "image_hashes", "media_files", "notes"})

    def __init__(self, config: MediaConfig | None = None, *, media_store: MediaStore | None = None) -> None:
        """`media_store`: where accepted files are copied (none: digests are recorded but nothing is kept)."""
        self.config = config or MediaConfig()
        self.media_store = media_store
        self._cache: LruCache[str, ImageResult] = LruCache(_CACHE_SIZE)  # by the image's SHA-256

    def __call__(self, batch: Sequence[Record]) -> list[Record]:
        jobs = [(i, path) for i, r in enumerate(batch) for path in r.post.media]
        if not jobs:
            return list(batch)
        setup_notes = self._setup_notes() if any(not _is_placeholder(path) for _, path in jobs) else []
        if self.config.workers > 1 and len(jobs) > 1:
            with ThreadPoolExecutor(max_workers=self.config.workers) as pool:
                results = list(pool.map(lambda job: self._process(batch[job[0]], job[1]), jobs))
        else:
            results = [self._process(batch[i], path) for i, path in jobs]
        per_record: dict[int, list[ImageResult]] = {}
        for (i, _), result in zip(jobs, results, strict=True):
            per_record.setdefault(i, []).append(result)
        out = list(batch)
        for i, found in per_record.items():
            notes = [*setup_notes, *(note for result in found for note in result.notes)]
            record = out[i]
            out[i] = dataclasses.replace(
                record,
                image_text="\n".join(result.text for result in found if result.text),
                image_hashes=tuple(dict.fromkeys(h for result in found for h in result.hashes)),
                media_files=tuple(result.file for result in found if result.file is not None),
                notes=record.notes + tuple(dict.fromkeys(notes)),
            )
        return out

    def _setup_notes(self) -> list[str]:
        notes = []
        if self.config.ocr and find_tesseract(self.config.ocr_config.command) is None:
            notes.append("tesseract is not installed (run scripts/install-system-deps.sh); image text not read")
        if self.config.hashes and not _hash_available():
            notes.append("pdqhash is not installed (pip install 'varde[image]'); images not hashed")
        return notes

    def _process(self, record: Record, path: str) -> ImageResult:
        if _is_placeholder(path):
            return ImageResult(file=MediaFile(path, refused="not included in the export"))
        try:
            loaded = load_image(
                record.post.media_root, path, max_bytes=self.config.max_bytes, max_pixels=self.config.max_pixels
            )
        except MediaRejected as exc:
            # The refused path stays text in the record; nothing will open it again.
            return ImageResult(notes=(str(exc),), file=MediaFile(path, refused=str(exc)))
        file = self._capture(loaded)
        cached = self._cache.get(loaded.sha256)
        if cached is None:
            cached = self.process_image(loaded)
            self._cache.put(loaded.sha256, cached)
        notes = cached.notes if file.sha256 else (*cached.notes, str(file.refused))
        return dataclasses.replace(cached, file=file, notes=notes)

    def _capture(self, loaded: LoadedImage) -> MediaFile:
        """Copy the accepted file into the media store; its digest is all the record keeps of where it is."""
        if self.media_store is not None:
            try:
                self.media_store.put(loaded.data)
            except OSError as exc:
                return MediaFile(loaded.path, refused=f"media {loaded.path!r}: not kept ({exc.strerror or exc})")
        return MediaFile(loaded.path, loaded.sha256, len(loaded.data))

    def process_image(self, loaded: LoadedImage) -> ImageResult:
        """OCR and hash one loaded image; failures become notes."""
        text, notes = "", []
        image_hashes: tuple[str, ...] = ()
        if self.config.ocr and find_tesseract(self.config.ocr_config.command) is not None:
            try:
                text = ocr_image(loaded.image, self.config.ocr_config)
            except OcrError as exc:
                notes.append(f"media {loaded.path!r}: {exc}")
        if self.config.hashes and _hash_available():
            try:
                image_hashes = usable_hashes(loaded.image)
            except (ValueError, RuntimeError) as exc:
                notes.append(f"media {loaded.path!r}: could not hash ({exc})")
        return ImageResult(text, image_hashes, tuple(notes))
