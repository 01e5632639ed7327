from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

from PIL import Image

from bench.synthetic import images as synth
from varde.media.pdq import usable_hashes
from varde.media.stage import MediaConfig, MediaStage
from varde.media.store import MediaStore
from varde.pipeline import Pipeline, Stage, build_pipeline
from varde.records import MediaFile, Record

from .helpers import AD_TEXT, font, make_post, needs_tesseract

PLACEHOLDER = "(File not included. Change data exporting settings to download.)"
SHARED = MediaStage()  # its cache (by file SHA-256) lets the tests below read the same ad image only once


def _save_ad(folder: Path, name: str = "ad.png", text: str = AD_TEXT) -> None:
    style = synth.Style(layout="note", font=font("DejaVuSans.ttf"), size=28, width=820)
    synth.render(text, style).save(folder / name)


def test_stage_declares_the_contract() -> None:
    stage = MediaStage()
    assert isinstance(stage, Stage)
    assert stage.name == "media"
    assert stage.requires == frozenset()
    assert stage.assigns == {"image_text", "image_hashes", "media_files", "notes"}
    assert stage([]) == []


def test_records_without_media_pass_unchanged(tmp_path: Path) -> None:
    records = [Record(post=make_post(tmp_path, (), text="hei")), Record(post=make_post(tmp_path, (PLACEHOLDER,)))]
    out = MediaStage()(records)
    assert out[0] == records[0]
    assert out[1] == dataclasses.replace(
        records[1], media_files=(MediaFile(PLACEHOLDER, refused="not included in the export"),)
    )


def test_accepted_media_are_captured_by_digest_and_refused_ones_kept_as_text(tmp_path: Path) -> None:
    """Capture: the accepted image is copied into the media store by SHA-256; refused paths stay text, unopened."""
    Image.new("RGB", (64, 64), (10, 200, 10)).save(tmp_path / "ok.png")
    data = (tmp_path / "ok.png").read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    store = MediaStore(tmp_path / "store")
    post = make_post(tmp_path, ("ok.png", "/etc/passwd", "../up.png"))
    out = MediaStage(MediaConfig(ocr=False, hashes=False), media_store=store)([Record(post=post)])[0]
    assert out.media_files[0] == MediaFile("ok.png", digest, len(data))
    assert store.read(digest) == data
    assert [(f.name, f.sha256) for f in out.media_files[1:]] == [("/etc/passwd", None), ("../up.png", None)]
    assert "absolute paths are not allowed" in str(out.media_files[1].refused)
    assert "outside the input folder" in str(out.media_files[2].refused)
    assert sorted(p.name for p in (tmp_path / "store").rglob("*") if p.is_file()) == [digest[2:]]


def test_rejected_media_become_notes_and_the_rest_is_still_read(tmp_path: Path) -> None:
    Image.new("RGB", (64, 64), (255, 255, 255)).save(tmp_path / "blank.png")
    (tmp_path / "fake.jpg").write_text("no picture here")
    post = make_post(tmp_path, ("../escape.png", "fake.jpg", "missing.png", "blank.png", PLACEHOLDER))
    record = Record(post=post, notes=("earlier note",))
    out = MediaStage(MediaConfig(ocr=False))([record])[0]
    assert out.notes == (
        "earlier note",
        "media '../escape.png': path leads outside the input folder",
        "media 'fake.jpg': not an image (or not one of JPEG, PNG, WEBP, GIF, BMP, TIFF)",
        "media 'missing.png': file not found",
    )
    assert out.image_hashes == ()  # a blank image is too plain to hash
    changed = {f.name for f in dataclasses.fields(Record) if getattr(out, f.name) != getattr(record, f.name)}
    assert changed <= MediaStage.assigns


def test_missing_tesseract_is_a_note_not_a_crash(tmp_path: Path) -> None:
    _save_ad(tmp_path)
    config = MediaConfig(ocr_config=dataclasses.replace(MediaConfig().ocr_config, command="no-such-tesseract"))
    out = MediaStage(config)([Record(post=make_post(tmp_path, ("ad.png",)))])[0]
    assert out.image_text == ""
    assert out.image_hashes == usable_hashes(Image.open(tmp_path / "ad.png"))
    assert len(out.image_hashes) == 2  # the whole frame and the ink box
    assert any("tesseract is not installed" in note for note in out.notes)


@needs_tesseract
def test_reads_and_hashes_images_in_order_and_deterministically(tmp_path: Path) -> None:
    _save_ad(tmp_path, "a.png")
    _save_ad(tmp_path, "b.png", "Second picture: Loppemarked i Trondheim")
    records = [
        Record(post=make_post(tmp_path, ("a.png", "b.png"), post_id="p1")),
        Record(post=make_post(tmp_path, (), text="plain", post_id="p2")),
        Record(post=make_post(tmp_path, ("a.png",), post_id="p3")),
    ]
    out = SHARED(records)
    assert [r.id for r in out] == ["p1", "p2", "p3"]
    first, second = out[0].image_text.split("\nSecond")
    assert "Drammen" in first
    assert "Loppemarked" in second
    a_hashes = usable_hashes(Image.open(tmp_path / "a.png"))
    b_hashes = usable_hashes(Image.open(tmp_path / "b.png"))
    assert out[0].image_hashes == a_hashes + b_hashes
    assert out[2].image_hashes == a_hashes
    assert out[1] == records[1]
    hashes_only = MediaConfig(ocr=False, workers=1)
    assert [r.image_hashes for r in MediaStage(hashes_only)(records)] == [r.image_hashes for r in out]


@needs_tesseract
def test_image_only_ad_is_detected_like_the_same_text(tmp_path: Path) -> None:
    _save_ad(tmp_path)
    stages = build_pipeline().stages
    with_media = Pipeline([SHARED, *stages])
    image_post = make_post(tmp_path, ("ad.png",), post_id="image")
    text_post = make_post(tmp_path, (), text=AD_TEXT, post_id="text")
    from_image, from_text = with_media.run([Record(post=image_post), Record(post=text_post)])
    assert from_text.is_order
    assert from_image.is_order
    image_cues = [cue for cue in from_image.cues if cue.origin == "image"]
    assert image_cues
    for cue in image_cues:
        assert from_image.image_text[cue.start : cue.end] == cue.text


@needs_tesseract
def test_extracted_cues_from_image_text_are_marked_image(tmp_path: Path) -> None:
    _save_ad(tmp_path)
    record = Pipeline([SHARED, *build_pipeline().stages]).run([Record(post=make_post(tmp_path, ("ad.png",)))])[0]
    assert record.payment is not None
    assert all(cue.origin == "image" for cue in record.cues)
    assert all(record.image_text[cue.start : cue.end] == cue.text for cue in record.cues)
