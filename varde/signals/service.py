"""`SignalService`: signal banks in the database, and matching every incoming post against them.

    signals = SignalService(store, media_store=MediaStore(settings.media_folder))
    signals.create_bank(boss, "varde-orders")                      # supervisors
    signals.collect(boss, "varde-orders")                          # signals of the cases analysts confirmed
    rows = signals.export(boss, bank="varde-orders", since=None)   # audited with the list of signals
    signals.import_signals(boss, "platform-fp", rows, negative=True)
    page = signals.feed("varde-orders", token_scope="bank:varde-orders", since=None, after=0)

Signals come only from cases an analyst confirmed (`CONFIRMED_STATES`: uncovered, prevented, executed), never from
unreviewed flags or dismissed cases; a case dismissed after it was confirmed has its signals taken out of use (marked
quarantined) at the next `collect`. A content carries a random bank-content id, the case's violence types and the
quarter it was first seen; the case id stays in this database and is never exported.

`match_banks(conn, batch, now=…)` is called by `varde.cases.ingest` for every batch (scan, workers, tips) in the
ingest transaction: it adds `bank_match` cues (`varde.signals.matcher`) and keeps the flood count. A signal that
matches more than `FLOOD_LIMIT` posts within `FLOOD_WINDOW` is quarantined (audited as `signal.quarantine` by
`system`): it stops matching and is no longer exported, until a supervisor looks at it. The matcher is built once
per database engine and rebuilt when the active signals change (one cheap query per batch tells)."""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
import weakref
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, and_, func, insert, select, update

from varde.cases import access, audit
from varde.cases.access import SYSTEM, Actor
from varde.cases.guarded import Guarded
from varde.errors import AccessDenied, Conflict, InputError, NotFound
from varde.media.files import MediaRejected, decode_image
from varde.media.pdq import usable_hashes
from varde.media.store import MediaStore
from varde.records import Record
from varde.signals.formats import PDQ, Signal, quarter_of
from varde.signals.matcher import BankMatcher, BankSignal, with_matches
from varde.signals.text import MD5, TLSH, text_signals
from varde.store.case_tables import case_posts, cases
from varde.store.database import Store
from varde.store.signal_tables import signal_banks, signal_contents, signals
from varde.store.tables import posts

CONFIRMED_STATES = ("uncovered", "prevented", "executed")
POSITIVE, NEGATIVE = "positive", "negative"
FLOOD_LIMIT = 100  # posts one signal may match within FLOOD_WINDOW before it is quarantined
FLOOD_WINDOW = timedelta(hours=1)
FEED_LIMIT = 1000  # signals per page of the platform feed (at most FEED_MAX)
FEED_MAX = 10_000
_INSERT_CHUNK = 5000
BANK_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")


def check_bank_name(name: str) -> str:
    if not BANK_NAME.match(name):
        raise InputError(f"bad bank name {name[:80]!r}: lowercase letters, digits, '.', '_' and '-', at most 64")
    return name


def bank_scope(name: str) -> str:
    """The API token scope that reads bank `name`'s feed and nothing else."""
    return f"bank:{check_bank_name(name)}"


@dataclass(frozen=True, slots=True)
class BankInfo:
    name: str
    kind: str
    origin: str
    description: str
    signals: int
    quarantined: int
    contents: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class ImportResult:
    added: int
    known: int


@dataclass(frozen=True, slots=True)
class FeedPage:
    """One page of a bank's feed: its signals, the cursor for the next page (None: last page) and its ETag."""

    bank: str
    signals: list[Signal]
    next_after: int | None
    etag: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "bank": self.bank,
            "signals": [s.to_dict() for s in self.signals],
            "next_after": self.next_after,
        }


