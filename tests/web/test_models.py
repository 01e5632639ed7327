"""The supervisors' Model page (/models) and its JSON twin: models, active and shadow model, backtests, changes."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from varde.cases.access import Actor
from varde.cases.models import ModelService
from varde.detect.classifier import MODEL_JSON, MODEL_WEIGHTS, model_folder
from varde.detect.registry import shipped_model_id
from varde.detect.second_stage import HEAD_JSON
from varde.store.model_files import ModelFiles

from .conftest import Seeded, login

SIG = Actor("sig", "supervisor", source="test")


def twin_of_the_shipped_model(folder: Path) -> Path:
    """The shipped model's weights under other metadata: another id, the same scores."""
    folder.mkdir()
    meta = json.loads((model_folder() / MODEL_JSON).read_text(encoding="utf-8"))
    meta["provenance"] = dict(meta["provenance"], note="a twin for the Model page test")
    (folder / MODEL_JSON).write_text(json.dumps(meta), encoding="utf-8")
    for name in (MODEL_WEIGHTS, HEAD_JSON):
        if (model_folder() / name).is_file():
            (folder / name).write_bytes((model_folder() / name).read_bytes())
    return folder


def test_the_model_page_is_the_supervisors(app: FastAPI, client: TestClient, seeded: Seeded, tmp_path: Path) -> None:
    service = ModelService(seeded.store, ModelFiles(app.state.web.settings.model_folder))
    twin = service.register(SIG, twin_of_the_shipped_model(tmp_path / "twin"))
    service.shadow(SIG, twin.id, "compare")
    report = service.backtest(SIG, twin.id)
    assert report["newly_flagged"] == report["unflagged"] == 0  # same weights, same decisions
    service.promote(SIG, twin.id, "a <b>reason</b>")

    login(client, "sig")
    page = client.get("/models")
    assert page.status_code == 200
    text = page.text
    assert "Detector models" in text and twin.id in text and shipped_model_id() in text
    assert "Shadow comparison" in text and "Backtests" in text and "No backtest has been run." not in text
    assert "a &lt;b&gt;reason&lt;/b&gt;" in text  # the reason is text, never markup
    assert 'href="/models"' in text  # in the supervisor's menu

    answer = client.get("/api/models", headers={"authorization": f"Bearer {seeded.tokens['ana']}"})
    assert answer.status_code == 200
    body = answer.json()
    assert body["state"]["active"] == twin.id and body["backtests"][0]["candidate"] == twin.id
    assert client.get("/api/models", headers={"authorization": f"Bearer {seeded.tokens['aud']}"}).status_code == 403


def test_an_analyst_gets_no_model_page(client: TestClient) -> None:
    login(client, "ana")
    assert client.get("/models").status_code == 403
    assert 'href="/models"' not in client.get("/").text
