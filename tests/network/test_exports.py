from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest

from bench.synthetic.network import generate
from varde.network.analysis import Analysis, analyse
from varde.network.attribution import parse_watchlist
from varde.network.cooperation import load_cooperation
from varde.network.exports import (
    ftm_entities,
    stix_bundle,
    to_networkx,
    validate_ftm,
    validate_stix,
    write_gexf,
    write_graphml,
)


@pytest.fixture(scope="module")
def small() -> Analysis:
    scenario = generate(
        5, known_networks=2, unknown_networks=1, orders_per_network=6, noise_accounts=20, volunteers=15, freelancers=3
    )
    return analyse(scenario.posts, watchlist=parse_watchlist(scenario.watchlist), cooperation=load_cooperation())


def test_ftm_export_validates(small: Analysis) -> None:
    entities = ftm_entities(small)
    assert validate_ftm(entities) == []
    schemas = {e["schema"] for e in entities}
    assert {"Person", "UserAccount", "Event", "Organization", "Membership", "UnknownLink"} <= schemas
    assert entities == ftm_entities(small)  # deterministic ids


def test_ftm_validation_catches_problems(small: Analysis) -> None:
    entities = ftm_entities(small)
    broken = [dict(e) for e in entities]
    link = next(e for e in broken if e["schema"] == "UnknownLink")
    link["properties"] = {**link["properties"], "subject": ["missing-id"]}
    broken.append({"id": "x", "schema": "NoSuchSchema", "properties": {}})
    problems = validate_ftm(broken)
    assert any("missing-id" in p for p in problems) and any("NoSuchSchema" in p for p in problems)


def test_stix_bundle_parses_strictly(small: Analysis) -> None:
    text = stix_bundle(small)
    assert validate_stix(text) == []
    types = {o["type"] for o in json.loads(text)["objects"]}
    assert {"threat-actor", "user-account", "report", "relationship"} <= types
    assert validate_stix(text.replace('"spec_version": "2.1"', '"spec_version": "9.9"', 1))


def test_graphml_round_trips_through_networkx(small: Analysis, tmp_path: Path) -> None:
    path = tmp_path / "net.graphml"
    write_graphml(small, str(path))
    back = nx.read_graphml(path, force_multigraph=True)
    original = to_networkx(small)
    assert back.number_of_nodes() == original.number_of_nodes()
    assert back.number_of_edges() == original.number_of_edges()
    node = next(iter(small.graph.entities.values()))
    assert back.nodes[node.id]["kind"] == node.kind and back.nodes[node.id]["label"] == node.label
    gexf = tmp_path / "net.gexf"
    write_gexf(small, str(gexf))
    assert nx.read_gexf(gexf).number_of_nodes() == original.number_of_nodes()


def test_ftm_takes_long_monero_addresses() -> None:
    from tests.network.conftest import post

    xmr = "4" + "A" * 94
    posts = [
        post(
            "x:1",
            "x",
            author="@kro_jobb",
            text="jobb",
            is_order=True,
            order_id="o-1",
            contacts=(("xmr", xmr), ("telegram", "@krojobb")),
        )
    ]
    found = analyse(posts, watchlist=parse_watchlist({"networks": []}), cooperation=load_cooperation())
    entities = ftm_entities(found)
    assert validate_ftm(entities) == []
    assert any(e["schema"] == "CryptoWallet" and e["properties"]["name"] == [xmr] for e in entities)
