"""Evidence bundles: one zip per case that stands on its own in court.

    case.json              the case as it stands at export
    history.json           every change of the case (who, when, why)
    posts/NNNN.raw         each original post record, byte for byte as captured
    posts/NNNN.json        its metadata: post id, platform, capture time, the SHA-256 recorded at capture
    records/NNNN.json      what the analysis extracted from it (CONTRACT §2)
    media/NNNN-K-NAME      attached images, when the files can still be found
    manifest.json          SHA-256 and size of every file above, who exported it and when
    manifest.sha256        SHA-256 of manifest.json (also written to the audit log with the export event)

`verify_bundle` recomputes every hash, checks that no file was added or removed, and that each raw post still
hashes to the value recorded when it was captured."""

from __future__ import annotations

import hashlib
import json
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select

from varde.errors import InputError, IntegrityError
from varde.store.case_tables import case_posts
from varde.store.tables import posts, records

FORMAT = "varde-evidence/1"
MANIFEST = "manifest.json"
MANIFEST_HASH = "manifest.sha256"
# A fixed timestamp inside the zip keeps identical content byte-identical; the real time is in the manifest.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(slots=True)
class Bundle:
    """Files to write (name → bytes) and notes for the manifest (e.g. media that could not be found)."""

    case_id: int
    files: dict[str, bytes] = field(default_factory=dict)
    posts: list[dict[str, Any]] = field(default_factory=list)
    missing_media: list[dict[str, str]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class BundleCheck:
    ok: bool
    case_id: int | None
    files: int
    manifest_sha256: str
    problems: tuple[str, ...]


def _json_bytes(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True, default=str) + "\n").encode("utf-8")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _media_file(origin: str, relative: str) -> Path | None:
    """Find an attached file again: absolute, or relative to the input file the post was read from."""
    candidate = Path(relative)
    if candidate.is_absolute():
        return candidate if candidate.is_file() else None
    source = origin.rsplit(":", 1)[0] if ":" in origin else origin
    base = Path(source).expanduser().resolve().parent if source and source != "<stdin>" else Path.cwd()
    for root in (base, Path.cwd()):
        path = (root / relative).resolve()
        if path.is_file():
            return path
    return None


def collect(conn: Connection, case: dict[str, Any], history: list[dict[str, Any]]) -> Bundle:
    """Gather everything of a case into a `Bundle` (no access checks: the service does them)."""
    bundle = Bundle(case_id=int(case["id"]))
    bundle.files["case.json"] = _json_bytes(case)
    bundle.files["history.json"] = _json_bytes(history)
    rows = conn.execute(
        select(posts, records.c.data.label("record"))
        .join(case_posts, case_posts.c.post_id == posts.c.id)
        .outerjoin(records, records.c.post_id == posts.c.id)
        .where(case_posts.c.case_id == bundle.case_id)
        .order_by(posts.c.created_at, posts.c.id)
    ).all()
    for index, row in enumerate(rows, start=1):
        stem = f"{index:04d}"
        raw = bytes(row.raw)
        bundle.files[f"posts/{stem}.raw"] = raw
        meta = {
            "post_id": row.id,
            "platform": row.platform,
            "channel": row.channel,
            "author": row.author,
            "created_at": row.created_at.isoformat(),
            "captured_at": row.captured_at.isoformat(),
            "origin": row.origin,
            "url": row.url,
            "sha256_at_capture": row.sha256,
            "media": list(row.media or []),
        }
        bundle.files[f"posts/{stem}.json"] = _json_bytes(meta)
        if row.record is not None:
            bundle.files[f"records/{stem}.json"] = _json_bytes(row.record)
        for k, relative in enumerate(row.media or [], start=1):
            found = _media_file(row.origin, relative)
            if found is None:
                bundle.missing_media.append({"post_id": row.id, "media": relative})
                continue
            bundle.files[f"media/{stem}-{k}-{found.name}"] = found.read_bytes()
        bundle.posts.append({"file": f"posts/{stem}.raw", "post_id": row.id, "sha256_at_capture": row.sha256})
    return bundle


