"""The model registry's tables: the shipped model is registered on first use and every stored record names the model
that scored it; `varde model list` shows them."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import sqlalchemy as sa
from click.testing import CliRunner

from tests.cases.conftest import make_record
from varde.cli import cli
from varde.detect.registry import SHIPPED_BY, shipped_model_id
from varde.store import Store
from varde.store.model_tables import list_models


def test_the_shipped_model_is_registered_on_first_use_and_stamps_records(store: Store) -> None:
    store.save([make_record("telegram:foxchan:1", "o-1")], now=datetime(2025, 9, 14, tzinfo=UTC))
    with store.begin() as conn:
        [model] = list_models(conn)
        stamped = conn.execute(sa.text("SELECT model_id FROM records")).scalars().all()
    assert (model.id, model.active, model.trained_by) == (shipped_model_id(), True, SHIPPED_BY)
    assert model.provenance["examples"] > 0
    assert stamped == [shipped_model_id()]
    with store.begin() as conn:  # registering again changes nothing
        assert [m.id for m in list_models(conn)] == [shipped_model_id()]


def test_model_list_json(database_url: str) -> None:
    result = CliRunner().invoke(cli, ["model", "list", "--json", "--db", database_url])
    assert result.exit_code == 0, result.output
    [model] = json.loads(result.output)
    assert {"id", "active", "created_at", "trained_by"} <= set(model)
    assert model["id"] == shipped_model_id() and model["active"] is True
    result = CliRunner().invoke(cli, ["model", "list", "--db", database_url])
    assert result.exit_code == 0 and f"* {shipped_model_id()}" in result.output
