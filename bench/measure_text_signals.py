"""Measure which TLSH distance separates re-posts of one order from different posts (docs/signals.md).

Pairs: (1) the demo corpus's re-posts, i.e. posts of `corpus/demo/posts.jsonl` that share an `order_group`
(different translations included: TLSH cannot match those and is not meant to); (2) generated re-posts: every
shareable demo order edited the way re-posters do (price or handle changed, emoji or a line added, a typo, words
dropped), each paired with its original. Negatives: every pair of shareable posts from different order groups
(orders and not-orders alike). Prints, per threshold, the share of re-post pairs matched and the number of negative
pairs matched, for `tlsh.diff` (with length) and `tlsh.diffxlen` (threatexchange's comparison).

    python bench/measure_text_signals.py
"""

from __future__ import annotations

import itertools
import json
import random
import re
from pathlib import Path

import tlsh

from varde.signals import text as ts

ROOT = Path(__file__).resolve().parent.parent
THRESHOLDS = (20, 30, 40, 50, 60, 70, 80, 100)


def load() -> list[tuple[str, str | None, str]]:
    labels = {}
    for line in (ROOT / "corpus/demo/labels.jsonl").read_text("utf-8").split("\n"):
        if not line.strip():
            continue
        row = json.loads(line)
        labels[row["id"]] = row["label"]
    posts = []
    for line in (ROOT / "corpus/demo/posts.jsonl").read_text("utf-8").split("\n"):
        if not line.strip():
            continue
        row = json.loads(line)
        label = labels[row["id"]]
        posts.append((row["id"], label.get("order_group") if label["is_order"] else None, row["text"]))
    return posts


def edit(text: str, rng: random.Random) -> str:
    """One re-poster's edit of `text`."""
    kind = rng.choice(["price", "handle", "emoji", "line", "typo", "drop", "spacing"])
    if kind == "price":
        return re.sub(r"\d+", lambda m: str(int(m.group()) + rng.randint(1, 9) * 5), text, count=1)
    if kind == "handle":
        return re.sub(r"@\w+", "@" + "".join(rng.choices("abcdefghijklmnop", k=8)), text) + " @ny_kontakt"
    if kind == "emoji":
        return "🔥🔥 " + text + " 💰💰"
    if kind == "line":
        return text + "\nFortsatt ledig, skriv DM!"
    if kind == "typo":
        i = rng.randrange(len(text))
        return text[:i] + text[i + 1 :]
    if kind == "drop":
        words = text.split()
        drop = rng.randrange(len(words))
        return " ".join(words[:drop] + words[drop + 1 :])
    return re.sub(r"\s+", "  ", text).upper()


def report(title: str, positives: list[tuple[int, int]], negatives: list[tuple[int, int]]) -> None:
    print(f"\n{title}: {len(positives)} re-post pairs, {len(negatives)} other pairs")
    print("threshold | re-posts matched (diff) | others matched (diff) | re-posts (diffxlen) | others (diffxlen)")
    for t in THRESHOLDS:
        pd = sum(d <= t for d, _ in positives) / max(1, len(positives))
        px = sum(x <= t for _, x in positives) / max(1, len(positives))
        nd = sum(d <= t for d, _ in negatives)
        nx = sum(x <= t for _, x in negatives)
        print(f"{t:9} | {pd:22.1%} | {nd:21} | {px:19.1%} | {nx:17}")
    if negatives:
        print("closest other pair: diff", min(d for d, _ in negatives), "diffxlen", min(x for _, x in negatives))


def distances(a: str, b: str) -> tuple[int, int]:
    return int(tlsh.diff(a, b)), int(tlsh.diffxlen(a, b))


def main() -> None:
    posts = load()
    hashed = []
    for post_id, group, text in posts:
        signals = ts.text_signals(text)
        if signals is not None and signals.tlsh is not None:
            hashed.append((post_id, group, text, signals.tlsh))
    print(f"demo posts: {len(posts)}; shareable with a TLSH: {len(hashed)}")
    demo_pos, negatives = [], []
    for (_, ga, _, ha), (_, gb, _, hb) in itertools.combinations(hashed, 2):
        if ga is not None and ga == gb:
            demo_pos.append(distances(ha, hb))
        else:
            negatives.append(distances(ha, hb))
    report("demo corpus re-posts (same order_group, translations included)", demo_pos, negatives)
    rng = random.Random(22)
    generated = []
    same_md5 = 0
    for _, group, text, h in hashed:
        if group is None:
            continue
        original = ts.text_signals(text)
        for _ in range(5):
            edited = ts.text_signals(edit(text, rng))
            if edited is not None and edited.tlsh is not None:
                generated.append(distances(h, edited.tlsh))
                same_md5 += original is not None and edited.md5 == original.md5
    report("generated re-posts (one edit each, 5 per demo order)", generated, negatives)
    print(f"generated re-posts with the original's MD5 (normalisation absorbs the edit): {same_md5}/{len(generated)}")


if __name__ == "__main__":
    main()
