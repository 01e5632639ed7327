"""Is this image a re-post of one seen before? PDQ hashes of its views first, the text read from it second.

PDQ hashes survive rescaling, re-compression, noise and small overlays, but not crops of more than 1-2 % of a
side (it resizes the whole frame to 64 x 64, so any shift of the content moves every DCT coefficient); the ink-box
view (`varde.media.pdq.view_hashes`) recovers the crops that remove only margin. `bench/bench_media.py` measures
both. Image ads are mostly text, and the text read by OCR survives crops and captions, so a second route matches
images whose OCR text is near-identical. Ads made from one template share most of their text, so the text route is
strict; a text match needs all of:

1. Jaccard similarity of character 5-gram shingles >= `TEXT_THRESHOLD` (MinHash LSH from `datasketch` finds the
   candidates); short texts (a logo, one word) are never matched by text;
2. `same_words`: no word of either text is missing from the other in a way a re-post cannot explain. A crop cuts
   the start of a line's first word or the end of its last word, and the glyph at the cut may read as anything
   once the texts show such a crop elsewhere; OCR misreads a letter or two (and O/0, l/1, S/5 in numbers, whose
   digits must still agree; codes such as KX4P2M may have one misread); a caption adds words in the first or last
   line, or hides some there. So the texts differ when both lack a word of the other inside the text (not in the
   first or last line), when both lack a number, handle or name after a colon of the other (the slots that tell
   one order from another: price, phone, @handle, "Wickr: name"), or when one side lacks five words or more
   inside the text;
3. `looks_alike`: the pictures have the same shape (aspect ratio within `ASPECT_TOLERANCE`) and colours (median
   colour within `COLOUR_TOLERANCE` per channel), which a re-post keeps and another design of the same words does
   not.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from datasketch import MinHash, MinHashLSH

from bench.hash_index import MemoryHashIndex
from varde.dedupe.rule import edit_distance
from varde.media.pdq import MATCH_DISTANCE

if TYPE_CHECKING:
    from PIL.Image import Image

TEXT_THRESHOLD = 0.5
MIN_TEXT_CHARS = 30
SHINGLE = 5
NUM_PERM = 64
MAX_MISSING_WORDS = 5
ASPECT_TOLERANCE = 0.2  # |log(aspect ratio)| difference: a 10 % crop of one side changes it by at most 0.105
COLOUR_TOLERANCE = 40.0  # per channel, 0-255: JPEG, noise and a caption band move the median colour less
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)
_WORD = re.compile(r"[^\W_]+(?:[.'][^\W_]+)*", re.UNICODE)
_DIGIT_GAP = re.compile(r"(?<=\d)[ :.,-](?=\d)")  # "412 55 908", "21:24" and "50.000" compare as one number
_NUMBER_LOOKALIKES = str.maketrans({"o": "0", "l": "1", "i": "1", "s": "5"})
_NOT_DIGIT = re.compile(r"\D")


@dataclass(frozen=True, slots=True)
class RepostMatch:
    """An earlier image this one re-posts: its key, the route ("pdq" or "text") and the distance or similarity."""

    key: str
    via: str
    score: float


@dataclass(frozen=True, slots=True)
class Look:
    """What a re-post keeps of a picture's appearance: its aspect ratio and median colour."""

    aspect: float
    colour: tuple[float, float, float]


def look_of(image: Image) -> Look:
    import numpy as np
    from PIL import Image as PILImage

    small = np.asarray(image.convert("RGB").resize((64, 64), PILImage.Resampling.BOX), dtype=np.float32)
    r, g, b = (float(v) for v in np.median(small.reshape(-1, 3), axis=0))
    return Look(image.width / max(1, image.height), (r, g, b))


def looks_alike(a: Look, b: Look) -> bool:
    if abs(math.log(a.aspect / b.aspect)) > ASPECT_TOLERANCE:
        return False
    return max(abs(x - y) for x, y in zip(a.colour, b.colour, strict=True)) <= COLOUR_TOLERANCE


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


