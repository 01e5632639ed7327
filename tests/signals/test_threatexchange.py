"""The real `threatexchange` library (the reference behind Meta's Hasher-Matcher-Actioner) reads Varde's export in
its local-file format and matches re-posts with its own hashers and indexes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from tests.signals.conftest import EDITED
from varde.cases.access import Actor
from varde.media.pdq import ink_box
from varde.signals.formats import write_lines
from varde.signals.service import SignalService
from varde.signals.text import normalise
from varde.store import Store

pytest.importorskip("tlsh")
file_api = pytest.importorskip("threatexchange.exchanges.impl.file_api")
from threatexchange.exchanges.impl.file_api import (  # noqa: E402
    FileCollaborationConfig,
    LocalFileSignalExchangeAPI,
)
from threatexchange.extensions.tlsh.text_tlsh import TextTLSHSignal  # noqa: E402
from threatexchange.signal_type.pdq.signal import PdqSignal  # noqa: E402

DEMO_MEDIA = Path(__file__).resolve().parents[2] / "corpus" / "demo" / "media"


@pytest.fixture
def tx_file(source_db: tuple[Store, SignalService, dict[str, Actor]], tmp_path: Path) -> Iterator[Path]:
    _, service, who = source_db
    service.create_bank(who["sig"], "politiet-no")
    service.collect(who["sig"], "politiet-no")
    path = tmp_path / "politiet-no.txt"
    exported = service.export(who["sig"], bank="politiet-no", fmt="threatexchange")
    path.write_text("".join(write_lines(exported, "threatexchange")), encoding="utf-8")
    yield path


def fetched(path: Path) -> dict[str, list[str]]:
    """The signals threatexchange's local-file exchange reads from `path`, by its signal type names."""
    collab = FileCollaborationConfig(name="varde", filename=str(path))
    api = LocalFileSignalExchangeAPI.for_collab(collab)
    out: dict[str, list[str]] = {}
    for delta in api.fetch_iter([PdqSignal, TextTLSHSignal], None):
        for signal_type, value in delta.updates:
            out.setdefault(signal_type, []).append(value)
    return out


def test_threatexchange_reads_the_export_and_matches_reposts(tx_file: Path, tmp_path: Path) -> None:
    found = fetched(tx_file)
    assert set(found) == {"pdq", "text_tlsh"}
    for value in found["pdq"]:
        PdqSignal.validate_signal_str(value)
    for value in found["text_tlsh"]:
        TextTLSHSignal.validate_signal_str(value)

    pdq_index = PdqSignal.get_index_cls().build((v, "varde") for v in found["pdq"])
    # A re-post scaled down and re-compressed, hashed by threatexchange's own PDQ hasher.
    scaled = Image.open(DEMO_MEDIA / "flyer.png").convert("RGB")
    scaled = scaled.resize((scaled.width * 4 // 5, scaled.height * 4 // 5))
    scaled.save(tmp_path / "scaled.jpg", quality=70)
    assert pdq_index.query(PdqSignal.hash_from_file(tmp_path / "scaled.jpg"))
    # The cropped re-post: its content box (what Varde's ink-box view hashes), hashed by threatexchange.
    cropped = Image.open(DEMO_MEDIA / "flyer_repost.png")
    box = ink_box(cropped)
    assert box is not None
    cropped.crop(box).save(tmp_path / "cropped.png")
    assert pdq_index.query(PdqSignal.hash_from_file(tmp_path / "cropped.png"))
    # Unrelated pictures match nothing.
    assert not pdq_index.query(PdqSignal.hash_from_file(DEMO_MEDIA / "car.png"))

    # TextTLSHSignal has no index class: threatexchange compares TLSH hashes one by one (its threshold: 30).
    edited = TextTLSHSignal.hash_from_str(normalise(EDITED))
    assert any(TextTLSHSignal.compare_hash(v, edited).match for v in found["text_tlsh"])
    other = "Selger sykkel, nesten ny, 3000 kr. Hentes på Grünerløkka i helgen, send melding om du er interessert!"
    unrelated = TextTLSHSignal.hash_from_str(normalise(other))
    assert not any(TextTLSHSignal.compare_hash(v, unrelated).match for v in found["text_tlsh"])
