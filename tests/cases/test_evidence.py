from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from varde.cases.access import Actor
from varde.cases.evidence import require_valid, sha256, verify_bundle
from varde.cases.ingest import ingest
from varde.cases.service import CaseService
from varde.errors import IntegrityError
from varde.store import Store

from .conftest import T0, make_record


@pytest.fixture
def case_with_media(store: Store, tmp_path: Path) -> int:
    folder = tmp_path / "input"
    (folder / "media").mkdir(parents=True)
    (folder / "media" / "flyer.jpg").write_bytes(b"\xff\xd8\xff fake jpeg bytes")
    origin = str(folder / "posts.jsonl") + ":3"
    ingest(
        store,
        [
            make_record("telegram:foxchan:10", "o-media", minutes=1, media=("media/flyer.jpg",), origin=origin),
            make_record("telegram:foxchan:11", "o-media", minutes=2, media=("media/gone.jpg",), origin=origin),
        ],
        now=T0,
    )
    with store.engine.connect() as conn:
        return int(conn.execute(sa.text("SELECT id FROM cases WHERE order_id = 'o-media'")).scalar_one())


def test_bundle_holds_raw_posts_media_records_history_and_manifest(
    service: CaseService, users: dict[str, Actor], case_with_media: int, store: Store, tmp_path: Path
) -> None:
    service.set_status(users["ana"], case_with_media, "uncovered", "confirmed")
    out = tmp_path / "bundle.zip"
    digest = service.export_evidence(users["ana"], case_with_media, out)
    with zipfile.ZipFile(out) as archive:
        names = set(archive.namelist())
        manifest_bytes = archive.read("manifest.json")
        manifest = json.loads(manifest_bytes)
        raw = archive.read("posts/0001.raw")
        history = json.loads(archive.read("history.json"))
        media = archive.read("media/0001-1-flyer.jpg")
    assert {"case.json", "history.json", "posts/0001.raw", "posts/0002.raw", "records/0001.json"} <= names
    assert sha256(manifest_bytes) == digest
    with store.engine.connect() as conn:
        stored_raw, stored_sha = conn.execute(
            sa.text("SELECT raw, sha256 FROM posts WHERE id = 'telegram:foxchan:10'")
        ).one()
    assert raw == bytes(stored_raw) and sha256(raw) == stored_sha  # byte for byte as captured
    assert media == b"\xff\xd8\xff fake jpeg bytes"
    assert manifest["missing_media"] == [{"post_id": "telegram:foxchan:11", "media": "media/gone.jpg"}]
    assert [e["to_state"] for e in history] == ["detected", "uncovered"]
    assert manifest["files"]["posts/0001.raw"]["sha256"] == stored_sha
    check = require_valid(out)
    assert check.ok and check.case_id == case_with_media and check.manifest_sha256 == digest
    with store.engine.connect() as conn:
        details = conn.execute(
            sa.text("SELECT details FROM audit_events WHERE action = 'case.export' ORDER BY seq DESC")
        ).scalar_one()
    assert json.loads(details)["manifest_sha256"] == digest


def _rewrite(src: Path, dst: Path, change: dict[str, bytes | None]) -> None:
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dst, "w") as new:
        for name in old.namelist():
            data = change.get(name, old.read(name))
            if data is not None:
                new.writestr(name, data)
        for name, data in change.items():
            if name not in old.namelist() and data is not None:
                new.writestr(name, data)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"posts/0001.raw": b"edited"}, "posts/0001.raw"),
        ({"history.json": None}, "history.json: listed in the manifest but missing"),
        ({"extra.txt": b"planted"}, "extra.txt: not listed"),
        ({"manifest.json": b'{"files": {}}'}, "manifest.sha256"),
    ],
)
def test_tampered_bundles_fail(
    service: CaseService,
    users: dict[str, Actor],
    case_with_media: int,
    tmp_path: Path,
    change: dict[str, bytes | None],
    problem: str,
) -> None:
    good = tmp_path / "good.zip"
    service.export_evidence(users["ana"], case_with_media, good)
    bad = tmp_path / "bad.zip"
    _rewrite(good, bad, change)
    check = verify_bundle(bad)
    assert not check.ok
    assert any(problem in p for p in check.problems), check.problems
    with pytest.raises(IntegrityError):
        require_valid(bad)
