"""`varde train` rebuilds the shipped model byte for byte from the corpus."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner

from varde.cli.train import DEFAULT_SEED, DEFAULT_SIZE, load_corpus, train
from varde.detect.classifier import MODEL_JSON, MODEL_WEIGHTS, OrderClassifier, model_folder
from varde.detect.normalise import clean
from varde.detect.second_stage import HEAD_JSON, embedder_installed

from .conftest import CORPUS


def test_generator_is_seeded_and_labelled(generator: ModuleType) -> None:
    first = generator.generate(7, 300)
    assert first == generator.generate(7, 300)
    assert first != generator.generate(8, 300)
    assert {e["language"] for e in first} == {"nb", "nn", "sv", "da", "en"}
    assert 0.3 < sum(e["is_order"] for e in first) / len(first) < 0.6
    assert all(e["violence_types"] == [] for e in first if not e["is_order"])


def test_generator_covers_the_hard_negatives(generator: ModuleType) -> None:
    buckets = {e["bucket"] for e in generator.generate(1, 3000) if not e["is_order"]}
    expected = {
        "news",
        "warning",
        "gig",
        "legit_job",
        "lyrics",
        "gaming",
        "banter",
        "personal_threat",
        "drugs",
        "sale",
        "fiction",
        "hoax",
        "adjacent",
    }
    assert expected <= buckets


def test_generator_uses_the_second_tables_and_bare_amounts(generator: ModuleType) -> None:
    tables = generator._tables("sv")
    more = generator._load("phrases_more_sv.yaml")
    for bucket, templates in more["templates"].items():
        assert set(templates) <= set(tables["templates"][bucket])
    assert any("<amount>" in t for ts in tables["templates"].values() for t in ts)
    maker = generator.Generator(3)
    amounts = [maker.amount() for _ in range(50)]
    assert all(a[:1].isdigit() and "k" not in a for a in amounts)


def test_held_out_look_alikes_are_not_training_data() -> None:
    # heldout.jsonl measures generalisation; candidates.jsonl is not trained on yet either.
    training = {e["text"] for e in load_corpus(CORPUS, DEFAULT_SEED, 50)}
    held_out = [json.loads(line) for line in (CORPUS / "heldout.jsonl").read_text(encoding="utf-8").splitlines()]
    candidates = [json.loads(line) for line in (CORPUS / "candidates.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(held_out) >= 100
    assert not training & {row["text"] for row in held_out}
    assert not {c["text"] for c in candidates} & {row["text"] for row in held_out}
    assert {row["label"]["is_order"] for row in held_out} == {True, False}
    assert all(set(c) == {"id", "text", "is_order", "bucket", "language", "violence_types"} for c in candidates)


def test_corpus_has_handwritten_and_generated_examples() -> None:
    examples = load_corpus(CORPUS, DEFAULT_SEED, 50)
    sources = {e["source"] for e in examples}
    assert sources == {"handwritten", "generated"}
    handwritten = [e for e in examples if e["source"] == "handwritten"]
    assert len(handwritten) >= 600
    assert {e["language"] for e in handwritten} == {"nb", "nn", "sv", "da", "en"}
    assert 0.35 < sum(e["is_order"] for e in handwritten) / len(handwritten) < 0.55
    assert len({e["id"] for e in handwritten}) == len(handwritten)


def test_small_training_runs_are_identical(tmp_path: Path) -> None:
    runner = CliRunner()
    for name in ("a", "b"):
        args = ["--corpus", str(CORPUS), "--output", str(tmp_path / name), "--size", "300", "--no-second-stage"]
        result = runner.invoke(train, args)
        assert result.exit_code == 0, result.output
    for file in (MODEL_JSON, MODEL_WEIGHTS):
        assert (tmp_path / "a" / file).read_bytes() == (tmp_path / "b" / file).read_bytes()


def _train_elsewhere(output: Path, env: dict[str, str], *options: str) -> None:
    """`varde train` into `output` in a fresh process: the math libraries read `env` when they load."""
    command = [sys.executable, "-c", "from varde.cli import main; main()", "train"]
    command += ["--corpus", str(CORPUS), "--output", str(output), *options]
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]


def _held_out_texts() -> list[str]:
    lines = (CORPUS / "heldout.jsonl").read_text(encoding="utf-8").splitlines()
    return [clean(json.loads(line)["text"]).text for line in lines]


def _train_with_threads(output: Path, threads: int | None) -> None:
    """`varde train` (small corpus) in a fresh process whose math libraries start with `threads` threads."""
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    if threads is not None:
        env |= {"OMP_NUM_THREADS": str(threads), "OPENBLAS_NUM_THREADS": str(threads), "MKL_NUM_THREADS": str(threads)}
    _train_elsewhere(output, env, "--size", "300", "--no-second-stage")


def test_training_does_not_depend_on_the_number_of_threads(tmp_path: Path) -> None:
    texts = _held_out_texts()[:60]
    outputs = {threads: tmp_path / f"threads-{threads}" for threads in (1, 2, None)}
    for threads, folder in outputs.items():
        _train_with_threads(folder, threads)
    models = {threads: OrderClassifier.load(folder) for threads, folder in outputs.items()}
    reference = models[1].predict_proba(texts)[:, 1]
    for threads, model in models.items():
        assert abs(model.predict_proba(texts)[:, 1] - reference).max() <= 1e-9, threads
        for file in (MODEL_JSON, MODEL_WEIGHTS):
            assert (outputs[threads] / file).read_bytes() == (outputs[1] / file).read_bytes(), (threads, file)


# The shipped model was fitted with OpenBLAS's SkylakeX kernels (AVX-512). Another kernel (Haswell, which OpenBLAS
# picks on AVX2-only and on AMD CPUs) sums in another order, and the weights move in the third or fourth decimal. The
# kernel is chosen when the library loads (OPENBLAS_CORETYPE), so the rebuild runs in a fresh process.
SHIPPED_BLAS_KERNEL = "SkylakeX"
AVX512 = frozenset({"avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"})


def _cpu_flags() -> set[str]:
    try:
        lines = Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines()
    except OSError:
        return set()
    return next((set(line.split(":", 1)[1].split()) for line in lines if line.startswith("flags")), set())


@pytest.mark.slow
def test_train_rebuilds_the_shipped_model_byte_for_byte(tmp_path: Path) -> None:
    """Byte for byte with the shipped model's kernel where the CPU has it; elsewhere the same scores to 0.01."""
    same_kernel = _cpu_flags() >= AVX512
    env = dict(os.environ, OPENBLAS_CORETYPE=SHIPPED_BLAS_KERNEL) if same_kernel else dict(os.environ)
    _train_elsewhere(tmp_path, env, "--size", str(DEFAULT_SIZE))
    if not same_kernel:
        texts = _held_out_texts()
        rebuilt = OrderClassifier.load(tmp_path).predict_proba(texts)[:, 1]
        shipped = OrderClassifier.load(model_folder()).predict_proba(texts)[:, 1]
        assert abs(rebuilt - shipped).max() <= 0.01
        return
    files = (MODEL_JSON, MODEL_WEIGHTS, HEAD_JSON) if embedder_installed() else (MODEL_JSON, MODEL_WEIGHTS)
    for file in files:
        assert (tmp_path / file).read_bytes() == (model_folder() / file).read_bytes(), file


def test_verdicts_become_examples_that_weigh_more() -> None:
    from varde.detect.training import (
        FEEDBACK_SOURCE,
        FEEDBACK_WEIGHT,
        HANDWRITTEN_WEIGHT,
        example_weight,
        feedback_examples,
    )

    line = {"id": "x:1", "text": "50k for a job tonight", "label": {"is_order": True, "violence_types": ["shooting"]}}
    [example] = feedback_examples([line])
    assert example == {
        "id": "x:1",
        "text": "50k for a job tonight",
        "is_order": True,
        "violence_types": ["shooting"],
        "source": FEEDBACK_SOURCE,
    }
    assert example_weight(example) == FEEDBACK_WEIGHT > HANDWRITTEN_WEIGHT
    assert example_weight({"source": "handwritten"}) == HANDWRITTEN_WEIGHT > 1.0
    assert example_weight({"source": "generated"}) == 1.0
