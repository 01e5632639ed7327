"""`NetworkService`: the store edge of the network analysis, for the CLI and the JSON API.

Loads posts and records from the store (only what the acting user may see), runs the pure analysis
(`varde.network.analysis.analyse`), stores analysts' same/not-same judgements, and writes an audit event for every
read, judgement, export and build through `varde.cases.audit`, in the same transaction. Who may do what is decided
by `varde.cases.access` (never re-implemented here):

- reading the network (backmen, show, build) needs `case.read`; district-bound users (investigators) see only the
  orders of their districts (by the case's district, else the order's), the posts that advertise them and the
  replies to those posts — nothing else;
- judging a link needs `case.change`, and both entities must exist in the network the actor may see (for
  investigators: reached through the cases of their districts) — an unknown or hidden entity is "not found",
  audited as a refusal; exporting needs `case.export` (with the same district scope).

    service = NetworkService(store)
    kari = AccountService(store).actor("kari")
    service.backmen(kari)[0].to_dict()
    service.link(kari, "acct:x:kro_jobb", "acct:telegram:krojobb", same=False, reason="different phones")
"""

from __future__ import annotations

import dataclasses
import json
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, delete, func, insert, select

from varde import heap
from varde.cases import access
from varde.cases.access import Actor
from varde.cases.guarded import Guarded
from varde.errors import AccessDenied, ConfigError, InputError, NotFound
from varde.network.analysis import Analysis, analyse
from varde.network.attribution import Watchlist, load_watchlist
from varde.network.cooperation import CooperationTable, load_cooperation
from varde.network.exports import (
    ftm_entities,
    ftm_lines,
    stix_bundle,
    validate_ftm,
    validate_stix,
    write_gexf,
    write_graphml,
)
from varde.network.graph import IDENTITY_KINDS, PostFacts, handle_key
from varde.network.ranking import Backman
from varde.network.resolve import Judgement, pair
from varde.store.case_tables import case_tags, cases
from varde.store.database import Store
from varde.store.network_tables import entities, entity_edges, entity_links
from varde.store.tables import orders, posts, records

T = TypeVar("T")
log = logging.getLogger(__name__)

SAME = "same"
NOT_SAME = "not_same"
EXPORT_FORMATS = ("ftm", "stix", "graphml", "gexf")
IDENTITY_PREFIXES = ("acct:", "phone:", "email:", "wallet:")


@dataclass(frozen=True, slots=True)
class StoredJudgement:
    id: int
    a: str
    b: str
    judgement: str
    reason: str
    actor: str
    at: datetime

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self) | {"at": self.at.isoformat()}


@dataclass(frozen=True, slots=True)
class Freshness:
    """How current the analysis behind a read is: built at `as_of`; `updating` when the data changed since and a
    rebuild runs in the background (the read was served from the previous analysis)."""

    as_of: datetime
    updating: bool


class AnalysisPending(Exception):
    """No analysis of this scope exists yet and building it takes a while: it is being built in the background."""


