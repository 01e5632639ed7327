"""`varde.dedupe.rule.minhash` gives datasketch's MinHash signatures (stored in databases) without importing it."""

from __future__ import annotations

import numpy as np
from datasketch import MinHash
from hypothesis import given, settings
from hypothesis import strategies as st

from varde.dedupe.rule import NUM_PERM, SEED, SHINGLE, minhash


def _datasketch(text: str) -> np.ndarray:  # type: ignore[type-arg]
    sketch = MinHash(num_perm=NUM_PERM, seed=SEED)
    if text:
        grams = [text[i : i + SHINGLE] for i in range(max(1, len(text) - SHINGLE + 1))]
        sketch.update_batch([g.encode("utf-8") for g in dict.fromkeys(grams)])
    return np.asarray(sketch.hashvalues, dtype=np.uint32)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=80))
def test_signatures_are_datasketchs(text: str) -> None:
    ours = minhash(text)
    assert ours.dtype == np.uint32 and ours.shape == (NUM_PERM,)
    assert np.array_equal(ours, _datasketch(text))


def test_an_empty_text_has_the_all_max_signature_and_it_is_not_shared() -> None:
    first = minhash("")
    assert np.array_equal(first, _datasketch("")) and int(first.min()) == 2**32 - 1
    first[0] = 0
    assert int(minhash("")[0]) == 2**32 - 1


def test_a_typical_ad_and_its_repost_share_most_of_the_signature() -> None:
    a = minhash("trengerenkarsomkanskytemotethuspafurusetikveld60lapper")
    b = minhash("trengerenkarsomkanskytemotethuspafurusetikveld70lapper")
    assert np.array_equal(a, _datasketch("trengerenkarsomkanskytemotethuspafurusetikveld60lapper"))
    assert np.count_nonzero(a == b) / NUM_PERM > 0.7
