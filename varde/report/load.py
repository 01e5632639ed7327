"""Read `CaseFact`s from the case store (edge: the only report module that touches the database).

One fact per case: its state now, the first time it entered each state (from `case_events`), the distinct
`source`s of its posts (through `case_posts`), its platforms (a tip counts as the platform the tipster saw it on,
`seen_on` in its raw record, and as `tip` when that is unknown), and the deadline (`when_start`) of its order.
Networks are not in the store; pass `networks` (order id → network names) from the network analysis when you have it."""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, case, false, func, select

from varde.report.facts import CaseFact
from varde.report.precision import FlagFact
from varde.report.quarters import quarter_bounds, quarter_of, quarter_range, shift_quarter
from varde.store.case_tables import case_events, case_posts, cases
from varde.store.tables import UTCDateTime, orders, posts, records
from varde.vocab import DISTRICT_COUNTRY, PLATFORMS

_STATE_TIMES = {
    "uncovered": "uncovered_at",
    "prevented": "prevented_at",
    "executed": "executed_at",
    "dismissed": "dismissed_at",
}


_TAGS: dict[str, frozenset[str]] = {}


def _tags(text: str | None) -> frozenset[str]:
    """ "|shooting|arson|" → {"shooting", "arson"}."""
    if not text:
        return frozenset()
    tags = _TAGS.get(text)
    if tags is None:  # few distinct tag strings: each parsed once (the memo stops growing at a bound)
        tags = frozenset(filter(None, text.split("|")))
        if len(_TAGS) < 10_000:
            _TAGS[text] = tags
    return tags


def seen_on(raw: bytes) -> str:
    """The platform a tip's raw record says it was seen on (a known platform), else "tip"."""
    try:
        record = json.loads(raw)
    except ValueError:
        return "tip"
    platform = record.get("seen_on") if isinstance(record, dict) else None
    return platform if isinstance(platform, str) and platform in PLATFORMS else "tip"


def _platforms(stored: frozenset[str], tips_seen_on: list[str] | None) -> frozenset[str]:
    """A case's platforms with each tip post counted as the platform it was seen on (`tip` only when unknown)."""
    if not tips_seen_on:
        return stored
    return (stored - {"tip"}) | frozenset(tips_seen_on)


def _aware(value: Any) -> datetime | None:
    """Aggregates lose the column type on SQLite (a naive string comes back); make every instant aware UTC."""
    if value is None:
        return None
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    assert isinstance(moment, datetime)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def data_version(conn: Connection) -> tuple[Any, ...]:
    """A fingerprint of what the facts are read from: it changes whenever a case is added, changed (its `version`
    is bumped and `updated_at` moves on every change) or gets a post or an event. Cheap: aggregates over two
    tables, no rows fetched."""
    case_part = conn.execute(
        select(func.count(), func.max(cases.c.id), func.sum(cases.c.version), func.max(cases.c.updated_at))
    ).one()
    events = conn.execute(select(func.count(), func.max(case_events.c.id))).one()
    posts_in_cases = conn.execute(select(func.count()).select_from(case_posts)).scalar_one()
    return (*case_part, *events, posts_in_cases)


def load_facts(
    conn: Connection,
    districts: Collection[str] | None = None,
    *,
    networks: Mapping[str, Collection[str]] | None = None,
) -> list[CaseFact]:
    """One `CaseFact` per case placed in `districts` (None: every case), ordered by case id."""
    scope: Any = None
    if districts is not None:
        scope = cases.c.district.in_(sorted(districts)) if districts else false()
    case_query = (
        select(
            cases.c.id,
            cases.c.order_id,
            cases.c.state,
            cases.c.country,
            cases.c.district,
            cases.c.violence_tags,
            cases.c.platforms,
            cases.c.n_posts,
            cases.c.first_seen_at,
            cases.c.created_at,
            orders.c.when_start,
        )
        .select_from(cases.outerjoin(orders, orders.c.id == cases.c.order_id))
        .order_by(cases.c.id)
    )
    event_query = (
        select(case_events.c.case_id, case_events.c.to_state, func.min(case_events.c.at, type_=UTCDateTime()))
        .join(cases, cases.c.id == case_events.c.case_id)
        .where(case_events.c.to_state.in_(list(_STATE_TIMES)))
        .group_by(case_events.c.case_id, case_events.c.to_state)
    )
    source_query = (
        select(case_posts.c.case_id, posts.c.source)
        .join(posts, posts.c.id == case_posts.c.post_id)
        .join(cases, cases.c.id == case_posts.c.case_id)
        .where(posts.c.source.is_not(None))
        .distinct()
    )
    tip_query = (
        select(case_posts.c.case_id, posts.c.raw)
        .join(posts, posts.c.id == case_posts.c.post_id)
        .join(cases, cases.c.id == case_posts.c.case_id)
        .where(posts.c.platform == "tip")
    )
    if scope is not None:
        case_query = case_query.where(scope)
        event_query = event_query.where(scope)
        source_query = source_query.where(scope)
        tip_query = tip_query.where(scope)
    times: dict[int, dict[str, datetime | None]] = {}
    for case_id, state, at in conn.execute(event_query).all():
        times.setdefault(int(case_id), {})[_STATE_TIMES[state]] = _aware(at)
    sources: dict[int, set[str]] = {}
    for case_id, source in conn.execute(source_query).all():
        sources.setdefault(int(case_id), set()).add(source)
    tips_seen_on: dict[int, list[str]] = {}
    for case_id, raw in conn.execute(tip_query).all():
        tips_seen_on.setdefault(int(case_id), []).append(seen_on(bytes(raw)))
    networks = networks or {}
    facts = []
    for row in conn.execute(case_query).all():
        order_id = row.order_id or f"case-{row.id}"
        first = _aware(row.first_seen_at)
        detected = _aware(row.created_at)
        assert first is not None and detected is not None
        facts.append(
            CaseFact(
                case_id=str(row.id),
                order_id=order_id,
                status=row.state,
                # A district names its country; cases stored before the primary place could pair SE with Oslo.
                country=DISTRICT_COUNTRY.get(row.district or "", row.country),
                district=row.district,
                violence_types=_tags(row.violence_tags),
                platforms=_platforms(_tags(row.platforms), tips_seen_on.get(int(row.id))),
                networks=frozenset(networks.get(order_id, ())),
                sources=frozenset(sources.get(int(row.id), set())),
                n_posts=int(row.n_posts),
                first_post_at=first,
                detected_at=detected,
                when_start=_aware(row.when_start),
                **times.get(int(row.id), {}),
            )
        )
    return facts


