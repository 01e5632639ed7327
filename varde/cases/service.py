"""`CaseService`: every read and change of cases, the audit log and tip contacts goes through here.

The CLI, the JSON API and the pages call these methods and nothing below them, so the access rules of
`varde.cases.access` (checked here, before any data is returned or changed) hold for every route. Every method that
touches a case writes its audit event in the same transaction as the read or change; refused attempts are audited
too (in their own transaction, since the refused one is rolled back). Users, logins, tokens and sessions are
`varde.cases.accounts.AccountService`'s.

    service = CaseService(Store.open(url))
    kari = AccountService(store).actor("kari", source="cli:ops@host")   # trusted operator names the user (CLI)
    page = service.list_cases(kari, CaseFilter(states=("detected",), districts=("Oslo",)), page=1, per_page=50)
    detail = service.get_case(kari, 42)
    service.set_status(kari, 42, "uncovered", reason="confirmed by phone tap", expected_version=detail.case.version)
    service.apply_changes(kari, [CaseChange(42, "note", "patrol sent"), CaseChange(43, "priority", 5, "weapons")])

Errors: NotFound (no such case, or one the user may not see), AccessDenied, InvalidTransition, Conflict (someone
changed the case since `expected_version`; reload and retry), InputError (bad filter or change)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Connection, and_, case, false, func, insert, not_, select, update

from varde.cases import access, audit, guarded, lifecycle, verdicts
from varde.cases import changes as case_changes
from varde.cases.access import Actor
from varde.cases.intake import tags
from varde.cases.values import (
    TIME_FILTERS,
    CaseChange,
    CaseDetail,
    CaseEvent,
    CaseFilter,
    CasePage,
    CasePost,
    CaseSummary,
    IssuedToken,
    TipContact,
    dumps,
    summary_from_row,
)
from varde.errors import Conflict, InputError, InvalidTransition, NotFound, VardeError
from varde.store.case_tables import case_events, case_posts, case_tags, cases, tip_contacts, users
from varde.store.tables import posts, records
from varde.store.upsert import insert_ignore
from varde.vocab import PLATFORMS

SORTS = ("priority", "newest", "oldest", "updated")
MAX_CASE_ID = 2**31 - 1  # cases.id is a 32-bit INTEGER on PostgreSQL


def tip_seen(raw: bytes) -> tuple[str | None, datetime | None]:
    """The platform (a known one) and time a tip's raw record says the tipster saw it; None where unknown."""
    try:
        record = json.loads(raw)
    except ValueError:
        return None, None
    if not isinstance(record, dict):
        return None, None
    platform = record.get("seen_on")
    at: datetime | None = None
    try:
        at = datetime.fromisoformat(record["seen_at"]) if isinstance(record.get("seen_at"), str) else None
    except ValueError:
        at = None
    return (platform if isinstance(platform, str) and platform in PLATFORMS else None), at


def captured_digests(media_files: Any) -> tuple[str, ...]:
    """The SHA-256 digests under which a post's media were captured into the media store (`posts.media_files`);
    refused files and anything malformed are left out."""
    from varde.media.store import valid_digest

    files = media_files if isinstance(media_files, list) else []
    return tuple(f["sha256"] for f in files if isinstance(f, dict) and valid_digest(f.get("sha256")))


def _storable(case_id: int) -> bool:
    """Whether `case_id` can be a case id at all; any other (0, negative, 20 digits) is simply not found, rather than
    an overflow in the database driver."""
    return isinstance(case_id, int) and 1 <= case_id <= MAX_CASE_ID


