from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import os
import tracemalloc
import warnings
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from PIL import Image

from varde.cases import audit
from varde.cases.access import Actor
from varde.cases.evidence import MAX_ENTRY_BYTES, require_valid, sha256, verify_bundle
from varde.cases.ingest import ingest
from varde.cases.service import CaseService
from varde.errors import IntegrityError
from varde.keys import Signer, installed_public_key, signer
from varde.media.stage import MediaConfig, MediaStage
from varde.media.store import MediaStore
from varde.records import Record
from varde.store import Store

from .conftest import T0, make_record

SECRET = b"VARDE_SECRET_KEY=do-not-leak-this"
HOSTILE = ("/etc/passwd", "../../../../etc/hostname", "/proc/self/environ", "media/link.png", "varde.db", "../out.png")


def png(colour: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 32), colour).save(out, format="PNG")
    return out.getvalue()


@dataclasses.dataclass
class Folders:
    media: Path
    keys: Path

    @property
    def public(self) -> bytes:
        key = installed_public_key(self.keys)
        assert key is not None
        return key


@pytest.fixture
def folders(tmp_path: Path) -> Folders:
    return Folders(tmp_path / "media-store", tmp_path / "keys")


def export(service: CaseService, actor: Actor, case_id: int, out: Path, folders: Folders) -> str:
    return service.export_evidence(actor, case_id, out, media_folder=folders.media, keys=folders.keys)


def captured(records: list[Record], root: Path, folders: Folders) -> list[Record]:
    """The records as `varde scan` captures them: media read under `root`, accepted ones copied into the store."""
    stage = MediaStage(MediaConfig(ocr=False, hashes=False), media_store=MediaStore(folders.media))
    rooted = [dataclasses.replace(r, post=dataclasses.replace(r.post, media_root=str(root))) for r in records]
    return stage(rooted)


def case_id_of(store: Store, order_id: str) -> int:
    with store.engine.connect() as conn:
        found = conn.execute(sa.text("SELECT id FROM cases WHERE order_id = :o"), {"o": order_id}).scalar_one()
    return int(found)


@pytest.fixture
def case_with_media(store: Store, tmp_path: Path, folders: Folders, monkeypatch: pytest.MonkeyPatch) -> int:
    folder = tmp_path / "input"
    (folder / "media").mkdir(parents=True)
    (folder / "media" / "flyer.png").write_bytes(png())
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.png").write_bytes(png((1, 2, 3)))  # an image, but outside the input folder
    (folder / "media" / "link.png").symlink_to(outside / "secret.png")
    (tmp_path / "out.png").write_bytes(png((4, 5, 6)))
    (folder / "varde.db").write_bytes(SECRET)  # e.g. the database beside the input, or in the working directory
    monkeypatch.chdir(folder)
    origin = str(folder / "posts.jsonl") + ":3"
    records = captured(
        [
            make_record("telegram:foxchan:10", "o-media", minutes=1, media=("media/flyer.png",), origin=origin),
            make_record("telegram:foxchan:11", "o-media", minutes=2, media=("media/gone.png",), origin=origin),
            make_record("telegram:foxchan:12", "o-media", minutes=3, media=HOSTILE, origin=origin),
        ],
        folder,
        folders,
    )
    # A post stored without capture (before the media store, or by a path that skipped the media stage).
    legacy = make_record("telegram:foxchan:13", "o-media", minutes=4, media=HOSTILE, origin=origin)
    ingest(store, [*records, legacy], now=T0)
    return case_id_of(store, "o-media")


