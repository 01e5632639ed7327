"""Hashed character n-grams of words: exactly what scikit-learn's `HashingVectorizer(analyzer="char_wb",
alternate_sign=False, norm=None, lowercase=False)` gives for a one-word document, without importing scikit-learn.

The detector trains with scikit-learn and scores without it: importing scikit-learn and the parts of SciPy it pulls
in costs about a second of CPU at every start of `varde analyze`, `scan` and each worker, more than scoring a
thousand posts. The n-grams are the scikit-learn ones (the word padded with one space on each side, n from low to
high, a word shorter than n counted once), hashed with the signed 32-bit MurmurHash3 (seed 0) of their UTF-8 bytes
and folded into `n_features` columns by absolute value. `tests/detect/test_ngrams.py` checks equality with
scikit-learn itself, which stays installed for training."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import Any

import mmh3
import numpy as np

Array = np.ndarray[Any, Any]

_INT32_MIN = -(2**31)


def word_ngrams(word: str, low: int, high: int) -> list[str]:
    """The char_wb n-grams of one word (no whitespace in it), in scikit-learn's order."""
    padded = f" {word} "
    length = len(padded)
    grams: list[str] = []
    for n in range(low, high + 1):
        if length <= n:  # a word shorter than n is counted once, whole
            grams.append(padded)
            break
        grams.extend(padded[i : i + n] for i in range(length - n + 1))
    return grams


def column(gram: str, n_features: int) -> int:
    """The column scikit-learn's hashing puts an n-gram in."""
    return int(_columns(np.array([mmh3.hash(gram, 0, True)], dtype=np.int64), n_features)[0])


def _columns(hashes: Array, n_features: int) -> Array:
    columns: Array = np.abs(hashes) % n_features
    # abs() of the smallest int32 overflows in scikit-learn, which defines its column as this instead.
    columns[hashes == _INT32_MIN] = (2**31 - 1 - (n_features - 1)) % n_features
    return columns


def hash_words(
    words: Sequence[str], n_features: int, ngram_range: tuple[int, int], dtype: np.dtype[Any]
) -> list[tuple[Array, Array]]:
    """Per word, its row of n-gram counts: sorted column indices (int32) and counts (`dtype`)."""
    low, high = ngram_range
    murmur = mmh3.hash  # of the UTF-8 bytes of a str
    hashes: list[int] = []
    lengths: list[int] = []
    for word in words:
        grams = word_ngrams(word, low, high)
        lengths.append(len(grams))
        hashes.extend([murmur(gram, 0, True) for gram in grams])
    columns = _columns(np.array(hashes, dtype=np.int64), n_features)
    # One sort for all words: (word, column) pairs with their counts, then cut per word.
    keys = np.repeat(np.arange(len(words), dtype=np.int64), lengths) * n_features + columns
    unique, counts = np.unique(keys, return_counts=True)
    bounds = np.searchsorted(unique // n_features, np.arange(len(words) + 1))
    indices = (unique % n_features).astype(np.int32)
    values = counts.astype(dtype)
    return [(indices[a:b], values[a:b]) for a, b in pairwise(bounds)]
