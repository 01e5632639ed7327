from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bench.synthetic.network import Scenario
from tests.network.conftest import T0, post
from varde.network.graph import build_graph
from varde.network.resolve import Judgement, candidates, handle_skeleton, resolve


def alias_posts() -> list:
    # One actor: ads on X and Instagram announce the same Telegram handle and phone.
    return [
        post(
            "x:1",
            "x",
            author="@kro_jobb",
            text="jobb i kveld 50k skriv @krojobb",
            is_order=True,
            order_id="o-1",
            contacts=(("telegram", "@krojobb"), ("phone", "+46701740611")),
        ),
        post(
            "instagram:2",
            "instagram",
            author="@kro.jobb",
            text="oppdrag i helgen, +46701740611",
            is_order=True,
            order_id="o-2",
            contacts=(("phone", "+46701740611"),),
            created_at=T0 + timedelta(days=2),
        ),
        post("x:3", "x", author="@jonas_97", text="hei", created_at=T0 + timedelta(days=3)),
        post("x:4", "x", author="@jonas_98", text="hallo", created_at=T0 + timedelta(days=4)),
    ]


def test_strong_evidence_links_aliases_with_listed_evidence() -> None:
    graph = build_graph(alias_posts())
    result = resolve(graph, alias_posts())
    x, insta, tg, phone = "acct:x:kro_jobb", "acct:instagram:kro.jobb", "acct:telegram:krojobb", "phone:+46701740611"
    assert result.same_actor(x, insta) and result.same_actor(x, tg) and result.same_actor(x, phone)
    kinds = {e.kind for p in candidates(graph, alias_posts()) for e in p.evidence}
    assert {"announced_in_ad", "shared_phone", "announced_together"} <= kinds
    link = next(p for p in result.proposals if {p.a, p.b} == {x, insta})
    assert link.probability > 0.9 and any(e.strength == "strong" for e in link.evidence)
    # Weak evidence alone (a common first name) is not enough.
    assert not result.same_actor("acct:x:jonas_97", "acct:x:jonas_98")


def test_skeleton() -> None:
    assert handle_skeleton("@Natt.Jobb_99") == handle_skeleton("nattjobb") == "nattjobb"


def test_rejected_link_is_not_proposed_again() -> None:
    posts = alias_posts()
    graph = build_graph(posts)
    x, insta = "acct:x:kro_jobb", "acct:instagram:kro.jobb"
    no = Judgement(x, insta, False, "different people per phone records", "kari", datetime(2025, 6, 1, tzinfo=UTC))
    result = resolve(graph, posts, [no])
    assert not result.same_actor(x, insta)
    assert all({p.a, p.b} != {x, insta} for p in result.proposals)
    # Also not through the phone or the Telegram handle they both link to.
    assert result.blocked


def test_later_judgement_wins_and_same_is_applied() -> None:
    posts = alias_posts()
    graph = build_graph(posts)
    a, b = "acct:x:jonas_97", "acct:x:jonas_98"
    t = datetime(2025, 6, 1, tzinfo=UTC)
    result = resolve(
        graph, posts, [Judgement(a, b, False, at=t), Judgement(a, b, True, "same IP", "kari", t + timedelta(days=1))]
    )
    assert result.same_actor(a, b)
    confirmed = [p for p in result.proposals if p.confirmed]
    assert len(confirmed) == 1 and confirmed[0].probability == 1.0


def test_rejections_hold_transitively_on_the_scenario(scenario: Scenario) -> None:
    graph = build_graph(scenario.posts)
    first = resolve(graph, scenario.posts)
    # Reject a third of the accepted links, then also keep apart the two ends of a chain a~x~b.
    rejected = [Judgement(p.a, p.b, False, "test") for p in first.proposals[::3]]
    chain = next(p for p in first.proposals[1::3] if len(first.members[first.actor(p.a)]) >= 3)
    third = next(m for m in first.members[first.actor(chain.a)] if m not in (chain.a, chain.b))
    rejected.append(Judgement(chain.a, third, False, "test"))
    second = resolve(graph, scenario.posts, rejected)
    for judgement in rejected:
        assert not second.same_actor(judgement.a, judgement.b)
        assert all({p.a, p.b} != {judgement.a, judgement.b} for p in second.proposals)


def test_candidates_are_blocked_not_all_pairs(scenario: Scenario) -> None:
    graph = build_graph(scenario.posts)
    accounts = sum(1 for e in graph.entities.values() if e.kind == "account")
    assert len(candidates(graph, scenario.posts)) < accounts * 5


def test_brokers_and_later_reposters_announce_nobody() -> None:
    # One account posts ads for six different contacts: a broker, not all of them at once.
    posts = [
        post(
            f"telegram:{i}",
            author="@megafon_jobb",
            text=f"jobb {i}",
            is_order=True,
            order_id=f"o-{i}",
            contacts=(("telegram", f"@kontakt_nr{i}"),),
            created_at=T0 + timedelta(days=i),
        )
        for i in range(6)
    ]
    # A stranger re-posts one of the ads two days later (no forward marker).
    posts.append(
        post(
            "x:99",
            "x",
            author="@annen_person",
            text="jobb 0",
            is_order=True,
            order_id="o-0",
            contacts=(("telegram", "@kontakt_nr0"),),
            created_at=T0 + timedelta(days=2),
        )
    )
    graph = build_graph(posts)
    result = resolve(graph, posts)
    assert not result.same_actor("acct:telegram:kontakt_nr1", "acct:telegram:kontakt_nr2")
    assert not result.same_actor("acct:telegram:megafon_jobb", "acct:telegram:kontakt_nr1")
    assert not result.same_actor("acct:x:annen_person", "acct:telegram:kontakt_nr0")
