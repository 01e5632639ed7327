"""Analysis records (CONTRACT §2) and their parts.

A `Record` is a `Post` plus everything the pipeline found out about it. Stages fill it in step by step with
`dataclasses.replace`; `to_contract_dict` renders exactly the CONTRACT §2 object. Spans (`span`) are character
offsets into the post's original text, kept for cues and highlighting; they are not part of the contract output.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from operator import attrgetter
from typing import Any

from varde.posts import Post

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class TextView:
    """A cleaned copy of a text with a map back to the original.

    `offsets[i]` is the index in the original text of character `i` of `text`; `offsets[len(text)]` is the
    original length, so a half-open span maps back with `original_span`."""

    text: str
    offsets: tuple[int, ...]

    @classmethod
    def identity(cls, text: str) -> TextView:
        return cls(text, tuple(range(len(text) + 1)))

    def original_span(self, start: int, end: int) -> Span:
        """Map a half-open span of `text` back to the original text."""
        if end <= start:
            return (self.offsets[start], self.offsets[start])
        return (self.offsets[start], self.offsets[end - 1] + 1)


@dataclass(frozen=True, slots=True)
class Cue:
    """Evidence for a decision: what kind of cue, the text, and where it is in the original text.

    `origin` is "text" for the post's own text and "image" for text read from an attached image (OCR).
    A `bank_match` cue (`varde.signals`) also names the signal bank, the distance (0: exact), the signal type and
    the bank's violence types for the content matched."""

    kind: str
    text: str
    start: int
    end: int
    weight: float = 0.0
    origin: str = "text"
    bank: str | None = None
    distance: int | None = None
    signal_type: str | None = None
    violence_types: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "text": self.text, "start": self.start, "end": self.end}
        if self.origin != "text":
            out["origin"] = self.origin
        if self.bank is not None:
            out["bank"] = self.bank
            out["distance"] = self.distance
            out["signal_type"] = self.signal_type
            out["violence_types"] = list(self.violence_types)
        return out


def unique_cues(cues: Iterable[Cue]) -> tuple[Cue, ...]:
    """`cues` with each piece of evidence once, in first-seen order. A cue whose kind and text (ignoring case and a
    trailing full stop) were already listed is folded into that cue, and of two cues of one kind where one lies
    inside the other, the outer one is kept; folded weights add up. So the detector's "80k" and the extractor's
    "80k", "60.000 kr" and "000 kr", or "Holmlia" and "holmlia" show once."""
    kept: list[Cue] = []
    by_text: dict[tuple[str, str, str], int] = {}
    # Per kind, the kept spans sorted by start (spans of one kind rarely nest, so the neighbours by start are the
    # only candidates; this keeps a hostile post with thousands of cues linear-logarithmic).
    spans: dict[tuple[str, str], list[tuple[int, int, int]]] = {}
    for cue in cues:
        group = spans.setdefault((cue.origin, cue.kind), [])
        index = by_text.get((cue.origin, cue.kind, _cue_key(cue)))
        if index is None:
            at = bisect.bisect_right(group, (cue.start, cue.end, len(kept)))
            for start, end, i in group[max(0, at - 1) : at + 1]:
                if (start <= cue.start and cue.end <= end) or (cue.start <= start and end <= cue.end):
                    index = i
                    break
        if index is None:
            by_text[(cue.origin, cue.kind, _cue_key(cue))] = len(kept)
            bisect.insort(group, (cue.start, cue.end, len(kept)))
            kept.append(cue)
            continue
        other = kept[index]
        # An outer cue replaces the inner one ("000 kr" → "60.000 kr"), but not for the same words ("kr." vs "kr").
        outer = cue.start <= other.start and other.end <= cue.end and _cue_key(cue) != _cue_key(other)
        kept[index] = replace(cue if outer else other, weight=round(other.weight + cue.weight, 4))
        if outer:
            group.remove((other.start, other.end, index))
            bisect.insort(group, (cue.start, cue.end, index))
    return tuple(kept)


def _cue_key(cue: Cue) -> str:
    return cue.text.casefold().rstrip(".")


@dataclass(frozen=True, slots=True)
class When:
    """The interval in which the act is to happen, resolved against the post's `created_at`."""

    text: str
    start: datetime
    end: datetime
    span: Span | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start.isoformat(), "end": self.end.isoformat()}


@dataclass(frozen=True, slots=True)
class Place:
    """A named place resolved to municipality, country and police district/region."""

    text: str
    country: str | None
    municipality: str | None = None
    municipality_code: str | None = None
    district: str | None = None
    span: Span | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "country": self.country,
            "municipality": self.municipality,
            "municipality_code": self.municipality_code,
            "district": self.district,
        }


@dataclass(frozen=True, slots=True)
class PrimaryPlace:
    """The one place a record is filed under: country, municipality and district come from the same named place
    (`place`, one of `Record.places`), so a district always belongs to its country. `reason` says why this place."""

    place: Place
    reason: str

    @property
    def country(self) -> str | None:
        return self.place.country

    @property
    def municipality(self) -> str | None:
        return self.place.municipality

    @property
    def district(self) -> str | None:
        return self.place.district

    @property
    def place_text(self) -> str:
        return self.place.text


def choose_primary_place(places: Iterable[Place]) -> PrimaryPlace | None:
    """The primary place among `places` (in text order): the first that names a police district (with its country),
    else the first that names at least a country, else None. So in "i Sverige eller Oslo" the record is filed
    under Oslo, Norway — never under country SE with district Oslo."""
    listed = tuple(places)
    for place in listed:
        if place.country and place.district:
            return PrimaryPlace(place, f"first place with a police district: {place.text!r}")
    for place in listed:
        if place.country:
            return PrimaryPlace(place, f"no place with a police district; first place with a country: {place.text!r}")
    return None


