"""Fixtures for detection tests: the training-corpus generator, loaded from corpus/training/generate.py."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

CORPUS = Path(__file__).resolve().parents[2] / "corpus" / "training"


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("varde_training_generator_tests", CORPUS / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def generator() -> ModuleType:
    return load_generator()
