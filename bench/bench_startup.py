"""Start-up time of the `varde` commands that need no model: median wall and CPU time over N runs each.

    .venv/bin/python bench/bench_startup.py [--runs 5]

Each command runs in a child process against a fresh SQLite database (migrated once before timing, then given 20
invented cases, a supervisor `sig` and one exported evidence bundle), so the figures are what an operator waits for
at the prompt. CPU is the child's user + system time; on a shared machine the wall
time follows the load (the load average is printed beside the figures)."""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

VARDE = [sys.executable, "-c", "from varde.cli import main; main()"]


def timed(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run of `varde args`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(VARDE + args, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"varde {' '.join(args)} failed ({result.returncode}): {result.stderr[-1000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def seed(database: str) -> None:
    """20 cases (as `varde scan` opens them) and the supervisor `sig`, in this process: not timed."""
    from bench.cases_fixture import T0, load_cases
    from varde.cases.access import Actor
    from varde.cases.accounts import AccountService
    from varde.store import Store

    store = Store.open(database)
    try:
        load_cases(store, 20, batch=20, t0=T0, now=T0 + timedelta(days=1))
        AccountService(store).add_user(Actor("bench", "admin", frozenset(), "bench"), "sig", "supervisor")
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--cached-bytecode",
        action="store_true",
        help="Let the children keep compiled bytecode (in a temporary PYTHONPYCACHEPREFIX, after one warm-up run of "
        "each command), as an installed Varde has it; by default the environment decides (PYTHONDONTWRITEBYTECODE=1 "
        "makes every run compile whatever has no bytecode yet; `make install` compiles Varde's own modules).",
    )
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        database = f"sqlite:///{Path(folder) / 'varde.db'}"
        env = {**os.environ, "VARDE_DATABASE_URL": database, "VARDE_KEY_FOLDER": str(Path(folder) / "keys")}
        if options.cached_bytecode:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(Path(folder) / "pycache")
        timed(["db", "upgrade"], env)
        seed(database)
        bundle = str(Path(folder) / "case1.zip")
        timed(["export", "evidence", "1", "-o", bundle, "--as", "sig"], env)
        commands = [
            ["--help"],
            ["case", "list", "--help"],
            ["users", "list"],
            ["audit", "verify"],
            ["case", "list", "--as", "sig"],
            ["case", "show", "1", "--as", "sig"],
            ["export", "verify", "--help"],
            ["export", "verify", bundle],
        ]
        bytecode = (
            "cached"
            if options.cached_bytecode or not env.get("PYTHONDONTWRITEBYTECODE")
            else "as installed (none written: PYTHONDONTWRITEBYTECODE=1)"
        )
        print(
            f"load average {' '.join(f'{value:.2f}' for value in os.getloadavg())}; {options.runs} runs each; "
            f"bytecode {bytecode}"
        )
        for args in commands:
            if options.cached_bytecode:
                timed(args, env)  # writes the bytecode
            runs = [timed(args, env) for _ in range(options.runs)]
            wall = statistics.median(run[0] for run in runs)
            cpu = statistics.median(run[1] for run in runs)
            shown = " ".join("BUNDLE" if arg == bundle else arg for arg in args)
            least = min(run[1] for run in runs)  # the least disturbed run: steadier than the median on a busy machine
            print(f"varde {shown:<28} median wall {wall:6.2f} s  CPU {cpu:6.2f} s  (least CPU {least:4.2f} s)")
        print(f"load average {' '.join(f'{value:.2f}' for value in os.getloadavg())}")


if __name__ == "__main__":
    main()