@dataclass(frozen=True, slots=True)
class Payment:
    """The pay offered. `amount` in currency units (a menu or range gives its highest amount)."""

    text: str
    amount: int | None
    currency: str | None
    amount_nok: int | None = None
    span: Span | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "amount": self.amount, "currency": self.currency, "amount_nok": self.amount_nok}


@dataclass(frozen=True, slots=True)
class Contact:
    """A way to reach the poster: kind from the contract vocabulary, value normalised (E.164, lowercase @handle…)."""

    kind: str
    value: str
    span: Span | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "value": self.value}


@dataclass(frozen=True, slots=True)
class Target:
    """Who or what the act is aimed at: a text span and its kind (person, residence, business, vehicle, group)."""

    text: str
    kind: str
    span: Span | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "kind": self.kind}


@dataclass(frozen=True, slots=True)
class MediaFile:
    """One attached file as captured: the name the post gave (inert text, never opened again) and either the SHA-256
    under which the media store keeps its bytes, or why it was refused."""

    name: str
    sha256: str | None = None
    size: int = 0
    refused: str | None = None

    def to_dict(self) -> dict[str, Any]:
        if self.sha256 is None:
            return {"name": self.name, "refused": self.refused or "not captured"}
        return {"name": self.name, "sha256": self.sha256, "bytes": self.size}


@dataclass(frozen=True, slots=True)
class ShadowScore:
    """What the shadow model (`varde model shadow`) said about a post; stored beside the record, never acted on."""

    model_id: str
    is_order: bool
    score: float
    band: str
    violence_types: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Record:
    """Everything known about one post. Pipeline stages fill in the fields they declare."""

    post: Post
    view: TextView | None = None
    normalised: str = ""
    language: str | None = None
    is_order: bool = False
    score: float = 0.0
    violence_types: tuple[str, ...] = ()
    order_id: str | None = None
    cues: tuple[Cue, ...] = ()
    when: When | None = None
    places: tuple[Place, ...] = ()
    payment: Payment | None = None
    contacts: tuple[Contact, ...] = ()
    target: Target | None = None
    minor_signals: tuple[str, ...] = ()
    urgency: float = 0.0
    # The urgency's time band (`varde.extractors.urgency.BANDS`: "imminent", "soon", "later", "undated",
    # "time_passed"); None until an urgency stage sets it. Not part of the CONTRACT §2 output.
    urgency_band: str | None = None
    image_text: str = ""
    image_hashes: tuple[str, ...] = ()
    media_files: tuple[MediaFile, ...] = ()  # set by the media stage; stored with the post (evidence)
    notes: tuple[str, ...] = field(default=())
    band: str = "none"  # the detector's band: order, possible (review) or none (CONTRACT §2)
    model_id: str | None = None  # the registered model that scored it (None: a detector outside the registry)
    shadow: ShadowScore | None = None  # the shadow model's output, in shadow mode

    def evolve(self, **changes: Any) -> Record:
        """`dataclasses.replace(self, **changes)` at half the cost (it checks every field on every call; the stages
        make a new record per post, so this is on the always-on path)."""
        values = list(_record_values(self))
        for name, value in changes.items():
            index = _RECORD_INDEX.get(name)
            if index is None:
                raise TypeError(f"Record has no field {name!r}")
            values[index] = value
        return Record(*values)

    @property
    def id(self) -> str:
        return self.post.id

    @property
    def time_passed(self) -> bool:
        """Whether the order's time window was over when its urgency was assessed ("time passed — check outcome")."""
        return self.urgency_band == "time_passed"

    @property
    def primary_place(self) -> PrimaryPlace | None:
        """The place this record is filed under (`choose_primary_place`); country and district come from it."""
        return choose_primary_place(self.places)

    @property
    def country(self) -> str | None:
        """The country of the primary place."""
        primary = self.primary_place
        return primary.country if primary else None

    @property
    def district(self) -> str | None:
        """The police district/region of the primary place (always one of its country's)."""
        primary = self.primary_place
        return primary.district if primary else None

    def to_contract_dict(self) -> dict[str, Any]:
        """The CONTRACT §2 object for this record, field for field."""
        return {
            "id": self.post.id,
            "is_order": self.is_order,
            "score": round(float(self.score), 4),
            "language": self.language,
            "violence_types": list(self.violence_types),
            "order_id": self.order_id if self.is_order else None,
            "cues": [cue.to_dict() for cue in self.cues],
            "when": self.when.to_dict() if self.when else None,
            "places": [place.to_dict() for place in self.places],
            "place": primary.place.to_dict() if (primary := self.primary_place) else None,
            "payment": self.payment.to_dict() if self.payment else None,
            "contacts": [contact.to_dict() for contact in self.contacts],
            "target": self.target.to_dict() if self.target else None,
            "minor_signals": list(self.minor_signals),
            "urgency": round(float(self.urgency), 4),
            # Consistent with is_order whatever set the fields; stored as records.band (migration 0011).
            "band": "order" if self.is_order else ("possible" if self.band == "possible" else "none"),
        }


_RECORD_FIELDS = tuple(f.name for f in fields(Record))
_RECORD_INDEX = {name: i for i, name in enumerate(_RECORD_FIELDS)}
_record_values = attrgetter(*_RECORD_FIELDS)
