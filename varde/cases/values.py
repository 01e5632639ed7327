"""The values `CaseService` returns and takes: cases as listed and shown, posts, history, filters, pages.

Each has `to_dict()` giving JSON-ready data (datetimes as ISO 8601) for the CLI's `--json` and the API."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from varde.cases import lifecycle
from varde.errors import InputError
from varde.extractors.urgency import band_now
from varde.vocab import district_label


@dataclass(frozen=True, slots=True)
class CaseSummary:
    """One case as listed: state, version (pass it back as `expected_version`), district, priority, counts."""

    id: int
    order_id: str | None
    state: str
    version: int
    district: str | None
    district_overridden: bool
    country: str | None
    language: str | None
    platform: str | None
    platforms: tuple[str, ...]
    violence_types: tuple[str, ...]
    urgency: float
    priority: int
    priority_overridden: bool
    assignee: str | None
    notes: str
    n_posts: int
    first_seen_at: datetime
    last_seen_at: datetime
    created_at: datetime
    updated_at: datetime
    state_changed_at: datetime
    merged_into: int | None
    when_start: datetime | None = None  # the order's time window (a tip's own)
    when_end: datetime | None = None

    def urgency_band(self, now: datetime) -> str:
        """The urgency band as seen at `now` (`varde.extractors.urgency.BANDS`): once the window has passed,
        `time_passed` ("time passed — check outcome"), whatever the urgency was when the order was posted."""
        return band_now(self.when_start, self.when_end, now)

    @property
    def order_label(self) -> str:
        """The order id as shown; a case opened from a tip the detector did not flag has none."""
        return self.order_id or "none (tip)"

    @property
    def district_label(self) -> str:
        """The district with its country ("Øst (NO)", "Öst (SE)"), for lists that mix countries."""
        return district_label(self.district, self.country)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = jsonable(asdict(self))
        return out


@dataclass(frozen=True, slots=True)
class CasePost:
    """A post of a case, as the triage pages show it (the raw bytes are only in the evidence export)."""

    id: str
    platform: str
    channel: str | None
    author: str | None
    created_at: datetime
    text: str
    url: str | None
    source: str | None
    media: tuple[str, ...]
    sha256: str
    captured_at: datetime
    record: dict[str, Any] | None  # the CONTRACT §2 object, when the post has been analysed
    # A tip: the platform and time the tipster saw it (from its raw record); its address is `url`.
    seen_on: str | None = None
    seen_at: datetime | None = None
    images: tuple[str, ...] = ()  # SHA-256 digests of the media captured into the media store

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = jsonable(asdict(self))
        return out


@dataclass(frozen=True, slots=True)
class CaseEvent:
    """One entry of a case's history."""

    id: int
    at: datetime
    actor: str
    action: str
    from_state: str | None
    to_state: str | None
    reason: str
    data: dict[str, Any]

    @property
    def change(self) -> str:
        """The event in words: "detected → uncovered", "opened as detected" (a case's first state has no "from"),
        or the action ("note", "assign")."""
        if self.to_state and self.from_state:
            return f"{self.from_state} → {self.to_state}"
        if self.to_state:
            return f"opened as {self.to_state}"
        return self.action

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = jsonable(asdict(self))
        return out


@dataclass(frozen=True, slots=True)
class CaseDetail:
    """A case with its posts (oldest first) and history (oldest first)."""

    case: CaseSummary
    posts: tuple[CasePost, ...]
    events: tuple[CaseEvent, ...]

    def to_dict(self) -> dict[str, Any]:
        out = self.case.to_dict()
        out["posts"] = [p.to_dict() for p in self.posts]
        out["events"] = [e.to_dict() for e in self.events]
        out["allowed_next"] = [s for s in lifecycle.allowed_next(self.case.state) if s != lifecycle.MERGED]
        return out


@dataclass(frozen=True, slots=True)
class CaseFilter:
    """What the triage list filters on; empty tuples mean "any". Several values of one field match any of them.

    `since`/`until` bound `first_seen_at` (until is exclusive); `text` matches post text (slower: a scan)."""

    states: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    violence_types: tuple[str, ...] = ()
    platforms: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    networks: tuple[str, ...] = ()  # watchlist network ids, as tagged by the last `varde network build`
    since: datetime | None = None
    until: datetime | None = None
    assignee: str | None = None
    min_priority: int | None = None
    text: str | None = None
    # "preventable" (no window, or one not yet over) or "passed" ("time passed — check outcome"), by the clock.
    time: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in jsonable(asdict(self)).items() if v not in ((), [], None, "")}


# What a change does, by kind: the value it takes (see `CaseChange`).
CHANGE_KINDS: tuple[str, ...] = ("status", "assign", "priority", "note", "district")


