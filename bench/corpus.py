"""Generated corpora for benchmarks and load tests, made from the demo corpus (corpus/demo)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "corpus" / "demo" / "posts.jsonl"
LABELS = ROOT / "corpus" / "demo" / "labels.jsonl"


def _jsonl(path: Path) -> list[dict[str, object]]:
    # Split on newlines only: posts may contain U+2028, which str.splitlines() would split on.
    return [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]


def write_mixed_corpus(path: Path, n: int, order_share: float) -> None:
    """`n` posts: demo negatives and demo orders (by the demo labels) mixed so `order_share` of them are orders."""
    labels = {row["id"]: row["label"]["is_order"] for row in _jsonl(LABELS)}  # type: ignore[index]
    posts = _jsonl(DEMO)
    orders = [p for p in posts if labels.get(p["id"])]
    negatives = [p for p in posts if not labels.get(p["id"])]
    every = max(1, round(1 / order_share)) if order_share > 0 else n + 1
    with path.open("w", encoding="utf-8") as handle:
        for i in range(n):
            pool = orders if i % every == 0 else negatives
            post = dict(pool[(i // every if pool is orders else i) % len(pool)])
            round_ = i // len(pool)
            post["id"] = f"{post['id']}#{i}"
            moment = datetime.fromisoformat(post["created_at"]) + timedelta(hours=round_)
            post["created_at"] = moment.isoformat()
            post.pop("reply_to", None)
            post.pop("media", None)
            handle.write(json.dumps(post, ensure_ascii=False) + "\n")