class NetworkService(Guarded):
    """Stale-while-revalidate for the web page (`stale_ok=True`): on a big store (`SYNC_BELOW` posts or more) a data
    change starts one background rebuild per district scope and reads are served from the previous analysis meanwhile
    (see `served()`); with no analysis yet, `AnalysisPending`. Every other read computes (or waits for) the current
    analysis, as before."""

    def __init__(
        self,
        store: Store,
        *,
        watchlist: Watchlist | None = None,
        cooperation: CooperationTable | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(store, clock=clock)
        self.watchlist = watchlist or load_watchlist()
        self.cooperation = cooperation or load_cooperation()
        self.before_rebuild: Callable[[], None] | None = None  # called in the background thread first (tests hold it)
        self._served = threading.local()

    # --- loading

    def _facts(self, conn: Connection, actor: Actor) -> list[PostFacts]:
        scope = access.case_scope(actor)  # AccessDenied for roles that see no cases
        rows = conn.execute(
            select(
                posts.c.id,
                posts.c.platform,
                posts.c.created_at,
                posts.c.text,
                posts.c.author,
                posts.c.author_id,
                posts.c.channel,
                posts.c.forwarded_from,
                posts.c.reply_to,
                records.c.is_order,
                records.c.order_id,
                records.c.district,
                records.c.data,
            ).outerjoin(records, records.c.post_id == posts.c.id)
        ).all()
        facts = [_fact(r) for r in rows]
        if scope is None:
            return facts
        district_of = {str(i): d for i, d in conn.execute(select(orders.c.id, orders.c.district)).all()}
        district_of.update(
            {str(i): d for i, d in conn.execute(select(cases.c.order_id, cases.c.district)).all() if i is not None}
        )
        keep = {f.id for f in facts if f.is_order and f.order_id and district_of.get(f.order_id) in scope}
        return [f for f in facts if f.id in keep or (f.reply_to in keep and not f.is_order)]

    def judgements(self, conn: Connection) -> list[StoredJudgement]:
        rows = conn.execute(select(entity_links).order_by(entity_links.c.id)).all()
        return [StoredJudgement(int(r.id), r.a, r.b, r.judgement, r.reason, r.actor, r.at) for r in rows]

    def _slot(self, actor: Actor, clusters: bool) -> _Slot:
        scope = access.case_scope(actor)
        key = (
            self.store.engine.url.render_as_string(hide_password=True),
            tuple(sorted(scope)) if scope is not None else None,
            clusters,
            hash(self.watchlist),
            id(self.cooperation),
        )
        with _CACHE_LOCK:
            slot = _CACHE.get(key)
            if slot is None:
                slot = _CACHE[key] = _Slot()
            _CACHE.move_to_end(key)
            while len(_CACHE) > CACHE_SIZE:
                _CACHE.popitem(last=False)
            return slot

    def _analysis(self, conn: Connection, actor: Actor, *, clusters: bool = False, stale_ok: bool = False) -> Analysis:
        """The analysis of what `actor` may see (one cache slot per district scope, so a stale analysis holds only
        that scope's data); reused while nothing it depends on has changed (the web page asks for a neighbourhood and
        the backmen in one request, and the analysis takes seconds on big stores). `stale_ok`: see the class."""
        slot = self._slot(actor, clusters)
        fingerprint = _fingerprint(conn)
        current = slot.entry
        if current is not None and current.fingerprint == fingerprint:
            return self._serve(current, updating=False)
        if stale_ok and fingerprint[0] >= SYNC_BELOW:
            self._rebuild_in_background(slot, actor, clusters)
            if current is None:
                raise AnalysisPending("the network analysis is being prepared")
            return self._serve(current, updating=True)
        with slot.build:  # one build per scope at a time: a running background rebuild finishes first
            current = slot.entry
            if current is None or current.fingerprint != fingerprint:
                read_at = self.now()  # the data as of the read's start
                current = slot.entry = _Entry(fingerprint, self._compute(conn, actor, clusters=clusters), read_at)
        return self._serve(current, updating=False)

    def _serve(self, entry: _Entry, *, updating: bool) -> Analysis:
        self._served.value = Freshness(entry.built_at, updating)
        return entry.analysis

    def served(self) -> Freshness | None:
        """The freshness of the analysis the last read on this thread was served from."""
        value: Freshness | None = getattr(self._served, "value", None)
        return value

    def _rebuild_in_background(self, slot: _Slot, actor: Actor, clusters: bool) -> bool:
        """Start rebuilding `slot` in a thread unless a build of it runs already; whether one was started."""
        if not slot.build.acquire(blocking=False):
            return False

        def rebuild() -> None:
            try:
                if self.before_rebuild is not None:
                    self.before_rebuild()
                self._build_slot(slot, actor, clusters)
            except Exception:  # a background thread has nobody to raise to; the next read tries again
                log.exception("network analysis rebuild failed")
            finally:
                slot.build.release()

        threading.Thread(target=rebuild, name="varde-network-rebuild", daemon=True).start()
        return True

    def _build_slot(self, slot: _Slot, actor: Actor, clusters: bool) -> None:
        with self.store.begin() as conn:
            fingerprint = _fingerprint(conn)
            if slot.entry is None or slot.entry.fingerprint != fingerprint:
                read_at = self.now()  # the data as of the read's start
                slot.entry = _Entry(fingerprint, self._compute(conn, actor, clusters=clusters), read_at)

    def warm(self, actors: Sequence[Actor]) -> None:
        """Build the analyses of these actors' scopes, one after another (for `varde serve`'s start, in a background
        thread)."""
        for actor in actors:
            slot = self._slot(actor, False)
            with slot.build:
                if self.before_rebuild is not None:
                    self.before_rebuild()
                self._build_slot(slot, actor, False)

    def warm_up(self, actors: Sequence[Actor]) -> None:
        """`warm` on a big store (`SYNC_BELOW` posts or more; a small one is analysed on the first read anyway)."""
        with self.store.begin() as conn:
            if _fingerprint(conn)[0] < SYNC_BELOW:
                return
        self.warm(actors)

    def wait_for_rebuilds(self, timeout: float = 60.0) -> bool:
        """Wait until no background rebuild runs (tests, benches); False if one still runs after `timeout` s."""
        with _CACHE_LOCK:
            slots = list(_CACHE.values())
        for slot in slots:
            if not slot.build.acquire(timeout=timeout):
                return False
            slot.build.release()
        return True

    def _compute(self, conn: Connection, actor: Actor, *, clusters: bool) -> Analysis:
        with heap.building():
            return self._analyse(conn, actor, clusters=clusters)

    def _analyse(self, conn: Connection, actor: Actor, *, clusters: bool) -> Analysis:
        stored = [Judgement(j.a, j.b, j.judgement == SAME, j.reason, j.actor, j.at) for j in self.judgements(conn)]
        result = analyse(
            self._facts(conn, actor),
            judgements=stored,
            watchlist=self.watchlist,
            cooperation=self.cooperation,
            with_clusters=clusters,
            limit=None,
        )
        # Orders carry their case, so `show case:42` works and the workbench can link to the case.
        for case_id, order_id in conn.execute(
            select(cases.c.id, cases.c.order_id).where(cases.c.order_id.is_not(None))
        ):
            entity = result.graph.entities.get(f"order:{order_id}")
            if entity is not None:
                entity.attrs["case_id"] = int(case_id)
        return result

    # --- reading

    def backmen(self, actor: Actor, *, limit: int = 50, stale_ok: bool = False) -> list[Backman]:
        """The ranked backmen the actor may see. Audited as `network.backmen`."""
        with self._refusals_audited(actor, access.CASE_READ, "network") as conn:
            result = self._analysis(conn, actor, stale_ok=stale_ok)
            top = result.backmen[: max(1, limit)]
            self._audit(conn, actor, "network.backmen", "network", {"returned": [b.actor for b in top]})
            return top

    def resolve_name(self, result: Analysis, name: str) -> str:
        """An entity id from an id, `case:N`, a handle (`@x`, `telegram:@x`) or an order id."""
        graph = result.graph
        if name in graph.entities:
            return name
        if name.startswith("case:"):
            found = [e.id for e in graph.of_kind("order") if f"case:{e.attrs.get('case_id')}" == name]
            if found:
                return found[0]
            raise NotFound(f"no {name} (that you may see)")
        if f"order:{name}" in graph.entities:
            return f"order:{name}"
        platform, sep, rest = name.partition(":")
        if (
            sep
            and not name.startswith(IDENTITY_PREFIXES)
            and f"acct:{platform.lower()}:{handle_key(rest)}" in graph.entities
        ):
            return f"acct:{platform.lower()}:{handle_key(rest)}"
        key = handle_key(name)
        found = result.accounts_by_handle().get(key, [])
        if len(found) == 1 or len({result.resolution.actor(f) for f in found}) == 1:
            return found[0]  # one account, or one actor's accounts on several platforms
        if found:
            raise NotFound(f"{name!r} is ambiguous; use one of: {', '.join(found)}")
        raise NotFound(f"no entity {name!r} (that you may see)")

    def show(self, actor: Actor, name: str, *, depth: int = 1, stale_ok: bool = False) -> dict[str, Any]:
        """An entity with its neighbourhood, actor, links, attribution and backman figures. Audited."""
        with self._refusals_audited(actor, access.CASE_READ, f"entity:{name}") as conn:
            result = self._analysis(conn, actor, stale_ok=stale_ok)
            entity_id = self.resolve_name(result, name)
            view = result.entity_view(entity_id, depth=depth)
            pairs = {pair(entity_id, m) for m in view["actor_members"]} | {
                pair(j.a, j.b) for j in self.judgements(conn) if entity_id in (j.a, j.b)
            }
            view["judgements"] = [j.to_dict() for j in self.judgements(conn) if pair(j.a, j.b) in pairs]
            self._audit(conn, actor, "network.show", f"entity:{entity_id}", {"depth": depth})
            return view

    # --- judging

    def link(self, actor: Actor, a: str, b: str, *, same: bool, reason: str) -> StoredJudgement:
        """Store an analyst's judgement on a pair (both identities: accounts, phones, e-mails, wallets), audited
        as `network.link` in the same transaction. Later runs respect it, transitively."""
        reason = reason.strip()
        if not reason:
            raise InputError("a judgement needs a reason (--reason)")
        for entity_id in (a, b):
            if not entity_id.startswith(IDENTITY_PREFIXES):
                raise InputError(f"{entity_id!r} is not an account, phone, e-mail or wallet id (e.g. acct:x:name)")
        if a == b:
            raise InputError("a link needs two different entities")
        first, second = pair(a, b)
        with self._refusals_audited(actor, access.CASE_CHANGE, f"link:{first}|{second}") as conn:
            access.require(actor, access.CASE_CHANGE)
            seen = self._analysis(conn, actor).graph.entities
            for entity_id in (first, second):
                if entity_id not in seen:
                    raise NotFound(f"no entity {entity_id!r} (that you may see)")
            at = self.now()
            judgement = SAME if same else NOT_SAME
            new_id = conn.execute(
                insert(entity_links)
                .values(a=first, b=second, judgement=judgement, reason=reason, actor=actor.name, at=at)
                .returning(entity_links.c.id)
            ).scalar_one()
            self._audit(
                conn,
                actor,
                "network.link",
                f"link:{first}|{second}",
                {"a": first, "b": second, "judgement": judgement, "reason": reason},
            )
            return StoredJudgement(int(new_id), first, second, judgement, reason, actor.name, at)

    # --- exports and the materialised graph

    def export(self, actor: Actor, fmt: str, path: str | Path) -> dict[str, Any]:
        """Write the network the actor may see as `fmt` (ftm, stix, graphml, gexf) to `path`, validated first.
        Audited as `network.export`."""
        if fmt not in EXPORT_FORMATS:
            raise InputError(f"unknown export format {fmt!r}; one of: {', '.join(EXPORT_FORMATS)}")
        target = Path(path)
        with self._refusals_audited(actor, access.CASE_EXPORT, "network") as conn:
            access.require(actor, access.CASE_EXPORT)
            result = self._analysis(conn, actor)
            count = _write(result, fmt, target)
            self._audit(
                conn,
                actor,
                "network.export",
                "network",
                {"format": fmt, "path": str(target), "objects": count, "scope": _scope(actor)},
            )
            return {"format": fmt, "path": str(target), "objects": count}

    def build(self, actor: Actor) -> dict[str, int]:
        """Rebuild the `entities` and `entity_edges` tables from all posts, and the cases' network tags from the
        attributions (needs an unrestricted reader)."""
        with self._refusals_audited(actor, access.CASE_READ, "network") as conn:
            if access.case_scope(actor) is not None:
                raise AccessDenied(f"user {actor.name!r} ({actor.role}) may not rebuild the whole network")
            result = self._analysis(conn, actor)
            now = self.now()
            conn.execute(delete(entity_edges))
            conn.execute(delete(entities))
            _insert_batches(
                conn,
                entities,
                [
                    {
                        "id": e.id,
                        "kind": e.kind,
                        "label": e.label,
                        "platform": e.platform,
                        "attrs": e.attrs,
                        "first_seen": e.first_seen,
                        "last_seen": e.last_seen,
                        "built_at": now,
                    }
                    for e in result.graph.entities.values()
                ],
            )
            _insert_batches(
                conn,
                entity_edges,
                [
                    {
                        "source": e.source,
                        "target": e.target,
                        "type": e.type,
                        "weight": e.weight,
                        "first_seen": e.first_seen,
                        "last_seen": e.last_seen,
                        "post_ids": list(e.post_ids),
                    }
                    for e in result.graph.edges.values()
                ],
            )
            tagged = _tag_networks(conn, result)
            counts = {"entities": len(result.graph.entities), "edges": len(result.graph.edges), "cases_tagged": tagged}
            self._audit(conn, actor, "network.build", "network", counts)
            return counts


CACHE_SIZE = 8  # district scopes kept
SYNC_BELOW = 2000  # posts: below, a changed analysis is rebuilt inside the read (well under a second)


@dataclass(frozen=True, slots=True)
class _Entry:
    fingerprint: tuple[Any, ...]
    analysis: Analysis
    built_at: datetime


class _Slot:
    """The latest analysis of one scope, and the lock held while it is (re)built."""

    def __init__(self) -> None:
        self.entry: _Entry | None = None
        self.build = threading.Lock()


_CACHE: OrderedDict[tuple[Any, ...], _Slot] = OrderedDict()
_CACHE_LOCK = threading.Lock()


def _fingerprint(conn: Connection) -> tuple[Any, ...]:
    """Counts and latest changes of everything the analysis reads: posts, records, judgements, cases."""
    out: list[Any] = []
    for table, column in (
        (posts, posts.c.captured_at),
        (records, records.c.analysed_at),
        (entity_links, entity_links.c.id),
        (cases, cases.c.updated_at),
    ):
        # Two queries, not one: alone, max() of an indexed column is an index look-up (SQLite's min/max
        # optimisation, PostgreSQL's too); beside count() it scans the table.
        out.append(conn.execute(select(func.count()).select_from(table)).scalar_one())
        out.append(conn.execute(select(func.max(column))).scalar_one())
    return tuple(out)


def _tag_networks(conn: Connection, result: Analysis) -> int:
    """Replace the cases' `network:<id>` tags (the triage queue filters on them) with this analysis's attributions
    of their orders; returns how many cases are tagged."""
    conn.execute(delete(case_tags).where(case_tags.c.tag.like("network:%")))
    case_of = {
        f"order:{order_id}": int(case_id)
        for case_id, order_id in conn.execute(select(cases.c.id, cases.c.order_id).where(cases.c.order_id.is_not(None)))
    }
    rows = [
        {"case_id": case_of[order], "tag": f"network:{found.network}"}
        for order, attributed in sorted(result.attribution.orders.items())
        if order in case_of
        for found in attributed
    ]
    _insert_batches(conn, case_tags, rows)
    return len({row["case_id"] for row in rows})


def _insert_batches(conn: Connection, table: Any, rows: Sequence[dict[str, Any]], size: int = 5000) -> None:
    for start in range(0, len(rows), size):
        conn.execute(insert(table), list(rows[start : start + size]))


def _scope(actor: Actor) -> list[str] | None:
    scope = access.case_scope(actor)
    return sorted(scope) if scope is not None else None


def _write(result: Analysis, fmt: str, target: Path) -> int:
    target.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "ftm":
        items = ftm_entities(result)
        problems = validate_ftm(items)
        if problems:
            raise ConfigError("FollowTheMoney export does not validate: " + "; ".join(problems[:5]))
        target.write_text("".join(line + "\n" for line in ftm_lines(items)), encoding="utf-8")
        return len(items)
    if fmt == "stix":
        text = stix_bundle(result)
        problems = validate_stix(text)
        if problems:
            raise ConfigError("STIX export does not validate: " + "; ".join(problems[:5]))
        target.write_text(text, encoding="utf-8")
        return len(json.loads(text)["objects"])
    if fmt == "graphml":
        write_graphml(result, str(target))
    else:
        write_gexf(result, str(target))
    return len(result.graph.entities) + len(result.graph.edges)


def _fact(row: Any) -> PostFacts:
    data = row.data or {}
    contacts = tuple(
        (str(c.get("kind")), str(c.get("value")))
        for c in data.get("contacts") or []
        if c.get("kind") and c.get("value")
    )
    return PostFacts(
        id=row.id,
        platform=row.platform,
        created_at=row.created_at,
        text=row.text or "",
        author=row.author,
        author_id=row.author_id,
        channel=row.channel,
        forwarded_from=row.forwarded_from,
        reply_to=row.reply_to,
        is_order=bool(row.is_order),
        order_id=row.order_id,
        district=row.district,
        contacts=contacts,
    )


__all__ = [
    "EXPORT_FORMATS",
    "IDENTITY_KINDS",
    "NOT_SAME",
    "SAME",
    "AnalysisPending",
    "Freshness",
    "NetworkService",
    "StoredJudgement",
]