def test_bundle_holds_raw_posts_media_records_history_and_manifest(
    service: CaseService, users: dict[str, Actor], case_with_media: int, store: Store, tmp_path: Path, folders: Folders
) -> None:
    service.set_status(users["ana"], case_with_media, "uncovered", "confirmed")
    out = tmp_path / "bundle.zip"
    digest = export(service, users["ana"], case_with_media, out, folders)
    flyer = png()
    flyer_sha = hashlib.sha256(flyer).hexdigest()
    with zipfile.ZipFile(out) as archive:
        names = set(archive.namelist())
        manifest_bytes = archive.read("manifest.json")
        manifest = json.loads(manifest_bytes)
        raw = archive.read("posts/0001.raw")
        meta = json.loads(archive.read("posts/0001.json"))
        history = json.loads(archive.read("history.json"))
        media = archive.read(f"media/0001-1-{flyer_sha}.png")
    assert {"case.json", "history.json", "posts/0001.raw", "posts/0002.raw", "records/0001.json"} <= names
    assert {"manifest.json", "manifest.sha256", "manifest.sig"} <= names
    assert sha256(manifest_bytes) == digest
    with store.engine.connect() as conn:
        stored_raw, stored_sha, media_files = conn.execute(
            sa.text("SELECT raw, sha256, media_files FROM posts WHERE id = 'telegram:foxchan:10'")
        ).one()
    assert raw == bytes(stored_raw) and sha256(raw) == stored_sha  # byte for byte as captured
    files = json.loads(media_files) if isinstance(media_files, str) else media_files
    assert files == [{"name": "media/flyer.png", "sha256": flyer_sha, "bytes": len(flyer)}]  # digest, name as text
    assert meta["media_files"] == files
    assert media == flyer
    assert (folders.media / flyer_sha[:2] / flyer_sha[2:]).read_bytes() == flyer  # the content-addressed copy
    assert {"post_id": "telegram:foxchan:11", "media": "media/gone.png"}.items() <= manifest["missing_media"][0].items()
    assert [e["to_state"] for e in history] == ["detected", "uncovered"]
    assert manifest["files"]["posts/0001.raw"]["sha256"] == stored_sha
    assert manifest["signing_key"] == signer(folders.keys).key_id
    with store.engine.connect() as conn:
        head = audit.head(conn)
        details = conn.execute(
            sa.text("SELECT details FROM audit_events WHERE action = 'case.export' ORDER BY seq DESC")
        ).scalar_one()
        recorded = audit.recorded_export(conn, digest)
    assert manifest["audit_head"] == {"seq": head[0] - 1, "hash": manifest["audit_head"]["hash"]}  # before the export
    assert json.loads(details)["manifest_sha256"] == digest and recorded
    check = require_valid(out, folders.public, exported=lambda d: d == digest)
    assert check.ok and check.case_id == case_with_media and check.manifest_sha256 == digest


def test_export_never_opens_a_path_a_post_named(
    service: CaseService, users: dict[str, Actor], case_with_media: int, tmp_path: Path, folders: Folders
) -> None:
    """CRITICAL: `/etc/passwd`, `../`, `/proc/self/environ`, a symlink, `varde.db` (in the working directory too)
    are text in the record; the bundle holds only the one image accepted at capture, read from the store."""
    out = tmp_path / "bundle.zip"
    export(service, users["ana"], case_with_media, out, folders)
    with zipfile.ZipFile(out) as archive:
        contents = {name: archive.read(name) for name in archive.namelist()}
        manifest = json.loads(contents["manifest.json"])
    media = [name for name in contents if name.startswith("media/")]
    assert media == [f"media/0001-1-{hashlib.sha256(png()).hexdigest()}.png"]
    leaks = [png((1, 2, 3)), png((4, 5, 6)), SECRET, Path("/etc/passwd").read_bytes()]
    assert not [name for name, data in contents.items() if any(leak in data for leak in leaks)]
    missing = {(m["post_id"], m["media"]): m["reason"] for m in manifest["missing_media"]}
    for name in HOSTILE:
        assert ("telegram:foxchan:12", name) in missing  # refused at capture: kept as text with the reason
        assert missing[("telegram:foxchan:13", name)] == "not captured into the media store"
    assert (
        "outside the input folder" in missing[("telegram:foxchan:12", "/etc/passwd")]
        or "absolute" in missing[("telegram:foxchan:12", "/etc/passwd")]
    )
    assert require_valid(out, folders.public).ok


def test_a_changed_file_in_the_media_store_is_left_out(
    service: CaseService, users: dict[str, Actor], case_with_media: int, tmp_path: Path, folders: Folders
) -> None:
    digest = hashlib.sha256(png()).hexdigest()
    (folders.media / digest[:2] / digest[2:]).write_bytes(b"swapped")
    out = tmp_path / "bundle.zip"
    export(service, users["ana"], case_with_media, out, folders)
    with zipfile.ZipFile(out) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        assert not [n for n in archive.namelist() if n.startswith("media/")]
    reasons = [m["reason"] for m in manifest["missing_media"] if m["media"] == "media/flyer.png"]
    assert reasons and "altered" in reasons[0]


def _rewrite(src: Path, dst: Path, change: dict[str, bytes | None]) -> None:
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dst, "w") as new:
        for name in old.namelist():
            data = change.get(name, old.read(name))
            if data is not None:
                new.writestr(name, data)
        for name, data in change.items():
            if name not in old.namelist() and data is not None:
                new.writestr(name, data)


