"""Is this image a re-post of one seen before? PDQ distance first, the text read from it second.

PDQ hashes survive rescaling, re-compression, noise and small overlays, but not crops of more than 1-2 % of a
side or added borders (it resizes the whole frame to 64 x 64, so any shift of the content moves every DCT
coefficient); `bench/bench_media.py` measures it. Image ads are mostly text, and the text read by OCR survives
crops and captions, so a second route matches images whose OCR text is near-identical (Jaccard similarity of
character 5-gram shingles, estimated with MinHash LSH from `datasketch`). Short texts (a logo, one word) are not
matched by text: too many unrelated images share them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from datasketch import MinHash, MinHashLSH

from varde.media.hash_index import MemoryHashIndex
from varde.media.pdq import MATCH_DISTANCE

TEXT_THRESHOLD = 0.5
MIN_TEXT_CHARS = 30
SHINGLE = 5
NUM_PERM = 64
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class RepostMatch:
    """An earlier image this one re-posts: its key, the route ("pdq" or "text") and the distance or similarity."""

    key: str
    via: str
    score: float


def text_skeleton(text: str) -> str:
    """OCR text folded for comparison: NFKC, lower case, runs of non-letters/digits as one space."""
    return _NOT_WORD.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def shingles(text: str, size: int = SHINGLE) -> set[str]:
    """Character `size`-grams of the skeleton (empty when it is shorter than `MIN_TEXT_CHARS`)."""
    skeleton = text_skeleton(text)
    if len(skeleton) < MIN_TEXT_CHARS:
        return set()
    return {skeleton[i : i + size] for i in range(len(skeleton) - size + 1)}


def text_similarity(a: str, b: str) -> float:
    """Jaccard similarity of the shingles of two OCR texts (0 when either is too short)."""
    sa, sb = shingles(a), shingles(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


class RepostIndex:
    """Images seen so far, by PDQ hash and by OCR text; `match` finds what a new image re-posts."""

    def __init__(self, max_distance: int = MATCH_DISTANCE, text_threshold: float = TEXT_THRESHOLD) -> None:
        self.hashes = MemoryHashIndex(max_distance)
        self.text_threshold = text_threshold
        # LSH finds candidates around the threshold; each is then checked with the MinHash estimate.
        self._lsh = MinHashLSH(threshold=max(0.1, text_threshold * 0.8), num_perm=NUM_PERM)
        self._minhashes: dict[str, MinHash] = {}

    def _minhash(self, grams: set[str]) -> MinHash:
        minhash = MinHash(num_perm=NUM_PERM, seed=1)
        minhash.update_batch([g.encode("utf-8") for g in sorted(grams)])
        return minhash

    def add(self, key: str, hashes: Sequence[str] = (), text: str = "") -> None:
        """Remember an image (or a post's images) under `key`."""
        for value in hashes:
            self.hashes.add(value, key)
        grams = shingles(text)
        if grams and key not in self._minhashes:
            minhash = self._minhash(grams)
            self._lsh.insert(key, minhash)
            self._minhashes[key] = minhash

    def match(self, hashes: Sequence[str] = (), text: str = "") -> list[RepostMatch]:
        """Earlier keys this image re-posts, best first: PDQ matches (by distance), then text matches."""
        found: dict[str, RepostMatch] = {}
        for value in hashes:
            for hit in self.hashes.query(value):
                best = found.get(hit.key)
                if best is None or hit.distance < best.score:
                    found[hit.key] = RepostMatch(hit.key, "pdq", float(hit.distance))
        grams = shingles(text)
        if grams:
            minhash = self._minhash(grams)
            for key in self._lsh.query(minhash):
                similarity = float(minhash.jaccard(self._minhashes[key]))
                if similarity >= self.text_threshold and key not in found:
                    found[key] = RepostMatch(key, "text", similarity)
        pdq = sorted((m for m in found.values() if m.via == "pdq"), key=lambda m: (m.score, m.key))
        text_hits = sorted((m for m in found.values() if m.via == "text"), key=lambda m: (-m.score, m.key))
        return pdq + text_hits
