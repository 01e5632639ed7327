"""The acceptance figures of the network issue, on a generated scenario with a known truth."""

from __future__ import annotations

from collections import Counter

import pytest

from bench.synthetic.network import Scenario, generate
from varde.network.analysis import Analysis, analyse
from varde.network.attribution import parse_watchlist
from varde.network.cooperation import load_cooperation
from varde.network.graph import account_id
from varde.network.resolve import Judgement


def attribution_scores(analysis: Analysis, scenario: Scenario) -> tuple[float, float]:
    tp = fp = fn = 0
    for order, network in scenario.truth.order_network.items():
        best = analysis.attribution.best(order)
        predicted = best.network if best else None
        if predicted is not None:
            tp += predicted == network
            fp += predicted != network
        if network is not None and predicted != network:
            fn += 1
    return tp / max(tp + fp, 1), tp / max(tp + fn, 1)


def person_of(analysis: Analysis, scenario: Scenario, actor: str) -> str | None:
    found = Counter(scenario.truth.actor_of.get(m) for m in analysis.resolution.members.get(actor, []))
    return found.most_common(1)[0][0] if found else None


def test_attribution_precision_and_recall(analysis: Analysis, scenario: Scenario) -> None:
    precision, recall = attribution_scores(analysis, scenario)
    assert precision >= 0.9 and recall >= 0.9, (precision, recall)


@pytest.mark.parametrize("seed", [2, 3])
def test_attribution_holds_on_other_seeds(seed: int) -> None:
    scenario = generate(seed)
    found = analyse(
        scenario.posts,
        watchlist=parse_watchlist(scenario.watchlist),
        cooperation=load_cooperation(),
        with_clusters=False,
    )
    precision, recall = attribution_scores(found, scenario)
    assert precision >= 0.9 and recall >= 0.9, (precision, recall)


def test_true_backmen_top_the_ranking(analysis: Analysis, scenario: Scenario) -> None:
    truth = scenario.truth
    bosses = {p for p, r in truth.role.items() if r == "boss"}
    # Backmen who had at least one ad in the generated period (a recruiter may have drawn none).
    active = {
        truth.actor_of.get(account_id(p.platform, p.author))
        for p in scenario.posts
        if p.is_order and not p.forwarded_from and p.author
    }
    backmen = truth.backmen() & active
    ranked = [person_of(analysis, scenario, b.actor) for b in analysis.backmen]
    assert set(ranked[: len(bosses)]) == bosses
    # Recruiters with a single ad may rank below a freelancer with two: that is what the data says. So: most of
    # the top |backmen| are true backmen, and every true backman is within twice that.
    top = ranked[: len(backmen)]
    assert sum(p in backmen for p in top) / len(top) >= 0.8
    assert backmen <= set(ranked[: 2 * len(backmen)])
    # No noise account or volunteer ranks as a backman at all.
    assert not [p for p in ranked if truth.role.get(p) in ("noise", "volunteer")]


def test_aliases_are_resolved_without_false_merges(analysis: Analysis, scenario: Scenario) -> None:
    truth = scenario.truth
    good = sum(truth.actor_of.get(p.a) == truth.actor_of.get(p.b) is not None for p in analysis.resolution.proposals)
    assert good / len(analysis.resolution.proposals) >= 0.95
    split = 0
    for person, role in truth.role.items():
        if role in ("boss", "recruiter"):
            ids = [e for e, p in truth.actor_of.items() if p == person and e in analysis.graph.entities]
            split += len({analysis.resolution.actor(i) for i in ids}) > 1
    assert split <= 1


def test_backmen_carry_country_and_route(analysis: Analysis) -> None:
    for backman in analysis.backmen[:5]:
        assert backman.route.route in (
            "domestic",
            "nordic_arrest_warrant",
            "eu_surrender_agreement",
            "extradition_convention",
            "bilateral_treaty",
            "none_known",
            "unknown",
        )
        if backman.country is not None:
            assert backman.country_basis
            assert backman.route.sources or backman.route.route == "unknown"


def test_unknown_clusters_surface_the_unlisted_networks(analysis: Analysis, scenario: Scenario) -> None:
    unknown_orders = {
        o for o, n in scenario.truth.order_network.items() if n is None and "-o" in o and not o.startswith("order:free")
    }
    in_unknown = {o for c in analysis.clusters if c.unknown for o in c.orders}
    assert len(unknown_orders & in_unknown) / len(unknown_orders) >= 0.7
    for cluster in analysis.clusters:
        if cluster.network is not None:
            assert cluster.network in scenario.truth.known_networks


def test_judgements_are_respected_by_a_later_run(scenario: Scenario) -> None:
    watchlist, table = parse_watchlist(scenario.watchlist), load_cooperation()
    first = analyse(scenario.posts, watchlist=watchlist, cooperation=table, with_clusters=False)
    rejected = [Judgement(p.a, p.b, False, "analyst says no") for p in first.resolution.proposals[:10]]
    second = analyse(scenario.posts, judgements=rejected, watchlist=watchlist, cooperation=table, with_clusters=False)
    for judgement in rejected:
        assert not second.resolution.same_actor(judgement.a, judgement.b)
