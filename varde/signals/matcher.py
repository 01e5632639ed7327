"""`BankMatcher`: every record against all banks at once, as `bank_match` cues.

A post's text gives its MD5 and TLSH (`varde.signals.text`, only for texts long and varied enough), its images
their PDQ hashes (already computed by the media stage). A text matches a signal of equal MD5 or of TLSH distance at
most `TLSH_DISTANCE`; an image one of PDQ distance at most `PDQ_DISTANCE`. A match in a **negative** bank (signals
known to be false positives, e.g. a logo or a common meme) suppresses the positive matches of the same kind (text or
image) of that post. Each kept match becomes a cue (bank, distance, type, the content's violence types) and raises
the record's urgency to at least `BANK_URGENCY`; a post the detector let through is put in the review band
(`possible`), since a bank says it re-posts a confirmed order.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from varde.records import Cue, Record
from varde.signals.formats import PDQ
from varde.signals.index import ChunkIndex, ExactIndex, pdq_codes, tlsh_codes
from varde.signals.text import MD5, TLSH, TLSH_DISTANCE, text_signals, tlsh_distance

PDQ_DISTANCE = 31  # PDQ's own threshold (varde.media.pdq.MATCH_DISTANCE)
# Up to this many PDQ or TLSH signals the index probes neighbours (radius 1: every PDQ match within 31 bits); past it,
# exact chunk look-ups only (radius 0: all within 15 bits, most beyond), ~20x faster at a million signals
# (bench/bench_signals.py measures both, and the share of near copies each finds by distance).
RADIUS_ONE_MAX = 100_000
BANK_URGENCY = 0.8
KIND_OF = {PDQ: "image", MD5: "text", TLSH: "text"}


@dataclass(frozen=True, slots=True)
class BankSignal:
    """A signal as the matcher holds it."""

    id: int
    bank: str
    negative: bool
    signal_type: str
    value: str
    content_id: str
    violence_types: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class BankMatch:
    """A post matched `signal` at `distance` (0: exact)."""

    signal: BankSignal
    distance: int

    @property
    def kind(self) -> str:
        return KIND_OF[self.signal.signal_type]


class BankMatcher:
    """Indexes of all active signals; `match` is pure and thread-safe once built."""

    def __init__(self, signals: Sequence[BankSignal], *, radius: int | None = None) -> None:
        self.signals = list(signals)
        self._md5 = [s for s in self.signals if s.signal_type == MD5]
        self._pdq = [s for s in self.signals if s.signal_type == PDQ]
        self._tlsh = [s for s in self.signals if s.signal_type == TLSH]
        self.md5_index = ExactIndex([s.value for s in self._md5])
        pdq_radius = radius if radius is not None else int(len(self._pdq) <= RADIUS_ONE_MAX)
        tlsh_radius = radius if radius is not None else int(len(self._tlsh) <= RADIUS_ONE_MAX)
        self.pdq_index = ChunkIndex(pdq_codes([s.value for s in self._pdq]), metric="hamming", radius=pdq_radius)
        self.tlsh_index = ChunkIndex(tlsh_codes([s.value for s in self._tlsh]), metric="buckets", radius=tlsh_radius)

    def __len__(self) -> int:
        return len(self.signals)

    def match(self, texts: Sequence[str], images: Sequence[Sequence[str]]) -> list[list[BankMatch]]:
        """The kept matches of each post (`texts[i]` and the PDQ hashes `images[i]`), nearest first."""
        found: list[list[BankMatch]] = [[] for _ in texts]
        if not self.signals:
            return found
        md5_q: list[tuple[int, str]] = []
        tlsh_q: list[tuple[int, str]] = []
        for i, text in enumerate(texts):
            signals = text_signals(text)
            if signals is not None:
                md5_q.append((i, signals.md5))
                if signals.tlsh is not None:
                    tlsh_q.append((i, signals.tlsh))
        for hit in self.md5_index.search([v for _, v in md5_q]):
            found[md5_q[hit.query][0]].append(BankMatch(self._md5[hit.row], 0))
        if tlsh_q:
            for hit in self.tlsh_index.search(tlsh_codes([v for _, v in tlsh_q]), TLSH_DISTANCE):
                post, value = tlsh_q[hit.query]
                signal = self._tlsh[hit.row]
                distance = tlsh_distance(value, signal.value)  # the body bound first, the full distance here
                if distance <= TLSH_DISTANCE:
                    found[post].append(BankMatch(signal, distance))
        pdq_q = [(i, h) for i, hashes in enumerate(images) for h in hashes]
        if pdq_q:
            for hit in self.pdq_index.search(pdq_codes([h for _, h in pdq_q]), PDQ_DISTANCE):
                found[pdq_q[hit.query][0]].append(BankMatch(self._pdq[hit.row], hit.distance))
        return [_kept(matches) for matches in found]

    def match_records(self, records: Sequence[Record]) -> list[list[BankMatch]]:
        return self.match([r.post.text for r in records], [r.image_hashes for r in records])


def _kept(matches: list[BankMatch]) -> list[BankMatch]:
    """Positive matches not suppressed by a negative one of the same kind; one per signal, nearest first."""
    suppressed = {m.kind for m in matches if m.signal.negative}
    best: dict[int, BankMatch] = {}
    for m in matches:
        keep = not m.signal.negative and m.kind not in suppressed
        if keep and (m.signal.id not in best or m.distance < best[m.signal.id].distance):
            best[m.signal.id] = m
    return sorted(best.values(), key=lambda m: (m.distance, m.signal.bank, m.signal.id))


def with_matches(record: Record, matches: Sequence[BankMatch]) -> Record:
    """`record` with a `bank_match` cue per match, urgency at least `BANK_URGENCY`, and in the review band at least."""
    if not matches:
        return record
    cues = tuple(
        Cue(
            "bank_match",
            m.signal.bank,
            0,
            0,  # the whole post or image matched, not a span of it: nothing to highlight
            origin="image" if m.kind == "image" else "text",
            bank=m.signal.bank,
            distance=m.distance,
            signal_type=m.signal.signal_type,
            violence_types=m.signal.violence_types,
        )
        for m in matches
    )
    return dataclasses.replace(
        record,
        cues=record.cues + cues,
        urgency=max(record.urgency or 0.0, BANK_URGENCY),
        band="possible" if record.band in (None, "none") else record.band,
    )
