"""The cached per-word n-gram hashing (without scikit-learn) must give exactly what scikit-learn's HashingVectorizer
gives."""

from __future__ import annotations

import numpy as np
import pytest

from varde.detect import classifier
from varde.detect.classifier import OrderClassifier

DOCS = [
    "skjut honom ikväll 50k kontant GUN GUN",
    "",
    "a",
    "jobb jobb jobb 🔫 ta ut en kille",
    "trenger  sjåfør\tasap   dm meg",
    "skjut",
]


def test_cached_counts_equal_the_hasher() -> None:
    hasher = OrderClassifier()._hasher()
    expected = hasher.transform(DOCS).tocsr()
    for _ in range(2):  # cold, then warm cache
        got = classifier._hashed_counts(hasher.n_features, hasher.ngram_range, DOCS)
        assert got.dtype == expected.dtype and got.shape == expected.shape
        assert np.array_equal(got.indptr, expected.indptr)
        assert np.array_equal(got.indices, expected.indices)
        assert np.array_equal(got.data, expected.data)


def test_cached_counts_survive_a_full_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(classifier, "_WORD_CACHE_SIZE", 3)
    hasher = OrderClassifier()._hasher()
    classifier._hashed_counts(hasher.n_features, hasher.ngram_range, DOCS[:1])
    got = classifier._hashed_counts(hasher.n_features, hasher.ngram_range, DOCS)
    expected = hasher.transform(DOCS).tocsr()
    assert (got != expected).nnz == 0