@pytest.fixture
def good_bundle(
    service: CaseService, users: dict[str, Actor], case_with_media: int, tmp_path: Path, folders: Folders
) -> Path:
    good = tmp_path / "good.zip"
    export(service, users["ana"], case_with_media, good, folders)
    return good


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"posts/0001.raw": b"edited"}, "posts/0001.raw"),
        ({"history.json": None}, "history.json: listed in the manifest but missing"),
        ({"extra.txt": b"planted"}, "extra.txt: not listed"),
        ({"manifest.json": b'{"files": {}}'}, "manifest.sha256"),
        ({"manifest.sig": None}, "manifest.sig is missing"),
    ],
)
def test_tampered_bundles_fail(
    good_bundle: Path, tmp_path: Path, folders: Folders, change: dict[str, bytes | None], problem: str
) -> None:
    bad = tmp_path / "bad.zip"
    _rewrite(good_bundle, bad, change)
    check = verify_bundle(bad, folders.public)
    assert not check.ok
    assert any(problem in p for p in check.problems), check.problems
    with pytest.raises(IntegrityError):
        require_valid(bad, folders.public)


def _recompute(src: Path, dst: Path, edit: dict[str, bytes], resign: Signer | None = None) -> str:
    """Change files and recompute every hash (the manifest, manifest.sha256), as a forger would."""
    with zipfile.ZipFile(src) as old:
        files = {name: old.read(name) for name in old.namelist()}
    files.update(edit)
    manifest = json.loads(files["manifest.json"])
    for name, data in edit.items():
        manifest["files"][name] = {"sha256": sha256(data), "bytes": len(data)}
    for post in manifest["posts"]:
        post["sha256_at_capture"] = sha256(files[post["file"]])
    files["manifest.json"] = json.dumps(manifest).encode()
    digest = sha256(files["manifest.json"])
    files["manifest.sha256"] = f"{digest}\n".encode()
    if resign is not None:
        files["manifest.sig"] = resign.sign(files["manifest.json"]).encode()
    with zipfile.ZipFile(dst, "w") as new:
        for name, data in files.items():
            new.writestr(name, data)
    return digest


def test_a_file_changed_with_every_hash_recomputed_fails(
    good_bundle: Path, tmp_path: Path, folders: Folders, store: Store
) -> None:
    """MEDIUM: recomputing the manifest and its hash is caught by the signature, and by the audit log."""
    bad = tmp_path / "forged.zip"
    digest = _recompute(good_bundle, bad, {"posts/0001.raw": b'{"text": "something else"}'})
    assert not verify_bundle(bad, folders.public).ok
    assert any("manifest.sig is not a valid signature" in p for p in verify_bundle(bad, folders.public).problems)
    # Signed again with a key of the forger's own: the verifier trusts only the installation's key.
    forger = Signer(b"\x07" * 32)
    resigned = tmp_path / "resigned.zip"
    digest = _recompute(good_bundle, resigned, {"posts/0001.raw": b'{"text": "something else"}'}, forger)
    assert verify_bundle(resigned, forger.public).ok  # consistent in itself …
    assert not verify_bundle(resigned, folders.public).ok  # … but not the installation's
    with store.engine.connect() as conn:
        check = verify_bundle(resigned, forger.public, exported=lambda d: audit.recorded_export(conn, d))
    assert any(f"no export with manifest sha256 {digest}" in p for p in check.problems)


def _zip(entries: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in entries:
            archive.writestr(zipfile.ZipInfo(name), data)
    return out.getvalue()


def _entries(path: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(path) as archive:
        return [(name, archive.read(name)) for name in archive.namelist()]


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("../evil.txt", "unsafe entry name"),
        ("/etc/cron.d/evil", "unsafe entry name"),
        ("media/../../evil", "unsafe entry name"),
        ("C:/evil", "unsafe entry name"),
        ("media\\evil", "unsafe entry name"),
        ("history.json", "appears more than once"),  # a duplicate of a listed, hashed entry
    ],
)
def test_duplicate_and_unsafe_entry_names_fail(
    good_bundle: Path, tmp_path: Path, folders: Folders, name: str, problem: str
) -> None:
    bad = tmp_path / "bad.zip"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate it is asked to write
        bad.write_bytes(_zip([*_entries(good_bundle), (name, b"planted")]))
    check = verify_bundle(bad, folders.public)
    assert not check.ok and any(problem in p for p in check.problems), check.problems


