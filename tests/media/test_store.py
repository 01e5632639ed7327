from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from varde.media.files import MediaRejected
from varde.media.store import MediaStore


def test_files_are_kept_once_by_sha256_and_read_back_by_digest_only(tmp_path: Path) -> None:
    store = MediaStore(tmp_path / "m")
    digest = store.put(b"picture")
    assert digest == hashlib.sha256(b"picture").hexdigest() and store.put(b"picture") == digest
    assert (tmp_path / "m" / digest[:2] / digest[2:]).read_bytes() == b"picture"
    assert (tmp_path / "m" / digest[:2] / digest[2:]).stat().st_mode & 0o777 == 0o600
    assert store.read(digest) == b"picture" and store.has(digest)


@pytest.mark.parametrize("name", ["../../etc/passwd", "/etc/passwd", "A" * 64, "ab", "", "0" * 63 + "/"])
def test_anything_but_a_digest_is_refused(tmp_path: Path, name: str) -> None:
    store = MediaStore(tmp_path)
    with pytest.raises(MediaRejected, match="not a SHA-256 digest"):
        store.read(name)
    assert not store.has(name)


def test_missing_altered_oversized_and_linked_files_are_refused(tmp_path: Path) -> None:
    store = MediaStore(tmp_path / "m")
    digest = store.put(b"picture")
    path = tmp_path / "m" / digest[:2] / digest[2:]
    with pytest.raises(MediaRejected, match="over the 3-byte limit"):
        store.read(digest, max_bytes=3)
    path.write_bytes(b"other")
    with pytest.raises(MediaRejected, match="altered"):
        store.read(digest)
    path.unlink()
    with pytest.raises(MediaRejected, match="not in the media store"):
        store.read(digest)
    (tmp_path / "secret").write_bytes(b"picture")
    path.symlink_to(tmp_path / "secret")  # a link planted in the store is not followed
    with pytest.raises(MediaRejected, match="cannot read"):
        store.read(digest)
