"""`varde analyze` throughput on a monitored-feed file, one process against `--jobs N`, and whether they agree.

    .venv/bin/python /work/shared/bench/make_feed.py shared/eval/dev.jsonl shared/eval/external 50000 feed.jsonl
    .venv/bin/python bench/bench_feed.py feed.jsonl [--jobs 1 2]

Each run is a child process (start-up included, as an operator sees it); CPU is user + system time of the child
and its workers. The outputs of all runs must be byte-identical. The load average is printed beside the figures:
on a shared machine the wall time follows it."""

from __future__ import annotations

import argparse
import filecmp
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

VARDE = [sys.executable, "-c", "from varde.cli import main; main()"]


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("feed", type=Path)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    options = parser.parse_args()
    posts = sum(1 for line in options.feed.open(encoding="utf-8") if line.strip())
    with tempfile.TemporaryDirectory() as folder:
        outputs = []
        for jobs in options.jobs:
            out = Path(folder) / f"out{jobs}.jsonl"
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            load_before = load()
            started = time.perf_counter()
            subprocess.run(
                [*VARDE, "analyze", str(options.feed), "-o", str(out), "--jobs", str(jobs)],
                check=True,
                capture_output=True,
            )
            wall = time.perf_counter() - started
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            print(
                f"jobs {jobs}: {posts} posts in {wall:6.1f} s = {posts / wall:6.0f} posts/s  CPU {cpu:6.1f} s  "
                f"load average before {load_before}, after {load()}"
            )
            outputs.append(out)
        same = all(filecmp.cmp(outputs[0], other, shallow=False) for other in outputs[1:])
        print("outputs identical" if same else "OUTPUTS DIFFER")


if __name__ == "__main__":
    main()
