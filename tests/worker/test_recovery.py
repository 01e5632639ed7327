"""Workers survive restarts of PostgreSQL and of NATS without loss.

These restart the machine's real servers, so they run on their own after the rest of the suite
(`pytest -m disruptive`, see the Makefile) — never beside other tests."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bench.corpus import write_mixed_corpus
from tests.worker.test_worker import VARDE, counts, env_for, start_worker
from varde.settings import Settings
from varde.store import Store

pytestmark = [pytest.mark.nats, pytest.mark.disruptive, pytest.mark.slow]
POSTS = 4_000


def restart_postgres() -> None:
    version = sorted(p.name for p in Path("/etc/postgresql").iterdir())[0]
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "stop", "-m", "fast"], check=True)
    time.sleep(3)
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], check=True)


def restart_nats() -> None:
    subprocess.run(["start-stop-daemon", "--stop", "--oknodo", "--exec", "/usr/sbin/nats-server"], check=True)
    time.sleep(3)
    subprocess.run(
        [
            "start-stop-daemon",
            "--start",
            "--oknodo",
            "--background",
            "--exec",
            "/usr/sbin/nats-server",
            "--",
            "-a",
            "127.0.0.1",
            "-p",
            "4222",
            "-js",
            "-sd",
            "/var/lib/nats-server",
            "-l",
            "/var/log/nats-server.log",
        ],
        check=True,
    )


def stored_posts(url: str) -> int:
    for _ in range(60):
        try:
            store = Store.open(url)
            try:
                return store.counts()["posts"]
            finally:
                store.close()
        except Exception:
            time.sleep(1)
    raise AssertionError("database did not come back")


@pytest.mark.parametrize("restart", [restart_postgres, restart_nats], ids=["postgresql", "nats"])
def test_workers_resume_after_a_server_restart(
    tmp_path: Path,
    settings: Settings,
    restart: Callable[[], None],
) -> None:
    corpus = tmp_path / "posts.jsonl"
    write_mixed_corpus(corpus, POSTS, 0.02)
    published = subprocess.run([VARDE, "publish", str(corpus)], env=env_for(settings), capture_output=True, text=True)
    assert published.returncode == 0, published.stderr
    workers = [start_worker(settings, idle=10), start_worker(settings, idle=10)]
    deadline = time.monotonic() + 300
    while stored_posts(settings.database_url) < 300 and time.monotonic() < deadline:
        time.sleep(0.2)
    restart()
    for process in workers:
        _, err = process.communicate(timeout=600)
        assert process.returncode == 0, err.decode()[-3000:]
    final = counts(settings.database_url)
    assert final["posts"] == final["records"] == POSTS
