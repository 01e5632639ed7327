"""What identifies a detector model and what is known about it — the pure part of the model registry.

A model is its two files, `model.json` and `model_weights.gz`; its id is a digest of both, so the same files always
have the same id and any change of either gives a new one. `model.json` carries the training data summary
(`provenance`) and, when training recorded them, cross-validation `metrics`. The database side (which models are
registered, which is active) lives in `varde.store.model_tables`."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib import resources
from typing import Any

from varde.detect.classifier import MODEL_JSON, MODEL_WEIGHTS, Detector

# Who trained the model that ships with Varde (built by `varde train` from the repository's corpus).
SHIPPED_BY = "varde (shipped)"

# Hex digits of the digest kept in a model id: 64 bits, plenty for the handful of models one server sees.
ID_HEX = 16


def model_id(meta: bytes, weights: bytes) -> str:
    """The id of the model whose `model.json` is `meta` and `model_weights.gz` is `weights`. Pure."""
    digest = hashlib.sha256()
    for part in (meta, weights):
        digest.update(hashlib.sha256(part).digest())
    return f"m-{digest.hexdigest()[:ID_HEX]}"


def summary(meta: bytes) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The training data summary (`provenance`) and the cross-validation metrics (None if not recorded) of a
    `model.json`. Pure."""
    data = json.loads(meta)
    metrics = data.get("metrics")
    return dict(data.get("provenance") or {}), dict(metrics) if isinstance(metrics, dict) else None


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """One registered model."""

    id: str
    created_at: datetime
    trained_by: str
    provenance: dict[str, Any]
    metrics: dict[str, Any] | None
    active: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "active": self.active,
            "created_at": self.created_at.isoformat(),
            "trained_by": self.trained_by,
            "provenance": self.provenance,
            "metrics": self.metrics,
        }


@dataclass(frozen=True, slots=True)
class Scorer:
    """A registered model's id and its loaded detector."""

    model_id: str
    detector: Detector


def shipped_files() -> tuple[bytes, bytes]:
    """The bytes of the shipped model's `model.json` and `model_weights.gz`."""
    data = resources.files("varde.detect").joinpath("data")
    return data.joinpath(MODEL_JSON).read_bytes(), data.joinpath(MODEL_WEIGHTS).read_bytes()


@cache
def shipped_model_id() -> str:
    """The id of the model that ships with Varde (the one `load_detector` loads)."""
    return model_id(*shipped_files())
