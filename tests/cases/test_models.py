"""The model lifecycle on both databases, through the CLI as a deployment would use it: analysts' verdicts on the
demo corpus's false positives and missed orders → `varde train --with-feedback` → a backtest in which those posts
now agree → promote (new posts are scored by the candidate) → rollback (byte-identical scoring again) → every step
in the audit log. Plus: who may do what, shadow mode, re-scoring open cases, refusing a model's changed files."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.cases.test_cli import run
from tests.conftest import DEMO
from varde.cases.access import Actor
from varde.cases.models import ModelService
from varde.detect.registry import shipped_model_id
from varde.detect.training import feedback_examples, fit_classifier
from varde.errors import AccessDenied, ConfigError, InputError
from varde.store import Store
from varde.store.model_files import ModelFiles

# Generated training examples for the candidates here (the shipped model uses 8000): enough for a usable model,
# few enough that training takes seconds. Stage 1 only.
SIZE = 1000
SUPERVISOR = Actor("sig", "supervisor", source="test")
ANALYST = Actor("ana", "analyst", source="test")


def jsonl(path: Path) -> list[dict[str, Any]]:
    """The objects of a JSONL file (lines split at newlines only: texts hold other line separators)."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]


def demo_labels() -> dict[str, bool]:
    return {d["id"]: bool(d["label"]["is_order"]) for d in jsonl(DEMO / "labels.jsonl")}


def write_posts(folder: Path, prefix: str, originals: list[str]) -> Path:
    """Write the demo posts `originals` again under new ids (`prefix:<n>`, no media) to a JSONL file."""
    by_id = {d["id"]: d for d in jsonl(DEMO / "posts.jsonl")}
    target = folder / f"{prefix}.jsonl"
    with target.open("w", encoding="utf-8") as handle:
        for n, post_id in enumerate(originals):
            handle.write(json.dumps(dict(by_id[post_id], id=f"{prefix}:{n}", media=[]), ensure_ascii=False) + "\n")
    return target


