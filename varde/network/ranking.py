"""Backmen ranking: the clients and recruiters behind the orders, most important first.

An actor (a group of identities from `resolve`) is a backman candidate when one of its identities posted an ad
(not a forward) or is named as the contact in one. Four measures, each scaled to [0, 1] over the candidates on a
log scale so that one prolific actor does not flatten the rest:

| measure | what it counts | weight |
|---|---|---|
| orders | distinct orders the actor posted or is the contact of | 0.35 |
| recruits | distinct other accounts that replied to those orders ("dm sendt" counts double in the edge weight) | 0.30 |
| reach | distinct channels the orders appeared in, plus forwards and re-posts by others | 0.20 |
| centrality | PageRank of the actor's identities in the graph of accounts, identifiers and orders | 0.15 |

Each backman comes with the networks it is attributed to, the country it is believed to be in (analyst note >
network country > phone-number country, with the basis stated) and the legal route from Norway to that country.
Where the route is unknown, `unresolved` says why and what would settle it (`UNRESOLVED`).

One backman is one actor, shown once: its identities are listed by handle (the same handle on seven platforms is
one line, `@ghost_ops` with its platforms), then phones, e-mails and wallets; an account known only by a display
name and a platform id (Telegram's "from"/"from_id") is shown as that name with its id, never as a handle."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from varde.network.attribution import Attribution, Watchlist
from varde.network.cooperation import CooperationTable, Route
from varde.network.graph import (
    ACCOUNT,
    CONTACT_IN_AD,
    FORWARDED_FROM,
    IDENTITY_KINDS,
    ORDER,
    POSTED,
    POSTED_IN,
    REPLIED_TO,
    SAME_AS,
    Graph,
)
from varde.network.resolve import Resolution

WEIGHTS = {"orders": 0.35, "recruits": 0.30, "reach": 0.20, "centrality": 0.15}
LABEL_IDENTITIES = 3  # identities named in a backman's label; the rest are counted

# Why a backman's legal route is unknown, and what would settle it (codes; the pages translate them).
NO_COUNTRY = "no_country"  # nothing places the actor: no analyst note, no attributed network with a country, no phone
COUNTRY_NOT_IN_TABLE = "country_not_in_table"  # a country, but the cooperation table has no route for it
UNRESOLVED = {
    NO_COUNTRY: (
        "no country: no analyst has recorded one, no attributed network has one, and none of its identities is a "
        "phone number",
        "link one of its accounts to a phone number it uses (varde network link A B --same), or attribute it to a "
        "network whose country is known (data/watchlist.yaml)",
    ),
    COUNTRY_NOT_IN_TABLE: (
        "the country has no entry in the cooperation table",
        "add the country, its route and a source to varde/network/data/cooperation.yaml",
    ),
}


@dataclass(frozen=True, slots=True)
class Identity:
    """One line of a backman's identities: a handle with the platforms it is used on, a display name with its
    platform id, or a phone, e-mail or wallet."""

    kind: str
    label: str
    platforms: tuple[str, ...] = ()
    members: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "label": self.label,
            "platforms": list(self.platforms),
            "members": list(self.members),
        }


def identities(graph: Graph, members: tuple[str, ...]) -> tuple[Identity, ...]:
    """`members` (entity ids) grouped so that each handle, display name or identifier appears once: accounts by
    handle (platforms merged), then the other identifiers; sorted for stable output. Pure."""
    handles: dict[str, tuple[set[str], list[str], set[str]]] = {}  # key → platforms, ids, first characters
    others: list[Identity] = []
    for member in members:
        entity = graph.entities.get(member)
        kind = entity.kind if entity is not None else member.split(":", 1)[0]
        if member.startswith("acct:"):
            _, platform, key = member.split(":", 2)
            if key.startswith("id:"):  # known by a display name and a platform id only
                name = entity.label if entity is not None else key
                others.append(Identity(ACCOUNT, f"{name} ({platform} id {key[3:]})", (platform,), (member,)))
                continue
            platforms, ids, written = handles.setdefault(key, (set(), [], set()))
            platforms.add(platform)
            ids.append(member)
            written.add((entity.label if entity is not None else key).strip()[:1])
        else:
            others.append(Identity(kind, entity.label if entity is not None else member, (), (member,)))
    # Handles are written with @ (as any of its accounts was); other account ids (a Session ID) as they are.
    grouped = [
        Identity(ACCOUNT, f"@{key}" if "@" in first else key, tuple(sorted(p)), tuple(sorted(i)))
        for key, (p, i, first) in handles.items()
    ]
    grouped.sort(key=lambda i: (-len(i.platforms), i.label))
    return tuple(grouped) + tuple(sorted(others, key=lambda i: (i.kind, i.label)))


def identity_label(found: tuple[Identity, ...]) -> str:
    """ "@ghost_ops", "@dm_meg_bror, @bror.jobb, +4798427163 +9": each identity once, the first few named."""
    label = ", ".join(i.label for i in found[:LABEL_IDENTITIES])
    if len(found) > LABEL_IDENTITIES:
        label += f" +{len(found) - LABEL_IDENTITIES}"
    return label


@dataclass(frozen=True, slots=True)
class Backman:
    actor: str
    label: str
    members: tuple[str, ...]
    orders: int
    recruits: int
    reach: int
    centrality: float
    score: float
    role: str  # client (posts ads), recruiter (named as contact), or both
    networks: tuple[tuple[str, float], ...]
    country: str | None
    country_basis: str
    route: Route
    identities: tuple[Identity, ...] = ()
    unresolved: str | None = None  # a key of UNRESOLVED when the route is unknown

    def to_dict(self) -> dict[str, Any]:
        why, settle = UNRESOLVED.get(self.unresolved or "", ("", ""))
        return {
            "actor": self.actor,
            "label": self.label,
            "members": list(self.members),
            "role": self.role,
            "score": round(self.score, 4),
            "orders": self.orders,
            "recruits": self.recruits,
            "reach": self.reach,
            "centrality": round(self.centrality, 6),
            "networks": [{"network": n, "confidence": round(c, 4)} for n, c in self.networks],
            "country": self.country,
            "country_basis": self.country_basis,
            "route": self.route.to_dict(),
            "identities": [i.to_dict() for i in self.identities],
            "unresolved": self.unresolved,
            "unresolved_why": why,
            "unresolved_fix": settle,
        }


def pagerank(graph: Graph) -> dict[str, float]:
    """PageRank over identities and orders (channels and cases left out: hubs that say little), undirected."""
    import igraph

    nodes = [e.id for e in graph.entities.values() if e.kind in IDENTITY_KINDS or e.kind == ORDER]
    if not nodes:
        return {}
    index = {node: i for i, node in enumerate(nodes)}
    pairs: list[tuple[int, int]] = []
    weights: list[float] = []
    for (source, target, type_), edge in graph.edges.items():
        if type_ in (POSTED, CONTACT_IN_AD, REPLIED_TO, SAME_AS, FORWARDED_FROM):
            i, j = index.get(source), index.get(target)
            if i is not None and j is not None and i != j:
                pairs.append((i, j))
                weights.append(max(edge.weight, 1e-6))
    g = igraph.Graph(n=len(nodes), edges=pairs, directed=False)
    ranks = g.pagerank(weights=weights if pairs else None)
    return {node: float(ranks[i]) for node, i in index.items()}


def _phone_country(number: str) -> str | None:
    import phonenumbers

    try:
        region = phonenumbers.region_code_for_number(phonenumbers.parse(number, None))
    except phonenumbers.NumberParseException:
        return None
    return region if region and region != "ZZ" else None


def _scale(values: Mapping[str, float]) -> dict[str, float]:
    top = max((math.log1p(v) for v in values.values()), default=0.0)
    return {k: (math.log1p(v) / top if top > 0 else 0.0) for k, v in values.items()}


def rank_backmen(
    graph: Graph,
    resolution: Resolution,
    attribution: Attribution,
    watchlist: Watchlist,
    cooperation: CooperationTable,
    *,
    countries: Mapping[str, str] | None = None,
    limit: int | None = 50,
) -> list[Backman]:
    """The backmen of `graph`, best first. `countries` maps an actor or identity id to a country an analyst
    recorded (it wins over every inferred one)."""
    orders_of: dict[str, set[str]] = defaultdict(set)
    roles: dict[str, set[str]] = defaultdict(set)
    for order in graph.of_kind(ORDER):
        for edge in graph.in_edges(order.id, POSTED):
            actor = resolution.actor(edge.source)
            orders_of[actor].add(order.id)
            roles[actor].add("client")
        for edge in graph.out_edges(order.id, CONTACT_IN_AD):
            if graph.entities[edge.target].kind in IDENTITY_KINDS:
                actor = resolution.actor(edge.target)
                orders_of[actor].add(order.id)
                roles[actor].add("recruiter")
    if not orders_of:
        return []
    ranks = pagerank(graph)
    raw: dict[str, dict[str, float]] = {m: {} for m in WEIGHTS}
    for actor, orders in orders_of.items():
        members: set[str] = set(resolution.members.get(actor, [actor.removeprefix("actor:")]))
        recruits: set[str] = set()
        channels: set[str] = set()
        spread = 0
        for order_id in orders:
            for edge in graph.in_edges(order_id, REPLIED_TO):
                if edge.source not in members:
                    recruits.add(edge.source)
            for edge in graph.out_edges(order_id, POSTED_IN):
                channels.add(edge.target)
            for edge in graph.in_edges(order_id):
                if edge.type in (POSTED, FORWARDED_FROM) and edge.source not in members:
                    spread += 1
        raw["orders"][actor] = float(len(orders))
        raw["recruits"][actor] = float(len(recruits))
        raw["reach"][actor] = float(len(channels) + spread)
        raw["centrality"][actor] = sum(ranks.get(m, 0.0) for m in members) * 1000.0
    scaled = {m: _scale(values) for m, values in raw.items()}
    names = {n.id: n for n in watchlist.networks}
    countries = countries or {}
    out: list[Backman] = []
    for actor in orders_of:
        listed = tuple(sorted(resolution.members.get(actor, [actor.removeprefix("actor:")])))
        score = sum(WEIGHTS[m] * scaled[m][actor] for m in WEIGHTS)
        attributed = attribution.actors.get(actor, [])
        networks = tuple((names[a.network].name if a.network in names else a.network, a.confidence) for a in attributed)
        country, basis = _country(actor, listed, attributed, names, countries)
        role = "client and recruiter" if len(roles[actor]) == 2 else next(iter(roles[actor]))
        found = identities(graph, listed)
        route = cooperation.route(country)
        unresolved = None
        if route.route == "unknown":
            unresolved = NO_COUNTRY if country is None else COUNTRY_NOT_IN_TABLE
        out.append(
            Backman(
                actor=actor,
                label=identity_label(found),
                members=listed,
                orders=int(raw["orders"][actor]),
                recruits=int(raw["recruits"][actor]),
                reach=int(raw["reach"][actor]),
                centrality=raw["centrality"][actor] / 1000.0,
                score=score,
                role=role,
                networks=networks,
                country=country,
                country_basis=basis,
                route=route,
                identities=found,
                unresolved=unresolved,
            )
        )
    out.sort(key=lambda b: (-b.score, b.actor))
    return out[:limit] if limit is not None else out


def _country(
    actor: str,
    members: tuple[str, ...],
    attributed: list[Any],
    networks: Mapping[str, Any],
    countries: Mapping[str, str],
) -> tuple[str | None, str]:
    for key in (actor, *members):
        if key in countries:
            return countries[key].upper(), f"recorded by an analyst for {key}"
    for found in attributed:
        network = networks.get(found.network)
        if network is not None and network.country:
            return str(network.country), f"country of the attributed network {network.name}"
    for member in members:
        if member.startswith("phone:"):
            region = _phone_country(member.removeprefix("phone:"))
            if region:
                return region, f"country code of {member.removeprefix('phone:')} (a phone may travel)"
    return None, "no indication"
