"""Training the order detector from the corpus (pure: examples in, fitted classifier out).

The corpus is a list of labelled examples (dicts with at least `text` and `is_order`), read by the edge
(`varde train`) from `corpus/training/`: the hand-written examples plus the seeded generator's output. Texts are
cleaned exactly as the pipeline cleans them, so training and detection see the same input.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from varde.detect.classifier import OrderClassifier
from varde.detect.normalise import clean


def corpus_digest(examples: Sequence[dict[str, Any]]) -> str:
    """SHA-256 over the examples' canonical JSON (what the model was trained on, recorded in model.json)."""
    digest = hashlib.sha256()
    for example in examples:
        digest.update(json.dumps(example, ensure_ascii=False, sort_keys=True).encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()


# Hand-written examples are few but varied; they count as this many generated ones.
HANDWRITTEN_WEIGHT = 3.0
# Analysts' verdicts (`varde train --with-feedback`) are real posts judged by the people who act on them: each counts
# as this many generated examples (and so more than a hand-written one).
FEEDBACK_WEIGHT = 10.0
FEEDBACK_SOURCE = "analyst_verdict"


def fit_classifier(examples: Sequence[dict[str, Any]], **params: Any) -> OrderClassifier:
    """Fit an `OrderClassifier` on cleaned example texts; `params` override its defaults."""
    texts = [clean(str(example["text"])).text for example in examples]
    labels = [1 if example["is_order"] else 0 for example in examples]
    weights = [example_weight(example) for example in examples]
    return OrderClassifier(**params).fit(texts, labels, sample_weight=weights)


def example_weight(example: dict[str, Any]) -> float:
    """How much an example counts in training: a verdict FEEDBACK_WEIGHT, a hand-written one HANDWRITTEN_WEIGHT,
    a generated one 1. Pure."""
    source = example.get("source")
    if source == FEEDBACK_SOURCE:
        return FEEDBACK_WEIGHT
    return HANDWRITTEN_WEIGHT if source == "handwritten" else 1.0


def feedback_examples(lines: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Training examples from exported verdicts (`varde labels export` lines, the shape of `dev.jsonl`). Pure."""
    return [
        {
            "id": str(line["id"]),
            "text": str(line["text"]),
            "is_order": bool(line["label"]["is_order"]),
            "violence_types": list(line["label"].get("violence_types") or []),
            "source": FEEDBACK_SOURCE,
        }
        for line in lines
    ]


def cv_metrics(model: OrderClassifier, examples: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Precision, recall and F1 at the model's threshold from the out-of-fold scores of its own fit (the calibration
    folds: every example scored by a model that did not see it), overall and on the analysts' verdicts. Pure."""
    scores = model.calibrate(model.out_of_fold_)
    flags = [bool(s >= model.threshold) for s in scores]
    labels = [bool(e["is_order"]) for e in examples]

    def measure(index: Sequence[int]) -> dict[str, Any]:
        tp = sum(1 for i in index if flags[i] and labels[i])
        fp = sum(1 for i in index if flags[i] and not labels[i])
        fn = sum(1 for i in index if not flags[i] and labels[i])
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4), "n": len(index)}

    feedback = [i for i, e in enumerate(examples) if e.get("source") == FEEDBACK_SOURCE]
    return {
        "method": f"{model.calibration_folds}-fold stratified cross-validation (out-of-fold scores)",
        "all": measure(range(len(examples))),
        "feedback": measure(feedback),
    }
