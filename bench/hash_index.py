"""An in-memory index of PDQ hashes: which stored images are within Hamming distance d of a query?

Multi-index hashing (Norouzi, Punjani & Fleet, "Fast search in Hamming space with multi-index hashing", CVPR 2012):
the 256 bits are cut into 16 chunks of 16 bits. If two hashes differ in at most d bits, then by pigeonhole at least
one chunk differs in at most r = d // 16 bits (were every chunk ≥ r + 1 apart, the total would be ≥ 16(r + 1) > d).
So the candidates are the entries whose chunk i equals one of the query's chunk i flipped in ≤ r bits, for each
of the 16 chunks; for d = 31 that is r = 1: 16 × 17 = 272 bucket look-ups. Candidates are then checked exactly.
The search is exact (no match within d is ever missed); `tests/media/test_hash_index.py` checks it against brute
force.

Buckets are a compressed sorted layout in numpy (per chunk: entry ids sorted by chunk value, and where each of the
65,536 values starts), rebuilt as the index grows; entries added since the last rebuild are compared by brute force.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from varde.media.pdq import HEX_DIGITS, MATCH_DISTANCE

CHUNKS = 16
CHUNK_BITS = 16
HASH_BYTES = 32
_MIN_PENDING = 4096  # brute-force comparison below this many new entries is cheaper than a rebuild


@dataclass(frozen=True, slots=True)
class HashMatch:
    """A stored entry within the query distance: its key (e.g. a post or order id), its hash and the distance."""

    key: str
    hash: str
    distance: int


class HashIndex(Protocol):
    """What the pipeline needs from an image-hash index, in memory or in a database."""

    max_distance: int

    def add(self, hash_hex: str, key: str) -> None: ...

    def query(self, hash_hex: str, max_distance: int | None = None) -> list[HashMatch]: ...


def hash_bytes(hash_hex: str) -> bytes:
    """The 32 bytes of a 64-hex-digit hash; `ValueError` otherwise."""
    if len(hash_hex) != HEX_DIGITS:
        raise ValueError(f"a PDQ hash has {HEX_DIGITS} hex digits, got {len(hash_hex)}: {hash_hex!r}")
    return bytes.fromhex(hash_hex)


def chunk_values(hash_hex: str) -> tuple[int, ...]:
    """The 16 chunks of 16 bits of a hash, first chunk = first four hex digits."""
    raw = hash_bytes(hash_hex)
    return tuple(int.from_bytes(raw[i : i + 2], "big") for i in range(0, HASH_BYTES, 2))


def flip_masks(radius: int, bits: int = CHUNK_BITS) -> NDArray[np.uint32]:
    """Every `bits`-bit mask with at most `radius` bits set (0 first)."""
    masks = [0]
    for k in range(1, min(radius, bits) + 1):
        masks.extend(sum(1 << b for b in combo) for combo in combinations(range(bits), k))
    return np.asarray(masks, dtype=np.uint32)


def _popcount_rows(words: NDArray[np.uint64]) -> NDArray[np.int64]:
    counts: NDArray[np.int64] = np.bitwise_count(words).sum(axis=1, dtype=np.int64)
    return counts


class MemoryHashIndex:
    """Exact Hamming-radius search over PDQ hashes held in memory (fast at 1,000,000 hashes)."""

    def __init__(self, max_distance: int = MATCH_DISTANCE) -> None:
        if not 0 <= max_distance < 256:
            raise ValueError("max_distance must be within 0..255")
        self.max_distance = max_distance
        self._bytes: NDArray[np.uint8] = np.zeros((1024, HASH_BYTES), dtype=np.uint8)
        self._keys: list[str] = []
        self._frozen = 0  # entries [0, _frozen) are in the buckets
        self._order: NDArray[np.int32] = np.zeros((CHUNKS, 0), dtype=np.int32)
        self._starts: NDArray[np.int64] = np.zeros((CHUNKS, (1 << CHUNK_BITS) + 1), dtype=np.int64)
        self._masks: dict[int, NDArray[np.uint32]] = {}

    def __len__(self) -> int:
        return len(self._keys)

    def add(self, hash_hex: str, key: str) -> None:
        self.add_many([hash_hex], [key])

    def add_many(self, hashes: Sequence[str], keys: Sequence[str]) -> None:
        """Add entries in bulk (one key per hash)."""
        if len(hashes) != len(keys):
            raise ValueError("add_many needs one key per hash")
        if not hashes:
            return
        rows = np.frombuffer(b"".join(hash_bytes(h) for h in hashes), dtype=np.uint8).reshape(-1, HASH_BYTES)
        n = len(self._keys)
        need = n + len(rows)
        if need > len(self._bytes):
            grown = np.zeros((max(need, 2 * len(self._bytes)), HASH_BYTES), dtype=np.uint8)
            grown[:n] = self._bytes[:n]
            self._bytes = grown
        self._bytes[n:need] = rows
        self._keys.extend(keys)
        if need - self._frozen > max(_MIN_PENDING, self._frozen // 8):
            self._rebuild()

    def _rebuild(self) -> None:
        n = len(self._keys)
        chunks = self._bytes[:n].view(">u2").astype(np.int64)  # (n, 16)
        order = np.empty((CHUNKS, n), dtype=np.int32)
        starts = np.empty((CHUNKS, (1 << CHUNK_BITS) + 1), dtype=np.int64)
        for c in range(CHUNKS):
            column = chunks[:, c]
            order[c] = np.argsort(column, kind="stable")
            starts[c, 0] = 0
            np.cumsum(np.bincount(column, minlength=1 << CHUNK_BITS), out=starts[c, 1:])
        self._order, self._starts, self._frozen = order, starts, n

    def _probe_masks(self, distance: int) -> NDArray[np.uint32]:
        radius = distance // CHUNKS
        if radius not in self._masks:
            self._masks[radius] = flip_masks(radius)
        return self._masks[radius]

    def _candidates(self, query: NDArray[np.uint8], distance: int) -> NDArray[np.int64]:
        if self._frozen == 0:
            return np.zeros(0, dtype=np.int64)
        values = query.view(">u2").astype(np.int64)  # (16,)
        probes = values[:, None] ^ self._probe_masks(distance)[None, :].astype(np.int64)  # (16, P)
        rows = np.arange(CHUNKS)[:, None]
        lo = self._starts[rows, probes]
        lengths = (self._starts[rows, probes + 1] - lo).ravel()
        base = (lo + rows * self._frozen).ravel()
        keep = lengths > 0
        lengths, base = lengths[keep], base[keep]
        if lengths.size == 0:
            return np.zeros(0, dtype=np.int64)
        # Concatenate the bucket slices without a Python loop: position j of slice k is base[k] + j.
        ends = np.cumsum(lengths)
        flat = np.repeat(base - (ends - lengths), lengths) + np.arange(int(ends[-1]))
        # Duplicates (an entry found through several chunks) are removed after the distance check, which is cheaper.
        return self._order.ravel()[flat].astype(np.int64)

    def query(self, hash_hex: str, max_distance: int | None = None) -> list[HashMatch]:
        """Entries within `max_distance` (default: the index's) of `hash_hex`, nearest first."""
        distance = self.max_distance if max_distance is None else max_distance
        query = np.frombuffer(hash_bytes(hash_hex), dtype=np.uint8)
        n = len(self._keys)
        ids = np.concatenate([self._candidates(query, distance), np.arange(self._frozen, n, dtype=np.int64)])
        if ids.size == 0:
            return []
        words = self._bytes[:n].view(np.uint64)  # (n, 4)
        qwords = query.view(np.uint64)
        distances = _popcount_rows(words[ids] ^ qwords)
        hit = distances <= distance
        ids, first = np.unique(ids[hit], return_index=True)
        distances = distances[hit][first]
        order = np.lexsort((ids, distances))
        return [
            HashMatch(self._keys[i], bytes(self._bytes[i]).hex(), int(d))
            for i, d in zip(ids[order].tolist(), distances[order].tolist(), strict=True)
        ]

    def nearest(self, hash_hex: str, max_distance: int | None = None) -> HashMatch | None:
        """The nearest entry within the distance, or None."""
        matches = self.query(hash_hex, max_distance)
        return matches[0] if matches else None

    def brute_force(self, hash_hex: str, max_distance: int | None = None) -> list[HashMatch]:
        """The same answer as `query`, by comparing with every entry (for tests and checks)."""
        distance = self.max_distance if max_distance is None else max_distance
        n = len(self._keys)
        query = np.frombuffer(hash_bytes(hash_hex), dtype=np.uint8)
        distances = _popcount_rows(self._bytes[:n].view(np.uint64) ^ query.view(np.uint64))
        ids = np.flatnonzero(distances <= distance)
        order = np.lexsort((ids, distances[ids]))
        return [HashMatch(self._keys[i], bytes(self._bytes[i]).hex(), int(distances[i])) for i in ids[order].tolist()]


def build_index(entries: Iterable[tuple[str, str]], max_distance: int = MATCH_DISTANCE) -> MemoryHashIndex:
    """An index of (hash, key) pairs."""
    index = MemoryHashIndex(max_distance)
    pairs = list(entries)
    index.add_many([h for h, _ in pairs], [k for _, k in pairs])
    return index
