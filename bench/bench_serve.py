"""Time from `varde serve` to its first answer (GET /login), median over N starts.

    .venv/bin/python bench/bench_serve.py [--runs 3]

Each start is a child process on a fresh, migrated SQLite database; the load average is printed beside the figures
because wall time on a shared machine follows it."""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

VARDE = [sys.executable, "-c", "from varde.cli import main; main()"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def first_answer(env: dict[str, str], limit: float = 60.0) -> float:
    """Seconds from starting `varde serve` to its first HTTP answer."""
    port = free_port()
    started = time.perf_counter()
    server = subprocess.Popen(
        [*VARDE, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        while time.perf_counter() - started < limit:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5) as response:
                    response.read()
                return time.perf_counter() - started
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.05)
        raise SystemExit("varde serve did not answer")
    finally:
        server.terminate()
        server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "VARDE_DATABASE_URL": f"sqlite:///{Path(folder) / 'varde.db'}",
            "VARDE_KEY_FOLDER": str(Path(folder) / "keys"),
        }
        subprocess.run([*VARDE, "db", "upgrade"], env=env, check=True, capture_output=True)
        print(f"load average {' '.join(f'{value:.2f}' for value in os.getloadavg())}; {options.runs} starts")
        times = [first_answer(env) for _ in range(options.runs)]
        print(f"varde serve: first answer after median {statistics.median(times):.2f} s (all: {times})")
        print(f"load average {' '.join(f'{value:.2f}' for value in os.getloadavg())}")


if __name__ == "__main__":
    main()
