"""Cross-validation of the detection cascade on the training corpus (our own data; never the evaluation sets).

    .venv/bin/python bench/cv_detect.py [--folds 5] [--embeddings CACHE.npy]

Five stratified folds over the whole corpus (hand-written + generated); in each, stage 1 is fitted on the other
folds and the second stage's head on the other folds' hand-written examples; figures are on the held-out
hand-written examples (out of fold). Prints stage 1 alone, the review band's recall and load per floor, the cascade
per uncertain band and stacking weight, and the language test: stage 1 and the head trained without English, tested
on English hand-written examples. Chooses nothing by itself: the constants in varde/detect/classifier.py and
varde/detect/second_stage.py were set from its output (corpus/training/README.md has the figures).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.model_selection import StratifiedKFold

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from varde.cli.train import load_corpus  # noqa: E402
from varde.detect import clean, detect_languages, model_text  # noqa: E402
from varde.detect.classifier import Detector, states_order_words  # noqa: E402
from varde.detect.lexicon import load_lexicon  # noqa: E402
from varde.detect.normalise import unleet  # noqa: E402
from varde.detect.second_stage import HEAD_C, SecondStage, embed, fit_head  # noqa: E402
from varde.detect.training import fit_classifier  # noqa: E402

BANDS = [(0.1, 0.9), (0.2, 0.8), (0.3, 0.7), (0.2, 0.6), (0.3, 0.9), (0.4, 0.6), (0.45, 0.6), (0.4, 0.55), (0.45, 0.55)]
STACKS = [(1.0, 0.5, 0.0), (1.0, 1.0, 0.0), (1.0, 2.0, 0.0), (0.5, 1.0, 0.0), (0.0, 1.0, 0.0)]
FLOORS = [0.1, 0.2, 0.3, 0.4]


def prf(gold: np.ndarray[Any, Any], pred: np.ndarray[Any, Any]) -> str:
    tp = int((gold & pred).sum())
    fp = int((~gold & pred).sum())
    fn = int((gold & ~pred).sum())
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return f"P {p:.3f} R {r:.3f} F1 {f:.3f} (tp {tp} fp {fp} fn {fn})"


def head_for(vectors: np.ndarray[Any, Any], labels: list[int]) -> SecondStage:
    weights, intercept = fit_head(vectors, labels, HEAD_C)
    empty = np.zeros((0, 384), dtype=np.int8)
    return SecondStage(weights, intercept, (1.0, 1.0, 0.0), (0.0, 0.0), (), (), (), empty)


def stage1_scores(detector: Detector, texts: list[str]) -> tuple[np.ndarray[Any, Any], list[bool]]:
    """Stage-1 scores after deciding who speaks, and whether speech settled each post (no stage 2 for those)."""
    views = [clean(t) for t in texts]
    plain = Detector(detector.model)
    found = plain.detect(views, [model_text(v.text) for v in views], detect_languages([v.text for v in views]))
    raw_scores = plain.score_texts([v.text for v in views])
    lexicon = load_lexicon()
    # Settled: speech decided the post, or it states no order words (the second stage's gate, states_order_words).
    settled = [
        abs(d.score - r) > 1e-9
        or any(c.kind == "quoted_order" for c in d.cues)
        or not states_order_words(lexicon.find(unleet(v.text)))
        for d, r, v in zip(found, raw_scores, views, strict=True)
    ]
    return np.asarray([d.score for d in found]), settled


def logit(p: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    q = np.clip(p, 1e-6, 1 - 1e-6)
    result: np.ndarray[Any, Any] = np.log(q / (1 - q))
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--embeddings", type=Path, default=None, help="cache of the hand-written embeddings (.npy)")
    args = parser.parse_args()
    corpus = load_corpus(ROOT / "corpus/training")
    labels = np.asarray([1 if e["is_order"] else 0 for e in corpus])
    hand = np.asarray([e["source"] == "handwritten" for e in corpus])
    hand_index = np.flatnonzero(hand)
    texts = [clean(str(e["text"])).text for e in corpus]
    if args.embeddings and args.embeddings.is_file():
        hand_vectors = np.load(args.embeddings)
    else:
        hand_vectors = embed([texts[i] for i in hand_index], single_thread=True)
        if args.embeddings:
            np.save(args.embeddings, hand_vectors)
    vector_of = {int(i): hand_vectors[k] for k, i in enumerate(hand_index)}
    languages = np.asarray([e["language"] for e in corpus])

    stage1 = np.zeros(len(corpus))
    head = np.zeros(len(corpus))
    settled = np.zeros(len(corpus), dtype=bool)
    folds = StratifiedKFold(args.folds, shuffle=True, random_state=0)
    for k, (train, test) in enumerate(folds.split(np.zeros(len(corpus)), labels * 2 + hand)):
        model = fit_classifier([corpus[i] for i in train])
        test_hand = [i for i in test if hand[i]]
        scores, done = stage1_scores(Detector(model), [str(corpus[i]["text"]) for i in test_hand])
        stage1[test_hand], settled[test_hand] = scores, done
        train_hand = [i for i in train if hand[i]]
        second = head_for(np.stack([vector_of[i] for i in train_hand]), [int(labels[i]) for i in train_hand])
        head[test_hand] = second.head_scores(np.stack([vector_of[i] for i in test_hand]))
        print(f"fold {k + 1}/{args.folds} done", flush=True)

    gold = labels[hand_index].astype(bool)
    s1, hd, spoken = stage1[hand_index], head[hand_index], settled[hand_index]
    print(f"\nhand-written examples, out of fold: {len(hand_index)} ({int(gold.sum())} orders)")
    print(f"stage 1 alone           {prf(gold, s1 >= 0.5)}")
    print(f"head alone (embeddings) {prf(gold, hd >= 0.5)}")
    for floor in FLOORS:
        band = (s1 >= floor) & (s1 < 0.5)
        print(
            f"review floor {floor:.1f}: order∪possible recall {((s1 >= floor) & gold).sum() / gold.sum():.3f}; "
            f"possible {int(band.sum())} ({int((band & gold).sum())} orders, {int((band & ~gold).sum())} not)"
        )
    for low, high in BANDS:
        routed = (s1 > low) & (s1 < high) & ~spoken
        for a, b, c in STACKS:
            z = a * logit(s1) + b * logit(hd) + c
            final = np.where(routed, 1 / (1 + np.exp(-z)), s1)
            print(
                f"cascade band [{low}, {high}) stack {a, b, c}: {prf(gold, final >= 0.5)}; routed {routed.mean():.1%}"
            )

    # Language test: stage 1 and the head trained without English, tested on English hand-written examples.
    train = [i for i in range(len(corpus)) if languages[i] != "en"]
    test = [int(i) for i in hand_index if languages[i] == "en"]
    model = fit_classifier([corpus[i] for i in train])
    scores, done_en = stage1_scores(Detector(model), [str(corpus[i]["text"]) for i in test])
    train_hand = [int(i) for i in hand_index if languages[i] != "en"]
    second = head_for(np.stack([vector_of[i] for i in train_hand]), [int(labels[i]) for i in train_hand])
    head_en = second.head_scores(np.stack([vector_of[i] for i in test]))
    gold_en = labels[test].astype(bool)
    print(f"\nEnglish, trained without English: {len(test)} hand-written ({int(gold_en.sum())} orders)")
    print(f"stage 1 alone           {prf(gold_en, scores >= 0.5)}")
    print(f"head alone              {prf(gold_en, head_en >= 0.5)}")
    for low, high in BANDS:
        routed = (scores > low) & (scores < high) & ~np.asarray(done_en)
        for a, b, c in STACKS:
            z = a * logit(scores) + b * logit(head_en) + c
            final = np.where(routed, 1 / (1 + np.exp(-z)), scores)
            print(
                f"cascade band [{low}, {high}) stack {a, b, c}: {prf(gold_en, final >= 0.5)}; "
                f"routed {routed.mean():.1%}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
