"""Throughput and peak memory of `varde analyze` and `varde scan` over a generated corpus.

    .venv/bin/python bench/bench_pipeline.py [--posts 100000] [--db URL]

The corpus is the demo corpus (corpus/demo/posts.jsonl) repeated with new ids and shifted times, mixed so that
about 2 % of posts are orders (as in real monitoring: 1–2 %) and the rest are the demo's hard negatives.
Each command runs in a child process; peak memory is its max RSS."""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.corpus import DEMO, write_mixed_corpus  # noqa: E402

VARDE = [str(Path(sys.executable).with_name("varde"))]


def run(label: str, args: list[str], n: int) -> None:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    result = subprocess.run(VARDE + args, capture_output=True, text=True, env={**os.environ, "COLUMNS": "120"})
    elapsed = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if result.returncode not in (0, 2):
        print(result.stderr[-2000:], file=sys.stderr)
        raise SystemExit(f"{label} failed with exit code {result.returncode}")
    peak = max(peak_kib, before) / 1024
    print(f"{label:<28} {n:>8} posts  {elapsed:8.1f} s  {n / elapsed:9.0f} posts/s  peak RSS {peak:7.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--db", default=None, help="database URL for scan (default: a fresh SQLite file)")
    parser.add_argument("--orders", type=float, default=0.02, help="share of posts that are orders (default 0.02)")
    parser.add_argument("--skip-scan", action="store_true")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder) / "corpus.jsonl"
        write_mixed_corpus(corpus, options.posts, options.orders)
        print(f"corpus: {options.posts} posts from {DEMO.relative_to(ROOT)}, {options.orders:.0%} orders")
        run("varde analyze", ["analyze", str(corpus), "-o", str(Path(folder) / "out.jsonl")], options.posts)
        if not options.skip_scan:
            db = options.db or f"sqlite:///{Path(folder) / 'bench.db'}"
            run("varde scan (" + db.split(":", 1)[0] + ")", ["scan", str(corpus), "--db", db], options.posts)


if __name__ == "__main__":
    main()
