"""Entity resolution: which accounts, phone numbers, wallets and e-mails belong to the same actor.

Candidate pairs come from blocking (shared identifiers, announced contacts, handle skeletons, rare shared phrases,
posts in the same minute), never from all pairs, so it scales to hundreds of thousands of accounts. Each piece of
evidence carries a likelihood ratio; the match probability is the prior odds times their product (naive Bayes),
turned back into a probability:

| evidence | strength | why |
|---|---|---|
| announced_in_ad: an account posts an ad naming this contact | strong | the poster speaks for the contact |
| announced_together: two contacts named in one ad | strong | one ad, one way to reach one actor |
| shared_phone, shared_wallet, shared_email: two accounts announce it | strong | an identifier is personal |
| similar_handle: same skeleton (`natt.jobb` ~ `nattjobb_`) | weak | aliases re-use names, so do strangers |
| shared_phrasing: rare word sequences both use | weak | writing style, but ads get copied |
| co_posting: posting within the same two minutes again and again | weak | cross-posting by one person, or chance |

The ratio of an announcement shrinks with the number of accounts that announce the same contact, since a contact
re-posted by many spreaders says less about each; only an ad's first posters count as announcing it, and brokers
(posters naming five or more different contacts) announce nobody.

Analysts' judgements win over all of it: `same` links are applied first, `not same` pairs become cannot-link
constraints between whole groups, and proposals are accepted greedily, best first, only where they join no two
groups that a judgement keeps apart. So a rejected link is never proposed again, directly or through a chain of
same-as links."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from difflib import SequenceMatcher
from itertools import combinations
from typing import Any

from varde.network.graph import (
    ACCOUNT,
    CONTACT_IN_AD,
    EMAIL,
    IDENTITY_KINDS,
    ORDER,
    PHONE,
    POSTED,
    WALLET,
    Graph,
    PostFacts,
    author_entity_id,
    handle_key,
)

PRIOR_ODDS = 1 / 20  # of two blocked candidates being one actor, before any evidence
THRESHOLD = 0.5  # proposals at or above this probability are accepted (and grouped into actors)

STRONG = "strong"
WEAK = "weak"

# Likelihood ratios (see the module docstring for the reasoning; tuned on no evaluation data).
LR_ANNOUNCED = 200.0
LR_TOGETHER = 100.0
LR_SHARED_ID = 150.0
LR_HANDLE_IDENTICAL = 25.0  # the same handle, 8+ letters, on two platforms
LR_HANDLE_LONG = 10.0  # skeleton of 8+ characters
LR_HANDLE_SHORT = 4.0
LR_PHRASE_EACH = 2.5
LR_PHRASE_MAX = 12.0
LR_COPOST_EACH = 1.6
LR_COPOST_MAX = 8.0

HANDLE_MIN = 5  # shorter skeletons are too common to mean anything
HANDLE_BLOCK_MAX = 25  # a skeleton shared by more accounts is a common name, not an alias
PHRASE_N = 4  # words per phrase shingle
PHRASE_MAX_ACCOUNTS = 3  # a phrase used by more accounts is common, not a style marker
PHRASE_MIN_SHARED = 2
COPOST_WINDOW_S = 120
COPOST_BLOCK_MAX = 8
COPOST_MIN = 3
ANNOUNCERS_MAX = 50  # contacts announced by more accounts are public lines (ignored)
FIRST_POST_S = 30 * 60  # posters of an ad within this time of its first post are credited with announcing it
BROKER_MIN = 5  # a poster naming this many different contacts is a broker, not their alias


@dataclass(frozen=True, slots=True)
class Evidence:
    kind: str
    strength: str
    detail: str
    ratio: float

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "strength": self.strength, "detail": self.detail, "ratio": round(self.ratio, 3)}


@dataclass(frozen=True, slots=True)
class Proposal:
    """A proposed same-as link with its match probability and evidence; `confirmed` when an analyst said so."""

    a: str
    b: str
    probability: float
    evidence: tuple[Evidence, ...]
    confirmed: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "probability": round(self.probability, 4),
            "confirmed": self.confirmed,
            "evidence": [e.to_dict() for e in self.evidence],
        }


@dataclass(frozen=True, slots=True)
class Judgement:
    """An analyst's decision on a pair: `same` True (same actor) or False (not the same)."""

    a: str
    b: str
    same: bool
    reason: str = ""
    actor: str = ""
    at: datetime | None = None