@dataclass(frozen=True, slots=True)
class Word:
    """A word of an OCR text, folded, with where it stands: first/last of its line, in the first/last line, and
    whether it is a slot (has a digit, or follows '@' or ':')."""

    text: str
    first: bool
    last: bool
    edge_line: bool
    slot: bool


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("ø", "o").replace("_", ""))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words_of(text: str) -> list[Word]:
    """The words of an OCR text, line by line (lines without a word are dropped)."""
    lines = [line for line in _fold(_DIGIT_GAP.sub("", text)).splitlines() if _WORD.search(line)]
    out: list[Word] = []
    for number, line in enumerate(lines):
        found = list(_WORD.finditer(line))
        for k, match in enumerate(found):
            word = match.group()
            has_digit = any(c.isdigit() for c in word)
            before = line[max(0, match.start() - 2) : match.start()]
            out.append(
                Word(
                    text=word.translate(_NUMBER_LOOKALIKES) if has_digit else word,
                    first=k == 0,
                    last=k == len(found) - 1,
                    edge_line=number in (0, len(lines) - 1),
                    slot=has_digit or "@" in before or ":" in before,
                )
            )
    return out


def _misread(a: str, b: str) -> bool:
    """The same word read twice: equal, one or two letters misread, or an '@' read as a letter or dropped."""
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    if (len(short) >= 5 and short in long) or (len(short) >= 6 and short[1:] in long):
        return True
    if len(short) >= 2 and short.isdigit() and len(long) >= 5 and short in long and any(c.isdigit() for c in long):
        return True
    if len(long) - len(short) > 2:
        return False
    mixed = len(short) >= 6 and not short.isdigit() and not long.isdigit()
    if mixed and edit_distance(a, b, 1) <= 1:
        return True  # a code such as KX4P2M read as KXAP2M
    if _NOT_DIGIT.sub("", a) != _NOT_DIGIT.sub("", b):
        return False  # 50k is not 80k: numbers must agree digit for digit
    allowed = 1 if len(short) < 6 else 2
    return edit_distance(a, b, allowed) <= allowed


def _cut_alike(part: str, whole_part: str, at: int) -> bool:
    """Is `part` what is left of `whole_part` after a cut just before index 0 (`at=0`) or after the end (`at=-1`)?

    The letter at the cut is often misread. In a number only that letter may differ, and not as another digit
    ("40k" cut to "ik" or "0k", never "20" for "50"); in a word of three letters or more, any one letter."""
    if any(c.isdigit() for c in whole_part):
        rest, whole_rest = (part[1:], whole_part[1:]) if at == 0 else (part[:-1], whole_part[:-1])
        return part == whole_part or (rest == whole_rest and not part[at].isdigit())
    if len(part) < 3:
        return part == whole_part
    return edit_distance(part, whole_part, 1) <= 1


def _cropped(wa: Sequence[Word], wb: Sequence[Word]) -> tuple[bool, bool]:
    """Does one text show a crop at the start (left) or end (right) of its lines: a line's first (last) word that
    is a proper tail (head) of a first (last) word of the other text, three letters or more?"""
    left = right = False
    for w in wa:
        for v in wb:
            part, whole = sorted((v.text, w.text), key=len)
            if len(part) < 3 or len(part) == len(whole) or any(c.isdigit() for c in part):
                continue
            left = left or (w.first and v.first and whole.endswith(part))
            right = right or (w.last and v.last and whole.startswith(part))
    return left, right


def _edge_misread(part: str, whole_part: str, at: int) -> bool:
    """Equal but for the character at the cut, in any way (a partly cut glyph reads as anything, digits too)."""
    rest, whole_rest = (part[1:], whole_part[1:]) if at == 0 else (part[:-1], whole_part[:-1])
    return rest.translate(_NUMBER_LOOKALIKES) == whole_rest.translate(_NUMBER_LOOKALIKES)


def _has_counterpart(word: Word, others: Sequence[Word], cropped: tuple[bool, bool] = (False, False)) -> bool:
    for other in others:
        v, w = other.text, word.text
        if _misread(w, v):
            return True
        if min(len(v), len(w)) < 1 or (min(len(v), len(w)) < 2 and not (v + w).isdigit()):
            continue
        part, whole = sorted((v, w), key=len)
        # A crop cuts the start of a line's first word, or the end of its last word. When the texts show such a
        # crop, the character at the cut may read as anything.
        if word.first and other.first:
            if len(v) != len(w) and _cut_alike(part, whole[-len(part) :], 0):
                return True
            if cropped[0] and len(part) >= 2 and _edge_misread(part, whole[-len(part) :], 0):
                return True
        if word.last and other.last:
            if len(v) != len(w) and _cut_alike(part, whole[: len(part)], -1):
                return True
            if cropped[1] and len(part) >= 2 and _edge_misread(part, whole[: len(part)], -1):
                return True
    return False


def _real(word: Word) -> bool:
    return len(word.text) >= 3 or (word.slot and len(word.text) >= 2)