@dataclass(frozen=True, slots=True)
class CaseChange:
    """One change of one case, as `CaseService.apply_changes` takes them (the single-change methods build one too).

    `kind` is one of `CHANGE_KINDS`; `value` is the new state (`status`), the user to assign (`assign`; None
    unassigns), 1 … 5 (`priority`), the note's text (`note`) or the district (`district`). `reason` is required
    for all but notes (a note is its own reason). `expected_version`: refuse with Conflict unless the case is at this
    version when the change comes to it. `origin` (e.g. `changes.jsonl:17`) prefixes the error if it is refused."""

    case_id: int
    kind: str
    value: str | int | None
    reason: str = ""
    expected_version: int | None = None
    origin: str = ""

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, origin: str = "") -> CaseChange:
        """Read one change written as `{"case": 42, "status": "uncovered", "reason": "…"}`: the case, exactly one
        kind as key with its value, a reason, optionally `"expect_version": 3`. InputError says what is wrong."""
        where = f"{origin}: " if origin else ""
        if not isinstance(data, Mapping):
            raise InputError(f"{where}a change is a JSON object, not {type(data).__name__}")
        unknown = sorted(set(data) - {"case", "reason", "expect_version", *CHANGE_KINDS})
        if unknown:
            raise InputError(f"{where}unknown key(s) {', '.join(map(repr, unknown))}")
        kinds = [k for k in CHANGE_KINDS if k in data]
        if len(kinds) != 1:
            raise InputError(f"{where}name exactly one change of: {', '.join(CHANGE_KINDS)} (got {len(kinds)})")
        kind = kinds[0]
        case_id, version = data.get("case"), data.get("expect_version")
        reason, value = data.get("reason", ""), data[kind]
        if not isinstance(case_id, int) or isinstance(case_id, bool):
            raise InputError(f"{where}'case' must be a case id (an integer)")
        if version is not None and (not isinstance(version, int) or isinstance(version, bool)):
            raise InputError(f"{where}'expect_version' must be an integer")
        if not isinstance(reason, str):
            raise InputError(f"{where}'reason' must be text")
        if kind == "priority":
            ok = isinstance(value, int) and not isinstance(value, bool)
        else:
            ok = isinstance(value, str) or (kind == "assign" and value is None)
        if not ok:
            raise InputError(f"{where}{kind!r} has the wrong type: {value!r}")
        return cls(case_id, kind, value, reason, version, origin)


@dataclass(frozen=True, slots=True)
class CasePage:
    """One page of a list: items, the total matching, and counts per state under the same filters (any state)."""

    items: tuple[CaseSummary, ...]
    total: int
    page: int
    per_page: int
    counts: dict[str, int]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    def to_dict(self) -> dict[str, Any]:
        return {
            "items": [c.to_dict() for c in self.items],
            "total": self.total,
            "page": self.page,
            "per_page": self.per_page,
            "pages": self.pages,
            "counts": dict(self.counts),
        }


@dataclass(frozen=True, slots=True)
class TipContact:
    id: int
    post_id: str
    contact: str
    created_at: datetime
    created_by: str


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A new API token: `token` is shown once and never stored."""

    id: str
    user: str
    token: str


# The case list's time filters (`CaseService.list_cases(time=...)`): here, so the CLI offers them without loading the
# service and SQLAlchemy.
TIME_FILTERS = ("preventable", "passed")


def dumps(value: Any) -> str:
    """JSON for the CLI and API (datetimes as ISO 8601)."""
    return json.dumps(jsonable(value), ensure_ascii=False, indent=2, sort_keys=False)


def jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def untag(text: str | None) -> tuple[str, ...]:
    return tuple(t for t in (text or "").split("|") if t)


def summary_from_row(row: Any) -> CaseSummary:
    return CaseSummary(
        id=int(row.id),
        order_id=row.order_id,
        state=row.state,
        version=int(row.version),
        district=row.district,
        district_overridden=bool(row.district_overridden),
        country=row.country,
        language=row.language,
        platform=row.platform,
        platforms=untag(row.platforms),
        violence_types=untag(row.violence_tags),
        urgency=float(row.urgency),
        priority=int(row.priority),
        priority_overridden=bool(row.priority_overridden),
        assignee=row.assignee,
        notes=row.notes,
        n_posts=int(row.n_posts),
        first_seen_at=row.first_seen_at,
        last_seen_at=row.last_seen_at,
        created_at=row.created_at,
        updated_at=row.updated_at,
        state_changed_at=row.state_changed_at,
        merged_into=row.merged_into,
        when_start=row.when_start,
        when_end=row.when_end,
    )
