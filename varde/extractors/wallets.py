"""Checksums of cryptocurrency addresses: Base58Check (BTC legacy, TRON), Bech32/Bech32m (BTC SegWit), EIP-55 (ETH)
and Monero's Keccak checksum. Pure Python; Keccak-256 is the original (pre-SHA-3) padding that Ethereum and Monero use.
"""

from __future__ import annotations

import hashlib

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {c: i for i, c in enumerate(_B58)}
_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"

_RC = [
    0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000, 0x000000000000808B,
    0x0000000080000001, 0x8000000080008081, 0x8000000000008009, 0x000000000000008A, 0x0000000000000088,
    0x0000000080008009, 0x000000008000000A, 0x000000008000808B, 0x800000000000008B, 0x8000000000008089,
    0x8000000000008003, 0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
    0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
]  # fmt: skip
_ROT = [[0, 36, 3, 41, 18], [1, 44, 10, 45, 2], [62, 6, 43, 15, 61], [28, 55, 25, 21, 56], [27, 20, 39, 8, 14]]
_MASK64 = (1 << 64) - 1


def _rotl(x: int, n: int) -> int:
    return ((x << n) | (x >> (64 - n))) & _MASK64 if n else x


def _keccak_f(a: list[list[int]]) -> None:
    for rc in _RC:
        c = [a[x][0] ^ a[x][1] ^ a[x][2] ^ a[x][3] ^ a[x][4] for x in range(5)]
        d = [c[(x - 1) % 5] ^ _rotl(c[(x + 1) % 5], 1) for x in range(5)]
        for x in range(5):
            for y in range(5):
                a[x][y] ^= d[x]
        b = [[0] * 5 for _ in range(5)]
        for x in range(5):
            for y in range(5):
                b[y][(2 * x + 3 * y) % 5] = _rotl(a[x][y], _ROT[x][y])
        for x in range(5):
            for y in range(5):
                a[x][y] = b[x][y] ^ ((~b[(x + 1) % 5][y]) & b[(x + 2) % 5][y])
        a[0][0] ^= rc


def keccak256(data: bytes) -> bytes:
    rate = 136
    padded = bytearray(data) + b"\x01"
    while len(padded) % rate:
        padded.append(0)
    padded[-1] |= 0x80
    state = [[0] * 5 for _ in range(5)]
    for block in range(0, len(padded), rate):
        for i in range(rate // 8):
            lane = int.from_bytes(padded[block + 8 * i : block + 8 * i + 8], "little")
            state[i % 5][i // 5] ^= lane
        _keccak_f(state)
    out = b"".join(state[i % 5][i // 5].to_bytes(8, "little") for i in range(4))
    return out


def b58decode(s: str) -> bytes | None:
    n = 0
    for ch in s:
        if ch not in _B58_INDEX:
            return None
        n = n * 58 + _B58_INDEX[ch]
    body = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    pad = len(s) - len(s.lstrip("1"))
    return b"\x00" * pad + body


def base58check_ok(s: str, versions: tuple[int, ...]) -> bool:
    raw = b58decode(s)
    if raw is None or len(raw) != 25 or raw[0] not in versions:
        return False
    return hashlib.sha256(hashlib.sha256(raw[:-4]).digest()).digest()[:4] == raw[-4:]


def _bech32_polymod(values: list[int]) -> int:
    gen = [0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3]
    chk = 1
    for v in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ v
        for i in range(5):
            chk ^= gen[i] if (top >> i) & 1 else 0
    return chk


def bech32_ok(address: str) -> bool:
    """A valid Bech32 (v0) or Bech32m (v1+) SegWit address with the `bc` prefix."""
    if address.lower() != address and address.upper() != address:
        return False
    addr = address.lower()
    hrp, _, data = addr.rpartition("1")
    if hrp != "bc" or len(data) < 7 or any(c not in _BECH32 for c in data):
        return False
    values = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp] + [_BECH32.index(c) for c in data]
    return _bech32_polymod(values) in (1, 0x2BC830A3)


def eip55_ok(address: str) -> bool:
    """All-lowercase or all-uppercase hex is accepted as is; mixed case must match the EIP-55 checksum."""
    body = address[2:]
    if body.lower() == body or body.upper() == body:
        return True
    digest = keccak256(body.lower().encode()).hex()
    return all(
        (ch.upper() if int(digest[i], 16) >= 8 else ch.lower()) == ch for i, ch in enumerate(body) if ch.isalpha()
    )


def monero_ok(address: str) -> bool:
    """Monero's base58 (8-byte blocks → 11 characters) with a 4-byte Keccak-256 checksum."""
    sizes = {11: 8, 10: 7, 9: 6, 7: 5, 6: 4, 5: 3, 3: 2, 2: 1}
    raw = bytearray()
    for i in range(0, len(address), 11):
        chunk = address[i : i + 11]
        if len(chunk) not in sizes:
            return False
        n = 0
        for ch in chunk:
            if ch not in _B58_INDEX:
                return False
            n = n * 58 + _B58_INDEX[ch]
        size = sizes[len(chunk)]
        if n >= 1 << (8 * size):
            return False
        raw += n.to_bytes(size, "big")
    if len(raw) < 5:
        return False
    return keccak256(bytes(raw[:-4]))[:4] == bytes(raw[-4:])
