"""The installation's keys, kept in files readable by their owner only (edge I/O).

    <key folder>/secret.key    32 random bytes (hex): signs web session cookies; VARDE_SECRET_KEY overrides it
    <key folder>/signing.key   Ed25519 private key (PEM): signs evidence manifests and audit checkpoints

Each file is created on first use with mode 0600 in a folder of mode 0700 (`Settings.key_folder`: VARDE_KEY_DIR, else
beside the SQLite file). Keeping them out of the environment means a process listing or `/proc/PID/environ` does not
hold them. The public half of the signing key is what a court or a second installation needs to check a bundle or a
checkpoint (`varde export pubkey`); it is not secret.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ed25519

from varde.errors import ConfigError

SECRET_FILE = "secret.key"
SIGNING_FILE = "signing.key"
# The fixed DER prefixes of an Ed25519 private key (PKCS #8) and public key (SubjectPublicKeyInfo), RFC 8410: the
# files are the standard PEM that `openssl pkey` and `cryptography` read.
PRIVATE_DER = bytes.fromhex("302e020100300506032b657004220420")
PUBLIC_DER = bytes.fromhex("302a300506032b6570032100")

def _public_of(seed: bytes) -> bytes:
    return bytes(ed25519.Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes_raw())


def _sign(seed: bytes, data: bytes) -> bytes:
    return bytes(ed25519.Ed25519PrivateKey.from_private_bytes(seed).sign(data))


def _verify(public: bytes, data: bytes, signature: bytes) -> bool:
    try:
        ed25519.Ed25519PublicKey.from_public_bytes(public).verify(signature, data)
    except (InvalidSignature, ValueError):
        return False
    return True


def _pem(label: str, der: bytes) -> bytes:
    body = base64.b64encode(der).decode("ascii")
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return "\n".join([f"-----BEGIN {label}-----", *lines, f"-----END {label}-----", ""]).encode("ascii")


def _from_pem(data: bytes, label: str, prefix: bytes, where: object) -> bytes:
    """The 32 key bytes of a PEM file holding an Ed25519 key of the kind `label` names."""
    try:
        text = data.decode("ascii")
        begin, end = f"-----BEGIN {label}-----", f"-----END {label}-----"
        body = text[text.index(begin) + len(begin) : text.index(end)]
        der = base64.b64decode("".join(body.split()), validate=True)
    except (UnicodeDecodeError, ValueError, binascii.Error):
        raise ConfigError(f"{where} is not a PEM {label.lower()}") from None
    if len(der) != len(prefix) + 32 or not der.startswith(prefix):
        raise ConfigError(f"{where} is not an Ed25519 {label.lower()}")
    return der[len(prefix) :]


def _create_exclusive(path: Path, data: bytes) -> None:
    """Write a new 0600 file; if another process created it first, keep theirs."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _read_private(path: Path) -> bytes:
    """The bytes of a key file, refusing one that others can read or that is a link."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError as error:
        raise ConfigError(f"cannot read key file {path}: {error.strerror or error}") from None
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(handle.fileno()).st_mode
        if mode & 0o077:
            raise ConfigError(f"key file {path} is readable by others (mode {mode & 0o777:o}); chmod 600 it")
        return handle.read(64 * 1024)


def secret_key(folder: Path) -> bytes:
    """The web secret from `<folder>/secret.key`, created on first use."""
    path = folder / SECRET_FILE
    if not path.exists():
        _create_exclusive(path, secrets.token_hex(32).encode("ascii") + b"\n")
    text = _read_private(path).strip()
    if len(text) < 32:
        raise ConfigError(f"key file {path} is too short")
    return text


def fingerprint(public: bytes) -> str:
    """SHA-256 of the raw public key: names the key in manifests and checkpoints."""
    return hashlib.sha256(public).hexdigest()


@dataclass(frozen=True, slots=True)
class Signer:
    """Signs with the installation key (its 32-byte seed)."""

    seed: bytes

    @property
    def public(self) -> bytes:
        return _public_of(self.seed)

    @property
    def key_id(self) -> str:
        return fingerprint(self.public)

    def sign(self, data: bytes) -> str:
        """The Ed25519 signature of `data`, base64."""
        return base64.b64encode(_sign(self.seed, data)).decode("ascii")

    def public_pem(self) -> bytes:
        return public_pem(self.public)


def public_pem(public: bytes) -> bytes:
    return _pem("PUBLIC KEY", PUBLIC_DER + public)


def signer(folder: Path) -> Signer:
    """The installation's signing key from `<folder>/signing.key`, created on first use."""
    path = folder / SIGNING_FILE
    if not path.exists():
        _create_exclusive(path, _pem("PRIVATE KEY", PRIVATE_DER + secrets.token_bytes(32)))
    return Signer(_from_pem(_read_private(path), "PRIVATE KEY", PRIVATE_DER, f"key file {path}"))


def installed_public_key(folder: Path) -> bytes | None:
    """The installation's public key, or None when this folder has no signing key (nothing is created)."""
    return signer(folder).public if (folder / SIGNING_FILE).exists() else None


def load_public_key(path: Path) -> bytes:
    """A public key exported with `varde export pubkey` (PEM)."""
    try:
        data = path.read_bytes()[: 64 * 1024]
    except OSError as error:
        raise ConfigError(f"cannot read public key {path}: {error.strerror or error}") from None
    return _from_pem(data, "PUBLIC KEY", PUBLIC_DER, path)


def signature_ok(public: bytes, data: bytes, signature: object) -> bool:
    """True when `signature` (base64 text) is `public`'s signature of `data`; False for anything else."""
    if not isinstance(signature, str) or len(signature) > 200:
        return False
    try:
        raw = base64.b64decode(signature.encode("ascii"), validate=True)
    except (ValueError, binascii.Error, UnicodeEncodeError):
        return False
    return len(raw) == 64 and _verify(public, data, raw)
