"""`varde.detect.ngrams` hashes words exactly as scikit-learn's char_wb HashingVectorizer does."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import HashingVectorizer

from varde.detect import ngrams
from varde.detect.classifier import OrderClassifier

CORPUS = Path(__file__).parents[2] / "corpus" / "training" / "handwritten.jsonl"


Rows = list[tuple[list[int], list[float]]]


def _sklearn_rows(words: list[str], n_features: int, ngram_range: tuple[int, int]) -> Rows:
    hasher = HashingVectorizer(
        analyzer="char_wb",
        ngram_range=ngram_range,
        n_features=n_features,
        alternate_sign=False,
        norm=None,
        lowercase=False,
        dtype=np.float32,
    )
    matrix = hasher.transform(words).tocsr()
    matrix.sort_indices()
    return [
        (matrix.indices[a:b].tolist(), matrix.data[a:b].tolist())
        for a, b in zip(matrix.indptr[:-1], matrix.indptr[1:], strict=True)
    ]


def _ours(words: list[str], n_features: int, ngram_range: tuple[int, int]) -> Rows:
    rows = ngrams.hash_words(words, n_features, ngram_range, np.dtype(np.float32))
    for indices, counts in rows:
        assert indices.dtype == np.int32 and counts.dtype == np.float32
    return [(indices.tolist(), counts.tolist()) for indices, counts in rows]


def test_every_word_of_the_training_corpus_hashes_as_in_scikit_learn() -> None:
    texts = [json.loads(line)["text"] for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    words = sorted({word for text in texts for word in text.split()})
    assert len(words) > 3000
    model = OrderClassifier()
    settings_ = (model.n_features, tuple(model.ngram_range))
    assert _ours(words, *settings_) == _sklearn_rows(words, *settings_)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=12).filter(lambda w: w.split() == [w]), min_size=1, max_size=20))
def test_any_word_hashes_as_in_scikit_learn(words: list[str]) -> None:
    # Short words (shorter than n), repeated n-grams ("aaaaa"), non-Latin and astral characters.
    for settings_ in ((2**18, (3, 5)), (2**10, (2, 4)), (7, (1, 3))):
        assert _ours(words, *settings_) == _sklearn_rows(words, *settings_)


def test_the_one_hash_whose_absolute_value_overflows_gets_scikit_learns_column(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(ngrams.mmh3, "hash", lambda data, seed, signed: -(2**31))
    assert ngrams.column("abc", 1000) == (2**31 - 1 - 999) % 1000


def test_a_padded_word_no_longer_than_n_is_one_ngram_and_ends_the_word() -> None:
    assert ngrams.word_ngrams("a", 3, 5) == [" a "]
    assert ngrams.word_ngrams("ab", 3, 5) == [" ab", "ab ", " ab "]
    assert ngrams.word_ngrams("abc", 3, 5) == [" ab", "abc", "bc ", " abc", "abc ", " abc "]