class SignalService(Guarded):
    """Banks, their signals, export/import and the platform feed over a `Store`."""

    def __init__(
        self,
        store: Store,
        *,
        media_store: MediaStore | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(store, clock=clock)
        self.media_store = media_store

    # --- banks

    def create_bank(self, actor: Actor, name: str, *, negative: bool = False, description: str = "") -> BankInfo:
        check_bank_name(name)

        def work(conn: Connection) -> BankInfo:
            access.require(actor, access.SIGNAL_MANAGE)
            info = self._create(conn, actor, name, negative=negative, description=description, origin="varde")
            if info is None:
                raise Conflict(f"bank {name!r} exists")
            return info

        return self._guarded(actor, access.SIGNAL_MANAGE, f"bank:{name}", work)

    def _create(
        self, conn: Connection, actor: Actor, name: str, *, negative: bool, description: str, origin: str
    ) -> BankInfo | None:
        if conn.execute(select(signal_banks.c.name).where(signal_banks.c.name == name)).first() is not None:
            return None
        kind = NEGATIVE if negative else POSITIVE
        conn.execute(
            insert(signal_banks).values(
                name=name,
                kind=kind,
                origin=origin,
                description=description,
                created_at=self.now(),
                created_by=actor.name,
            )
        )
        self._audit(conn, actor, "signal.bank", f"bank:{name}", {"kind": kind, "origin": origin})
        return BankInfo(name, kind, origin, description, 0, 0, 0)

    def list_banks(self, actor: Actor) -> list[BankInfo]:
        self._require(actor, access.SIGNAL_READ, "banks")
        with self.store.engine.connect() as conn:
            return _bank_infos(conn)

    def _bank(self, conn: Connection, name: str) -> Any:
        row = conn.execute(select(signal_banks).where(signal_banks.c.name == name)).first()
        if row is None:
            raise NotFound(f"no signal bank {name!r}")
        return row

    # --- collect from confirmed cases

    def collect(self, actor: Actor, bank: str) -> int:
        """Add the signals of every confirmed case not yet in `bank` (a positive bank); returns how many signals."""

        def work(conn: Connection) -> int:
            access.require(actor, access.SIGNAL_MANAGE)
            row = self._bank(conn, bank)
            if row.kind != POSITIVE:
                raise InputError(f"bank {bank!r} is negative: confirmed orders go into a positive bank")
            done = select(signal_contents.c.case_id).where(
                and_(signal_contents.c.bank == bank, signal_contents.c.case_id.is_not(None))
            )
            found = conn.execute(
                select(cases.c.id, cases.c.violence_tags, cases.c.first_seen_at)
                .where(cases.c.state.in_(CONFIRMED_STATES), cases.c.id.not_in(done))
                .order_by(cases.c.id)
            ).all()
            added = 0
            per_case: list[dict[str, Any]] = []
            for case in found:
                texts = conn.execute(
                    select(posts.c.text, posts.c.media_files)
                    .join(case_posts, case_posts.c.post_id == posts.c.id)
                    .where(case_posts.c.case_id == case.id)
                    .order_by(posts.c.created_at, posts.c.id)
                ).all()
                values = self._case_signals([(p.text, p.media_files or []) for p in texts])
                if not values:
                    continue
                content_id = "varde-" + secrets.token_hex(8)
                types = tuple(t for t in str(case.violence_tags).split("|") if t)
                conn.execute(
                    insert(signal_contents).values(
                        bank=bank,
                        id=content_id,
                        case_id=case.id,
                        violence_types=list(types),
                        first_seen=quarter_of(case.first_seen_at),
                        added_at=self.now(),
                    )
                )
                new = self._insert_signals(conn, bank, content_id, values)
                added += new
                per_case.append({"case": case.id, "content_id": content_id, "signals": new})
            withdrawn = self._withdraw_dismissed(conn, bank)
            details = {"added": added, "contents": per_case, "withdrawn": withdrawn}
            self._audit(conn, actor, "signal.collect", f"bank:{bank}", details)
            return added

        return self._guarded(actor, access.SIGNAL_MANAGE, f"bank:{bank}", work)

    def _withdraw_dismissed(self, conn: Connection, bank: str) -> list[str]:
        """Take out of use (as quarantined) the signals of contents whose case was dismissed after being confirmed;
        returns their content ids."""
        withdrawn = list(
            conn.execute(
                select(signal_contents.c.id)
                .join(cases, cases.c.id == signal_contents.c.case_id)
                .where(signal_contents.c.bank == bank, cases.c.state == "dismissed")
            ).scalars()
        )
        if withdrawn:
            conn.execute(
                update(signals)
                .where(
                    signals.c.bank == bank,
                    signals.c.content_id.in_(withdrawn),
                    signals.c.quarantined_at.is_(None),
                )
                .values(quarantined_at=self.now())
            )
        return withdrawn

    def _case_signals(self, found: Sequence[tuple[str, list[dict[str, Any]]]]) -> list[tuple[str, str]]:
        """(type, value) of the posts' shareable texts and usable image hashes, each once."""
        values: list[tuple[str, str]] = []
        for text, media in found:
            ts = text_signals(text)
            if ts is not None:
                values.append((MD5, ts.md5))
                if ts.tlsh is not None:
                    values.append((TLSH, ts.tlsh))
            for item in media:
                values += [(PDQ, h) for h in self._image_hashes(item)]
        return list(dict.fromkeys(values))

    def _image_hashes(self, item: dict[str, Any]) -> tuple[str, ...]:
        digest = item.get("sha256")
        if self.media_store is None or not isinstance(digest, str) or not self.media_store.has(digest):
            return ()
        try:
            return usable_hashes(decode_image(self.media_store.read(digest), digest))
        except (MediaRejected, OSError, ValueError):
            return ()

    def _insert_signals(self, conn: Connection, bank: str, content_id: str, values: Sequence[tuple[str, str]]) -> int:
        if not values:
            return 0
        known = {
            (r.signal_type, r.value)
            for r in conn.execute(
                select(signals.c.signal_type, signals.c.value).where(
                    signals.c.bank == bank, signals.c.value.in_({v for _, v in values})
                )
            )
        }
        rows = [
            {
                "bank": bank,
                "content_id": content_id,
                "signal_type": t,
                "value": v,
                "added_at": self.now(),
                "quarantined_at": None,
                "window_start": None,
                "window_hits": 0,
            }
            for t, v in dict.fromkeys(values)
            if (t, v) not in known
        ]
        if rows:
            conn.execute(insert(signals), rows)
        return len(rows)

    def release(self, actor: Actor, signal_id: int, reason: str) -> None:
        """Put a quarantined signal back in use, its flood count reset (supervisors; audited with the reason)."""
        if not reason.strip():
            raise InputError("say why the signal is safe to use again (--reason)")

        def work(conn: Connection) -> None:
            access.require(actor, access.SIGNAL_MANAGE)
            row = conn.execute(select(signals).where(signals.c.id == signal_id)).first()
            if row is None:
                raise NotFound(f"no signal {signal_id}")
            if row.quarantined_at is None:
                raise Conflict(f"signal {signal_id} is not quarantined")
            conn.execute(
                update(signals)
                .where(signals.c.id == signal_id)
                .values(quarantined_at=None, window_start=None, window_hits=0)
            )
            details = {"bank": row.bank, "signal_type": row.signal_type, "signal": row.value, "reason": reason}
            self._audit(conn, actor, "signal.release", f"signal:{signal_id}", details)

        self._guarded(actor, access.SIGNAL_MANAGE, f"signal:{signal_id}", work)

    def quarantined(self, actor: Actor, bank: str | None = None) -> list[tuple[int, str, Signal, datetime]]:
        """(id, bank, signal, since when) of the quarantined signals, newest first."""
        self._require(actor, access.SIGNAL_READ, f"bank:{bank}" if bank else "banks")
        query = select(signals).where(signals.c.quarantined_at.is_not(None)).order_by(signals.c.quarantined_at.desc())
        if bank is not None:
            query = query.where(signals.c.bank == bank)
        with self.store.engine.connect() as conn:
            return [
                (int(r.id), r.bank, Signal(r.signal_type, r.value, r.content_id), r.quarantined_at)
                for r in conn.execute(query)
            ]

    # --- export and import

    def export(
        self, actor: Actor, *, bank: str | None = None, since: datetime | None = None, fmt: str = "varde"
    ) -> list[Signal]:
        """The active signals of `bank` (all positive banks when None) added since `since`; audited with the list."""

        def work(conn: Connection) -> list[Signal]:
            access.require(actor, access.SIGNAL_EXPORT)
            if bank is not None:
                self._bank(conn, bank)
            found = _signal_rows(conn, bank=bank, since=since, after=0, limit=None)
            details = {
                "bank": bank,
                "since": since.isoformat() if since else None,
                "format": fmt,
                "count": len(found),
                "signals": [[s.id, s.signal_type, s.value] for s in found],
            }
            self._audit(conn, actor, "signal.export", f"bank:{bank}" if bank else "banks", details)
            return found

        return self._guarded(actor, access.SIGNAL_EXPORT, f"bank:{bank}" if bank else "banks", work)

    def import_signals(
        self, actor: Actor, bank: str, found: Iterable[Signal], *, negative: bool = False, description: str = ""
    ) -> ImportResult:
        """Add signals from a platform or partner to `bank` (created when missing; `negative`: known false
        positives). A signal already in the bank is left as it is."""
        check_bank_name(bank)
        items = list(found)

        def work(conn: Connection) -> ImportResult:
            access.require(actor, access.SIGNAL_MANAGE)
            self._create(conn, actor, bank, negative=negative, description=description, origin="import")
            row = self._bank(conn, bank)
            if (row.kind == NEGATIVE) != negative:
                raise InputError(f"bank {bank!r} is {row.kind}; say --negative exactly when importing into one")
            contents = {r.id for r in conn.execute(select(signal_contents.c.id).where(signal_contents.c.bank == bank))}
            known = {
                (r.signal_type, r.value)
                for r in conn.execute(select(signals.c.signal_type, signals.c.value).where(signals.c.bank == bank))
            }
            now = self.now()
            new_contents: list[dict[str, Any]] = []
            new_signals: list[dict[str, Any]] = []
            for s in items:
                if s.content_id not in contents:
                    contents.add(s.content_id)
                    new_contents.append(
                        {
                            "bank": bank,
                            "id": s.content_id,
                            "case_id": None,
                            "violence_types": list(s.violence_types),
                            "first_seen": s.first_seen,
                            "added_at": now,
                        }
                    )
                if (s.signal_type, s.value) not in known:
                    known.add((s.signal_type, s.value))
                    new_signals.append(
                        {
                            "bank": bank,
                            "content_id": s.content_id,
                            "signal_type": s.signal_type,
                            "value": s.value,
                            "added_at": now,
                            "quarantined_at": None,
                            "window_start": None,
                            "window_hits": 0,
                        }
                    )
            for table, rows in ((signal_contents, new_contents), (signals, new_signals)):
                for start in range(0, len(rows), _INSERT_CHUNK):  # one executemany per chunk
                    conn.execute(insert(table), rows[start : start + _INSERT_CHUNK])
            added = len(new_signals)
            details = {"count": len(items), "added": added, "kind": row.kind}
            self._audit(conn, actor, "signal.import", f"bank:{bank}", details)
            return ImportResult(added, len(items) - added)

        return self._guarded(actor, access.SIGNAL_MANAGE, f"bank:{bank}", work)

    # --- the platform feed

    def feed(
        self,
        bank: str,
        *,
        token_actor: Actor,
        token_scope: str,
        since: datetime | None = None,
        after: int = 0,
        limit: int = FEED_LIMIT,
    ) -> FeedPage:
        """A page of `bank`'s active signals for a platform whose API token is scoped to this bank (`bank:NAME`),
        oldest first; `after` is the last page's `next_after`. Audited as `signal.feed`."""
        check_bank_name(bank)
        if token_scope != bank_scope(bank):
            with self._tx() as conn:
                self._audit(conn, token_actor, "access.denied", f"bank:{bank}", {"action": "signal.feed"})
            raise AccessDenied(f"this token may not read bank {bank!r}")
        limit = max(1, min(limit, FEED_MAX))
        with self._tx() as conn:
            row = self._bank(conn, bank)
            if row.kind != POSITIVE:
                raise NotFound(f"no signal bank {bank!r}")
            found = _signal_rows(conn, bank=bank, since=since, after=after, limit=limit + 1)
            page, more = found[:limit], len(found) > limit
            next_after = page[-1].id if more and page else None
            etag = _etag(bank, since, after, limit, [s.id or 0 for s in page], _generation(conn, bank))
            self._audit(conn, token_actor, "signal.feed", f"bank:{bank}", {"after": after, "count": len(page)})
        return FeedPage(bank, page, next_after, etag)


def _bank_infos(conn: Connection) -> list[BankInfo]:
    counts: dict[str, tuple[int, int]] = {}
    for r in conn.execute(
        select(signals.c.bank, func.count(), func.count(signals.c.quarantined_at)).group_by(signals.c.bank)
    ):
        counts[r[0]] = (int(r[1]), int(r[2]))
    contents: dict[str, int] = {
        str(r[0]): int(r[1])
        for r in conn.execute(select(signal_contents.c.bank, func.count()).group_by(signal_contents.c.bank))
    }
    return [
        BankInfo(
            r.name,
            r.kind,
            r.origin,
            r.description,
            counts.get(r.name, (0, 0))[0],
            counts.get(r.name, (0, 0))[1],
            int(contents.get(r.name, 0)),
        )
        for r in conn.execute(select(signal_banks).order_by(signal_banks.c.name))
    ]


def _signal_rows(
    conn: Connection, *, bank: str | None, since: datetime | None, after: int, limit: int | None
) -> list[Signal]:
    """Active signals (not quarantined) of `bank` or of all positive banks, with their contents, by id."""
    query = (
        select(signals, signal_contents.c.violence_types, signal_contents.c.first_seen)
        .join(
            signal_contents,
            and_(signal_contents.c.bank == signals.c.bank, signal_contents.c.id == signals.c.content_id),
        )
        .join(signal_banks, signal_banks.c.name == signals.c.bank)
        .where(signals.c.quarantined_at.is_(None), signals.c.id > after)
        .order_by(signals.c.id)
    )
    query = query.where(signals.c.bank == bank) if bank is not None else query.where(signal_banks.c.kind == POSITIVE)
    if since is not None:
        query = query.where(signals.c.added_at >= since)
    if limit is not None:
        query = query.limit(limit)
    return [
        Signal(
            r.signal_type,
            r.value,
            r.content_id,
            tuple(r.violence_types or ()),
            r.first_seen,
            r.added_at,
            id=int(r.id),
        )
        for r in conn.execute(query)
    ]


def _generation(conn: Connection, bank: str | None = None) -> tuple[int, int, int]:
    """(active signals, highest id, quarantined): changes whenever the active signals do."""
    query = select(func.count(signals.c.quarantined_at), func.count(), func.max(signals.c.id))
    if bank is not None:
        query = query.where(signals.c.bank == bank)
    quarantined, total, top = conn.execute(query).one()
    return int(total) - int(quarantined), int(top or 0), int(quarantined)


def _etag(bank: str, since: datetime | None, after: int, limit: int, ids: list[int], gen: tuple[int, ...]) -> str:
    key = f"{bank}|{since.isoformat() if since else ''}|{after}|{limit}|{ids[:1]}{ids[-1:]}|{len(ids)}|{gen}"
    return '"' + hashlib.sha256(key.encode("utf-8")).hexdigest()[:32] + '"'


# --- matching at ingest


class _Cache:
    """The matcher of one database engine and the generation it was built at."""

    def __init__(self) -> None:
        self.generation: tuple[int, int, int] | None = None
        self.matcher: BankMatcher | None = None
        self.lock = threading.Lock()


_CACHES: weakref.WeakKeyDictionary[Engine, _Cache] = weakref.WeakKeyDictionary()
_CACHES_LOCK = threading.Lock()


def _matcher(conn: Connection) -> BankMatcher | None:
    with _CACHES_LOCK:
        cache = _CACHES.setdefault(conn.engine, _Cache())
    generation = _generation(conn)
    if generation[0] == 0:
        return None
    with cache.lock:
        if cache.generation != generation or cache.matcher is None:
            rows = conn.execute(
                select(
                    signals.c.id,
                    signals.c.bank,
                    signals.c.signal_type,
                    signals.c.value,
                    signals.c.content_id,
                    signal_banks.c.kind,
                    signal_contents.c.violence_types,
                )
                .join(signal_banks, signal_banks.c.name == signals.c.bank)
                .join(
                    signal_contents,
                    and_(signal_contents.c.bank == signals.c.bank, signal_contents.c.id == signals.c.content_id),
                )
                .where(signals.c.quarantined_at.is_(None))
            ).all()
            cache.matcher = BankMatcher(
                [
                    BankSignal(
                        int(r.id),
                        r.bank,
                        r.kind == NEGATIVE,
                        r.signal_type,
                        r.value,
                        r.content_id,
                        tuple(r.violence_types or ()),
                    )
                    for r in rows
                ]
            )
            cache.generation = generation
        return cache.matcher


def match_banks(conn: Connection, batch: Sequence[Record], *, now: datetime) -> list[Record]:
    """`batch` with its bank matches as cues (see the module docstring); keeps the flood counts in `conn`'s
    transaction and quarantines a signal that matched more than `FLOOD_LIMIT` posts within `FLOOD_WINDOW`."""
    matcher = _matcher(conn)
    if matcher is None or not batch:
        return list(batch)
    per_record = matcher.match_records(batch)
    hits = Counter(m.signal.id for matches in per_record for m in matches)
    if not hits:
        return list(batch)
    allowed = _count_hits(conn, hits, now)
    out = []
    for record, matches in zip(batch, per_record, strict=True):
        kept = []
        for m in matches:
            if allowed.get(m.signal.id, 0) > 0:
                allowed[m.signal.id] -= 1
                kept.append(m)
        out.append(with_matches(record, kept))
    return out


def _count_hits(conn: Connection, hits: Counter[int], now: datetime) -> dict[int, int]:
    """Add this batch's hits to each signal's flood window; quarantine those over the limit. Returns how many of
    this batch's matches each signal may still make (the rest of a flood is dropped)."""
    rows = conn.execute(
        select(signals.c.id, signals.c.bank, signals.c.signal_type, signals.c.value)
        .add_columns(signals.c.window_start, signals.c.window_hits, signals.c.quarantined_at)
        .where(signals.c.id.in_(list(hits)))
        .with_for_update()
    ).all()
    allowed: dict[int, int] = {}
    for r in rows:
        if r.quarantined_at is not None:
            allowed[r.id] = 0
            continue
        fresh = r.window_start is None or now - r.window_start > FLOOD_WINDOW
        before = 0 if fresh else int(r.window_hits)
        total = before + hits[r.id]
        allowed[r.id] = max(0, FLOOD_LIMIT - before)
        values: dict[str, Any] = {"window_hits": total}
        if fresh:
            values["window_start"] = now
        if total > FLOOD_LIMIT:
            values["quarantined_at"] = now
            details = {
                "bank": r.bank,
                "signal_type": r.signal_type,
                "signal": r.value,
                "posts": total,
                "window_seconds": int(FLOOD_WINDOW.total_seconds()),
                "limit": FLOOD_LIMIT,
            }
            entry = audit.AuditEntry(SYSTEM.name, "signal.quarantine", f"signal:{r.id}", SYSTEM.source, details)
            audit.append(conn, entry, at=now)
        conn.execute(update(signals).where(signals.c.id == r.id).values(**values))
    return allowed