def missing_words(a: str, b: str) -> tuple[list[Word], list[Word]]:
    """The words of `a` that `b` has no counterpart for, and those of `b` that `a` lacks."""
    wa, wb = words_of(a), words_of(b)
    cropped = _cropped(wa, wb)
    only_a = [w for w in wa if _real(w) and not _has_counterpart(w, wb, cropped)]
    only_b = [w for w in wb if _real(w) and not _has_counterpart(w, wa, cropped)]
    return only_a, only_b


def same_words(a: str, b: str) -> bool:
    """Could `a` and `b` be OCR texts of one image and a re-post of it? (rule 2 of the module docstring)"""
    only_a, only_b = missing_words(a, b)
    inner_a = sum(not w.edge_line for w in only_a)
    inner_b = sum(not w.edge_line for w in only_b)
    if max(inner_a, inner_b) >= MAX_MISSING_WORDS:
        return False
    slots_a, slots_b = [w for w in only_a if w.slot], [w for w in only_b if w.slot]
    if slots_a and slots_b:
        return False
    return not ((inner_a and inner_b) or (inner_a >= 2 and only_b) or (inner_b >= 2 and only_a))


def texts_match(a: str, b: str, threshold: float = TEXT_THRESHOLD) -> bool:
    """Rules 1 and 2 of the module docstring (exact Jaccard, for tests and checks without an index)."""
    return text_similarity(a, b) >= threshold and same_words(a, b)


class RepostIndex:
    """Images seen so far, by PDQ hashes and by OCR text; `match` finds what a new image re-posts."""

    def __init__(self, max_distance: int = MATCH_DISTANCE, text_threshold: float = TEXT_THRESHOLD) -> None:
        self.hashes = MemoryHashIndex(max_distance)
        self.text_threshold = text_threshold
        # LSH finds candidates well below the threshold (at 0.8 x it missed copies near 0.5 in the bench); each is
        # then checked with the MinHash estimate and the word rule.
        self._lsh = MinHashLSH(threshold=max(0.1, text_threshold * 0.6), num_perm=NUM_PERM)
        self._minhashes: dict[str, MinHash] = {}
        self._texts: dict[str, str] = {}
        self._looks: dict[str, Look] = {}

    def _minhash(self, grams: set[str]) -> MinHash:
        minhash = MinHash(num_perm=NUM_PERM, seed=1)
        minhash.update_batch([g.encode("utf-8") for g in sorted(grams)])
        return minhash

    def add(self, key: str, hashes: Sequence[str] = (), text: str = "", look: Look | None = None) -> None:
        """Remember an image under `key`: its PDQ hashes (all views), its OCR text and its look."""
        for value in dict.fromkeys(hashes):
            self.hashes.add(value, key)
        grams = shingles(text)
        if grams and key not in self._minhashes:
            minhash = self._minhash(grams)
            self._lsh.insert(key, minhash)
            self._minhashes[key] = minhash
            self._texts[key] = text
            if look is not None:
                self._looks[key] = look

    def match(
        self, hashes: Sequence[str] = (), text: str = "", look: Look | None = None, routes: str = "pdq text"
    ) -> list[RepostMatch]:
        """Earlier keys this image re-posts, best first: PDQ matches (by distance), then text matches.

        A text match needs the looks of both images to agree when both are known; `routes` limits the routes used."""
        found: dict[str, RepostMatch] = {}
        if "pdq" in routes:
            for value in dict.fromkeys(hashes):
                for hit in self.hashes.query(value):
                    best = found.get(hit.key)
                    if best is None or hit.distance < best.score:
                        found[hit.key] = RepostMatch(hit.key, "pdq", float(hit.distance))
        grams = shingles(text) if "text" in routes else set()
        if grams:
            minhash = self._minhash(grams)
            for key in self._lsh.query(minhash):
                if key in found:
                    continue
                similarity = float(minhash.jaccard(self._minhashes[key]))
                if similarity < self.text_threshold or not same_words(self._texts[key], text):
                    continue
                stored = self._looks.get(key)
                if look is not None and stored is not None and not looks_alike(look, stored):
                    continue
                found[key] = RepostMatch(key, "text", similarity)
        pdq = sorted((m for m in found.values() if m.via == "pdq"), key=lambda m: (m.score, m.key))
        text_hits = sorted((m for m in found.values() if m.via == "text"), key=lambda m: (-m.score, m.key))
        return pdq + text_hits