@pytest.fixture
def deployment(database_url: str, tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """The demo corpus scanned into a fresh database, with a supervisor, an analyst and a Vest investigator."""
    env = {
        "VARDE_MODEL_DIR": str(tmp_path / "models"),
        "VARDE_MEDIA_DIR": str(tmp_path / "media"),
        "VARDE_KEY_DIR": str(tmp_path / "keys"),
    }
    for name, role, district in [
        ("sig", "supervisor", None),
        ("ana", "analyst", None),
        ("vera", "investigator", "Vest"),
    ]:
        args = ["users", "add", name, "--role", role, "--no-password", "--db", database_url]
        code, output = run(args + (["--district", district] if district else []), env=env)
        assert code == 0, output
    code, output = run(["scan", str(DEMO / "posts.jsonl"), "--db", database_url], env=env)
    assert code in (0, 2), output
    yield database_url, env


def scores(store: Store, post_ids: list[str]) -> dict[str, tuple[float, str]]:
    with store.begin() as conn:
        rows = conn.execute(
            sa.text("SELECT post_id, score, model_id FROM records WHERE post_id IN :ids").bindparams(
                sa.bindparam("ids", expanding=True)
            ),
            {"ids": post_ids},
        ).all()
    return {r.post_id: (float(r.score), str(r.model_id)) for r in rows}


def test_verdicts_train_backtest_promote_rollback(deployment: tuple[str, dict[str, str]], tmp_path: Path) -> None:
    db, env = deployment
    store = Store.open(db)
    labels = demo_labels()
    with store.begin() as conn:
        stored = conn.execute(sa.text("SELECT post_id, is_order, district FROM records")).all()
    false_positives = sorted(r.post_id for r in stored if r.is_order and not labels[r.post_id])
    missed = sorted(r.post_id for r in stored if not r.is_order and labels[r.post_id])
    assert false_positives and missed  # the shipped model makes both kinds of mistake on the demo corpus

    # Access: an investigator labels only posts of their district's cases; an analyst does not promote.
    outside = next(r.post_id for r in stored if r.is_order and r.district not in (None, "Vest"))
    code, output = run(["label", outside, "--not-order", "--reason", "x", "--as", "vera", "--db", db], env=env)
    assert code == 4, output
    for post_id in false_positives:
        code, output = run(
            ["label", post_id, "--not-order", "--reason", "a look-alike", "--as", "sig", "--db", db], env=env
        )
        assert code == 0, output
    for post_id in missed:
        code, output = run(["label", post_id, "--order", "--reason", "an order", "--as", "sig", "--db", db], env=env)
        assert code == 0, output

    # Train a candidate from the corpus plus the verdicts: registered, not active.
    code, output = run(["train", "--with-feedback", "--size", str(SIZE), "--as", "sig", "--db", db], env=env)
    assert code == 0, output
    code, output = run(["model", "list", "--json", "--db", db], env=env)
    models = {m["id"]: m for m in json.loads(output)}
    [candidate] = [m for m in models.values() if m["id"] != shipped_model_id()]
    assert models[shipped_model_id()]["active"] and not candidate["active"]
    assert candidate["trained_by"] == "sig"
    assert candidate["provenance"]["feedback"]["verdicts"] == len(false_positives) + len(missed)
    assert {"precision", "recall", "f1"} <= set(candidate["metrics"]["all"])
    candidate_id = str(candidate["id"])

    # Backtest: every verdict's post now agrees; every change is listed, counted and grouped.
    code, output = run(["model", "backtest", candidate_id, "--json", "--as", "ana", "--db", db], env=env)
    assert code == 0, output
    report: dict[str, Any] = json.loads(output)
    assert (report["active"], report["candidate"], report["posts"]) == (shipped_model_id(), candidate_id, len(stored))
    changed = {c["post_id"]: c for c in report["changes"]}
    for post_id in false_positives + missed:
        assert changed[post_id]["candidate"]["is_order"] == labels[post_id], post_id
    assert report["labelled"]["candidate"] == {"precision": 1.0, "recall": 1.0, "n": len(false_positives + missed)}
    assert report["labelled"]["active"]["n"] == len(false_positives + missed)
    assert report["labelled"]["active"]["recall"] == 0.0
    assert report["newly_flagged"] + report["unflagged"] == len(report["changes"])
    for key in ("by_district", "by_language"):
        assert sum(g["newly_flagged"] + g["unflagged"] for g in report[key].values()) == len(report["changes"])
    assert report["seconds"] >= 0
    later = ["--since", "2999-01-01", "--json", "--as", "ana", "--db", db]
    code, output = run(["model", "backtest", candidate_id, *later], env=env)
    assert code == 0 and json.loads(output)["posts"] == 0

    # Shadow mode: new posts also get the candidate's scores, stored apart; the candidate opens no case.
    code, output = run(["model", "shadow", candidate_id, "--reason", "watch it", "--as", "sig", "--db", db], env=env)
    assert code == 0, output
    unflagged_by_candidate = false_positives[:1]
    run(["scan", str(write_posts(tmp_path, "shadowed", unflagged_by_candidate)), "--db", db], env=env)
    with store.begin() as conn:
        shadowed = conn.execute(sa.text("SELECT post_id, model_id, is_order FROM shadow_scores")).all()
        record = conn.execute(sa.text("SELECT is_order, model_id FROM records WHERE post_id = 'shadowed:0'")).one()
    assert [(r.post_id, r.model_id, bool(r.is_order)) for r in shadowed] == [("shadowed:0", candidate_id, False)]
    assert (bool(record.is_order), record.model_id) == (True, shipped_model_id())  # the active model decides
    code, output = run(["model", "shadow", "--off", "--as", "sig", "--db", db], env=env)
    assert code == 0, output

    # Scores of posts before any change, then promote: new posts are scored by the candidate.
    sample = false_positives[:3] + missed[:1]
    code, output = run(["scan", str(write_posts(tmp_path, "before", sample)), "--db", db], env=env)
    before = scores(store, [f"before:{n}" for n in range(len(sample))])
    assert {m for _, m in before.values()} == {shipped_model_id()}
    promote = ["model", "promote", candidate_id, "--reason", "fewer false alarms", "--db", db]
    code, output = run([*promote, "--as", "ana"], env=env)
    assert code == 6, output  # analysts do not promote
    code, output = run([*promote, "--as", "sig"], env=env)
    assert code == 0, output
    run(["scan", str(write_posts(tmp_path, "after", sample)), "--db", db], env=env)
    after = scores(store, [f"after:{n}" for n in range(len(sample))])
    assert {m for _, m in after.values()} == {candidate_id}
    for n, post_id in enumerate(sample):
        assert after[f"after:{n}"][0] == pytest.approx(changed[post_id]["candidate"]["score"], abs=1e-4)
        assert after[f"after:{n}"][0] != before[f"before:{n}"][0]

    # Rollback: the shipped model again, scoring byte-identical to before the promotion.
    code, output = run(["model", "rollback", "--reason", "compare again", "--as", "sig", "--db", db], env=env)
    assert code == 0 and shipped_model_id() in output, output
    run(["scan", str(write_posts(tmp_path, "again", sample)), "--db", db], env=env)
    again = scores(store, [f"again:{n}" for n in range(len(sample))])
    assert [again[f"again:{n}"] for n in range(len(sample))] == [before[f"before:{n}"] for n in range(len(sample))]
    code, output = run(["model", "rollback", "--reason", "again", "--as", "sig", "--db", db], env=env)
    assert code == 2 and "nothing to roll back" in output

    with store.begin() as conn:
        actions = conn.execute(sa.text("SELECT action, actor, object FROM audit_events ORDER BY seq")).all()
    store.close()
    done = [(a.action, a.actor) for a in actions]
    for step in [
        ("post.label", "sig"),
        ("model.register", "sig"),
        ("model.backtest", "ana"),
        ("model.shadow", "sig"),
        ("model.promote", "sig"),
        ("model.rollback", "sig"),
    ]:
        assert step in done, step
    refused = [a for a in actions if a.action == "access.denied"]
    assert {a.actor for a in refused} == {"vera", "ana"}


@pytest.fixture(scope="module")
def candidate_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A stage-1 candidate trained once: the corpus plus three verdicts from demo posts (no database needed)."""
    from varde.cli.train import load_corpus

    root = Path(__file__).resolve().parents[2] / "corpus" / "training"
    by_id = {d["id"]: d for d in jsonl(DEMO / "posts.jsonl")}
    labels = demo_labels()
    chosen = sorted(by_id)[:3]
    lines = [{"id": p, "text": by_id[p]["text"], "label": {"is_order": labels[p]}} for p in chosen]
    model = fit_classifier([*load_corpus(root, size=SIZE), *feedback_examples(lines)])
    folder = tmp_path_factory.mktemp("candidate")
    model.save(folder, {"examples": SIZE})
    return folder


def test_only_supervisors_change_models_and_shadow_never_opens_cases(
    store: Store, candidate_folder: Path, tmp_path: Path
) -> None:
    service = ModelService(store, ModelFiles(tmp_path / "models"))
    info = service.register(ANALYST, candidate_folder)
    assert not info.active and info.trained_by == "ana"
    assert service.register(ANALYST, candidate_folder).id == info.id  # the same files: the same model, once
    investigator = Actor("vera", "investigator", frozenset({"Vest"}), "test")
    for actor in (ANALYST, investigator):
        with pytest.raises(AccessDenied):
            service.promote(actor, info.id, "better")
        with pytest.raises(AccessDenied):
            service.shadow(actor, info.id)
    with pytest.raises(AccessDenied):
        service.backtest(investigator, info.id)
    with pytest.raises(InputError):
        service.promote(SUPERVISOR, info.id, " ")  # a reason is required

    service.shadow(SUPERVISOR, info.id, "try it")
    from varde.pipeline import build_pipeline
    from varde.posts import Post
    from varde.records import Record
    from varde.store.model_files import ActiveModels

    pipeline = build_pipeline(store.order_index(), models=ActiveModels(store, service.files))
    text = "Trenger en til å skyte mot en dør i Bergen i kveld, 50k, DM @testjobb"
    from datetime import UTC, datetime

    post = Post("tip:shadow-1", "telegram", text, datetime(2025, 9, 14, tzinfo=UTC))
    [record] = pipeline.run([Record(post=post)])
    assert record.model_id == shipped_model_id() and record.shadow is not None
    assert record.shadow.model_id == info.id
    store.save([record])
    with store.begin() as conn:
        rows = conn.execute(sa.text("SELECT post_id, model_id, score FROM shadow_scores")).all()
        n_cases = conn.execute(sa.text("SELECT count(*) FROM cases")).scalar_one()
    assert [(r.post_id, r.model_id) for r in rows] == [("tip:shadow-1", info.id)]
    assert n_cases == 0  # Store.save stores; only ingest opens cases, and never from shadow scores
    comparison = service.shadow_comparison(ANALYST)
    assert comparison is not None and comparison["posts"] == 1 and comparison["shadow"] == info.id
    service.shadow(SUPERVISOR, None)
    assert service.shadow_comparison(ANALYST) is None
    [record] = pipeline.run([Record(post=post)])
    assert record.shadow is None
    assert service.state(ANALYST)["shadow"] is None


def test_a_model_whose_files_changed_is_refused(store: Store, candidate_folder: Path, tmp_path: Path) -> None:
    files = ModelFiles(tmp_path / "models")
    service = ModelService(store, files)
    info = service.register(SUPERVISOR, candidate_folder)
    weights = files.folder(info.id) / "model_weights.gz"
    shutil.copyfile(candidate_folder / "model.json", weights)  # any other bytes
    with pytest.raises(ConfigError):
        ModelService(store, ModelFiles(tmp_path / "models")).promote(SUPERVISOR, info.id, "better")
    with store.begin() as conn:
        assert conn.execute(sa.text("SELECT model_id FROM active_model")).scalar_one() == shipped_model_id()


def test_rescore_open_cases_uses_the_active_model(
    deployment: tuple[str, dict[str, str]], candidate_folder: Path, tmp_path: Path
) -> None:
    db, env = deployment
    store = Store.open(db)
    try:
        service = ModelService(store, ModelFiles(Path(env["VARDE_MODEL_DIR"])), media_dir=Path(env["VARDE_MEDIA_DIR"]))
        code, output = run(["model", "rescore", "--open-cases", "--as", "sig", "--db", db], env=env)
        assert code == 0 and " 0 score(s) changed" in output, output  # the same model, the images read again
        info = service.register(SUPERVISOR, candidate_folder)
        service.promote(SUPERVISOR, info.id, "better")
        done = service.rescore_open_cases(SUPERVISOR)
        assert done["model"] == info.id and done["scores_changed"] > 0
        with store.begin() as conn:
            rescored = (
                conn.execute(sa.text("SELECT action FROM audit_events WHERE action = 'model.rescore'")).scalars().all()
            )
        assert len(rescored) == 2
        with pytest.raises(AccessDenied):
            service.rescore_open_cases(ANALYST)
    finally:
        store.close()
