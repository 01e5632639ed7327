from __future__ import annotations

import random

import pytest

from bench.hash_index import MemoryHashIndex, build_index, chunk_values, flip_masks


def _random_hash(rng: random.Random) -> str:
    return f"{rng.getrandbits(256):064x}"


def _flip(hash_hex: str, bits: int, rng: random.Random) -> str:
    value = int(hash_hex, 16)
    for position in rng.sample(range(256), bits):
        value ^= 1 << position
    return f"{value:064x}"


def test_flip_masks_enumerate_every_mask_within_the_radius() -> None:
    assert flip_masks(0).tolist() == [0]
    assert len(flip_masks(1)) == 17
    assert len(set(flip_masks(2).tolist())) == 1 + 16 + 120


def test_chunks_are_sixteen_big_endian_pieces() -> None:
    assert chunk_values("0001" + "0" * 56 + "ffff") == (1, *([0] * 14), 0xFFFF)


@pytest.mark.parametrize("max_distance", [0, 15, 16, 31, 32, 47])
def test_query_finds_exactly_what_brute_force_finds(max_distance: int) -> None:
    # Planted neighbours at every distance around the threshold; the pigeonhole argument says none is missed.
    rng = random.Random(max_distance)
    index = MemoryHashIndex(max_distance=max_distance)
    bases = [_random_hash(rng) for _ in range(30)]
    entries = [(h, f"base{i}") for i, h in enumerate(bases)]
    for i, base in enumerate(bases):
        for d in range(0, max_distance + 6, 3):
            entries.append((_flip(base, d, rng), f"near{i}-{d}"))
    entries += [(_random_hash(rng), f"noise{i}") for i in range(6000)]  # enough to build the buckets
    index.add_many([h for h, _ in entries], [k for _, k in entries])
    for base in bases[:10]:
        query = _flip(base, rng.randint(0, 8), rng)
        found = index.query(query)
        assert found == index.brute_force(query)
        assert all(m.distance <= max_distance for m in found)
        assert [m.distance for m in found] == sorted(m.distance for m in found)


def test_entries_added_after_the_last_rebuild_are_found() -> None:
    rng = random.Random(1)
    index = build_index([(_random_hash(rng), f"k{i}") for i in range(5000)])
    late = _random_hash(rng)
    index.add(late, "late")
    assert len(index) == 5001
    match = index.nearest(_flip(late, 20, rng))
    assert match is not None
    assert (match.key, match.hash, match.distance) == ("late", late, 20)


def test_threshold_is_configurable_per_query() -> None:
    rng = random.Random(2)
    base = _random_hash(rng)
    index = build_index([(base, "a")], max_distance=31)
    far = _flip(base, 40, rng)
    assert index.query(far) == []
    assert [m.key for m in index.query(far, max_distance=40)] == ["a"]


def test_empty_index_and_bad_hashes() -> None:
    index = MemoryHashIndex()
    assert index.query("0" * 64) == []
    with pytest.raises(ValueError, match="64 hex digits"):
        index.add("1234", "x")
    with pytest.raises(ValueError, match="max_distance"):
        MemoryHashIndex(max_distance=300)