def test_a_huge_entry_is_hashed_in_chunks_and_a_huge_claim_is_refused(
    good_bundle: Path, tmp_path: Path, folders: Folders
) -> None:
    """MEDIUM: memory stays flat whatever size an entry (or the manifest) claims."""
    big = b"\0" * (64 << 20)
    bundle = tmp_path / "big.zip"
    with zipfile.ZipFile(bundle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        manifest = {"files": {"big.bin": {"sha256": sha256(big), "bytes": len(big)}}, "posts": []}
        archive.writestr("big.bin", big)
        archive.writestr("manifest.json", json.dumps(manifest))
        archive.writestr("manifest.sha256", sha256(json.dumps(manifest).encode()))
        archive.writestr("manifest.sig", "x")
    del big
    tracemalloc.start()
    check = verify_bundle(bundle, folders.public)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert not check.ok and all("big.bin" not in p for p in check.problems)  # hashed and matched; only the sig fails
    assert peak < 16 << 20, f"peak {peak} bytes"
    claim = {"files": {"posts/0001.raw": {"sha256": "0" * 64, "bytes": 3 << 30}}, "posts": []}
    claimed = tmp_path / "claim.zip"
    claimed.write_bytes(_zip([("manifest.json", json.dumps(claim).encode()), ("manifest.sha256", b"x"),
                              ("manifest.sig", b"x"), ("posts/0001.raw", b"tiny")]))  # fmt: skip
    check = verify_bundle(claimed, folders.public)
    assert not check.ok and any(str(MAX_ENTRY_BYTES) in p or "limit" in p for p in check.problems), check.problems


CRAFTED = [
    ("manifest is a list", [("manifest.json", b"[]")]),
    ("files is a list", [("manifest.json", b'{"files": ["a"]}')]),
    ("file entry is a string", [("manifest.json", b'{"files": {"a": "b"}}'), ("a", b"")]),
    ("bytes is a string", [("manifest.json", b'{"files": {"a": {"sha256": "x", "bytes": "1"}}}'), ("a", b"")]),
    ("posts is a dict", [("manifest.json", b'{"files": {}, "posts": {"a": 1}}')]),
    ("posts hold strings", [("manifest.json", b'{"files": {}, "posts": ["a"]}')]),
    ("post file is a list", [("manifest.json", b'{"files": {}, "posts": [{"file": []}]}')]),
    ("deep json", [("manifest.json", b"[" * 100_000 + b"]" * 100_000)]),
    ("not utf-8", [("manifest.json", b"\xff\xfe{")]),
    ("nan bytes", [("manifest.json", b'{"files": {"a": {"sha256": "x", "bytes": NaN}}}'), ("a", b"")]),
]


@pytest.mark.parametrize(("label", "entries"), CRAFTED, ids=[c[0] for c in CRAFTED])
def test_crafted_bundles_give_problems_not_tracebacks(
    tmp_path: Path, folders: Folders, label: str, entries: list[tuple[str, bytes]]
) -> None:
    signer(folders.keys)
    path = tmp_path / "crafted.zip"
    path.write_bytes(_zip([*entries, ("manifest.sha256", b"0"), ("manifest.sig", b"0")]))
    check = verify_bundle(path, folders.public)
    assert not check.ok and check.problems


def test_damaged_zips_give_problems_not_tracebacks(good_bundle: Path, tmp_path: Path, folders: Folders) -> None:
    data = good_bundle.read_bytes()
    for k, damaged in enumerate(
        [
            data[: len(data) // 2],
            data.replace(b"PK\x01\x02", b"PK\x01\x03", 1),
            data[:30] + bytes(200) + data[230:],
            b"",
            b"PK\x05\x06" + bytes(18),
        ]
    ):
        path = tmp_path / f"damaged-{k}.zip"
        path.write_bytes(damaged)
        check = verify_bundle(path, folders.public)
        assert not check.ok and check.problems, k
    # Entries marked encrypted, or in a compression method zipfile cannot read.
    for flag, method in ((0x1, zipfile.ZIP_STORED), (0, 99)):
        raw = bytearray(_zip([(n, d) for n, d in _entries(good_bundle)]))
        header = raw.index(b"PK\x01\x02")
        raw[header + 8 : header + 10] = flag.to_bytes(2, "little")
        raw[header + 10 : header + 12] = method.to_bytes(2, "little")
        path = tmp_path / f"flag-{flag}-{method}.zip"
        path.write_bytes(bytes(raw))
        check = verify_bundle(path, folders.public)
        assert not check.ok and check.problems


def test_export_keys_are_private_files(
    service: CaseService, users: dict[str, Actor], case_with_media: int, tmp_path: Path, folders: Folders
) -> None:
    export(service, users["ana"], case_with_media, tmp_path / "b.zip", folders)
    assert (folders.keys / "signing.key").stat().st_mode & 0o777 == 0o600
    assert folders.keys.stat().st_mode & 0o777 == 0o700
    digest = hashlib.sha256(png()).hexdigest()
    assert os.stat(folders.media / digest[:2] / digest[2:]).st_mode & 0o077 == 0
