"""`Signal` and its file formats.

- Varde's JSON lines (`varde`): one object per signal with its bank-content id, violence types and first-seen
  quarter; read back by `varde signals import` with everything kept.
- threatexchange's signal file (`threatexchange`): one `<signal type> <signal>` per line, what its
  `LocalFileSignalExchangeAPI` (the "local file" collaboration of the `threatexchange` CLI and HMA) reads. It holds
  the signal only; types are threatexchange's names (`pdq`, `text_tlsh`). threatexchange has no type for the MD5 of
  a text (`video_md5` hashes file bytes), so MD5 text signals are left out of this format.

Nothing personal is in either: no text, handle, place or case number; the quarter, not the day, an order was first
seen."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from varde.errors import InputError
from varde.signals.text import MD5, TLSH, valid_md5, valid_tlsh

PDQ = "pdq"
HEX_DIGITS = 64  # a PDQ hash (varde.media.pdq)
SIGNAL_TYPES = (PDQ, MD5, TLSH)
THREATEXCHANGE_TYPES = (PDQ, TLSH)
FORMATS = ("varde", "threatexchange")
_PDQ_PATTERN = re.compile(rf"^[0-9a-f]{{{HEX_DIGITS}}}$")
_QUARTER = re.compile(r"^\d{4}Q[1-4]$")
_CONTENT_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
VIOLENCE_TYPES = frozenset(
    {"murder", "shooting", "explosion", "arson", "stabbing", "assault", "kidnapping", "threat", "robbery", "vandalism"}
)


@dataclass(frozen=True, slots=True)
class Signal:
    """One hash of one piece of content in a bank."""

    signal_type: str
    value: str
    content_id: str
    violence_types: tuple[str, ...] = ()
    first_seen: str | None = None  # quarter, e.g. "2025Q3"
    added_at: datetime | None = None
    id: int | None = field(default=None, compare=False)  # the local row id (paging); never a meaning of its own

    def to_dict(self) -> dict[str, Any]:
        return {
            "signal_type": self.signal_type,
            "signal": self.value,
            "content_id": self.content_id,
            "violence_types": list(self.violence_types),
            "first_seen": self.first_seen,
            "added_at": self.added_at.isoformat() if self.added_at else None,
        }


def quarter_of(moment: datetime) -> str:
    return f"{moment.year}Q{(moment.month - 1) // 3 + 1}"


def normal_value(signal_type: str, value: str) -> str:
    """The value in canonical case, or InputError if it is not a valid signal of its type."""
    if signal_type == PDQ and _PDQ_PATTERN.match(value.lower()):
        return value.lower()
    if signal_type == MD5 and valid_md5(value.lower()):
        return value.lower()
    if signal_type == TLSH and valid_tlsh(value.upper()):
        return value.upper()
    if signal_type not in SIGNAL_TYPES:
        raise InputError(f"unknown signal type {signal_type!r}; one of: {', '.join(SIGNAL_TYPES)}")
    raise InputError(f"not a valid {signal_type} signal: {value[:80]!r}")


def check_signal(signal: Signal) -> Signal:
    """A signal read from outside, checked field by field (InputError on anything malformed)."""
    if not _CONTENT_ID.match(signal.content_id):
        raise InputError(f"bad content id {signal.content_id[:80]!r}")
    if signal.first_seen is not None and not _QUARTER.match(signal.first_seen):
        raise InputError(f"first_seen must be a quarter like 2025Q3, not {signal.first_seen[:20]!r}")
    unknown = [t for t in signal.violence_types if t not in VIOLENCE_TYPES]
    if unknown:
        raise InputError(f"unknown violence type(s): {', '.join(unknown[:5])}")
    return Signal(
        signal.signal_type,
        normal_value(signal.signal_type, signal.value),
        signal.content_id,
        signal.violence_types,
        signal.first_seen,
        signal.added_at,
    )


def write_lines(signals: Iterable[Signal], fmt: str) -> Iterator[str]:
    """The lines of an export file (each ends with a newline)."""
    if fmt == "varde":
        for s in signals:
            yield json.dumps(s.to_dict(), ensure_ascii=False, sort_keys=True) + "\n"
    elif fmt == "threatexchange":
        for s in signals:
            if s.signal_type in THREATEXCHANGE_TYPES:
                yield f"{s.signal_type} {s.value}\n"
    else:
        raise InputError(f"unknown format {fmt!r}; one of: {', '.join(FORMATS)}")


def read_lines(lines: Iterable[str], *, source: str = "import") -> Iterator[Signal]:
    """Signals from either format (a line starting with `{` is Varde's JSON; blank and `#` lines are skipped).
    A threatexchange line has no content id: it gets `<source>:<n>` (one content per signal)."""
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("{"):
            try:
                data = json.loads(line)
                signal = Signal(
                    str(data["signal_type"]),
                    str(data["signal"]),
                    str(data["content_id"]),
                    tuple(str(t) for t in data.get("violence_types") or ()),
                    data.get("first_seen"),
                )
            except (ValueError, KeyError, TypeError) as exc:
                raise InputError(f"line {number}: not a signal ({exc})") from None
        else:
            signal_type, _, value = line.partition(" ")
            signal = Signal(signal_type, value.strip(), f"{source}:{number}")
        try:
            yield check_signal(signal)
        except InputError as exc:
            raise InputError(f"line {number}: {exc}") from None
