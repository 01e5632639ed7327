"""Evidence bundles: one zip per case that stands on its own in court.

    case.json              the case as it stands at export
    history.json           every change of the case (who, when, why)
    posts/NNNN.raw         each original post record, byte for byte as captured
    posts/NNNN.json        its metadata: post id, platform, capture time, the SHA-256 recorded at capture, its media
    records/NNNN.json      what the analysis extracted from it (CONTRACT §2)
    media/NNNN-K-SHA256.EXT  attached images (and tip screenshots), read from the media store by their digest
    manifest.json          SHA-256 and size of every file above, who exported it and when, the audit chain's head
                           and the installation key that signed it
    manifest.sha256        SHA-256 of manifest.json (also written to the audit log with the export event)
    manifest.sig           Ed25519 signature of manifest.json by the installation key (`varde export pubkey`)

Media are read only from the media store, by the SHA-256 recorded at capture (`posts.media_files`); the names a
post gave are kept as text and never opened, so a post naming `/etc/passwd` cannot put it in a bundle.

`verify_bundle` streams every entry through SHA-256 under size limits, refuses duplicate and unsafe entry names,
checks the signature against a public key the verifier trusts, that no file was added or removed, that each raw post
still hashes to the value recorded when it was captured and (given the database) that the audit log recorded this
manifest's hash at export. Recomputing every hash after an edit is caught by the signature. A bad or hostile bundle
gives a list of problems, never an exception."""

from __future__ import annotations

import hashlib
import json
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

from sqlalchemy import Connection, select

from varde.cases import audit
from varde.errors import InputError, IntegrityError
from varde.keys import Signer, fingerprint, signature_ok
from varde.media.files import MediaRejected
from varde.media.store import MediaStore, valid_digest
from varde.store.case_tables import case_posts
from varde.store.tables import posts, records

FORMAT = "varde-evidence/2"
MANIFEST = "manifest.json"
MANIFEST_HASH = "manifest.sha256"
MANIFEST_SIG = "manifest.sig"
CONTROL = (MANIFEST, MANIFEST_HASH, MANIFEST_SIG)
# A fixed timestamp inside the zip keeps identical content byte-identical; the real time is in the manifest.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
# Limits for checking a bundle someone hands us: far above any real bundle (media are capped at 20 MB at capture),
# and every entry is hashed in chunks, so memory stays flat whatever the manifest or the zip directory claims.
MAX_ENTRIES = 100_000
MAX_ENTRY_BYTES = 1 << 30
MAX_MANIFEST_BYTES = 64 << 20
MAX_SMALL_BYTES = 4096  # manifest.sha256 and manifest.sig
CHUNK = 1 << 20
IMAGE_EXTENSIONS = {b"\x89PNG": ".png", b"\xff\xd8\xff": ".jpg", b"GIF8": ".gif", b"BM": ".bmp", b"II*\x00": ".tif"}


@dataclass(slots=True)
class Bundle:
    """Files to write (name → bytes) and notes for the manifest (e.g. media that could not be found)."""

    case_id: int
    files: dict[str, bytes] = field(default_factory=dict)
    posts: list[dict[str, Any]] = field(default_factory=list)
    missing_media: list[dict[str, str]] = field(default_factory=list)
    audit_head: dict[str, Any] = field(default_factory=dict)


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


def _extension(data: bytes) -> str:
    for magic, ext in IMAGE_EXTENSIONS.items():
        if data.startswith(magic):
            return ext
    return ".webp" if data[:4] == b"RIFF" and data[8:12] == b"WEBP" else ""


def _media_files(row: Any) -> list[dict[str, Any]]:
    """What capture recorded of a post's media; posts stored before capture into the store have names only."""
    files = row.media_files if isinstance(row.media_files, list) else []
    by_position = [f if isinstance(f, dict) else {} for f in files]
    out = []
    for k, name in enumerate(row.media or []):
        entry = by_position[k] if k < len(by_position) else {}
        if entry.get("name") != name:
            entry = {"name": name, "refused": "not captured into the media store"}
        out.append(entry)
    return out


