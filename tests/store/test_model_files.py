"""Model files: loaded only under their own id; a shipped model replaced by an upgrade falls back to the one that
ships now (and records name it), while a model kept in the model folder stays loadable."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from varde.detect.classifier import model_folder
from varde.detect.registry import shipped_model_id
from varde.errors import ConfigError, InputError
from varde.store import Store
from varde.store.model_files import ActiveModels, ModelFiles, folder_model_id
from varde.store.model_tables import active_model_id, models, set_active

NOW = datetime(2025, 9, 14, tzinfo=UTC)
OLD_SHIPPED = "m-0123456789abcdef"


def test_ids_and_refusals(tmp_path: Path) -> None:
    files = ModelFiles(tmp_path)
    assert folder_model_id(model_folder()) == shipped_model_id()
    with pytest.raises(InputError):
        files.folder("../etc")
    with pytest.raises(InputError):
        folder_model_id(tmp_path)
    with pytest.raises(ConfigError):
        files.detector(OLD_SHIPPED)  # registered nowhere on disk
    files.keep_shipped()
    assert files.has(shipped_model_id()) and folder_model_id(files.folder(shipped_model_id())) == shipped_model_id()


def test_an_upgrade_that_ships_another_model_scores_with_it(store: Store, tmp_path: Path) -> None:
    with store.begin() as conn:
        active_model_id(conn)
        row = {"created_at": NOW, "trained_by": "varde (shipped)", "provenance": {}, "metrics": None, "folder": None}
        conn.execute(sa.insert(models).values(id=OLD_SHIPPED, **row))
        set_active(conn, OLD_SHIPPED, action="promote", reason="the old release", by="system", now=NOW)
    active, shadow = ActiveModels(store, ModelFiles(tmp_path))()
    assert active.model_id == shipped_model_id() and shadow is None
    with store.begin() as conn:  # a model with a folder of its own is never replaced silently
        conn.execute(sa.update(models).where(models.c.id == OLD_SHIPPED).values(folder=str(tmp_path / OLD_SHIPPED)))
    with pytest.raises(ConfigError):
        ActiveModels(store, ModelFiles(tmp_path))()
