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


def fit_classifier(examples: Sequence[dict[str, Any]], **params: Any) -> OrderClassifier:
    """Fit an `OrderClassifier` on cleaned example texts; `params` override its defaults."""
    texts = [clean(str(example["text"])).text for example in examples]
    labels = [1 if example["is_order"] else 0 for example in examples]
    weights = [HANDWRITTEN_WEIGHT if example.get("source") == "handwritten" else 1.0 for example in examples]
    return OrderClassifier(**params).fit(texts, labels, sample_weight=weights)