def collect(conn: Connection, case: dict[str, Any], history: list[dict[str, Any]], media_store: MediaStore) -> Bundle:
    """Gather everything of a case into a `Bundle` (no access checks: the service does them). Media come only from
    `media_store`, by the digest recorded at capture."""
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
        media = _media_files(row)
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
            "media_files": media,
        }
        bundle.files[f"posts/{stem}.json"] = _json_bytes(meta)
        if row.record is not None:
            bundle.files[f"records/{stem}.json"] = _json_bytes(row.record)
        for k, entry in enumerate(media, start=1):
            name, digest = str(entry.get("name", "")), entry.get("sha256")
            if not valid_digest(digest):
                bundle.missing_media.append({"post_id": row.id, "media": name, "reason": str(entry.get("refused"))})
                continue
            try:
                data = media_store.read(str(digest))
            except MediaRejected as error:
                bundle.missing_media.append({"post_id": row.id, "media": name, "reason": str(error)})
                continue
            bundle.files[f"media/{stem}-{k}-{digest}{_extension(data)}"] = data
        bundle.posts.append({"file": f"posts/{stem}.raw", "post_id": row.id, "sha256_at_capture": row.sha256})
    head_seq, head_hash = audit.head(conn)
    bundle.audit_head = {"seq": head_seq, "hash": head_hash}
    return bundle


def manifest_for(bundle: Bundle, *, exported_by: str, exported_at: datetime, key_id: str = "") -> bytes:
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
            "audit_head": bundle.audit_head,  # the chain's head before this export's own event
            "signing_key": key_id,
        }
    )


def write_bundle(bundle: Bundle, path: Path, *, exported_by: str, exported_at: datetime, signer: Signer) -> str:
    """Write the zip to `path` (the service writes to a temporary name and renames it once the export is audited);
    returns the manifest's SHA-256."""
    manifest = manifest_for(bundle, exported_by=exported_by, exported_at=exported_at, key_id=signer.key_id)
    digest = sha256(manifest)
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in [
            *sorted(bundle.files.items()),
            (MANIFEST, manifest),
            (MANIFEST_HASH, f"{digest}\n".encode()),
            (MANIFEST_SIG, f"{signer.sign(manifest)}\n".encode()),
        ]:
            archive.writestr(zipfile.ZipInfo(name, date_time=ZIP_TIME), data, compress_type=zipfile.ZIP_DEFLATED)
    return digest


# ---------------------------------------------------------------------------------------------------- checking

# What a damaged or hostile zip makes the zipfile module and its decompressors raise.
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    OSError,
    EOFError,
    RuntimeError,  # encrypted entries, bad passwords
    NotImplementedError,  # unsupported compression methods
    ValueError,
    struct.error,
    OverflowError,
    UnicodeError,
)


class _Refused(Exception):
    """A bundle too malformed to check further; the message is the one problem to report."""


def unsafe_name(name: str) -> str | None:
    """Why an entry name may not appear in a bundle (absolute, `..`, backslashes, drive letters), or None."""
    if not name or "\x00" in name or "\\" in name:
        return "empty, NUL or backslash in the name"
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return "absolute path"
    parts = PurePosixPath(name).parts
    if any(part in ("..", ".") for part in name.split("/")) or not parts:
        return "'..' or '.' in the path"
    if name.endswith("/"):
        return "a folder entry"
    return None


def _stream_sha256(handle: IO[bytes], limit: int) -> tuple[str, int]:
    """SHA-256 and length of a stream, reading at most `limit` + 1 bytes in chunks."""
    digest, size = hashlib.sha256(), 0
    while chunk := handle.read(min(CHUNK, limit + 1 - size)):
        digest.update(chunk)
        size += len(chunk)
        if size > limit:
            break
    return digest.hexdigest(), size


