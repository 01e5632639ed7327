"""The media store: accepted media files kept by content, beside the database (edge I/O).

    <media folder>/ab/cdef0123…   the bytes of a file whose SHA-256 is abcdef0123… (64 hex digits in all)

A file is copied in once, when it is captured (the media stage, a tip's screenshot); from then on it is named only
by its digest. Nothing that comes from a post ever becomes a path here: `read` takes a digest, checks it is 64 hex
digits, opens without following links, caps the size and checks the bytes still hash to the digest. This is how
MISP (attachments stored by hash) and Aleph (its archive, keyed by content hash) keep evidence apart from the paths
the input named.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import tempfile
from pathlib import Path

from varde.media.files import MAX_FILE_BYTES, MediaRejected

DIGEST = re.compile(r"[0-9a-f]{64}")


def valid_digest(digest: object) -> bool:
    return isinstance(digest, str) and DIGEST.fullmatch(digest) is not None


class MediaStore:
    """Files by SHA-256 under one folder (created 0700 on first write)."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def path_of(self, digest: str) -> Path:
        if not valid_digest(digest):
            raise MediaRejected(f"media store: {digest[:80]!r} is not a SHA-256 digest")
        return self.root / digest[:2] / digest[2:]

    def put(self, data: bytes) -> str:
        """Keep `data` (once: the same bytes give the same name); returns its SHA-256."""
        digest = hashlib.sha256(data).hexdigest()
        target = self.path_of(digest)
        if target.is_file():
            return digest
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temporary, 0o600)
            os.replace(temporary, target)  # atomic: a reader sees the whole file or none
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return digest

    def has(self, digest: str) -> bool:
        return valid_digest(digest) and self.path_of(digest).is_file()

    def read(self, digest: str, *, max_bytes: int = MAX_FILE_BYTES) -> bytes:
        """The bytes kept under `digest`; `MediaRejected` if absent, not a plain file, too big or altered."""
        path = self.path_of(digest)
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except FileNotFoundError:
            raise MediaRejected(f"media {digest}: not in the media store") from None
        except OSError as error:
            raise MediaRejected(f"media {digest}: cannot read ({error.strerror or error})") from None
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise MediaRejected(f"media {digest}: not a regular file")
            data = handle.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise MediaRejected(f"media {digest}: over the {max_bytes}-byte limit")
        if hashlib.sha256(data).hexdigest() != digest:
            raise MediaRejected(f"media {digest}: the stored file was altered (its hash differs)")
        return data