class CaseService(guarded.Guarded):
    """The service layer over a `Store` for cases. Stateless apart from the store; safe to share between threads."""

    # --- reading cases

    def _scoped(self, actor: Actor) -> Any:
        """The WHERE clause limiting cases to those `actor` may see."""
        scope = access.case_scope(actor)
        if scope is None:
            return None
        return cases.c.district.in_(sorted(scope)) if scope else false()

    def _filters(self, actor: Actor, flt: CaseFilter, *, with_states: bool = True) -> list[Any]:
        clauses: list[Any] = []
        scoped = self._scoped(actor)
        if scoped is not None:
            clauses.append(scoped)
        if with_states and flt.states:
            clauses.append(cases.c.state.in_(flt.states))
        if flt.districts:
            clauses.append(cases.c.district.in_(flt.districts))
        if flt.languages:
            clauses.append(cases.c.language.in_(flt.languages))
        for kind, wanted in (("violence", flt.violence_types), ("platform", flt.platforms), ("network", flt.networks)):
            if wanted:
                tagged = select(case_tags.c.case_id).where(case_tags.c.tag.in_([f"{kind}:{w}" for w in wanted]))
                clauses.append(cases.c.id.in_(tagged))
        if flt.since is not None:
            clauses.append(cases.c.first_seen_at >= flt.since)
        if flt.until is not None:
            clauses.append(cases.c.first_seen_at < flt.until)
        if flt.assignee:
            clauses.append(cases.c.assignee == flt.assignee)
        if flt.min_priority is not None:
            clauses.append(cases.c.priority >= flt.min_priority)
        if flt.time:
            clauses.append(self._time_clause(flt.time))
        if flt.text:
            pattern = "%" + flt.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            clauses.append(
                cases.c.id.in_(
                    select(case_posts.c.case_id)
                    .join(posts, posts.c.id == case_posts.c.post_id)
                    .where(posts.c.text.ilike(pattern, escape="\\"))
                )
            )
        return clauses

    def _time_passed(self) -> Any:
        """Whether a case's time window is over, as seen now (the service's clock)."""
        return and_(cases.c.when_end.is_not(None), cases.c.when_end <= self.now())

    def _time_clause(self, time: str) -> Any:
        if time not in TIME_FILTERS:
            raise InputError(f"unknown time filter {time!r}; one of: {', '.join(TIME_FILTERS)}")
        return self._time_passed() if time == "passed" else not_(self._time_passed())

    def list_cases(
        self,
        actor: Actor,
        flt: CaseFilter | None = None,
        *,
        page: int = 1,
        per_page: int = 50,
        sort: str = "priority",
    ) -> CasePage:
        """The cases `actor` may see that match `flt`, most urgent first (or `sort`: newest, oldest, updated),
        one page at a time, with counts per state. Audited as `case.search`."""
        flt = flt or CaseFilter()
        if sort not in SORTS:
            raise InputError(f"unknown sort {sort!r}; one of: {', '.join(SORTS)}")
        page = max(1, page)
        per_page = max(1, min(per_page, 1000))

        def work(conn: Connection) -> CasePage:
            clauses = self._filters(actor, flt)
            where = and_(*clauses) if clauses else None
            orders_by: dict[str, list[Any]] = {
                # Urgency as seen now: what can still be prevented first, cases whose time has passed after it.
                "priority": [
                    case((self._time_passed(), 1), else_=0),
                    cases.c.priority.desc(),
                    cases.c.urgency.desc(),
                    cases.c.id.desc(),
                ],
                "newest": [cases.c.first_seen_at.desc(), cases.c.id.desc()],
                "oldest": [cases.c.first_seen_at, cases.c.id],
                "updated": [cases.c.updated_at.desc(), cases.c.id.desc()],
            }
            query = select(cases).order_by(*orders_by[sort]).limit(per_page).offset((page - 1) * per_page)
            if where is not None:
                query = query.where(where)
            items = tuple(summary_from_row(r) for r in conn.execute(query).all())
            count_clauses = self._filters(actor, flt, with_states=False)
            counts_query = select(cases.c.state, func.count()).group_by(cases.c.state)
            if count_clauses:
                counts_query = counts_query.where(and_(*count_clauses))
            all_counts = {str(s): int(n) for s, n in conn.execute(counts_query).all()}
            counts = {s: all_counts.get(s, 0) for s in lifecycle.STATES}
            total = sum(counts[s] for s in (flt.states or lifecycle.STATES) if s in counts)
            self._audit(
                conn,
                actor,
                "case.search",
                "cases",
                {
                    "filter": flt.to_dict(),
                    "page": page,
                    "per_page": per_page,
                    "sort": sort,
                    "returned": [c.id for c in items],
                },
            )
            return CasePage(items, total, page, per_page, counts)

        return self._guarded(actor, access.CASE_READ, "cases", work)

    def _case_row(self, conn: Connection, actor: Actor, case_id: int, action: str) -> Any:
        row = conn.execute(select(cases).where(cases.c.id == case_id)).first() if _storable(case_id) else None
        if row is None:
            access.require(actor, access.CASE_READ)
            raise NotFound(f"no case {case_id}")
        access.require_on_case(actor, action, case_id, row.district)
        return row

    def _posts(self, conn: Connection, case_id: int) -> tuple[CasePost, ...]:
        rows = conn.execute(
            select(*[c for c in posts.c if c.name != "raw"], records.c.data.label("record"))  # raw: export only
            .join(case_posts, case_posts.c.post_id == posts.c.id)
            .outerjoin(records, records.c.post_id == posts.c.id)
            .where(case_posts.c.case_id == case_id)
            .order_by(posts.c.created_at, posts.c.id)
        ).all()
        tip_raw = conn.execute(
            select(posts.c.id, posts.c.raw)
            .join(case_posts, case_posts.c.post_id == posts.c.id)
            .where(case_posts.c.case_id == case_id, posts.c.platform == "tip")
        ).all()
        seen = {r.id: tip_seen(bytes(r.raw)) for r in tip_raw}
        return tuple(
            CasePost(
                id=r.id,
                platform=r.platform,
                channel=r.channel,
                author=r.author,
                created_at=r.created_at,
                text=r.text,
                url=r.url,
                source=r.source,
                media=tuple(r.media or ()),
                sha256=r.sha256,
                captured_at=r.captured_at,
                record=r.record,
                seen_on=seen.get(r.id, (None, None))[0],
                seen_at=seen.get(r.id, (None, None))[1],
                images=captured_digests(r.media_files),
            )
            for r in rows
        )

    def _events(self, conn: Connection, case_id: int) -> tuple[CaseEvent, ...]:
        rows = conn.execute(
            select(case_events).where(case_events.c.case_id == case_id).order_by(case_events.c.id)
        ).all()
        return tuple(
            CaseEvent(int(r.id), r.at, r.actor, r.action, r.from_state, r.to_state, r.reason, dict(r.data or {}))
            for r in rows
        )

    def get_case(self, actor: Actor, case_id: int) -> CaseDetail:
        """A case with its posts and history. NotFound when it does not exist or `actor` may not see it.
        Audited as `case.read`."""

        def work(conn: Connection) -> CaseDetail:
            row = self._case_row(conn, actor, case_id, access.CASE_READ)
            detail = CaseDetail(summary_from_row(row), self._posts(conn, case_id), self._events(conn, case_id))
            self._audit(conn, actor, "case.read", f"case:{case_id}", {"version": detail.case.version})
            return detail

        return self._guarded(actor, access.CASE_READ, f"case:{case_id}", work)

    # --- changing cases

    def _apply(
        self, conn: Connection, actor: Actor, row: Any, change: case_changes.Change, expected_version: int | None
    ) -> Any:
        """Write one change with the optimistic version check, its history entry and its audit event."""
        version = int(row.version) if expected_version is None else expected_version
        now = self.now()
        values = dict(change.values, version=version + 1, updated_at=now)
        updated = conn.execute(
            update(cases)
            .where(and_(cases.c.id == row.id, cases.c.version == version))
            .values(**values)
            .returning(*cases.c)
        ).first()
        if updated is None:
            current = conn.execute(select(cases.c.version, cases.c.state).where(cases.c.id == row.id)).first()
            now_at = f"version {current.version}, state {current.state!r}" if current else "gone"
            raise Conflict(
                f"case {row.id} was changed by someone else (expected version {version}, now {now_at}); "
                "reload and retry"
            )
        history, entry = case_changes.record(actor, int(row.id), change, version + 1, now)
        conn.execute(insert(case_events).values(**history))
        audit.append(conn, entry, at=now)
        return updated

    def _apply_batch(
        self, conn: Connection, actor: Actor, changes: Sequence[CaseChange], *, numbered: bool
    ) -> list[CaseSummary]:
        """Apply checked `changes` in order in the caller's transaction; returns each changed case as it is after
        them, in the order they were first changed. Errors name the change (`numbered`: by position if no origin).

        Each change is checked against the case as the earlier changes of the batch left it (access by its district,
        `expected_version`, lifecycle) and gets its own history row and audit event; the audit events are appended
        as one run of the chain. Every case is then written once, with the version it was read at as the optimistic
        check, and only the columns the batch changed (intake refreshes district and priority concurrently)."""
        now = self.now()
        current: dict[int, dict[str, Any]] = {}
        ids = sorted({c.case_id for c in changes if _storable(c.case_id)})
        for start in range(0, len(ids), case_changes.READ_CHUNK):
            for found in conn.execute(
                select(cases).where(cases.c.id.in_(ids[start : start + case_changes.READ_CHUNK]))
            ):
                current[int(found.id)] = dict(found._mapping)
        read_versions = {case_id: int(row["version"]) for case_id, row in current.items()}
        wanted = sorted({str(c.value) for c in changes if c.kind == "assign" and c.value is not None})
        known_users = (
            set(conn.execute(select(users.c.name).where(users.c.name.in_(wanted))).scalars()) if wanted else set()
        )
        changed: dict[int, set[str]] = {}
        history: list[dict[str, Any]] = []
        entries: list[audit.AuditEntry] = []
        for position, change in enumerate(changes, start=1):
            try:
                row = current.get(change.case_id)
                if row is None:
                    access.require(actor, access.CASE_READ)
                    raise NotFound(f"no case {change.case_id}")
                access.require_on_case(actor, case_changes.CHANGE_ACTIONS[change.kind], change.case_id, row["district"])
                case_changes.check_version(change.case_id, int(row["version"]), row["state"], change.expected_version)
                if change.kind == "assign" and change.value is not None and change.value not in known_users:
                    raise guarded.UnknownUser(f"no user {change.value!r}")
                done = case_changes.build_change(actor.name, change, row, now)
            except VardeError as error:
                raise case_changes.located(error, change, position if numbered else None) from None
            version = int(row["version"]) + 1
            row.update(done.values, version=version, updated_at=now)
            changed.setdefault(change.case_id, set()).update(done.values)
            row_history, entry = case_changes.record(actor, change.case_id, done, version, now)
            history.append(row_history)
            entries.append(entry)
            if done.action == "status":  # dismissing or confirming a case is a verdict on its posts
                state = str(done.to_state)
                entries.extend(verdicts.case_status_verdicts(conn, actor, change.case_id, state, done.reason, now))
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for case_id in sorted(changed):
            columns = tuple(sorted(changed[case_id]))
            row = current[case_id]
            groups.setdefault(columns, []).append(
                {
                    "b_id": case_id,
                    "b_read_version": read_versions[case_id],
                    "b_version": row["version"],
                    "b_updated_at": now,
                    **{f"b_{c}": row[c] for c in columns},
                }
            )
        for columns, params in groups.items():
            written = conn.execute(case_changes.update_statement(columns), params).rowcount
            if written != len(params):
                case_changes.raise_conflict(conn, read_versions, [int(p["b_id"]) for p in params])
        conn.execute(insert(case_events), history)
        audit.append_many(conn, entries, at=now)
        return [summary_from_row(SimpleNamespace(**current[i])) for i in dict.fromkeys(c.case_id for c in changes)]

    def apply_changes(self, actor: Actor, changes: Sequence[CaseChange]) -> list[CaseSummary]:
        """Apply `changes` (status, assign, priority, note, district; to one case or many) in order, in ONE
        transaction: all of them or, if any is refused, none. Each is checked as if made alone, after the ones before
        it — access by role and the case's district, `expected_version`, the lifecycle — and gets its own history
        row and audit event. Returns each changed case as it is afterwards, in the order first changed. Errors name
        the refused change (its `origin`, else its position). If no change pins a version, a concurrent change of
        one of the cases is retried once."""
        checked = [case_changes.check_change(change, position) for position, change in enumerate(changes, start=1)]
        return self._changes(actor, checked, "cases", numbered=True)

    def _changes(self, actor: Actor, checked: list[CaseChange], obj: str, *, numbered: bool) -> list[CaseSummary]:
        if not checked:
            return []
        action = case_changes.CHANGE_ACTIONS[checked[0].kind] if len(checked) == 1 else access.CASE_CHANGE

        def work(conn: Connection) -> list[CaseSummary]:
            return self._apply_batch(conn, actor, checked, numbered=numbered)

        try:
            return self._guarded(actor, action, obj, work)
        except Conflict:
            if any(c.expected_version is not None for c in checked):
                raise
            # Nobody pinned a version: re-read, re-check and try once more.
            return self._guarded(actor, action, obj, work)

    def _change(self, actor: Actor, change: CaseChange) -> CaseSummary:
        return self._changes(actor, [case_changes.check_change(change)], f"case:{change.case_id}", numbered=False)[0]

    def set_status(
        self, actor: Actor, case_id: int, state: str, reason: str, *, expected_version: int | None = None
    ) -> CaseSummary:
        """Move a case along the lifecycle (not to `merged`: use `merge`). InvalidTransition names what is allowed;
        Conflict if the case changed since `expected_version` (when given) or concurrently."""
        return self._change(actor, CaseChange(case_id, "status", state, reason, expected_version))

    def merge(
        self, actor: Actor, case_id: int, into_id: int, reason: str, *, expected_version: int | None = None
    ) -> CaseSummary:
        """Mark `case_id` a duplicate of `into_id` (supervisors): it becomes `merged`, and its posts are linked to
        the surviving case too. Both cases must be visible to the actor; the survivor must not be merged itself."""
        reason = case_changes.require_reason(reason)
        if case_id == into_id:
            raise InvalidTransition(f"case {case_id} cannot be merged into itself")

        def work(conn: Connection) -> CaseSummary:
            row = self._case_row(conn, actor, case_id, access.CASE_MERGE)
            case_changes.check_version(case_id, int(row.version), row.state, expected_version)
            target = self._case_row(conn, actor, into_id, access.CASE_MERGE)
            lifecycle.check_transition(case_id, row.state, lifecycle.MERGED, merging=True)
            if target.state == lifecycle.MERGED:
                raise InvalidTransition(
                    f"case {into_id} is itself merged into case {target.merged_into}; merge into that one"
                )
            now = self.now()
            # Lock in id order so two opposite merges cannot deadlock.
            first, second = sorted([(case_id, "source"), (into_id, "target")])
            merged: Any = None
            for _, role in (first, second):
                if role == "source":
                    merged = self._apply(
                        conn,
                        actor,
                        row,
                        case_changes.Change(
                            "merge",
                            {"state": lifecycle.MERGED, "merged_into": into_id, "state_changed_at": now},
                            reason,
                            row.state,
                            lifecycle.MERGED,
                            {"into": into_id},
                        ),
                        expected_version,
                    )
                else:
                    self._apply(
                        conn, actor, target, case_changes.Change("absorb", {}, reason, data={"merged": case_id}), None
                    )
            moved = [
                {"case_id": into_id, "post_id": p}
                for p in conn.execute(select(case_posts.c.post_id).where(case_posts.c.case_id == case_id)).scalars()
            ]
            tags = [
                {"case_id": into_id, "tag": t}
                for t in conn.execute(select(case_tags.c.tag).where(case_tags.c.case_id == case_id)).scalars()
            ]
            insert_ignore(conn, case_tags, tags, ["case_id", "tag"])
            if moved:
                insert_ignore(conn, case_posts, moved, ["case_id", "post_id"])
                n_posts = conn.execute(
                    select(func.count()).select_from(case_posts).where(case_posts.c.case_id == into_id)
                ).scalar_one()
                conn.execute(update(cases).where(cases.c.id == into_id).values(n_posts=int(n_posts)))
            return summary_from_row(merged)

        return self._guarded(actor, access.CASE_MERGE, f"case:{case_id}", work)

    def assign(
        self,
        actor: Actor,
        case_id: int,
        assignee: str | None,
        reason: str,
        *,
        expected_version: int | None = None,
    ) -> CaseSummary:
        """Assign a case to a user, or unassign with None (supervisors)."""
        return self._change(actor, CaseChange(case_id, "assign", assignee, reason, expected_version))

    def set_district(
        self, actor: Actor, case_id: int, district: str, reason: str, *, expected_version: int | None = None
    ) -> CaseSummary:
        """Override the district taken from the extracted place (analysts, supervisors); later scans keep it."""
        return self._change(actor, CaseChange(case_id, "district", district, reason, expected_version))

    def set_priority(
        self, actor: Actor, case_id: int, priority: int, reason: str, *, expected_version: int | None = None
    ) -> CaseSummary:
        """Override the priority (1 low … 5 critical) computed from urgency; later scans keep it."""
        return self._change(actor, CaseChange(case_id, "priority", priority, reason, expected_version))

    def add_note(self, actor: Actor, case_id: int, text: str, *, expected_version: int | None = None) -> CaseSummary:
        """Append a note to the case's notes (the note is also its own reason in the history)."""
        return self._change(actor, CaseChange(case_id, "note", text, "", expected_version))

    # --- evidence, retention

    def export_evidence(
        self,
        actor: Actor,
        case_id: int,
        path: str | Path,
        *,
        media_folder: Path | None = None,
        keys: Path | None = None,
    ) -> str:
        """Write the evidence bundle of a case to `path` (a zip), with media from the media store in `media_folder`,
        signed with the installation key in `keys` (both default beside the database); returns the manifest's
        SHA-256, which the audit event (`case.export`) also records."""
        from varde.cases import evidence
        from varde.keys import signer
        from varde.media.store import MediaStore
        from varde.settings import beside_database

        url = self.store.engine.url.render_as_string(hide_password=False)
        media = MediaStore(media_folder or beside_database(url, "media"))

        def work(conn: Connection) -> str:
            row = self._case_row(conn, actor, case_id, access.CASE_EXPORT)
            signing = signer(keys or beside_database(url, "keys"))  # created on first use, after the access check
            bundle = evidence.collect(
                conn, summary_from_row(row).to_dict(), [e.to_dict() for e in self._events(conn, case_id)], media
            )
            digest = evidence.write_bundle(
                bundle, partial, exported_by=actor.name, exported_at=self.now(), signer=signing
            )
            self._audit(
                conn,
                actor,
                "case.export",
                f"case:{case_id}",
                {"manifest_sha256": digest, "files": len(bundle.files) + 3, "path": str(path)},
            )
            return digest

        # The bundle appears under its name only once its export event is committed.
        target = Path(path)
        partial = target.with_name(target.name + ".partial")
        try:
            digest = self._guarded(actor, access.CASE_EXPORT, f"case:{case_id}", work)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        partial.replace(target)
        return digest

    def case_image(self, actor: Actor, case_id: int, digest: str, *, media_folder: Path | None = None) -> bytes:
        """The stored bytes of an image captured with one of the case's posts, by its SHA-256 digest. NotFound when
        the case does not exist, `actor` may not read it, or `digest` is not one of its posts' captured files (so a
        digest from another case, or a name a post gave, opens nothing). Audited as `case.media`."""
        from varde.media.files import MediaRejected
        from varde.media.store import MediaStore, valid_digest
        from varde.settings import beside_database

        url = self.store.engine.url.render_as_string(hide_password=False)
        media = MediaStore(media_folder or beside_database(url, "media"))

        def work(conn: Connection) -> None:
            self._case_row(conn, actor, case_id, access.CASE_READ)
            rows = conn.execute(
                select(posts.c.media_files)
                .join(case_posts, case_posts.c.post_id == posts.c.id)
                .where(case_posts.c.case_id == case_id)
            ).all()
            if not valid_digest(digest) or not any(digest in captured_digests(r.media_files) for r in rows):
                raise NotFound(f"case {case_id} has no image {digest[:64]!r}")
            self._audit(conn, actor, "case.media", f"case:{case_id}", {"sha256": digest})

        self._guarded(actor, access.CASE_READ, f"case:{case_id}", work)
        try:
            return media.read(digest)
        except MediaRejected as error:  # recorded at capture but gone or altered since: nothing to show
            raise NotFound(str(error)) from None

    def purge_expired(self, actor: Actor, *, days: int, now: datetime | None = None) -> list[int]:
        """Delete dismissed cases (and their posts, records, history) dismissed more than `days` ago; one audit event
        per case with the hashes of what was deleted. Supervisors, or the system's scheduled job."""
        from varde.cases import retention

        if actor is not access.SYSTEM:
            self._require(actor, access.CASE_PURGE, "cases")
        moment = now or self.now()
        with self._tx() as conn:
            return retention.purge(conn, actor, days=days, now=moment)

    # --- audit log

    def audit_log(
        self,
        actor: Actor,
        *,
        limit: int = 100,
        before: int | None = None,
        user: str | None = None,
        object_: str | None = None,
        action: str | None = None,
    ) -> list[audit.AuditEvent]:
        """The newest audit events (auditors); reading it is itself audited as `audit.read`."""

        def work(conn: Connection) -> list[audit.AuditEvent]:
            access.require(actor, access.AUDIT_READ)
            events = audit.recent(conn, limit=limit, before=before, actor=user, object_=object_, action=action)
            self._audit(
                conn,
                actor,
                "audit.read",
                "audit",
                {"limit": limit, "before": before, "user": user, "object": object_, "action": action},
            )
            return events

        return self._guarded(actor, access.AUDIT_READ, "audit", work)

    def verify_audit(self) -> audit.Verification:
        """Walk the whole chain (needs no user: it reveals only integrity)."""
        with self.store.engine.connect() as conn:
            return audit.verify(conn)

    # --- tip contacts

    def add_tip_contact(self, actor: Actor, post_id: str, contact: str) -> int:
        """Store a tipster's contact for tip post `post_id`, apart from the post itself; returns its id."""
        contact = contact.strip()
        if not contact:
            raise InputError("empty contact")

        def work(conn: Connection) -> int:
            if actor is not access.SYSTEM:
                access.require(actor, access.TIP_CONTACT_WRITE)
            new_id = conn.execute(
                insert(tip_contacts)
                .values(post_id=post_id, contact=contact, created_at=self.now(), created_by=actor.name)
                .returning(tip_contacts.c.id)
            ).scalar_one()
            # The contact itself never goes into the audit log: it is exactly what must stay confidential.
            self._audit(conn, actor, "tip.contact.add", f"post:{post_id}", {"tip_contact_id": int(new_id)})
            return int(new_id)

        return self._guarded(actor, access.TIP_CONTACT_WRITE, f"post:{post_id}", work)

    def tip_contacts(self, actor: Actor, post_id: str) -> list[TipContact]:
        """The contacts stored for a tip post (supervisors only); audited as `tip.contact.read`."""

        def work(conn: Connection) -> list[TipContact]:
            access.require(actor, access.TIP_CONTACT_READ)
            rows = conn.execute(
                select(tip_contacts).where(tip_contacts.c.post_id == post_id).order_by(tip_contacts.c.id)
            ).all()
            self._audit(conn, actor, "tip.contact.read", f"post:{post_id}", {"count": len(rows)})
            return [TipContact(int(r.id), r.post_id, r.contact, r.created_at, r.created_by) for r in rows]

        return self._guarded(actor, access.TIP_CONTACT_READ, f"post:{post_id}", work)


__all__ = [
    "TIME_FILTERS",
    "Actor",
    "CaseChange",
    "CaseDetail",
    "CaseEvent",
    "CaseFilter",
    "CasePage",
    "CasePost",
    "CaseService",
    "CaseSummary",
    "IssuedToken",
    "TipContact",
    "dumps",
    "tags",
]
