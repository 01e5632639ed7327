"""Attribution of orders and actors to known networks on a watchlist, with a confidence and the evidence path.

The watchlist (`data/watchlist.yaml`, or a supervisor's own file) lists networks with their indicators: handles,
phone numbers, wallets, e-mails, channels, phrases and emoji signatures. Attribution runs in three steps:

1. orders, on direct evidence: a contact in the ad or the poster is an indicator; the ad was posted in a listed
   channel; the text carries a listed phrase or emoji signature;
2. actors (see `resolve`): one of their identities is an indicator, or their ads carry indicators (each indicator
   counted once per actor, so one shared emoji on many ads stays weak);
3. orders again, through their actors: an ad posted by, or naming, an attributed actor.

Each piece of evidence has a weight; the confidence is the noisy-or 1 − Π(1 − w). Attributions below
`THRESHOLD` are dropped."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml

from varde.errors import ConfigError
from varde.network.graph import (
    CHANNEL,
    CONTACT_IN_AD,
    ORDER,
    POSTED,
    POSTED_IN,
    Graph,
    account_id,
    channel_id,
    contact_entity,
)
from varde.network.resolve import Resolution

THRESHOLD = 0.5

W_CONTACT = 0.9  # the ad names a listed handle, phone, wallet or e-mail
W_POSTER = 0.85  # a listed account posted the ad
W_CHANNEL = 0.4  # posted in a listed channel (channels are shared)
W_PHRASE = 0.45  # each listed phrase in the text
W_EMOJI = 0.3  # a listed emoji signature in the text
W_ACTOR_INDICATOR = 0.9  # one of the actor's identities is listed
W_INHERITED = 0.9  # an indicator on one of the actor's ads, counted once per indicator
W_VIA_ACTOR = 0.85  # an order by, or naming, an attributed actor (times the actor's confidence)


@dataclass(frozen=True, slots=True)
class Network:
    """A known network and its indicators (entity ids, lower-cased phrases, emoji)."""

    id: str
    name: str
    aliases: tuple[str, ...]
    country: str | None
    identities: frozenset[str]
    channels: frozenset[str]
    phrases: tuple[str, ...]
    emoji: tuple[str, ...]
    sources: tuple[str, ...]
    notes: str = ""

    @property
    def entity_id(self) -> str:
        return f"network:{self.id}"


@dataclass(frozen=True, slots=True)
class Watchlist:
    networks: tuple[Network, ...]

    def by_id(self, network_id: str) -> Network:
        for network in self.networks:
            if network.id == network_id:
                return network
        raise KeyError(network_id)


@dataclass(frozen=True, slots=True)
class Step:
    """One piece of evidence: what it is, its weight, and the path of entity ids from the subject to the indicator."""

    kind: str
    weight: float
    path: tuple[str, ...]
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "weight": round(self.weight, 3), "path": list(self.path), "detail": self.detail}


@dataclass(frozen=True, slots=True)
class Attributed:
    network: str
    confidence: float
    evidence: tuple[Step, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "network": self.network,
            "confidence": round(self.confidence, 4),
            "evidence": [s.to_dict() for s in self.evidence],
        }


@dataclass
class Attribution:
    """Attributions of orders (by order entity id) and actors (by actor id), best first."""

    orders: dict[str, list[Attributed]] = field(default_factory=dict)
    actors: dict[str, list[Attributed]] = field(default_factory=dict)

    def best(self, subject: str) -> Attributed | None:
        found = self.orders.get(subject) or self.actors.get(subject)
        return found[0] if found else None


# ------------------------------------------------------------------------------------------------- watchlist


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _identity(kind: str, value: str) -> str:
    """`telegram:@x` for handles; phones, wallets (`btc:…`) and e-mails by kind."""
    return contact_entity(kind, value)[0]


def parse_watchlist(data: Mapping[str, Any]) -> Watchlist:
    """A watchlist from its YAML structure; ConfigError naming the network for anything malformed."""
    networks = []
    for index, raw in enumerate(data.get("networks") or []):
        name = str(raw.get("name") or "")
        if not name:
            raise ConfigError(f"watchlist network #{index + 1} has no name")
        indicators = raw.get("indicators") or {}
        identities: set[str] = set()
        for handle in indicators.get("handles") or []:
            platform, sep, value = str(handle).partition(":")
            if not sep:
                raise ConfigError(f"watchlist {name}: handle {handle!r} must read platform:@handle")
            identities.add(account_id(platform, value))
        for phone in indicators.get("phones") or []:
            identities.add(_identity("phone", str(phone)))
        for email in indicators.get("emails") or []:
            identities.add(_identity("email", str(email)))
        for wallet in indicators.get("wallets") or []:
            kind, sep, value = str(wallet).partition(":")
            if not sep:
                raise ConfigError(f"watchlist {name}: wallet {wallet!r} must read btc:…, eth:… or xmr:…")
            identities.add(_identity(kind, value))
        channels = set()
        for channel in indicators.get("channels") or []:
            platform, sep, value = str(channel).partition(":")
            if not sep:
                raise ConfigError(f"watchlist {name}: channel {channel!r} must read platform:name")
            channels.add(channel_id(platform, value))
        country = raw.get("country")
        if country is not None and not (isinstance(country, str) and len(country) == 2):
            # YAML reads an unquoted NO as false.
            raise ConfigError(f"watchlist {name}: country {country!r} must be a quoted two-letter code")
        sources = tuple(str(s) for s in raw.get("sources") or [])
        if not sources:
            raise ConfigError(f"watchlist {name}: every network needs its sources")
        networks.append(
            Network(
                id=str(raw.get("id") or name).lower().replace(" ", "-"),
                name=name,
                aliases=tuple(str(a) for a in raw.get("aliases") or []),
                country=country.upper() if country else None,
                identities=frozenset(identities),
                channels=frozenset(channels),
                phrases=tuple(_fold(str(p)) for p in indicators.get("phrases") or [] if len(str(p)) >= 6),
                emoji=tuple(str(e) for e in indicators.get("emoji") or []),
                sources=sources,
                notes=str(raw.get("notes") or ""),
            )
        )
    return Watchlist(tuple(networks))


def load_watchlist(text: str | None = None) -> Watchlist:
    """The watchlist in `text` (YAML), or the example shipped with Varde."""
    if text is None:
        text = resources.files("varde.network").joinpath("data/watchlist.yaml").read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        raise ConfigError(f"watchlist is not valid YAML: {error}") from None
    return parse_watchlist(data)


# ------------------------------------------------------------------------------------------------- attribution


def _noisy_or(steps: Iterable[Step]) -> float:
    miss = 1.0
    for step in steps:
        miss *= 1.0 - step.weight
    return 1.0 - miss


def _collect(found: dict[str, list[Step]], threshold: float) -> list[Attributed]:
    out = [Attributed(n, _noisy_or(steps), tuple(sorted(steps, key=lambda s: -s.weight))) for n, steps in found.items()]
    return sorted((a for a in out if a.confidence >= threshold), key=lambda a: (-a.confidence, a.network))


def _direct(graph: Graph, order_id: str, watchlist: Watchlist) -> dict[str, list[Step]]:
    found: dict[str, list[Step]] = defaultdict(list)
    contacts = [e.target for e in graph.out_edges(order_id, CONTACT_IN_AD)]
    posters = [e.source for e in graph.in_edges(order_id, POSTED)]
    channels = [e.target for e in graph.out_edges(order_id, POSTED_IN)]
    text = _fold(str(graph.entities[order_id].attrs.get("text", "")))
    for network in watchlist.networks:
        for contact in contacts:
            if contact in network.identities:
                found[network.id].append(
                    Step(
                        "contact_listed",
                        W_CONTACT,
                        (order_id, contact, network.entity_id),
                        f"the ad names {graph.entities[contact].label}, listed for {network.name}",
                    )
                )
        for poster in posters:
            if poster in network.identities:
                found[network.id].append(
                    Step(
                        "poster_listed",
                        W_POSTER,
                        (poster, order_id, network.entity_id),
                        f"posted by {graph.entities[poster].label}, listed for {network.name}",
                    )
                )
        for channel in channels:
            if channel in network.channels:
                found[network.id].append(
                    Step(
                        "channel_listed",
                        W_CHANNEL,
                        (order_id, channel, network.entity_id),
                        f"posted in {graph.entities[channel].label}, listed for {network.name}",
                    )
                )
        for phrase in network.phrases:
            if phrase in text:
                found[network.id].append(
                    Step(
                        "phrase",
                        W_PHRASE,
                        (order_id, network.entity_id),
                        f"the text has «{phrase}», a {network.name} signature",
                    )
                )
        emoji = [e for e in network.emoji if e in text]
        if emoji:
            found[network.id].append(
                Step(
                    "emoji",
                    W_EMOJI,
                    (order_id, network.entity_id),
                    f"the text has {''.join(emoji)}, a {network.name} signature",
                )
            )
    return found


def _order_actors(graph: Graph, order_id: str, resolution: Resolution) -> set[str]:
    ids = [e.target for e in graph.out_edges(order_id, CONTACT_IN_AD)]
    ids += [e.source for e in graph.in_edges(order_id, POSTED)]
    return {resolution.actor(i) for i in ids if graph.entities.get(i) is None or graph.entities[i].kind != CHANNEL}


def attribute(
    graph: Graph, watchlist: Watchlist, resolution: Resolution, *, threshold: float = THRESHOLD
) -> Attribution:
    """Attribute every order and actor of `graph` to the networks of `watchlist`."""
    orders = [e.id for e in graph.of_kind(ORDER)]
    direct = {order: _direct(graph, order, watchlist) for order in orders}
    names = {n.id: n.name for n in watchlist.networks}
    # Step 2: actors.
    actor_steps: dict[str, dict[str, list[Step]]] = defaultdict(lambda: defaultdict(list))
    for actor_id, members in resolution.members.items():
        for network in watchlist.networks:
            for member in members:
                if member in network.identities:
                    label = graph.entities[member].label if member in graph.entities else member
                    actor_steps[actor_id][network.id].append(
                        Step(
                            "identity_listed",
                            W_ACTOR_INDICATOR,
                            (actor_id, member, network.entity_id),
                            f"{label} is listed for {network.name}",
                        )
                    )
    # An actor inherits the indicators its orders carry, each indicator counted once (so one common emoji on many
    # ads stays weak), discounted since it is one step further away.
    inherited: dict[str, dict[tuple[str, str, str], Step]] = defaultdict(dict)
    for order in orders:
        for actor_id in _order_actors(graph, order, resolution):
            for network_id, steps in direct[order].items():
                for step in steps:
                    key = (
                        network_id,
                        step.kind,
                        step.detail.split(",")[0] if step.kind in ("phrase", "emoji") else step.path[-2],
                    )
                    weight = W_INHERITED * step.weight
                    if key not in inherited[actor_id] or inherited[actor_id][key].weight < weight:
                        inherited[actor_id][key] = Step(
                            f"order_{step.kind}",
                            weight,
                            (actor_id, order, *step.path[1:]),
                            f"their ad {graph.entities[order].label}: {step.detail}",
                        )
    for actor_id, found_steps in inherited.items():
        for (network_id, _, _), step in found_steps.items():
            actor_steps[actor_id][network_id].append(step)
    result = Attribution()
    for actor_id, found in actor_steps.items():
        attributed_actor = _collect(found, threshold)
        if attributed_actor:
            result.actors[actor_id] = attributed_actor
    # Step 3: orders through their actors.
    for order in orders:
        found = defaultdict(list, {k: list(v) for k, v in direct[order].items()})
        for actor_id in sorted(_order_actors(graph, order, resolution)):
            for attributed in result.actors.get(actor_id, []):
                if all(s.kind.startswith("order_") and s.path[1] == order for s in attributed.evidence):
                    continue  # the actor is attributed only because of this very order
                found[attributed.network].append(
                    Step(
                        "via_actor",
                        W_VIA_ACTOR * attributed.confidence,
                        (order, actor_id, f"network:{attributed.network}"),
                        f"posted by or naming {actor_id.removeprefix('actor:')}, "
                        f"attributed to {names[attributed.network]} ({attributed.confidence:.2f})",
                    )
                )
        attributed_order = _collect(found, threshold)
        if attributed_order:
            result.orders[order] = attributed_order
    return result
