"""Installation keys: private files, standard PEM, and Ed25519 signatures that match RFC 8032."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest

from varde.errors import ConfigError
from varde.keys import (
    SECRET_FILE,
    SIGNING_FILE,
    Signer,
    installed_public_key,
    load_public_key,
    secret_key,
    signature_ok,
    signer,
)

# RFC 8032 section 7.1, tests 1 and 2: (secret key, public key, message, signature).
VECTORS = [
    (
        "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
        "",
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
    ),
    (
        "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
        "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
        "72",
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
    ),
]


@pytest.mark.parametrize(("secret", "public", "message", "signature"), VECTORS)
def test_signatures_match_rfc_8032(secret: str, public: str, message: str, signature: str) -> None:
    seed, msg = bytes.fromhex(secret), bytes.fromhex(message)
    signed = Signer(seed)
    assert signed.public.hex() == public
    assert base64.b64decode(signed.sign(msg)).hex() == signature
    assert signature_ok(bytes.fromhex(public), msg, base64.b64encode(bytes.fromhex(signature)).decode())
    assert signature_ok(signed.public, msg, signed.sign(msg))
    assert not signature_ok(signed.public, msg + b"x", signed.sign(msg))
    assert not signature_ok(signed.public, msg, "not base64!") and not signature_ok(signed.public, msg, None)


def test_key_files_are_created_once_with_mode_0600(tmp_path: Path) -> None:
    folder = tmp_path / "keys"
    assert installed_public_key(folder) is None and not folder.exists()  # asking creates nothing
    first = signer(folder)
    assert signer(folder) == first and installed_public_key(folder) == first.public
    secret = secret_key(folder)
    assert secret_key(folder) == secret and len(secret) == 64
    for name in (SIGNING_FILE, SECRET_FILE):
        assert (folder / name).stat().st_mode & 0o777 == 0o600
    assert folder.stat().st_mode & 0o777 == 0o700
    pem = tmp_path / "pub.pem"
    pem.write_bytes(first.public_pem())
    assert pem.read_bytes().startswith(b"-----BEGIN PUBLIC KEY-----")
    assert load_public_key(pem) == first.public


def test_key_files_that_others_can_read_or_that_are_links_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "keys"
    signer(folder)
    os.chmod(folder / SIGNING_FILE, 0o644)
    with pytest.raises(ConfigError, match="readable by others"):
        signer(folder)
    other = tmp_path / "other"
    other.mkdir()
    (tmp_path / "planted").write_text("x" * 64)
    os.chmod(tmp_path / "planted", 0o600)
    (other / SECRET_FILE).symlink_to(tmp_path / "planted")
    with pytest.raises(ConfigError, match="cannot read key file"):
        secret_key(other)
    (tmp_path / "bad.pem").write_text("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")
    with pytest.raises(ConfigError, match="not an Ed25519 public key"):
        load_public_key(tmp_path / "bad.pem")
