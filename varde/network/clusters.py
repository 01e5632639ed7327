"""Unknown clusters: Leiden community detection on accounts, identifiers and orders, to surface groups that belong
together but match no known network.

Channels are left out (a big public group would glue everyone together); actors from `resolve` are contracted to
one node each first, so the aliases of one person always fall in one cluster. Deterministic for a given seed."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from varde.network.attribution import Attribution
from varde.network.graph import (
    CONTACT_IN_AD,
    FORWARDED_FROM,
    IDENTITY_KINDS,
    ORDER,
    POSTED,
    REPLIED_TO,
    Graph,
)
from varde.network.resolve import Resolution

MIN_SIZE = 3
LINK_TYPES = (POSTED, CONTACT_IN_AD, REPLIED_TO, FORWARDED_FROM)


@dataclass(frozen=True, slots=True)
class Cluster:
    id: int
    actors: tuple[str, ...]
    orders: tuple[str, ...]
    network: str | None  # the known network most of its attributed orders belong to, or None (unknown)
    share: float  # the share of its orders attributed to that network

    @property
    def unknown(self) -> bool:
        return self.network is None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "actors": list(self.actors),
            "orders": list(self.orders),
            "network": self.network,
            "share": round(self.share, 3),
            "unknown": self.unknown,
        }


def clusters(
    graph: Graph,
    resolution: Resolution,
    attribution: Attribution,
    *,
    seed: int = 7,
    min_size: int = MIN_SIZE,
    known_share: float = 0.5,
) -> list[Cluster]:
    """Communities of at least `min_size` nodes (actors and orders) holding at least one order, largest first."""
    import igraph
    import leidenalg

    def node_of(entity_id: str) -> str | None:
        kind = graph.entities[entity_id].kind
        if kind == ORDER:
            return entity_id
        if kind in IDENTITY_KINDS:
            return resolution.actor(entity_id)
        return None

    weights: dict[tuple[str, str], float] = defaultdict(float)
    for (source, target, type_), edge in graph.edges.items():
        if type_ not in LINK_TYPES:
            continue
        a, b = node_of(source), node_of(target)
        if a is None or b is None or a == b:
            continue
        weights[(a, b) if a < b else (b, a)] += edge.weight
    nodes = sorted({n for key in weights for n in key})
    if not nodes:
        return []
    index = {n: i for i, n in enumerate(nodes)}
    g = igraph.Graph(n=len(nodes), edges=[(index[a], index[b]) for a, b in weights], directed=False)
    partition = leidenalg.find_partition(
        g, leidenalg.ModularityVertexPartition, weights=list(weights.values()), seed=seed
    )
    out: list[Cluster] = []
    for community in partition:
        names = [nodes[i] for i in community]
        orders = tuple(sorted(n for n in names if n.startswith("order:")))
        actors = tuple(sorted(n for n in names if not n.startswith("order:")))
        if len(names) < min_size or not orders:
            continue
        votes: Counter[str] = Counter()
        for order in orders:
            best = attribution.best(order)
            if best is not None:
                votes[best.network] += 1
        network, share = None, 0.0
        if votes:
            top, count = votes.most_common(1)[0]
            share = count / len(orders)
            if share >= known_share:
                network = top
        out.append(Cluster(0, actors, orders, network, share))
    out.sort(key=lambda c: (-(len(c.actors) + len(c.orders)), c.orders))
    return [Cluster(i + 1, c.actors, c.orders, c.network, c.share) for i, c in enumerate(out)]
