"""`varde scan` throughput and peak memory into SQLite and PostgreSQL, one process against `--jobs N`.

    .venv/bin/python /work/shared/bench/make_feed.py shared/eval/dev.jsonl shared/eval/external 20000 feed.jsonl
    .venv/bin/python bench/bench_scan.py feed.jsonl [--db sqlite postgres] [--jobs 1 2]

Each run is a child process (start-up included, as an operator sees it) into a fresh database: a new SQLite file, or
a new schema on the local PostgreSQL server (VARDE_TEST_POSTGRES, database `test`), dropped afterwards. CPU is user
+ system time of the child and its workers (not the database server's); peak memory is the largest resident set
of the child or one of its workers. The load average is printed beside the figures: on a shared machine the wall
time follows it."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

VARDE = [sys.executable, "-c", "from varde.cli import main; main()"]
POSTGRES = os.environ.get("VARDE_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def scan(feed: Path, url: str, jobs: int, env: dict[str, str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak resident MB of `varde scan FEED --db URL --jobs JOBS`."""
    subprocess.run([*VARDE, "db", "upgrade", "--db", url], check=True, capture_output=True, env=env)
    started = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        child = subprocess.Popen(
            [*VARDE, "scan", str(feed), "--db", url, "--jobs", str(jobs)],
            stdout=subprocess.DEVNULL,
            stderr=errors,
            env=env,
        )
        _, status, usage = os.wait4(child.pid, 0)  # this run's own usage (its workers included)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            errors.seek(0)
            raise SystemExit(f"scan failed ({child.returncode}): {errors.read()[-2000:].decode(errors='replace')}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("feed", type=Path)
    parser.add_argument("--db", nargs="+", choices=["sqlite", "postgres"], default=["sqlite", "postgres"])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    options = parser.parse_args()
    posts = sum(1 for line in options.feed.open(encoding="utf-8") if line.strip())
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "VARDE_KEY_DIR": str(Path(folder) / "keys"), "VARDE_MEDIA_DIR": str(Path(folder) / "m")}
        for kind in options.db:
            for jobs in options.jobs:
                schema = f"bench_{uuid.uuid4().hex[:10]}"
                if kind == "sqlite":
                    url = f"sqlite:///{Path(folder) / f'{schema}.db'}"
                else:
                    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
                    with admin.connect() as conn:
                        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
                    url = f"{POSTGRES}?options=-csearch_path%3D{schema}"
                load_before = load()
                try:
                    wall, cpu, peak = scan(options.feed, url, jobs, env)
                finally:
                    if kind == "postgres":
                        with admin.connect() as conn:
                            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
                        admin.dispose()
                print(
                    f"{kind:8} jobs {jobs}: {posts} posts in {wall:6.1f} s = {posts / wall:6.0f} posts/s  "
                    f"CPU {cpu:6.1f} s ({cpu / posts * 1000:.2f} ms/post)  peak RSS {peak:5.0f} MB  "
                    f"load average before {load_before}, after {load()}"
                )


if __name__ == "__main__":
    main()