@dataclass
class Resolution:
    """Accepted links, the actor of every identity, and the members of every actor."""

    proposals: list[Proposal]
    actor_of: dict[str, str]
    members: dict[str, list[str]]
    blocked: list[tuple[str, str]] = field(default_factory=list)  # candidate pairs a judgement kept apart
    conflicts: list[Judgement] = field(default_factory=list)  # `same` judgements that contradict a `not same`

    def actor(self, entity_id: str) -> str:
        return self.actor_of.get(entity_id, entity_id)

    def same_actor(self, a: str, b: str) -> bool:
        return self.actor(a) == self.actor(b)

    def links_of(self, entity_id: str) -> list[Proposal]:
        return [p for p in self.proposals if entity_id in (p.a, p.b)]


def pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


# ------------------------------------------------------------------------------------------------- evidence

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_SKELETON_STRIP = re.compile(r"[^a-z0-9æøåäöü]+")


def handle_skeleton(label: str) -> str:
    """A handle stripped to its letters: lower case, no separators, no trailing digits (`Natt.Jobb_99` → nattjobb)."""
    text = unicodedata.normalize("NFKC", label).lower().lstrip("@")
    text = _SKELETON_STRIP.sub("", text)
    return text.rstrip("0123456789")


def _shingles(text: str) -> set[str]:
    words = _WORD.findall(unicodedata.normalize("NFKC", text).casefold())
    return {" ".join(words[i : i + PHRASE_N]) for i in range(len(words) - PHRASE_N + 1)}


class _Collector:
    def __init__(self) -> None:
        self.items: dict[tuple[str, str], dict[str, list[Evidence]]] = defaultdict(lambda: defaultdict(list))

    def add(self, a: str, b: str, evidence: Evidence) -> None:
        if a != b:
            self.items[pair(a, b)][evidence.kind].append(evidence)


def _announcements(graph: Graph, out: _Collector) -> None:
    """Who speaks for which contact. Only an ad's first posters (within `FIRST_POST_S` of its first post: the
    commissioner cross-posting) are credited; later re-posts by other accounts are spreading, not announcing.
    A poster naming many different contacts is a broker: no announcement evidence from them, so one broker does
    not glue all their clients into one actor."""
    announcers: dict[str, set[str]] = defaultdict(set)
    announced: dict[str, set[str]] = defaultdict(set)
    for order in graph.of_kind(ORDER):
        contacts = [
            e.target
            for e in graph.out_edges(order.id, CONTACT_IN_AD)
            if graph.entities[e.target].kind in IDENTITY_KINDS
        ]
        posted = [e for e in graph.in_edges(order.id, POSTED) if graph.entities[e.source].kind == ACCOUNT]
        starts = [e.first_seen for e in posted if e.first_seen is not None]
        first = min(starts) if starts else None
        for edge in posted:
            early = (
                first is None or edge.first_seen is None or (edge.first_seen - first).total_seconds() <= FIRST_POST_S
            )
            for contact in contacts:
                if early and edge.source != contact:
                    announcers[contact].add(edge.source)
                    announced[edge.source].add(contact)
        if 1 < len(contacts) <= 6:
            for a, b in combinations(sorted(set(contacts)), 2):
                out.add(
                    a, b, Evidence("announced_together", STRONG, f"both named in the ad {order.label}", LR_TOGETHER)
                )
    # Count per handle, over all platforms: @x on Telegram and @x on TikTok naming 3 contacts each is one broker.
    by_handle: dict[str, set[str]] = defaultdict(set)
    for poster, named in announced.items():
        by_handle[handle_key(graph.entities[poster].label)] |= named
    brokers = {p for p in announced if len(by_handle[handle_key(graph.entities[p].label)]) >= BROKER_MIN}
    for contact, announced_by in announcers.items():
        credited = announced_by - brokers
        n = len(announced_by)
        if n > ANNOUNCERS_MAX or not credited:
            continue
        ratio = max(LR_ANNOUNCED / n, 3.0)
        label = graph.entities[contact].label
        for poster in credited:
            out.add(poster, contact, Evidence("announced_in_ad", STRONG, f"posts ads naming {label}", ratio))
        kind = graph.entities[contact].kind
        if kind in (PHONE, WALLET, EMAIL) and 1 < len(credited) <= 10:
            name = {PHONE: "shared_phone", WALLET: "shared_wallet", EMAIL: "shared_email"}[kind]
            for a, b in combinations(sorted(credited), 2):
                out.add(a, b, Evidence(name, STRONG, f"both announce {label}", LR_SHARED_ID / math.sqrt(n - 1)))


