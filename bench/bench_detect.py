"""Benchmark the always-on detection path: normalise → language → classify, over generated posts.

    .venv/bin/python bench/bench_detect.py [--posts 100000] [--workers 2] [--batch 512] [--no-cache]

Posts come from the training-corpus generator (corpus/training/generate.py) with a seed the model was not trained
on, so the mix of orders, look-alikes, emojis and obfuscation is realistic. Generation is not timed. The timed part
is exactly what the pipeline's normalise, language and classify stages run (`clean`, `model_text`,
`detect_languages`, `Detector.detect`), in batches, in `--workers` processes (the machine has 2 cores). Prints
posts/s for one process and for the worker pool, and peak memory (max RSS of this process and of the workers).
The language and lexicon stages keep per-process LRU caches (re-posts are common, and the generator repeats some
texts); the pool reports their hit rates, and `--no-cache` turns them off to show the cost of all-new posts.
"""

from __future__ import annotations

import argparse
import importlib.util
import multiprocessing
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = 99_2025


def _posts(count: int) -> list[str]:
    spec = importlib.util.spec_from_file_location("varde_training_generator", ROOT / "corpus/training/generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    texts: list[str] = []
    chunk = 0
    while len(texts) < count:
        texts.extend(e["text"] for e in module.generate(SEED + chunk, min(20_000, count - len(texts))))
        chunk += 1
    return texts


def _run(texts: list[str], batch: int) -> int:
    """The normalise → language → classify path; returns the number of posts flagged."""
    from varde.detect import clean, detect_languages, load_detector, model_text

    detector = load_detector()
    flagged = 0
    for start in range(0, len(texts), batch):
        views = [clean(t) for t in texts[start : start + batch]]
        normalised = [model_text(v.text) for v in views]
        languages = detect_languages([v.text for v in views])
        flagged += sum(d.is_order for d in detector.detect(views, normalised, languages))
    return flagged


def _warm(cache: bool = True) -> None:
    from varde.detect import detect_languages, language, lexicon, load_detector

    if not cache:
        language._CACHE.size = 0
        lexicon.load_lexicon()._cache.size = 0
    load_detector()
    detect_languages(["warm up the language models before timing"])


def _distinct(texts: list[str]) -> int:
    return len(set(texts))


def _worker(args: tuple[list[str], int]) -> tuple[int, float, float]:
    """Run one share; return the flagged count, the CPU seconds and the wall seconds it took (wall time suffers when
    the machine is shared, CPU time shows what two free cores would do)."""
    started, wall_started = time.process_time(), time.perf_counter()
    flagged = _run(*args)
    return flagged, time.process_time() - started, time.perf_counter() - wall_started


def main() -> int:
    parser = argparse.ArgumentParser(description="normalise → language → classify throughput")
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch", type=int, default=512)
    parser.add_argument("--single", type=int, default=20_000, help="posts timed in one process (0 to skip)")
    parser.add_argument("--no-cache", action="store_true", help="turn off the language and lexicon LRU caches")
    args = parser.parse_args()
    cache = not args.no_cache

    started = time.perf_counter()
    texts = _posts(args.posts)
    print(f"generated {len(texts)} posts in {time.perf_counter() - started:.1f}s (not timed)")
    load = os.getloadavg()[0]
    print(f"load average before timing: {load:.1f} on {os.cpu_count()} CPUs; caches {'on' if cache else 'off'}")
    _warm(cache)

    if args.single:
        sample = texts[: args.single]
        started, cpu_started = time.perf_counter(), time.process_time()
        flagged = _run(sample, args.batch)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        print(
            f"1 process : {len(sample)} posts in {elapsed:.2f}s wall = {len(sample) / elapsed:,.0f} posts/s; "
            f"{cpu:.2f} CPU-s = {len(sample) / cpu:,.0f} posts per CPU-second ({flagged} flagged)"
        )

    chunks = [texts[i :: args.workers] for i in range(args.workers)]
    context = multiprocessing.get_context("spawn")  # lingua's thread pool does not survive fork
    with context.Pool(args.workers, initializer=_warm, initargs=(cache,)) as pool:
        pool.map(_worker, [(["warm"] * 10, args.batch)] * args.workers)
        started = time.perf_counter()
        results = pool.map(_worker, [(chunk, args.batch) for chunk in chunks])
        elapsed = time.perf_counter() - started
    flagged = sum(r[0] for r in results)
    busiest = max(r[1] for r in results)
    pool_name = f"{args.workers} process{'es' if args.workers > 1 else ''}"
    print(
        f"{pool_name}: {len(texts)} posts in {elapsed:.2f}s wall = {len(texts) / elapsed:,.0f} posts/s "
        f"({flagged} flagged)"
    )
    print(
        f"  CPU time per worker: {', '.join(f'{r[1]:.2f}s' for r in results)} → "
        f"{len(texts) / busiest:,.0f} posts/s on {args.workers} uncontended cores "
        f"(wall per worker: {', '.join(f'{r[2]:.2f}s' for r in results)})"
    )
    repeats = sum(len(chunk) - _distinct(chunk) for chunk in chunks)
    print(f"  repeated texts within a worker's share (cache hits when on): {repeats / len(texts):.1%}")
    load = os.getloadavg()[0]
    print(f"  load average during the run: {load:.1f} on {os.cpu_count()} CPUs")
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory: {own:,.0f} MiB (main process), {children:,.0f} MiB (largest worker)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
