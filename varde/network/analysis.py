"""One call that runs the whole network analysis on posts: graph → resolution → attribution → ranking → clusters.

    result = analyse(posts, judgements=stored, watchlist=load_watchlist(), cooperation=load_cooperation())
    result.backmen[0].to_dict(); result.entity_view("acct:telegram:nattjobb")

Pure: the callers (service, CLI, bench, tests) load the posts and judgements and decide what to show."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml

from varde.network.attribution import Attribution, Watchlist, attribute
from varde.network.clusters import Cluster, clusters
from varde.network.cooperation import CooperationTable
from varde.network.graph import Graph, PostFacts, add_same_as, build_graph, handle_key
from varde.network.ranking import Backman, rank_backmen
from varde.network.resolve import Judgement, Resolution, resolve


def volunteer_pattern() -> re.Pattern[str]:
    """Replies that volunteer for a job ("dm sendt", "jeg tar den"), from `data/replies.yaml`."""
    text = resources.files("varde.network").joinpath("data/replies.yaml").read_text(encoding="utf-8")
    phrases = [str(p) for p in (yaml.safe_load(text) or {}).get("volunteer") or []]
    return re.compile("|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True)), re.IGNORECASE)


@dataclass
class Analysis:
    graph: Graph
    resolution: Resolution
    attribution: Attribution
    backmen: list[Backman]
    clusters: list[Cluster] = field(default_factory=list)
    _handles: dict[str, list[str]] | None = field(default=None, repr=False, compare=False)
    _by_actor: dict[str, Backman] | None = field(default=None, repr=False, compare=False)

    def accounts_by_handle(self) -> dict[str, list[str]]:
        """Account ids by the handle key of their label (sorted), built once per analysis: finding `@x` in a graph of
        100,000 accounts is then a dictionary look-up, not a scan."""
        if self._handles is None:
            index: dict[str, list[str]] = {}
            for entity in self.graph.entities.values():
                if entity.kind == "account":
                    index.setdefault(handle_key(entity.label), []).append(entity.id)
            self._handles = {key: sorted(ids) for key, ids in index.items()}
        return self._handles

    def backman_of(self, entity_id: str) -> Backman | None:
        if self._by_actor is None:  # once per analysis: a dictionary, not a scan of every backman per look-up
            self._by_actor = {}
            for backman in self.backmen:
                self._by_actor.setdefault(backman.actor, backman)
        return self._by_actor.get(self.resolution.actor(entity_id))

    def entity_view(self, entity_id: str, *, depth: int = 1) -> dict[str, Any]:
        """An entity with its edges, actor, links with evidence, attributions and backman figures (JSON-ready)."""
        entity = self.graph.entities[entity_id]
        actor = self.resolution.actor(entity_id)
        backman = self.backman_of(entity_id)
        attributed = self.attribution.orders.get(entity_id) or self.attribution.actors.get(actor) or []
        neighbourhood = self.graph.neighbourhood(entity_id, depth=depth, limit=200)
        return {
            "entity": entity.to_dict(),
            "actor": actor,
            "actor_members": self.resolution.members.get(actor, [entity_id]),
            "links": [p.to_dict() for p in self.resolution.links_of(entity_id)],
            "attribution": [a.to_dict() for a in attributed],
            "backman": backman.to_dict() if backman else None,
            "edges": [e.to_dict() for e in neighbourhood.edges.values()],
            "nodes": [e.to_dict() for e in neighbourhood.entities.values()],
        }


def analyse(
    posts: Sequence[PostFacts],
    *,
    judgements: Iterable[Judgement] = (),
    watchlist: Watchlist,
    cooperation: CooperationTable,
    countries: Mapping[str, str] | None = None,
    limit: int | None = 100,
    with_clusters: bool = True,
) -> Analysis:
    graph = build_graph(posts, volunteer=volunteer_pattern())
    resolution = resolve(graph, posts, judgements)
    for proposal in resolution.proposals:
        if proposal.a in graph.entities and proposal.b in graph.entities:
            add_same_as(graph, proposal.a, proposal.b, proposal.probability)
    attribution = attribute(graph, watchlist, resolution)
    backmen = rank_backmen(graph, resolution, attribution, watchlist, cooperation, countries=countries, limit=limit)
    found = clusters(graph, resolution, attribution) if with_clusters else []
    return Analysis(graph, resolution, attribution, backmen, found)
