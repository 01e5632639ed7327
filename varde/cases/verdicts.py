"""Analysts' verdicts on posts — "this is an order (of these types, in this district)" or "this is not an order" —
kept as labels the detector can learn from.

A verdict is given directly (`VerdictService.label`: the CLI's `varde label`, the API's `POST
/api/posts/{id}/label`) or follows from a case's status: dismissing a case records not-order verdicts on its posts,
confirming it (uncovered) order verdicts (`case_status_verdicts`, called by `CaseService` as it applies the change).

Verdicts are append-only: every one is kept, and the last verdict per post per user is the one that counts. Every
verdict is audited. Who may label what follows the case rules: the roles that may change cases, and an investigator
only posts of their own districts' cases (any other post is reported as not found, so its existence does not leak).

The export writes one line per post in the format of the labelled evaluation sets (`dev.jsonl`): the label is the
majority of the users' current verdicts; a tie goes to the most recent."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Connection, insert, select

from varde.cases import access, audit, lifecycle
from varde.cases.access import Actor
from varde.cases.guarded import Guarded
from varde.errors import InputError, NotFound
from varde.store.case_tables import case_posts, cases
from varde.store.tables import posts, records
from varde.store.verdict_tables import verdicts
from varde.vocab import ALL_DISTRICTS, VIOLENCE_TYPES

# The case states that say something about the case's posts, and what they say.
STATE_VERDICTS: dict[str, bool] = {lifecycle.DISMISSED: False, lifecycle.UNCOVERED: True}

# The `bucket` of exported verdicts (the evaluation sets name where a labelled post came from).
EXPORT_BUCKET = "analyst_verdict"

# Post ids per SELECT … IN (…) (well under SQLite's bound-parameter limit).
CHUNK = 500


@dataclass(frozen=True, slots=True)
class Verdict:
    """One stored verdict."""

    post_id: str
    user_name: str
    is_order: bool
    violence_types: tuple[str, ...]
    district: str | None
    reason: str
    case_id: int | None
    source: str
    at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {
            "post_id": self.post_id,
            "user": self.user_name,
            "is_order": self.is_order,
            "violence_types": list(self.violence_types),
            "district": self.district,
            "reason": self.reason,
            "case_id": self.case_id,
            "source": self.source,
            "at": self.at.isoformat(),
        }


def check_verdict(
    is_order: bool, violence_types: Sequence[str], district: str | None, reason: str
) -> tuple[tuple[str, ...], str | None, str]:
    """The verdict's types, district and reason, checked and trimmed; InputError names what is wrong. Pure.

    A not-order verdict carries no types and no district."""
    reason = (reason or "").strip()
    if not reason:
        raise InputError("a reason is required for every verdict")
    types = tuple(dict.fromkeys(t.strip() for t in violence_types if t.strip()))
    unknown = [t for t in types if t not in VIOLENCE_TYPES]
    if unknown:
        raise InputError(f"unknown violence type(s) {', '.join(unknown)}; one of: {', '.join(VIOLENCE_TYPES)}")
    district = (district or "").strip() or None
    if district is not None and district not in ALL_DISTRICTS:
        raise InputError(f"unknown district {district!r}")
    if not is_order and (types or district):
        raise InputError("a not-order verdict takes no violence types and no district")
    return types, district, reason


def _entry(actor: Actor, verdict: dict[str, Any]) -> audit.AuditEntry:
    details = {k: verdict[k] for k in ("is_order", "violence_types", "district", "reason", "case_id")}
    return audit.AuditEntry(actor.name, "post.label", f"post:{verdict['post_id']}", actor.source, details)


def case_status_verdicts(
    conn: Connection, actor: Actor, case_id: int, state: str, reason: str, now: datetime
) -> list[audit.AuditEntry]:
    """Record the verdicts a case's new `state` implies on its posts (none for other states) in the caller's
    transaction; returns their audit entries for the caller to append with its own. The caller has checked that
    `actor` may change the case."""
    if state not in STATE_VERDICTS:
        return []
    is_order = STATE_VERDICTS[state]
    case = conn.execute(select(cases.c.district, cases.c.violence_tags).where(cases.c.id == case_id)).one()
    types = [t for t in str(case.violence_tags).split("|") if t] if is_order else []
    post_ids = conn.execute(
        select(case_posts.c.post_id).where(case_posts.c.case_id == case_id).order_by(case_posts.c.post_id)
    ).scalars()
    rows = [
        {
            "post_id": post_id,
            "user_name": actor.name,
            "is_order": is_order,
            "violence_types": types,
            "district": case.district if is_order else None,
            "reason": f"case {case_id} {state}: {reason}",
            "case_id": case_id,
            "source": actor.source,
            "at": now,
        }
        for post_id in post_ids
    ]
    if rows:
        conn.execute(insert(verdicts), rows)
    return [_entry(actor, row) for row in rows]


def _verdict(row: Any) -> Verdict:
    return Verdict(
        post_id=row.post_id,
        user_name=row.user_name,
        is_order=bool(row.is_order),
        violence_types=tuple(row.violence_types or ()),
        district=row.district,
        reason=row.reason,
        case_id=row.case_id,
        source=row.source,
        at=row.at,
    )


def current(history: Sequence[Verdict]) -> list[Verdict]:
    """The verdicts that count: the last per post per user (by time, then by the order given). Pure."""
    last: dict[tuple[str, str], Verdict] = {}
    for verdict in history:
        key = (verdict.post_id, verdict.user_name)
        if key not in last or verdict.at >= last[key].at:
            last[key] = verdict
    return list(last.values())


def consensus(counting: Sequence[Verdict]) -> Verdict:
    """One post's label from its users' current verdicts: the majority's most recent; a tie goes to the most
    recent verdict. Pure."""
    newest_first = sorted(counting, key=lambda v: v.at, reverse=True)
    orders = sum(1 for v in counting if v.is_order)
    others = len(counting) - orders
    if orders == others:
        return newest_first[0]
    return next(v for v in newest_first if v.is_order == (orders > others))


def export_line(post: Any, verdict: Verdict) -> dict[str, Any]:
    """One line of the labelled set (the shape of `dev.jsonl`) for `post` with `verdict` as its label. Pure."""
    return {
        "id": post.id,
        "platform": post.platform,
        "channel": post.channel,
        "author": post.author,
        "text": post.text,
        "created_at": post.created_at.isoformat(),
        "label": {
            "is_order": verdict.is_order,
            "bucket": EXPORT_BUCKET,
            "violence_types": list(verdict.violence_types),
            "order_group": None,
            "country": post.country if verdict.is_order else None,
            "district": verdict.district,
            "municipality": None,
            "payment_amount": None,
            "payment_currency": None,
            "when_date": None,
            "contacts": [],
            "minor": False,
            "language": post.language,
        },
    }


class VerdictService(Guarded):
    """Give verdicts on posts, read them back and export them. Stateless apart from the store."""

    def _visible_post(self, conn: Connection, actor: Actor, post_id: str) -> None:
        """NotFound unless the post exists and `actor` may label it (an investigator: a post of their districts'
        cases)."""
        exists = conn.execute(select(posts.c.id).where(posts.c.id == post_id)).first() is not None
        if exists and actor.role in access.DISTRICT_BOUND:
            districts = conn.execute(
                select(cases.c.district)
                .join(case_posts, case_posts.c.case_id == cases.c.id)
                .where(case_posts.c.post_id == post_id)
            ).scalars()
            exists = any(access.may_on_case(actor, access.CASE_CHANGE, d) for d in districts)
        if not exists:
            raise NotFound(f"no post {post_id!r}")

    def label(
        self,
        actor: Actor,
        post_id: str,
        *,
        is_order: bool,
        reason: str,
        violence_types: Sequence[str] = (),
        district: str | None = None,
    ) -> Verdict:
        """Record `actor`'s verdict on a post. InputError for a bad verdict, NotFound for a post they may not see,
        AccessDenied for a role that may not change cases. Audited as `post.label`."""
        types, district, reason = check_verdict(is_order, violence_types, district, reason)

        def work(conn: Connection) -> Verdict:
            access.require(actor, access.CASE_CHANGE)
            self._visible_post(conn, actor, post_id)
            now = self.now()
            row: dict[str, Any] = {
                "post_id": post_id,
                "user_name": actor.name,
                "is_order": is_order,
                "violence_types": list(types),
                "district": district,
                "reason": reason,
                "case_id": None,
                "source": actor.source,
                "at": now,
            }
            conn.execute(insert(verdicts).values(**row))
            audit.append(conn, _entry(actor, row), at=now)
            return _verdict(SimpleNamespace(**row))

        return self._guarded(actor, access.CASE_CHANGE, f"post:{post_id}", work)

    def _history(self, conn: Connection, actor: Actor, post_id: str | None = None) -> list[Verdict]:
        query = select(verdicts).order_by(verdicts.c.id)
        if post_id is not None:
            query = query.where(verdicts.c.post_id == post_id)
        scope = access.case_scope(actor)
        if scope is not None:
            seen = select(case_posts.c.post_id).join(cases, cases.c.id == case_posts.c.case_id)
            query = query.where(verdicts.c.post_id.in_(seen.where(cases.c.district.in_(sorted(scope)))))
        return [_verdict(r) for r in conn.execute(query)]

    def history(self, actor: Actor, post_id: str | None = None) -> list[Verdict]:
        """Every verdict `actor` may see (on one post, or all), oldest first."""

        def work(conn: Connection) -> list[Verdict]:
            return self._history(conn, actor, post_id)

        return self._guarded(actor, access.CASE_READ, f"post:{post_id}" if post_id else "verdicts", work)

    def export(self, actor: Actor) -> list[dict[str, Any]]:
        """The labelled set from the verdicts `actor` may see: one line per post (the shape of `dev.jsonl`), in
        post order. Audited as `labels.export`."""

        def work(conn: Connection) -> list[dict[str, Any]]:
            by_post: dict[str, list[Verdict]] = {}
            for verdict in current(self._history(conn, actor)):
                by_post.setdefault(verdict.post_id, []).append(verdict)
            ids = sorted(by_post)
            lines: list[dict[str, Any]] = []
            for start in range(0, len(ids), CHUNK):
                rows = conn.execute(
                    select(posts.c.id, posts.c.platform, posts.c.channel, posts.c.author, posts.c.text)
                    .add_columns(posts.c.created_at, records.c.language, records.c.country)
                    .outerjoin(records, records.c.post_id == posts.c.id)
                    .where(posts.c.id.in_(ids[start : start + CHUNK]))
                    .order_by(posts.c.id)
                )
                lines.extend(export_line(r, consensus(by_post[r.id])) for r in rows)
            self._audit(conn, actor, "labels.export", "verdicts", {"posts": len(lines)})
            return lines

        return self._guarded(actor, access.CASE_READ, "verdicts", work)


def consensus_labels(conn: Connection) -> dict[str, bool]:
    """Every labelled post's label (the consensus of its users' current verdicts), for roles that see every case:
    backtests and the observed precision of the statistics."""
    by_post: dict[str, list[Verdict]] = {}
    for verdict in current([_verdict(r) for r in conn.execute(select(verdicts).order_by(verdicts.c.id))]):
        by_post.setdefault(verdict.post_id, []).append(verdict)
    return {post_id: consensus(found).is_order for post_id, found in sorted(by_post.items())}