def _read_capped(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    if info.file_size > limit:
        raise _Refused(f"{info.filename}: {info.file_size} bytes, over the {limit}-byte limit")
    with archive.open(info) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise _Refused(f"{info.filename}: over the {limit}-byte limit")
    return data


def verify_bundle(
    path: str | Path,
    public_key: bytes | None,
    *,
    exported: Callable[[str], bool] | None = None,
) -> BundleCheck:
    """Check a bundle (see the module's docstring). `public_key`: the exporting installation's key, which the
    verifier must trust (None: the signature cannot be checked, which is a problem); `exported`: answers whether the
    audit log recorded an export with this manifest hash (None: not checked). Never raises for a bad or damaged
    bundle (the problems are listed); InputError if the file cannot be read at all."""
    target = Path(path)
    try:
        if not target.is_file():
            raise InputError(f"cannot read evidence bundle {path}: not a file")
        archive = zipfile.ZipFile(target)
    except OSError as error:
        raise InputError(f"cannot read evidence bundle {path}: {error.strerror or error}") from None
    except _ZIP_ERRORS as error:
        return BundleCheck(False, None, 0, "", (f"not a readable zip file: {type(error).__name__}: {error}",))
    try:
        with archive:
            return _check(archive, public_key, exported)
    except _Refused as error:
        return BundleCheck(False, None, 0, "", (str(error),))
    except _ZIP_ERRORS as error:
        return BundleCheck(False, None, 0, "", (f"damaged zip file: {type(error).__name__}: {error}",))


def _entries(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    """The zip's entries by name; refuses too many, duplicate, unsafe or encrypted ones."""
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise _Refused(f"{len(infos)} entries, over the limit of {MAX_ENTRIES}")
    entries: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        why = unsafe_name(info.filename)
        if why:
            raise _Refused(f"unsafe entry name {info.filename[:200]!r}: {why}")
        if info.filename in entries:
            raise _Refused(f"entry {info.filename[:200]!r} appears more than once")
        if info.flag_bits & 0x1:
            raise _Refused(f"entry {info.filename[:200]!r} is encrypted")
        entries[info.filename] = info
    return entries


def _manifest(data: bytes) -> dict[str, Any]:
    """The parsed manifest, its shape checked, or `_Refused`."""
    try:
        manifest = json.loads(data)
    except (ValueError, RecursionError):
        raise _Refused("manifest.json is not valid JSON") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        raise _Refused("manifest.json is not a valid manifest (no file list)")
    for name, entry in manifest["files"].items():
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("sha256"), str)
            and type(entry.get("bytes")) is int
            and 0 <= entry["bytes"] <= MAX_ENTRY_BYTES
        ):
            raise _Refused(f"manifest.json: the entry for {str(name)[:200]!r} is not {{sha256, bytes ≤ limit}}")
    posts_listed = manifest.get("posts", [])
    if not isinstance(posts_listed, list) or not all(isinstance(p, dict) for p in posts_listed):
        raise _Refused("manifest.json: 'posts' is not a list of objects")
    return manifest | {"posts": posts_listed}


def _check(archive: zipfile.ZipFile, public_key: bytes | None, exported: Callable[[str], bool] | None) -> BundleCheck:
    problems: list[str] = []
    entries = _entries(archive)
    if any(name not in entries for name in CONTROL):
        return BundleCheck(False, None, 0, "", ("manifest.json, manifest.sha256 or manifest.sig is missing",))
    manifest_bytes = _read_capped(archive, entries[MANIFEST], MAX_MANIFEST_BYTES)
    digest = sha256(manifest_bytes)
    stated = _read_capped(archive, entries[MANIFEST_HASH], MAX_SMALL_BYTES).decode("ascii", "replace").strip()
    if stated != digest:
        problems.append(f"manifest.json hashes to {digest}, but manifest.sha256 says {stated[:80]}")
    signature = _read_capped(archive, entries[MANIFEST_SIG], MAX_SMALL_BYTES).decode("ascii", "replace").strip()
    if public_key is None:
        problems.append("signature not checked: no public key of the exporting installation was given")
    elif not signature_ok(public_key, manifest_bytes, signature):
        problems.append(
            f"manifest.sig is not a valid signature of manifest.json by key {fingerprint(public_key)} "
            "(the manifest was changed, or another installation signed it)"
        )
    if exported is not None and not exported(digest):
        problems.append(f"the audit log records no export with manifest sha256 {digest}")
    manifest = _manifest(manifest_bytes)
    listed: dict[str, dict[str, Any]] = manifest["files"]
    hashes: dict[str, str] = {}
    for name in sorted(listed):
        info = entries.get(name)
        if info is None:
            problems.append(f"{name[:200]}: listed in the manifest but missing")
            continue
        claimed = int(listed[name]["bytes"])
        if info.file_size != claimed:
            problems.append(f"{name}: {info.file_size} bytes in the zip, the manifest says {claimed}")
            continue
        with archive.open(info) as handle:
            hashes[name], size = _stream_sha256(handle, claimed)
        if size != claimed or hashes[name] != listed[name]["sha256"]:
            problems.append(f"{name}: content differs from the manifest")
    for name in sorted(set(entries) - set(listed) - set(CONTROL)):
        problems.append(f"{name}: not listed in the manifest")
    for post in manifest["posts"]:
        name = post.get("file")
        if isinstance(name, str) and name in hashes and hashes[name] != post.get("sha256_at_capture"):
            problems.append(f"{name}: differs from the post as captured (post {str(post.get('post_id'))[:200]})")
    case_id = manifest.get("case_id")
    return BundleCheck(not problems, case_id if type(case_id) is int else None, len(listed), digest, tuple(problems))


def require_valid(
    path: str | Path, public_key: bytes | None, *, exported: Callable[[str], bool] | None = None
) -> BundleCheck:
    """`verify_bundle`, raising IntegrityError naming the first problem."""
    check = verify_bundle(path, public_key, exported=exported)
    if not check.ok:
        raise IntegrityError(f"evidence bundle {path} does not verify: {check.problems[0]}")
    return check
