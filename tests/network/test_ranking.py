"""Backmen as analysts read them: one actor once, each handle once with its platforms, a display name never taken
for a handle, and the reason behind an unknown legal route."""

from __future__ import annotations

from varde.network.analysis import analyse
from varde.network.attribution import parse_watchlist
from varde.network.cooperation import load_cooperation
from varde.network.graph import Graph, author_entity_id, is_display_name
from varde.network.ranking import COUNTRY_NOT_IN_TABLE, NO_COUNTRY, identities, identity_label

from .conftest import post


def _graph(*entities: tuple[str, str, str]) -> Graph:
    graph = Graph()
    for entity_id, kind, label in entities:
        graph.entity(entity_id, kind, label, None, None)
    return graph


def test_one_handle_on_many_platforms_is_one_identity() -> None:
    handles = tuple(f"acct:{p}:ghost_ops" for p in ("discord", "instagram", "signal", "telegram", "x"))
    members = (*handles, "acct:snapchat:ghost.two", "phone:+4790000002")
    graph = _graph(
        *[(m, "account", "@ghost_ops") for m in members[:4]],
        ("acct:x:ghost_ops", "account", "ghost_ops"),
        ("acct:snapchat:ghost.two", "account", "@ghost.two"),
        ("phone:+4790000002", "phone", "+4790000002"),
    )
    found = identities(graph, members)
    assert [i.label for i in found] == ["@ghost_ops", "@ghost.two", "+4790000002"]
    assert found[0].platforms == ("discord", "instagram", "signal", "telegram", "x")
    assert identity_label(found) == "@ghost_ops, @ghost.two, +4790000002"
    assert identity_label(found + found[:1]) == "@ghost_ops, @ghost.two, +4790000002 +1"


def test_a_display_name_is_not_a_handle() -> None:
    assert is_display_name("Admin 🌙") and is_display_name("Ola Nordmann")
    assert not is_display_name("@natt.jobb") and not is_display_name("nattjobb_24")
    by_name = post("p1", author="Admin 🌙", author_id="user5993120055")
    assert author_entity_id(by_name) == "acct:telegram:id:user5993120055"
    assert author_entity_id(post("p2", author="@nattjobb", author_id="user1")) == "acct:telegram:nattjobb"
    assert author_entity_id(post("p3", author="Admin 🌙")) == "acct:telegram:admin 🌙"  # nothing better known
    graph = _graph(("acct:telegram:id:user5993120055", "account", "Admin 🌙"))
    assert identities(graph, ("acct:telegram:id:user5993120055",))[0].label == "Admin 🌙 (telegram id user5993120055)"


def test_backmen_say_why_a_route_is_unknown() -> None:
    posts = [
        post(
            "a1",
            author="@ghost_ops",
            is_order=True,
            order_id="o1",
            text="skyt 50k",
            contacts=(("telegram", "@ghost_ops"),),
        ),
        post("a2", platform="x", author="@ghost_ops", is_order=True, order_id="o1", text="skyt 50k"),
        post("b1", author="@norsk", is_order=True, order_id="o2", text="jobb", contacts=(("phone", "+4791234567"),)),
        post(
            "c1",
            author="@langt_borte",
            is_order=True,
            order_id="o3",
            text="jobb",
            contacts=(("phone", "+5511912345678"),),
        ),
    ]
    result = analyse(posts, watchlist=parse_watchlist({"networks": []}), cooperation=load_cooperation())
    by_label = {b.label.split(",")[0]: b for b in result.backmen}
    ghost = by_label["@ghost_ops"]
    assert ghost.route.route == "unknown" and ghost.unresolved == NO_COUNTRY
    assert "phone number" in ghost.to_dict()["unresolved_why"] and "network link" in ghost.to_dict()["unresolved_fix"]
    assert by_label["@norsk"].route.route == "domestic" and by_label["@norsk"].unresolved is None
    far = by_label["@langt_borte"]
    assert far.country == "BR" and far.unresolved == COUNTRY_NOT_IN_TABLE