def _similar_handles(graph: Graph, out: _Collector) -> None:
    blocks: dict[str, list[str]] = defaultdict(list)
    for entity in graph.of_kind(ACCOUNT):
        skeleton = handle_skeleton(entity.label)
        if len(skeleton) >= HANDLE_MIN:
            blocks[skeleton].append(entity.id)
    for skeleton, ids in blocks.items():
        if not 1 < len(ids) <= HANDLE_BLOCK_MAX:
            continue
        for a, b in combinations(sorted(ids), 2):
            la, lb = graph.entities[a].label.lower().lstrip("@"), graph.entities[b].label.lower().lstrip("@")
            similarity = SequenceMatcher(None, la, lb).ratio()
            base = LR_HANDLE_LONG if len(skeleton) >= 8 else LR_HANDLE_SHORT
            if la == lb and len(skeleton) >= 8:
                base = LR_HANDLE_IDENTICAL  # the very same long handle on two platforms
            detail = f"handles {graph.entities[a].label} and {graph.entities[b].label} (similarity {similarity:.2f})"
            out.add(a, b, Evidence("similar_handle", WEAK, detail, max(1.0, base * similarity)))


def _shared_phrasing(posts: Sequence[PostFacts], out: _Collector) -> None:
    by_account: dict[str, set[str]] = defaultdict(set)
    for post in posts:
        author = author_entity_id(post)
        if author is None or post.forwarded_from or not post.text:
            continue
        by_account[author] |= _shingles(post.text)
    users: dict[str, list[str]] = defaultdict(list)
    for account, shingles in by_account.items():
        for shingle in shingles:
            users[shingle].append(account)
    shared: dict[tuple[str, str], list[str]] = defaultdict(list)
    for shingle, accounts in users.items():
        if 1 < len(accounts) <= PHRASE_MAX_ACCOUNTS:
            for a, b in combinations(sorted(accounts), 2):
                shared[(a, b)].append(shingle)
    for (a, b), phrases in shared.items():
        if len(phrases) >= PHRASE_MIN_SHARED:
            ratio = min(LR_PHRASE_EACH * len(phrases) / PHRASE_MIN_SHARED, LR_PHRASE_MAX)
            sample = "; ".join(f"«{p}»" for p in sorted(phrases)[:3])
            out.add(
                a, b, Evidence("shared_phrasing", WEAK, f"{len(phrases)} rare phrases in common, e.g. {sample}", ratio)
            )


