"""In-memory indexes over millions of signals: exact MD5 lookup and near-neighbour search for PDQ and TLSH.

`ExactIndex` keeps 128-bit digests (MD5) as a sorted array of their first 64 bits and checks the rest.

`ChunkIndex` is a multi-index (Norouzi et al.'s multi-index hashing): each 256-bit code (PDQ, or the 128 two-bit
buckets of a TLSH body) is cut into 16 chunks of 16 bits, each chunk column sorted once. Two codes within distance
`d` differ in at most `d` bits (PDQ) or buckets (TLSH), so when `d < 16 * (radius + 1)` some chunk differs in at most
`radius` of them (pigeonhole). A query looks up each of its chunks (radius 0) or each chunk and its one-bit/one-bucket
neighbours (radius 1), and only the codes found so are compared in full. Radius 1 finds every code within 31 bits
(PDQ's threshold) or 31 buckets; radius 0 is ~17x fewer look-ups and finds all within 15 and most beyond
(`bench/bench_signals.py` measures both). Queries run in batches, all in numpy.

Memory per million signals: 32 MB of codes plus 16 x 6 MB of sorted chunks and their row numbers, ~130 MB.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

CHUNKS = 16
CODE_BYTES = 32
_POPCOUNT = np.array([bin(i).count("1") for i in range(256)], dtype=np.uint8)


def _bucket_table() -> NDArray[np.uint8]:
    """TLSH body distance between two bytes (4 buckets of 2 bits each; a difference of 3 counts 6, as TLSH does)."""
    table = np.zeros((256, 256), dtype=np.uint8)
    for a in range(256):
        for b in range(256):
            total = 0
            for shift in (0, 2, 4, 6):
                diff = abs(((a >> shift) & 3) - ((b >> shift) & 3))
                total += 6 if diff == 3 else diff
            table[a, b] = total
    return table


_BUCKETS: NDArray[np.uint8] | None = None


def bucket_table() -> NDArray[np.uint8]:
    global _BUCKETS
    if _BUCKETS is None:
        _BUCKETS = _bucket_table()
    return _BUCKETS


def pdq_codes(hexes: Sequence[str]) -> NDArray[np.uint8]:
    """PDQ hashes (64 hex digits) as rows of 32 bytes."""
    if not hexes:
        return np.zeros((0, CODE_BYTES), dtype=np.uint8)
    return np.frombuffer(bytes.fromhex("".join(hexes)), dtype=np.uint8).reshape(len(hexes), CODE_BYTES).copy()


def tlsh_codes(hashes: Sequence[str]) -> NDArray[np.uint8]:
    """The 32-byte bodies (128 buckets) of TLSH hashes ("T1" + 6 header hex digits + 64 body hex digits)."""
    return pdq_codes([h[8:] for h in hashes])


def _bit_masks() -> NDArray[np.uint16]:
    return np.array([0, *(1 << i for i in range(16))], dtype=np.uint16)


def _bucket_masks() -> NDArray[np.uint16]:
    return np.array([0, *(v << (2 * i) for i in range(8) for v in (1, 2, 3))], dtype=np.uint16)


@dataclass(frozen=True, slots=True)
class Hit:
    """Query `query` (its position in the batch) is within `distance` of indexed row `row`."""

    query: int
    row: int
    distance: int


class ChunkIndex:
    """Near-neighbour search over 32-byte codes; `metric` "hamming" (PDQ) or "buckets" (TLSH bodies)."""

    def __init__(self, codes: NDArray[np.uint8], *, metric: str = "hamming", radius: int = 1) -> None:
        if metric not in ("hamming", "buckets"):
            raise ValueError(f"unknown metric {metric!r}")
        if radius not in (0, 1):
            raise ValueError("radius is 0 or 1")
        self.codes = np.ascontiguousarray(codes, dtype=np.uint8).reshape(-1, CODE_BYTES)
        self.metric = metric
        masks = _bit_masks() if metric == "hamming" else _bucket_masks()
        self.masks = masks if radius == 1 else masks[:1]
        chunks = self.codes.view(">u2").astype(np.uint16)  # (n, 16)
        self.order = [np.argsort(chunks[:, c], kind="stable").astype(np.int32) for c in range(CHUNKS)]
        self.sorted = [chunks[self.order[c], c] for c in range(CHUNKS)]

    def __len__(self) -> int:
        return int(self.codes.shape[0])

    @property
    def nbytes(self) -> int:
        return int(self.codes.nbytes + sum(o.nbytes + s.nbytes for o, s in zip(self.order, self.sorted, strict=True)))

    def distances(self, queries: NDArray[np.uint8], qrows: NDArray[Any], rows: NDArray[Any]) -> NDArray[np.int32]:
        """Exact distances of the (query, row) pairs: Hamming bits, or the TLSH body distance."""
        a, b = queries[qrows], self.codes[rows]
        table = _POPCOUNT[np.bitwise_xor(a, b)] if self.metric == "hamming" else bucket_table()[a, b]
        out: NDArray[np.int32] = table.sum(axis=1, dtype=np.int32)
        return out

    def _lower_bounds(self, queries: NDArray[np.uint8], qrows: NDArray[Any], rows: NDArray[Any]) -> NDArray[Any]:
        """A fast bound per pair on 64-bit words: the Hamming distance itself, or the number of differing TLSH
        buckets (each adds at least 1 to the body distance)."""
        x = queries.view(np.uint64)[qrows] ^ self.codes.view(np.uint64)[rows]
        if self.metric == "buckets":
            x = (x | (x >> np.uint64(1))) & np.uint64(0x5555555555555555)
        bounds: NDArray[Any] = np.bitwise_count(x).sum(axis=1)
        return bounds

    def search(self, queries: NDArray[np.uint8], max_distance: int) -> list[Hit]:
        """Every (query, row) within `max_distance` (radius 1: all of them while max_distance <= 31)."""
        queries = np.ascontiguousarray(queries, dtype=np.uint8).reshape(-1, CODE_BYTES)
        if len(self) == 0 or queries.shape[0] == 0:
            return []
        qchunks = queries.view(">u2").astype(np.uint16)
        found_q: list[NDArray[Any]] = []
        found_r: list[NDArray[Any]] = []
        n_masks = self.masks.shape[0]
        for c in range(CHUNKS):
            keys = (qchunks[:, c, None] ^ self.masks[None, :]).ravel()
            lo = np.searchsorted(self.sorted[c], keys, side="left")
            hi = np.searchsorted(self.sorted[c], keys, side="right")
            counts = hi - lo
            total = int(counts.sum())
            if total == 0:
                continue
            starts = np.repeat(lo - (np.cumsum(counts) - counts), counts)
            rows = self.order[c][starts + np.arange(total)]
            qrows = np.repeat(np.arange(keys.shape[0]) // n_masks, counts)
            near = self._lower_bounds(queries, qrows, rows) <= max_distance  # most candidates end here
            found_r.append(rows[near])
            found_q.append(qrows[near])
        if not found_r:
            return []
        n = np.int64(len(self))
        keys64 = np.unique(np.concatenate(found_q).astype(np.int64) * n + np.concatenate(found_r))
        pair_q, pair_r = keys64 // n, keys64 % n
        dist = self.distances(queries, pair_q, pair_r)
        keep = dist <= max_distance
        return [Hit(int(q), int(r), int(d)) for q, r, d in zip(pair_q[keep], pair_r[keep], dist[keep], strict=True)]


class ExactIndex:
    """Exact lookup of hex digests (MD5) among millions: a sorted array of their first 64 bits, then a full check."""

    def __init__(self, hexes: Sequence[str]) -> None:
        self.hexes = list(hexes)
        prefixes = np.array([int(h[:16], 16) for h in self.hexes], dtype=np.uint64)
        self.order = np.argsort(prefixes, kind="stable")
        self.sorted = prefixes[self.order]

    def __len__(self) -> int:
        return len(self.hexes)

    @property
    def nbytes(self) -> int:
        return int(self.order.nbytes + self.sorted.nbytes + len(self.hexes) * 81)  # 32-char str ≈ 81 bytes

    def search(self, queries: Sequence[str]) -> list[Hit]:
        if not self.hexes or not queries:
            return []
        keys = np.array([int(q[:16], 16) for q in queries], dtype=np.uint64)
        lo = np.searchsorted(self.sorted, keys, side="left")
        hi = np.searchsorted(self.sorted, keys, side="right")
        hits = []
        for qi in np.flatnonzero(hi > lo):
            for pos in range(int(lo[qi]), int(hi[qi])):
                row = int(self.order[pos])
                if self.hexes[row] == queries[int(qi)]:
                    hits.append(Hit(int(qi), row, 0))
        return hits
