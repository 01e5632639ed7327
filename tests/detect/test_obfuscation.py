"""Orders rewritten with obfuscation tricks keep at least 95 % of the clean recall."""

from __future__ import annotations

import random
from types import ModuleType

import pytest

from varde.detect import clean, detect_languages, load_detector, model_text

SEED = 424242  # not the training seed: these orders are new to the model
TRICKS = [["style"], ["zero_width"], ["homoglyph"], ["spaced"], ["emoji"], ["style", "zero_width", "homoglyph"]]


def _recall(texts: list[str]) -> float:
    views = [clean(t) for t in texts]
    found = load_detector().detect(
        views, [model_text(v.text) for v in views], detect_languages([v.text for v in views])
    )
    return sum(d.is_order for d in found) / len(found)


@pytest.fixture(scope="module")
def orders(generator: ModuleType) -> list[str]:
    examples = generator.generate(SEED, 2500)
    return [e["text"] for e in examples if e["is_order"] and e["bucket"] != "obfuscated"]


@pytest.mark.parametrize("tricks", TRICKS, ids=["+".join(t) for t in TRICKS])
def test_obfuscated_orders_keep_recall(generator: ModuleType, orders: list[str], tricks: list[str]) -> None:
    rng = random.Random(SEED)
    pairs = [(text, generator.obfuscate(text, rng, tricks)) for text in orders]
    changed = [(text, hidden) for text, hidden in pairs if hidden != text]
    assert len(changed) >= 60  # emoji substitution only touches posts that name a weapon or money
    clean_recall = _recall([text for text, _ in changed])
    assert _recall([hidden for _, hidden in changed]) >= 0.95 * clean_recall