def manifest_for(bundle: Bundle, *, exported_by: str, exported_at: datetime) -> bytes:
    return _json_bytes(
        {
            "format": FORMAT,
            "case_id": bundle.case_id,
            "exported_by": exported_by,
            "exported_at": exported_at.isoformat(),
            "files": {
                name: {"sha256": sha256(data), "bytes": len(data)} for name, data in sorted(bundle.files.items())
            },
            "posts": bundle.posts,
            "missing_media": bundle.missing_media,
        }
    )


def write_bundle(bundle: Bundle, path: Path, *, exported_by: str, exported_at: datetime) -> str:
    """Write the zip to `path` (the service writes to a temporary name and renames it once the export is audited);
    returns the manifest's SHA-256."""
    manifest = manifest_for(bundle, exported_by=exported_by, exported_at=exported_at)
    digest = sha256(manifest)
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in [
            *sorted(bundle.files.items()),
            (MANIFEST, manifest),
            (MANIFEST_HASH, f"{digest}\n".encode()),
        ]:
            archive.writestr(zipfile.ZipInfo(name, date_time=ZIP_TIME), data, compress_type=zipfile.ZIP_DEFLATED)
    return digest


def verify_bundle(path: str | Path) -> BundleCheck:
    """Check a bundle: manifest hash, every file's hash and size, no extra or missing files, raw posts unchanged
    since capture. Never raises for a bad or damaged bundle (the problems are listed); InputError if unreadable."""
    try:
        archive = zipfile.ZipFile(path)
    except OSError as error:
        raise InputError(f"cannot read evidence bundle {path}: {error}") from None
    except zipfile.BadZipFile as error:
        return BundleCheck(False, None, 0, "", (f"not a readable zip file: {error}",))
    try:
        return _check(archive)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as error:
        return BundleCheck(False, None, 0, "", (f"damaged zip file: {error}",))


def _check(archive: zipfile.ZipFile) -> BundleCheck:
    problems: list[str] = []
    with archive:
        names = set(archive.namelist())
        if MANIFEST not in names or MANIFEST_HASH not in names:
            return BundleCheck(False, None, 0, "", ("manifest.json or manifest.sha256 is missing",))
        manifest_bytes = archive.read(MANIFEST)
        digest = sha256(manifest_bytes)
        stated = archive.read(MANIFEST_HASH).decode("ascii", "replace").strip()
        if stated != digest:
            problems.append(f"manifest.json hashes to {digest}, but manifest.sha256 says {stated}")
        try:
            manifest = json.loads(manifest_bytes)
            listed: dict[str, dict[str, Any]] = manifest["files"]
        except (ValueError, KeyError, TypeError):
            return BundleCheck(False, None, 0, digest, ("manifest.json is not a valid manifest",))
        for name in sorted(listed):
            if name not in names:
                problems.append(f"{name}: listed in the manifest but missing")
                continue
            data = archive.read(name)
            if sha256(data) != listed[name].get("sha256") or len(data) != listed[name].get("bytes"):
                problems.append(f"{name}: content differs from the manifest")
        for name in sorted(names - set(listed) - {MANIFEST, MANIFEST_HASH}):
            problems.append(f"{name}: not listed in the manifest")
        for post in manifest.get("posts", []):
            name = post.get("file", "")
            if name in names and sha256(archive.read(name)) != post.get("sha256_at_capture"):
                problems.append(f"{name}: differs from the post as captured (post {post.get('post_id')})")
    case_id = manifest.get("case_id")
    return BundleCheck(
        not problems, case_id if isinstance(case_id, int) else None, len(listed), digest, tuple(problems)
    )


def require_valid(path: str | Path) -> BundleCheck:
    """`verify_bundle`, raising IntegrityError naming the first problem."""
    check = verify_bundle(path)
    if not check.ok:
        raise IntegrityError(f"evidence bundle {path} does not verify: {check.problems[0]}")
    return check