def _co_posting(posts: Sequence[PostFacts], out: _Collector) -> None:
    windows: dict[int, set[str]] = defaultdict(set)
    for post in posts:
        author = author_entity_id(post)
        if author is not None and not post.reply_to and not post.forwarded_from:
            windows[int(post.created_at.timestamp()) // COPOST_WINDOW_S].add(author)
    together: Counter[tuple[str, str]] = Counter()
    for authors in windows.values():
        if 1 < len(authors) <= COPOST_BLOCK_MAX:
            for a, b in combinations(sorted(authors), 2):
                together[(a, b)] += 1
    for (a, b), n in together.items():
        if n >= COPOST_MIN:
            ratio = min(LR_COPOST_EACH ** (n - COPOST_MIN + 1), LR_COPOST_MAX)
            out.add(
                a,
                b,
                Evidence(
                    "co_posting", WEAK, f"posted within {COPOST_WINDOW_S // 60} minutes of each other {n} times", ratio
                ),
            )


def _score(evidence: dict[str, list[Evidence]]) -> tuple[float, tuple[Evidence, ...]]:
    """Combine the evidence of one pair: the best item of each kind, with a little more for repeats."""
    odds = PRIOR_ODDS
    listed: list[Evidence] = []
    for kind in sorted(evidence):
        items = sorted(evidence[kind], key=lambda e: -e.ratio)
        best = items[0]
        ratio = best.ratio * min(1.0 + 0.25 * (len(items) - 1), 2.0)
        odds *= ratio
        listed.append(
            Evidence(kind, best.strength, best.detail + (f" (+{len(items) - 1} more)" if len(items) > 1 else ""), ratio)
        )
    return odds / (1.0 + odds), tuple(listed)


def candidates(graph: Graph, posts: Sequence[PostFacts] = ()) -> list[Proposal]:
    """Every blocked candidate pair with its probability and evidence, most probable first."""
    out = _Collector()
    _announcements(graph, out)
    _similar_handles(graph, out)
    if posts:
        _shared_phrasing(posts, out)
        _co_posting(posts, out)
    proposals = []
    for (a, b), evidence in out.items.items():
        probability, listed = _score(evidence)
        proposals.append(Proposal(a, b, probability, listed))
    proposals.sort(key=lambda p: (-p.probability, p.a, p.b))
    return proposals


# ------------------------------------------------------------------------------------------------- constraints


class _Groups:
    """Union-find with cannot-link sets kept per group root."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}
        self.apart: dict[str, set[str]] = defaultdict(set)

    def find(self, x: str) -> str:
        root = x
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while self.parent.get(x, x) != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def kept_apart(self, a: str, b: str) -> bool:
        ra, rb = self.find(a), self.find(b)
        return any(self.find(x) == rb for x in self.apart.get(ra, ()))

    def separate(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        self.apart[ra].add(rb)
        self.apart[rb].add(ra)

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if rb < ra:
            ra, rb = rb, ra
        self.parent[rb] = ra
        moved = self.apart.pop(rb, set())
        self.apart[ra] |= moved
        for other in moved:
            peers = self.apart.get(self.find(other))
            if peers is not None:
                peers.add(ra)


def latest_judgements(judgements: Iterable[Judgement]) -> list[Judgement]:
    """One judgement per pair: the latest (by `at`, then by order given)."""
    latest: dict[tuple[str, str], Judgement] = {}
    for index, judgement in sorted(enumerate(judgements), key=lambda ij: (ij[1].at is not None, ij[1].at, ij[0])):
        del index
        latest[pair(judgement.a, judgement.b)] = judgement
    return list(latest.values())


def resolve(
    graph: Graph,
    posts: Sequence[PostFacts] = (),
    judgements: Iterable[Judgement] = (),
    *,
    threshold: float = THRESHOLD,
) -> Resolution:
    """Propose same-as links and group identities into actors, respecting analysts' judgements transitively."""
    current = latest_judgements(judgements)
    groups = _Groups()
    for judgement in current:
        if not judgement.same:
            groups.separate(judgement.a, judgement.b)
    accepted: list[Proposal] = []
    conflicts: list[Judgement] = []
    for judgement in current:
        if judgement.same:
            if groups.kept_apart(judgement.a, judgement.b):
                conflicts.append(judgement)
                continue
            groups.union(judgement.a, judgement.b)
            detail = f"confirmed by {judgement.actor or 'an analyst'}: {judgement.reason}".strip()
            accepted.append(
                Proposal(*pair(judgement.a, judgement.b), 1.0, (Evidence("analyst", STRONG, detail, math.inf),), True)
            )
    judged = {pair(j.a, j.b) for j in current}
    blocked: list[tuple[str, str]] = []
    for proposal in candidates(graph, posts):
        if proposal.probability < threshold:
            break
        key = (proposal.a, proposal.b)
        if key in judged or groups.find(proposal.a) == groups.find(proposal.b):
            continue
        if groups.kept_apart(proposal.a, proposal.b):
            blocked.append(key)
            continue
        groups.union(proposal.a, proposal.b)
        accepted.append(proposal)
    identities = [e.id for e in graph.entities.values() if e.kind in IDENTITY_KINDS]
    members: dict[str, list[str]] = defaultdict(list)
    for entity_id in identities:
        members[groups.find(entity_id)].append(entity_id)
    for proposal in accepted:  # judged entities that are not (or no longer) in the graph
        for entity_id in (proposal.a, proposal.b):
            if entity_id not in graph.entities:
                members[groups.find(entity_id)].append(entity_id)
    actor_of: dict[str, str] = {}
    named: dict[str, list[str]] = {}
    for _root, ids in members.items():
        ids = sorted(set(ids))
        actor_id = "actor:" + ids[0]
        named[actor_id] = ids
        for entity_id in ids:
            actor_of[entity_id] = actor_id
    return Resolution(accepted, actor_of, named, blocked, conflicts)
