"""The multi-index finds what a brute-force scan finds: every code within the distance (radius 1), exact MD5s."""

from __future__ import annotations

import numpy as np
import pytest

from varde.signals.index import ChunkIndex, ExactIndex, bucket_table, pdq_codes, tlsh_codes


def _flip(code: np.ndarray, bits: np.ndarray) -> np.ndarray:
    out = code.copy()
    for b in bits:
        out[b // 8] ^= np.uint8(1 << (b % 8))
    return out


@pytest.mark.parametrize("distance", [0, 1, 15, 16, 24, 31])
def test_radius_one_finds_every_pdq_code_within_31_bits(distance: int) -> None:
    rng = np.random.default_rng(distance)
    codes = rng.integers(0, 256, (2000, 32), dtype=np.uint8)
    queries = np.stack([_flip(codes[i], rng.choice(256, distance, replace=False)) for i in range(200)])
    hits = ChunkIndex(codes, radius=1).search(queries, 31)
    assert {(h.query, h.row) for h in hits if h.query == h.row} == {(i, i) for i in range(200)}
    assert all(h.distance == distance for h in hits if h.query == h.row)
    # Nothing beyond the threshold, and every reported distance is the true Hamming distance.
    for h in hits:
        true = int(np.unpackbits(np.bitwise_xor(queries[h.query], codes[h.row])).sum())
        assert true == h.distance <= 31


def test_radius_zero_finds_all_within_15_bits() -> None:
    rng = np.random.default_rng(7)
    codes = rng.integers(0, 256, (1000, 32), dtype=np.uint8)
    queries = np.stack([_flip(codes[i], rng.choice(256, 15, replace=False)) for i in range(100)])
    hits = ChunkIndex(codes, radius=0).search(queries, 31)
    assert {h.query for h in hits if h.query == h.row} == set(range(100))


def test_tlsh_bucket_distance_never_exceeds_tlsh() -> None:
    tlsh = pytest.importorskip("tlsh")
    rng = np.random.default_rng(3)
    words = [f"ord{i}" for i in range(60)]
    for _ in range(100):
        text = " ".join(rng.choice(words, 40))
        cut = int(rng.integers(0, len(text)))
        a, b = tlsh.hash(text.encode()), tlsh.hash((text[:cut] + " ny " + text[cut:]).encode())
        codes = tlsh_codes([a, b])
        assert int(bucket_table()[codes[0], codes[1]].sum()) <= tlsh.diff(a, b)


def test_exact_index_matches_whole_digests_only() -> None:
    index = ExactIndex(["0123456789abcdef" + "0" * 16, "0123456789abcdef" + "1" * 16, "f" * 32])
    hits = index.search(["0123456789abcdef" + "1" * 16, "e" * 32])
    assert [(h.query, h.row) for h in hits] == [(0, 1)]


def test_empty_indexes() -> None:
    assert ChunkIndex(pdq_codes([])).search(pdq_codes(["00" * 32]), 31) == []
    assert ExactIndex([]).search(["0" * 32]) == []