def load_flags(conn: Connection, districts: Collection[str] | None = None) -> list[FlagFact]:
    """Every post the detector flagged (in `districts`; None: all), with the analysts' verdict on it (observed
    precision, `varde.report.precision`)."""
    from varde.cases.verdicts import consensus_labels  # the verdicts' consensus rule lives with the verdicts

    query = (
        select(records.c.post_id, records.c.district, posts.c.created_at)
        .join(posts, posts.c.id == records.c.post_id)
        .where(records.c.is_order.is_(True))
        .order_by(records.c.post_id)
    )
    if districts is not None:
        query = query.where(records.c.district.in_(sorted(districts)) if districts else false())
    labels = consensus_labels(conn)
    return [
        FlagFact(row.post_id, row.district, _aware(row.created_at) or datetime.now(UTC), labels.get(row.post_id))
        for row in conn.execute(query)
    ]


def _quarter_starts(conn: Connection, scope: Any) -> list[datetime]:
    """The UTC instants at which each Oslo quarter starts, from the first to the last instant in the case tables."""
    case_range = select(func.min(cases.c.first_seen_at), func.max(cases.c.first_seen_at))
    event_range = select(func.min(case_events.c.at), func.max(case_events.c.at))
    if scope is not None:
        case_range = case_range.where(scope)
    instants = [_aware(v) for v in (*conn.execute(case_range).one(), *conn.execute(event_range).one())]
    present = [i for i in instants if i is not None]
    if not present:
        return []
    quarters = quarter_range(quarter_of(min(present)), shift_quarter(quarter_of(max(present)), 1))
    return [quarter_bounds(q)[0].astimezone(UTC) for q in quarters]


def _quarter_case(column: Any, starts: list[datetime]) -> Any:
    """SQL: the index of the quarter `column` falls in (NULL stays NULL); `starts` are the quarters' starts."""
    return case(*((column < start, index - 1) for index, start in enumerate(starts[1:], start=1)), else_=None)


def load_tally_groups(conn: Connection, districts: Collection[str] | None = None) -> list[tuple[CaseFact, int]]:
    """The facts the dashboard needs, aggregated in SQL: one stand-in `CaseFact` per group of cases that share
    state, place, violence types and the quarters of their first post and of each state they entered, with the
    group's size (its weight) and its posts summed into `n_posts`. The stand-in's instants are the start of each
    quarter, so `varde.report.stats` counts the group exactly as it would count its cases one by one (quarters are
    all a tally looks at); sources, platforms and networks are left empty (the dashboard shows none of them).

    This reads a few thousand grouped rows instead of every case, so the dashboard stays fast with 10⁵ cases."""
    scope: Any = None
    if districts is not None:
        scope = cases.c.district.in_(sorted(districts)) if districts else false()
    starts = _quarter_starts(conn, scope)
    if not starts:
        return []
    firsts = (
        select(
            case_events.c.case_id.label("case_id"),
            *(
                func.min(case((case_events.c.to_state == state, case_events.c.at), else_=None)).label(state)
                for state in _STATE_TIMES
            ),
        )
        .where(case_events.c.to_state.in_(list(_STATE_TIMES)))
        .group_by(case_events.c.case_id)
        .subquery()
    )
    keys = [
        cases.c.state,
        cases.c.district,
        cases.c.country,
        cases.c.violence_tags,
        _quarter_case(cases.c.first_seen_at, starts).label("q_first"),
        *(_quarter_case(firsts.c[state], starts).label(f"q_{state}") for state in _STATE_TIMES),
    ]
    query = (
        select(*keys, func.count().label("n"), func.sum(cases.c.n_posts).label("posts"))
        .select_from(cases.outerjoin(firsts, firsts.c.case_id == cases.c.id))
        .group_by(*keys)
    )
    if scope is not None:
        query = query.where(scope)

    def at(index: Any) -> datetime | None:
        return None if index is None else starts[int(index)]

    groups = []
    for number, row in enumerate(conn.execute(query).all()):
        first = at(row.q_first)
        assert first is not None
        fact = CaseFact(
            case_id=f"group-{number}",
            order_id=f"group-{number}",
            status=row.state,
            country=DISTRICT_COUNTRY.get(row.district or "", row.country),
            district=row.district,
            violence_types=_tags(row.violence_tags),
            platforms=frozenset(),
            networks=frozenset(),
            sources=frozenset(),
            n_posts=int(row.posts or 0),
            first_post_at=first,
            detected_at=first,
            **{field: at(getattr(row, f"q_{state}")) for state, field in _STATE_TIMES.items()},
        )
        groups.append((fact, int(row.n)))
    return groups
