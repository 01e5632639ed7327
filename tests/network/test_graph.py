from __future__ import annotations

from datetime import timedelta

from tests.network.conftest import T0, post
from varde.network.analysis import volunteer_pattern
from varde.network.graph import (
    CONTACT_IN_AD,
    FORWARDED_FROM,
    MEMBER_OF,
    POSTED,
    POSTED_IN,
    REPLIED_TO,
    build_graph,
    contact_entity,
)


def demo_posts() -> list:
    ad = post(
        "telegram:jobb:1",
        author="@Natt_Jobb",
        channel="Oslo jobb",
        text="jobb i kveld 50k skriv @nattjobb",
        is_order=True,
        order_id="o-1",
        district="Oslo",
        contacts=(("telegram", "@nattjobb"), ("phone", "+46 70 174 06 05")),
    )
    forward = post(
        "telegram:spread:2",
        author="@spreder",
        channel="Spredning",
        forwarded_from="Oslo jobb",
        text=ad.text,
        is_order=True,
        order_id="o-1",
        contacts=ad.contacts,
        created_at=T0 + timedelta(hours=1),
    )
    volunteer = post(
        "telegram:jobb:3",
        author="@ung_gutt",
        channel="Oslo jobb",
        text="DM sendt 🔥",
        reply_to="telegram:jobb:1",
        created_at=T0 + timedelta(minutes=5),
    )
    curious = post(
        "telegram:jobb:4",
        author="@nysgjerrig",
        channel="Oslo jobb",
        text="hva er dette?",
        reply_to="telegram:jobb:1",
        created_at=T0 + timedelta(minutes=6),
    )
    return [volunteer, curious, forward, ad]  # any order


def test_graph_has_the_edges_the_posts_evidence() -> None:
    graph = build_graph(demo_posts(), volunteer=volunteer_pattern())
    poster, order = "acct:telegram:natt_jobb", "order:o-1"
    assert graph.edges[(poster, order, POSTED)].post_ids == ["telegram:jobb:1"]
    assert (order, "acct:telegram:nattjobb", CONTACT_IN_AD) in graph.edges
    assert (order, "phone:+46701740605", CONTACT_IN_AD) in graph.edges
    assert (order, "chan:telegram:oslo jobb", POSTED_IN) in graph.edges
    assert (order, "chan:telegram:spredning", POSTED_IN) in graph.edges
    assert (poster, "chan:telegram:oslo jobb", MEMBER_OF) in graph.edges
    # A forward shows who spread the ad, not who commissioned it.
    assert ("acct:telegram:spreder", order, FORWARDED_FROM) in graph.edges
    assert ("acct:telegram:spreder", order, POSTED) not in graph.edges
    assert ("chan:telegram:spredning", "chan:telegram:oslo jobb", FORWARDED_FROM) in graph.edges
    # A volunteering reply weighs double.
    assert graph.edges[("acct:telegram:ung_gutt", order, REPLIED_TO)].weight == 2.0
    assert graph.edges[("acct:telegram:nysgjerrig", order, REPLIED_TO)].weight == 1.0
    entity = graph.entities[order]
    assert entity.first_seen == T0 and entity.last_seen == T0 + timedelta(hours=1)
    assert entity.attrs["district"] == "Oslo" and "50k" in entity.attrs["text"]


def test_contact_ids_normalise() -> None:
    assert contact_entity("telegram", "@NattJobb")[0] == contact_entity("telegram", "nattjobb")[0]
    assert contact_entity("eth", "0xAbC")[0] == "wallet:eth:0xabc"
    assert contact_entity("btc", "bc1qAB")[0] == "wallet:btc:bc1qAB"


def test_neighbourhood_is_bounded() -> None:
    graph = build_graph(demo_posts())
    sub = graph.neighbourhood("order:o-1", depth=1)
    assert "acct:telegram:natt_jobb" in sub.entities and "acct:telegram:ung_gutt" in sub.entities
    assert all(s in sub.entities and t in sub.entities for s, t, _ in sub.edges)
    assert len(graph.neighbourhood("order:o-1", depth=3, limit=3).entities) <= 3
