from __future__ import annotations

import pytest

from tests.network.conftest import post
from varde.errors import ConfigError
from varde.network.attribution import attribute, load_watchlist, parse_watchlist
from varde.network.graph import build_graph
from varde.network.resolve import resolve

WATCH = {
    "networks": [
        {
            "id": "fx",
            "name": "Foxtrot",
            "country": "SE",
            "sources": ["test"],
            "indicators": {"handles": ["telegram:@fx_jobb"], "phrases": ["räven betalar alltid"], "emoji": ["🦊"]},
        },
    ]
}


def test_contact_in_ad_attributes_with_a_path_to_the_indicator() -> None:
    posts = [
        post(
            "x:1",
            "x",
            author="@someone",
            text="jobb 50k skriv @fx_jobb",
            is_order=True,
            order_id="o-1",
            contacts=(("telegram", "@fx_jobb"),),
        )
    ]
    graph = build_graph(posts)
    result = attribute(graph, parse_watchlist(WATCH), resolve(graph, posts))
    best = result.best("order:o-1")
    assert best is not None and best.network == "fx" and best.confidence >= 0.9
    assert best.evidence[0].path == ("order:o-1", "acct:telegram:fx_jobb", "network:fx")


def test_weak_signatures_alone_do_not_attribute_but_together_do() -> None:
    posts = [
        post("x:1", "x", author="@a1", text="jobb i kveld 🦊", is_order=True, order_id="o-1"),
        post("x:2", "x", author="@a2", text="Räven betalar alltid. jobb i kveld 🦊", is_order=True, order_id="o-2"),
    ]
    graph = build_graph(posts)
    result = attribute(graph, parse_watchlist(WATCH), resolve(graph, posts))
    assert result.best("order:o-1") is None
    best = result.best("order:o-2")
    assert best is not None and {s.kind for s in best.evidence} == {"phrase", "emoji"}


def test_actor_link_carries_attribution_to_alias_ads() -> None:
    posts = [
        post(
            "x:1",
            "x",
            author="@kro_jobb",
            text="jobb, skriv @fx_jobb",
            is_order=True,
            order_id="o-1",
            contacts=(("telegram", "@fx_jobb"),),
        ),
        post(
            "instagram:2",
            "instagram",
            author="@kro_jobb",
            text="nytt oppdrag, +46701740612",
            is_order=True,
            order_id="o-2",
            contacts=(("phone", "+46701740612"),),
        ),
        post(
            "x:3",
            "x",
            author="@kro_jobb",
            text="helg, +46701740612",
            is_order=True,
            order_id="o-3",
            contacts=(("phone", "+46701740612"),),
        ),
    ]
    graph = build_graph(posts)
    resolution = resolve(graph, posts)
    result = attribute(graph, parse_watchlist(WATCH), resolution)
    best = result.best("order:o-3")
    assert best is not None and best.network == "fx"
    assert any(step.kind == "via_actor" for step in best.evidence)


def test_shipped_watchlist_loads_and_is_invented() -> None:
    watchlist = load_watchlist()
    assert {"Foxtrot", "Rumba"} <= {n.name for n in watchlist.networks}
    for network in watchlist.networks:
        assert network.sources
        for identity in network.identities:
            if identity.startswith("phone:"):
                assert identity.startswith("phone:+467017406")  # the Swedish range reserved for fiction


@pytest.mark.parametrize(
    "bad",
    [
        {"networks": [{"name": "X", "indicators": {}}]},  # no sources
        {"networks": [{"name": "X", "sources": ["s"], "indicators": {"handles": ["@nohandleplatform"]}}]},
        {"networks": [{"name": "X", "sources": ["s"], "country": False}]},  # YAML's unquoted NO
    ],
)
def test_malformed_watchlists_are_refused(bad: dict) -> None:
    with pytest.raises(ConfigError):
        parse_watchlist(bad)
