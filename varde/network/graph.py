"""The entity graph: who posted which order where, which contacts the ads announce, who forwarded and who replied.

Built from `PostFacts` (a post plus the few fields of its record the graph needs), so it runs on posts read from
the store, on `Record`s from a pipeline run, or on a generated scenario alike. Pure: values in, values out.

    account ──posted──► order ──contact_in_ad──► account | phone | email | wallet | url
    order ──posted_in──► channel          account ──member_of──► channel
    account|channel ──forwarded_from──► account|channel
    account ──replied_to──► order | account    ("dm sendt" under an ad: a volunteer)
    account ──same_as── account           (analyst judgements and accepted resolution proposals)

Entity ids are readable and stable: `acct:telegram:nattjobb`, `phone:+46701234567`, `wallet:btc:bc1…`,
`email:x@y.z`, `chan:telegram:oslo jobb`, `order:o-3f9a1c`, `network:foxtrot`, `person:<analyst id>`.
Each edge keeps its weight (number of evidencing posts), first and last seen, and up to `MAX_EVIDENCE` post ids."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

# Entity kinds.
ACCOUNT = "account"
PHONE = "phone"
EMAIL = "email"
WALLET = "wallet"
URL = "url"
CHANNEL = "channel"
ORDER = "order"
CASE = "case"
NETWORK = "network"
PERSON = "person"
KINDS = (ACCOUNT, PHONE, EMAIL, WALLET, URL, CHANNEL, ORDER, CASE, NETWORK, PERSON)
# Kinds that identify an actor (what entity resolution links).
IDENTITY_KINDS = frozenset({ACCOUNT, PHONE, EMAIL, WALLET})

# Edge types.
POSTED = "posted"
CONTACT_IN_AD = "contact_in_ad"
POSTED_IN = "posted_in"
FORWARDED_FROM = "forwarded_from"
REPLIED_TO = "replied_to"
MEMBER_OF = "member_of"
SAME_AS = "same_as"
EDGE_TYPES = (POSTED, CONTACT_IN_AD, POSTED_IN, FORWARDED_FROM, REPLIED_TO, MEMBER_OF, SAME_AS)

MAX_EVIDENCE = 20  # post ids kept per edge; the weight still counts them all
MAX_TEXT = 2000  # characters of an order's first text kept on its entity

# Contact kinds (CONTRACT §2) that are accounts on a messaging platform of that name.
ACCOUNT_CONTACTS = frozenset({"telegram", "snapchat", "instagram", "signal", "threema", "wickr", "session"})
WALLET_CONTACTS = frozenset({"btc", "eth", "xmr"})


@dataclass(frozen=True, slots=True)
class PostFacts:
    """What the graph needs of one post and its analysis record."""

    id: str
    platform: str
    created_at: datetime
    text: str = ""
    author: str | None = None
    author_id: str | None = None
    channel: str | None = None
    forwarded_from: str | None = None
    reply_to: str | None = None
    is_order: bool = False
    order_id: str | None = None
    district: str | None = None
    contacts: tuple[tuple[str, str], ...] = ()  # (kind, value) as in CONTRACT §2


@dataclass(slots=True)
class Entity:
    id: str
    kind: str
    label: str
    platform: str | None = None
    attrs: dict[str, Any] = field(default_factory=dict)
    first_seen: datetime | None = None
    last_seen: datetime | None = None

    def seen(self, at: datetime) -> None:
        if self.first_seen is None or at < self.first_seen:
            self.first_seen = at
        if self.last_seen is None or at > self.last_seen:
            self.last_seen = at

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "label": self.label,
            "platform": self.platform,
            "attrs": dict(self.attrs),
            "first_seen": self.first_seen.isoformat() if self.first_seen else None,
            "last_seen": self.last_seen.isoformat() if self.last_seen else None,
        }


@dataclass(slots=True)
class Edge:
    source: str
    target: str
    type: str
    weight: float = 0.0
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    post_ids: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.source, self.target, self.type)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "target": self.target,
            "type": self.type,
            "weight": self.weight,
            "first_seen": self.first_seen.isoformat() if self.first_seen else None,
            "last_seen": self.last_seen.isoformat() if self.last_seen else None,
            "post_ids": list(self.post_ids),
        }


class Graph:
    """A directed multigraph (one edge per source, target and type) with adjacency in both directions."""

    def __init__(self) -> None:
        self.entities: dict[str, Entity] = {}
        self.edges: dict[tuple[str, str, str], Edge] = {}
        self._out: dict[str, list[tuple[str, str, str]]] = {}
        self._in: dict[str, list[tuple[str, str, str]]] = {}

    def __len__(self) -> int:
        return len(self.entities)

    def entity(
        self, entity_id: str, kind: str, label: str, platform: str | None = None, at: datetime | None = None
    ) -> Entity:
        """The entity with this id, created when new; `at` widens its first/last seen."""
        found = self.entities.get(entity_id)
        if found is None:
            found = Entity(entity_id, kind, label, platform)
            self.entities[entity_id] = found
        if at is not None:
            found.seen(at)
        return found

    def link(
        self,
        source: str,
        target: str,
        type_: str,
        *,
        post_id: str | None = None,
        at: datetime | None = None,
        weight: float = 1.0,
    ) -> Edge:
        """Add `weight` to the edge (created when new), with the evidencing post and when it was seen."""
        key = (source, target, type_)
        edge = self.edges.get(key)
        if edge is None:
            edge = Edge(source, target, type_)
            self.edges[key] = edge
            self._out.setdefault(source, []).append(key)
            self._in.setdefault(target, []).append(key)
        edge.weight += weight
        if at is not None:
            if edge.first_seen is None or at < edge.first_seen:
                edge.first_seen = at
            if edge.last_seen is None or at > edge.last_seen:
                edge.last_seen = at
        if post_id is not None and len(edge.post_ids) < MAX_EVIDENCE and post_id not in edge.post_ids:
            edge.post_ids.append(post_id)
        return edge

    def out_edges(self, entity_id: str, type_: str | None = None) -> Iterator[Edge]:
        for key in self._out.get(entity_id, ()):
            if type_ is None or key[2] == type_:
                yield self.edges[key]

    def in_edges(self, entity_id: str, type_: str | None = None) -> Iterator[Edge]:
        for key in self._in.get(entity_id, ()):
            if type_ is None or key[2] == type_:
                yield self.edges[key]

    def neighbours(self, entity_id: str) -> set[str]:
        return {e.target for e in self.out_edges(entity_id)} | {e.source for e in self.in_edges(entity_id)}

    def of_kind(self, kind: str) -> Iterator[Entity]:
        return (e for e in self.entities.values() if e.kind == kind)

    def neighbourhood(self, entity_id: str, depth: int = 1, limit: int = 500) -> Graph:
        """The subgraph within `depth` hops of `entity_id` (at most `limit` entities), for display and export."""
        keep = {entity_id}
        frontier = {entity_id}
        for _ in range(depth):
            nxt: set[str] = set()
            for node in sorted(frontier):
                for other in sorted(self.neighbours(node)):
                    if other not in keep and len(keep) + len(nxt) < limit:
                        nxt.add(other)
            keep |= nxt
            frontier = nxt
        return self.subgraph(keep)

    def subgraph(self, keep: Iterable[str]) -> Graph:
        wanted = sorted(set(keep))
        inside = set(wanted)
        sub = Graph()
        for entity_id in wanted:
            if entity_id in self.entities:
                sub.entities[entity_id] = self.entities[entity_id]
        # Through the kept entities' own edges, not all edges: a neighbourhood of a big graph stays cheap.
        for entity_id in wanted:
            for key in self._out.get(entity_id, ()):
                if key[1] in inside and key in self.edges:
                    sub.edges[key] = self.edges[key]
                    sub._out.setdefault(key[0], []).append(key)
                    sub._in.setdefault(key[1], []).append(key)
        return sub


# ------------------------------------------------------------------------------------------------- entity ids

_SPACE = re.compile(r"\s+")


def handle_key(handle: str) -> str:
    """A handle as compared: NFKC, lower case, no leading @ or surrounding space."""
    return unicodedata.normalize("NFKC", handle).strip().lstrip("@").strip().lower()


def account_id(platform: str, handle: str) -> str:
    return f"acct:{platform.lower()}:{handle_key(handle)}"


def channel_id(platform: str, name: str) -> str:
    return f"chan:{platform.lower()}:{_SPACE.sub(' ', unicodedata.normalize('NFKC', name).strip().lower())}"


def order_entity_id(order_id: str) -> str:
    return f"order:{order_id}"


def contact_entity(kind: str, value: str) -> tuple[str, str, str, str | None]:
    """(entity id, entity kind, label, platform) of a contact announced in an ad."""
    kind = kind.lower()
    value = value.strip()
    if kind in ACCOUNT_CONTACTS:
        label = value if value.startswith("@") or kind not in ("telegram", "instagram", "snapchat") else f"@{value}"
        return account_id(kind, value), ACCOUNT, label, kind
    if kind == "phone":
        digits = "+" + re.sub(r"\D", "", value) if value.startswith("+") else re.sub(r"\D", "", value)
        return f"phone:{digits}", PHONE, digits, None
    if kind == "email":
        return f"email:{value.lower()}", EMAIL, value.lower(), None
    if kind in WALLET_CONTACTS:
        # Ethereum addresses are case-insensitive (the case is only a checksum); the others are case-sensitive.
        addr = value.lower() if kind == "eth" else value
        return f"wallet:{kind}:{addr}", WALLET, addr, kind
    if kind == "url":
        return f"url:{value.lower()}", URL, value, None
    return f"contact:{kind}:{value.lower()}", URL, value, kind


_HANDLE = re.compile(r"@?[\w.\-]{1,64}")  # letters, digits, _ . - (no spaces, no emoji)


def is_display_name(author: str) -> bool:
    """True for an author that cannot be a handle ("Admin 🌙", "Ola Nordmann"): exports such as Telegram's write
    the display name as the author and the account in `from_id`."""
    text = author.strip()
    return not text.startswith("@") and _HANDLE.fullmatch(text) is None


def author_entity_id(post: PostFacts) -> str | None:
    """The account that wrote `post`: by handle; by platform id when the author is only a display name (a display
    name is not an identity: anyone may take it)."""
    if post.author and not (post.author_id and is_display_name(post.author)):
        return account_id(post.platform, post.author)
    if post.author_id:
        return f"acct:{post.platform.lower()}:id:{post.author_id}"
    return None


def _source_entity(graph: Graph, platform: str, name: str, at: datetime) -> str:
    """The entity a post was forwarded from: an account when it reads like a handle, else a channel."""
    if name.strip().startswith("@"):
        entity_id = account_id(platform, name)
        graph.entity(entity_id, ACCOUNT, name.strip(), platform, at)
        return entity_id
    entity_id = channel_id(platform, name)
    graph.entity(entity_id, CHANNEL, name.strip(), platform, at)
    return entity_id


# ------------------------------------------------------------------------------------------------- building


def build_graph(posts: Iterable[PostFacts], *, volunteer: re.Pattern[str] | None = None) -> Graph:
    """The entity graph of `posts` (any order). `volunteer` matches replies that volunteer for a job ("dm sendt");
    such replies to an order weigh 2, other replies 1."""
    items = posts if isinstance(posts, list) else list(posts)
    replied = {p.reply_to for p in items if p.reply_to}
    parents: dict[str, tuple[str | None, str | None]] = {}  # post id → (author entity, order id), replied-to only
    for post in items:
        if post.id in replied:
            parents[post.id] = (author_entity_id(post), post.order_id if post.is_order else None)
    graph = Graph()
    for post in items:
        add_post(graph, post, parents, volunteer)
    return graph


def add_post(
    graph: Graph,
    post: PostFacts,
    parents: dict[str, tuple[str | None, str | None]],
    volunteer: re.Pattern[str] | None = None,
) -> None:
    at = post.created_at
    author = author_entity_id(post)
    if author is not None:
        account = graph.entity(author, ACCOUNT, post.author or post.author_id or author, post.platform, at)
        if post.author_id and "author_id" not in account.attrs:
            account.attrs["author_id"] = post.author_id
        account.attrs["posts"] = int(account.attrs.get("posts", 0)) + 1
    channel = None
    if post.channel:
        channel = channel_id(post.platform, post.channel)
        graph.entity(channel, CHANNEL, post.channel, post.platform, at)
        if author is not None:
            graph.link(author, channel, MEMBER_OF, post_id=post.id, at=at)
    if post.forwarded_from:
        source = _source_entity(graph, post.platform, post.forwarded_from, at)
        forwarder = channel or author
        if forwarder is not None and forwarder != source:
            graph.link(forwarder, source, FORWARDED_FROM, post_id=post.id, at=at)
    if post.is_order and post.order_id:
        order = order_entity_id(post.order_id)
        entity = graph.entity(order, ORDER, post.order_id, None, at)
        if post.district and not entity.attrs.get("district"):
            entity.attrs["district"] = post.district
        entity.attrs["posts"] = int(entity.attrs.get("posts", 0)) + 1
        if "text" not in entity.attrs and not post.forwarded_from:
            entity.attrs["text"] = post.text[:MAX_TEXT]  # the ad as first posted: for phrase signatures
        if author is not None:
            # A forward shows who spread the ad, not who commissioned it.
            graph.link(author, order, FORWARDED_FROM if post.forwarded_from else POSTED, post_id=post.id, at=at)
        if channel is not None:
            graph.link(order, channel, POSTED_IN, post_id=post.id, at=at)
        for kind, value in post.contacts:
            contact, contact_kind, label, platform = contact_entity(kind, value)
            graph.entity(contact, contact_kind, label, platform, at)
            graph.link(order, contact, CONTACT_IN_AD, post_id=post.id, at=at)
    if post.reply_to and author is not None:
        parent_author, parent_order = parents.get(post.reply_to, (None, None))
        weight = 2.0 if volunteer is not None and volunteer.search(post.text) else 1.0
        if parent_order is not None:
            graph.link(author, order_entity_id(parent_order), REPLIED_TO, post_id=post.id, at=at, weight=weight)
        elif parent_author is not None and parent_author != author:
            graph.link(author, parent_author, REPLIED_TO, post_id=post.id, at=at, weight=weight)


def add_same_as(graph: Graph, a: str, b: str, probability: float) -> None:
    """Record a same-as link (confirmed or proposed) between two entities; its weight is the probability."""
    source, target = sorted((a, b))
    edge = graph.link(source, target, SAME_AS, weight=0.0)
    edge.weight = max(edge.weight, probability)
