"""Time `varde model backtest` on N stored posts (SQLite): both models re-score every post.

    .venv/bin/python bench/bench_backtest.py [--posts 100000] [--candidate DIR] [--db PATH]

The posts are demo posts repeated under new ids (stored directly, as records of a scan would be: text, language,
district); the candidate is DIR (a trained model folder) or, by default, the shipped model's weights under other
metadata (another id, the same cost to score). Prints the time to store the posts and the backtest's wall and CPU
time, and posts per second."""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from bench.corpus import DEMO, LABELS, _jsonl
from varde.cases.access import Actor
from varde.cases.models import ModelService
from varde.detect.classifier import MODEL_JSON, MODEL_WEIGHTS, model_folder
from varde.detect.second_stage import HEAD_JSON
from varde.posts import Post
from varde.records import Place, Record
from varde.store import Store
from varde.store.model_files import ModelFiles

SUPERVISOR = Actor("bench", "supervisor", source="bench")
BATCH = 5_000


def twin(folder: Path) -> Path:
    """The shipped weights under other metadata: another model id, the same scoring cost."""
    folder.mkdir(parents=True, exist_ok=True)
    meta = json.loads((model_folder() / MODEL_JSON).read_text(encoding="utf-8"))
    meta["provenance"] = dict(meta["provenance"], note="bench twin")
    (folder / MODEL_JSON).write_text(json.dumps(meta), encoding="utf-8")
    for name in (MODEL_WEIGHTS, HEAD_JSON):  # the second stage's head too: the same detector in every way
        if (model_folder() / name).is_file():
            (folder / name).write_bytes((model_folder() / name).read_bytes())
    return folder


def store_posts(store: Store, n: int) -> None:
    labels = {str(row["id"]): row["label"] for row in _jsonl(LABELS)}
    demo = _jsonl(DEMO)
    batch: list[Record] = []
    for i in range(n):
        source = demo[i % len(demo)]
        label: dict[str, object] = labels.get(str(source["id"])) or {}  # type: ignore[assignment]
        district = label.get("district") if label.get("is_order") else None
        created = datetime.fromisoformat(str(source["created_at"])).astimezone(UTC) + timedelta(hours=i // len(demo))
        post = Post(f"{source['id']}#{i}", str(source["platform"]), str(source["text"]), created)
        places = (Place(str(district), "NO", district=str(district)),) if isinstance(district, str) else ()
        batch.append(
            Record(
                post=post,
                language=str(label.get("language") or "nb"),
                is_order=bool(label.get("is_order")),
                score=0.9 if label.get("is_order") else 0.1,
                places=places,
            )
        )
        if len(batch) == BATCH:
            store.save(batch)
            batch = []
    if batch:
        store.save(batch)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--candidate", type=Path, default=None, help="a trained model folder (default: a twin)")
    parser.add_argument("--db", type=Path, default=None, help="SQLite file (default: a temporary one)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="varde-backtest-"))
    db = args.db or folder / "bench.db"
    store = Store.open(f"sqlite:///{db}")
    start, cpu = time.perf_counter(), time.process_time()
    with store.begin() as conn:
        stored = conn.execute(sa.text("SELECT count(*) FROM posts")).scalar_one()
    if stored < args.posts:
        store_posts(store, args.posts - stored)
    print(f"stored {args.posts} posts in {time.perf_counter() - start:.1f} s ({time.process_time() - cpu:.1f} s CPU)")
    service = ModelService(store, ModelFiles(folder / "models"))
    candidate = service.register(SUPERVISOR, args.candidate or twin(folder / "twin"))
    report = service.backtest(SUPERVISOR, candidate.id)
    store.close()
    rate = report["posts"] / report["seconds"] if report["seconds"] else float("nan")
    print(
        f"backtest of {candidate.id} on {report['posts']} posts: {report['seconds']:.1f} s wall, "
        f"{report['cpu_seconds']:.1f} s CPU ({rate:.0f} posts/s); newly flagged {report['newly_flagged']}, "
        f"no longer flagged {report['unflagged']}"
    )


if __name__ == "__main__":
    main()
