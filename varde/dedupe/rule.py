"""De-duplication: posts that advertise the same order get one `order_id`.

`OrderIndex` (`varde.dedupe.index`) is the interface shared by the in-memory index (`varde analyze`) and the
database-backed one in `varde.store.order_index` (`varde scan`, workers). `assign` is called in input order for
posts flagged `is_order`; both apply the rule of this module.
Everything below is pure and deterministic: no randomness beyond a fixed MinHash seed, no Python `hash()`, so the
same posts in the same order give the same ids in every run and every process.

The rule
--------
Each post is reduced to a *fingerprint* (`fingerprint`):

- a **skeleton**: the normalised text (`Record.normalised`: homoglyphs, stylised letters, zero-width characters
  already undone), lower-cased, diacritics folded (ø→o, æ→ae, ä→a …), Cyrillic/Greek look-alikes mapped to Latin,
  and everything but letters and digits dropped (emoji, punctuation, formatting);
- a **MinHash** (128 permutations, seed 1; the values of `datasketch`'s default "affine32" scheme, computed here
  without importing it) of the character 5-grams of the skeleton with contacts
  (handles, links, phones, e-mails, wallets) masked and spaces removed, so spaced-out words and changed handles do
  not matter; it is cut into 42 bands of 3 rows for locality-sensitive hashing (a pair with Jaccard 0.4 becomes a
  candidate with probability 0.93, 0.5 with 0.996, 0.1 with 0.04);
- the **slots** the extractors filled in: places (municipality, police district, place text), payment (amount and
  amount in NOK), contacts (values; handles without the dots, underscores and dashes that variants play with),
  violence types, target (kind and content words), language, the post's time,
  and image PDQ hashes (256-bit hex).

A new post joins an existing order when nothing about them *conflicts* and there is enough *support*.

Conflict (a different order, however alike the text): both name places and no pair is compatible (the same
municipality, and either one names the whole municipality or both name the same spot; unresolved names compared by
spelling, allowing a prefix or one or two typos); both state a price and no pair agrees (same amount within 1 %, or
the same amount in NOK within 12 % for a translation that converts the currency); both state violence types and
they share none; for texts at least 0.5 alike (one template), both name a target and no pair is of the same kind
with shared content words (compared within one language; rewrites and translations word a target too differently
for targets to decide). An order's slots are the union over the
posts already in it, so chains of partial posts cannot glue two different places into one order.

Support, strongest first (the best-supported candidate wins, ties to the older order):

1. the same skeleton (an exact re-post or forward);
2. an attached image within Hamming distance 31 of one of the order's images (PDQ);
3. text similarity (estimated Jaccard of 5-grams) ≥ 0.5: re-posts with light edits, other emoji or formatting;
4. similarity ≥ 0.25 and a shared contact, place or price;
5. a shared contact (the broker's handle/phone) within 60 days, and either another language (a translation),
   similarity ≥ 0.1 or a shared place or price;
6. the same place and the same price within 30 days, no contacts that disagree (when both name contacts, they
   share one), and either the same spot (not just the same municipality or region), another language (a
   translation) or similarity ≥ 0.1.

Candidates come from the exact skeleton, the LSH bands, and slot keys (each contact; each place+price; 16-bit
chunks of image hashes, probed with every one-bit change, which by the pigeonhole principle finds every pair within
distance 31). Buckets stop growing at `BUCKET_CAP` members so a template shared by thousands of orders cannot make
look-ups quadratic.

A new order's id is `o-` + the first 12 hex digits of SHA-256 of its first post's skeleton (so re-runs give the
same ids); should two different orders have the same skeleton, the later one gets a counter appended before hashing.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np

from varde.records import Record

# MinHash and LSH: 42 bands x 3 rows of 128 permutations (126 used) put the S-curve's midpoint near Jaccard 0.29.
NUM_PERM = 128
BANDS = 42
ROWS = 3
SEED = 1
SHINGLE = 5
# Look-up bounds, so cost per post stays flat however many orders share a template.
BUCKET_CAP = 200
MAX_CANDIDATE_ORDERS = 24
MEMBERS_COMPARED = 8
SLOT_KEY_WEIGHT = 8  # a shared contact or place+price counts like eight shared bands when ranking candidates
# PDQ: same picture at Hamming distance <= 31 of 256 bits; 16 chunks of 16 bits make the look-up exact.
IMAGE_DISTANCE = 31
IMAGE_CHUNK_BITS = 16

# The rule (module docstring). Chosen from first principles and the generated benchmark, not from dev.jsonl.
HIGH_SIMILARITY = 0.5
SLOT_SIMILARITY = 0.25
WEAK_SIMILARITY = 0.1
CONTACT_DAYS = 60.0
PLACE_PRICE_DAYS = 30.0
AMOUNT_TOLERANCE = 0.01
NOK_TOLERANCE = 0.12  # a translation may convert the price at a rounded rate
TARGET_OVERLAP = 0.5

K = TypeVar("K")


def _permutations() -> tuple[np.ndarray[Any, np.dtype[np.uint32]], np.ndarray[Any, np.dtype[np.uint32]]]:
    """The affine permutations h -> a·h + b (mod 2^32, `a` odd) of datasketch's MinHash(num_perm, seed): drawn from
    NumPy's legacy seeded generator in the same order, so the signatures (stored in databases) are datasketch's."""
    generator = np.random.RandomState(SEED)
    a = generator.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = generator.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


_PERM_A, _PERM_B = _permutations()
_EMPTY_SIGNATURE = np.full(NUM_PERM, np.iinfo(np.uint32).max, dtype=np.uint32)

# Letters that Unicode does not decompose, and Cyrillic/Greek look-alikes of Latin letters (a second line of
# defence behind the normaliser).
_FOLD = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ð": "d", "þ": "th", "ł": "l"}
    | dict(zip("авеёкмнорстухіјѕαεικνορτυχ", "abeekmhopctyxijsaeikvoptux", strict=True))
)
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_CONTACT = re.compile(
    r"(?:https?://|www\.)\S+"  # links
    r"|\b[\w.-]+\.(?:me|com|org|net|io|gg)/\S*"  # bare invite links
    r"|[\w.+-]+@[\w-]+\.[\w.]+"  # e-mail
    r"|@[\w.]+"  # handles
    r"|\+?\d(?:[\s().-]?\d){7,}"  # phones: eight or more digits
    r"|\b(?=[a-z]*\d)(?=\d*[a-z])[a-z0-9]{25,}\b"  # wallets, Session ids
)
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")
_EMOJI_TOKEN = re.compile(r"\b[A-Z][A-Z0-9_]+\b")
_HANDLE_NOISE = re.compile(r"[._-]+")
_WORD = re.compile(r"[^\W\d_]{4,}", re.UNICODE)


def fold(text: str) -> str:
    """Lower case, diacritics dropped, look-alike letters mapped to Latin."""
    lowered = text.lower().translate(_FOLD)
    if lowered.isascii():
        return lowered
    return _COMBINING.sub("", unicodedata.normalize("NFKD", lowered)).translate(_FOLD)


def _source_text(record: Record) -> str:
    if record.normalised:
        # The normaliser lower-cases text and writes emoji as upper-case tokens (🔫 → GUN); emoji are not the ad.
        return _EMOJI_TOKEN.sub(" ", record.normalised)
    if record.view is not None:
        return record.view.text
    return record.post.text


def skeleton(record: Record) -> str:
    """The normalised text folded to letters and digits, single-spaced: equal skeletons are the same ad."""
    return _skeleton_of(fold(_source_text(record)))


def _skeleton_of(folded: str) -> str:
    return _NON_WORD.sub(" ", folded).strip()


def _shingle_text_of(folded: str) -> str:
    """The text the MinHash sees: folded, contacts masked, letters and digits only, no spaces."""
    return _NON_WORD.sub("", _CONTACT.sub(" ", folded))


def order_id_for(key: str) -> str:
    return "o-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


def key64(text: str) -> int:
    """A stable signed 64-bit key (fits a BIGINT column)."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big", signed=True)


def minhash(text: str) -> np.ndarray[Any, np.dtype[np.uint32]]:
    """MinHash signature (uint32 × NUM_PERM) of the character 5-grams of `text`; all-max when `text` is empty."""
    if not text:
        return _EMPTY_SIGNATURE.copy()
    grams = dict.fromkeys(text[i : i + SHINGLE] for i in range(max(1, len(text) - SHINGLE + 1)))
    # datasketch's hash of a shingle: the first four bytes of its SHA-1, little-endian, then MurmurHash3's finaliser.
    digests = b"".join(hashlib.sha1(g.encode("utf-8")).digest()[:4] for g in grams)
    h = np.frombuffer(digests, dtype="<u4").astype(np.uint32).reshape(-1, 1)
    h ^= h >> np.uint32(16)
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> np.uint32(13)
    h *= np.uint32(0xC2B2AE35)
    h ^= h >> np.uint32(16)
    values: np.ndarray[Any, np.dtype[np.uint32]] = (h * _PERM_A + _PERM_B).min(axis=0)
    return values


def similarity(a: np.ndarray[Any, Any], b: np.ndarray[Any, Any]) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.count_nonzero(a == b)) / NUM_PERM


def member_similarity(fp: Fingerprint, signature: np.ndarray[Any, Any] | None) -> float:
    """Similarity of a post to a stored post; 0 when either has no text."""
    return 0.0 if signature is None or not fp.bands else similarity(fp.signature, signature)


def band_keys(signature: np.ndarray[Any, Any]) -> tuple[int, ...]:
    raw = signature.astype("<u4").tobytes()
    width = ROWS * 4
    return tuple(key64(f"b{band}:" + raw[band * width : (band + 1) * width].hex()) for band in range(BANDS))


def parse_image_hash(value: str) -> int | None:
    try:
        number = int(value, 16)
    except ValueError:
        return None
    return number if 0 <= number < (1 << 256) else None


def image_keys(image: int, *, probe: bool) -> tuple[int, ...]:
    """Keys of the 16-bit chunks of a 256-bit hash; with `probe`, also every chunk with one bit changed."""
    keys: list[int] = []
    mask = (1 << IMAGE_CHUNK_BITS) - 1
    for chunk in range(256 // IMAGE_CHUNK_BITS):
        value = (image >> (chunk * IMAGE_CHUNK_BITS)) & mask
        values = [value] + ([value ^ (1 << bit) for bit in range(IMAGE_CHUNK_BITS)] if probe else [])
        keys.extend(key64(f"i{chunk}:{v}") for v in values)
    return tuple(keys)


def images_match(a: Iterable[int], b: Iterable[int]) -> bool:
    others = list(b)
    return any((x ^ y).bit_count() <= IMAGE_DISTANCE for x in a for y in others)


def similar_names(a: str, b: str) -> bool:
    """Two spellings of one name: equal, one a prefix of the other (≥ 4 letters), or one or two edits apart."""
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    if len(short) >= 4 and long.startswith(short):
        return True
    allowed = 1 if len(short) >= 5 else 0
    allowed = 2 if len(short) >= 9 else allowed
    return allowed > 0 and edit_distance(a, b, allowed) <= allowed


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, or `limit + 1` as soon as it must exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


@dataclass(frozen=True, slots=True)
class PlaceKey:
    municipality: str | None
    district: str | None
    text: str
    broad: bool  # names a whole municipality or a wider area, not a spot inside it

    def compatible(self, other: PlaceKey) -> bool:
        """Could both name the place of one order? A spot is compatible with its municipality, not another spot."""
        if self.municipality and other.municipality:
            return self.municipality == other.municipality and (
                self.broad or other.broad or similar_names(self.text, other.text)
            )
        if not self.municipality and not other.municipality and self.district and other.district:
            return self.district == other.district
        return similar_names(self.text, other.text)


@dataclass(frozen=True, slots=True)
class TargetKey:
    kind: str
    words: frozenset[str]
    language: str | None

    def compatible(self, other: TargetKey) -> bool:
        if self.kind != other.kind:
            return False
        if not self.words or not other.words or self.language != other.language:
            return True
        return len(self.words & other.words) / len(self.words | other.words) >= TARGET_OVERLAP


@dataclass(frozen=True, slots=True)
class Slots:
    """What the extractors found in one post, reduced to what de-duplication compares."""

    places: tuple[PlaceKey, ...] = ()
    amounts: tuple[tuple[int, int | None], ...] = ()  # (amount, amount in NOK)
    contacts: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    targets: tuple[TargetKey, ...] = ()
    language: str | None = None
    day: float = 0.0  # the post's time in days since the epoch
    images: tuple[int, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "places": [[p.municipality, p.district, p.text, p.broad] for p in self.places],
            "amounts": [list(a) for a in self.amounts],
            "contacts": list(self.contacts),
            "types": list(self.types),
            "targets": [[t.kind, sorted(t.words), t.language] for t in self.targets],
            "language": self.language,
            "day": self.day,
            "images": [format(i, "064x") for i in self.images],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Slots:
        return cls(
            places=tuple(PlaceKey(m, d, t, bool(c)) for m, d, t, c in data["places"]),
            amounts=tuple((int(a), None if n is None else int(n)) for a, n in data["amounts"]),
            contacts=tuple(data["contacts"]),
            types=tuple(data["types"]),
            targets=tuple(TargetKey(k, frozenset(w), lang) for k, w, lang in data["targets"]),
            language=data["language"],
            day=float(data["day"]),
            images=tuple(int(i, 16) for i in data["images"]),
        )


def contact_key(value: str) -> str:
    """A contact as compared: folded; handles without the dots, underscores and dashes that variants play with."""
    folded = fold(value.strip())
    return "@" + _HANDLE_NOISE.sub("", folded[1:]) if folded.startswith("@") else folded


def slots_of(record: Record) -> Slots:
    places = []
    for place in record.places:
        text = _NON_WORD.sub(" ", fold(place.text)).strip()
        municipality = place.municipality_code or (fold(place.municipality) if place.municipality else None)
        district = fold(place.district) if place.district else None
        if place.municipality:
            broad = similar_names(text, _NON_WORD.sub(" ", fold(place.municipality)).strip())
        else:
            broad = district is not None  # a region or police district named without a municipality
        places.append(PlaceKey(municipality, district, text, broad))
    amounts: tuple[tuple[int, int | None], ...] = ()
    if record.payment is not None and record.payment.amount:
        amounts = ((record.payment.amount, record.payment.amount_nok),)
    targets: tuple[TargetKey, ...] = ()
    if record.target is not None:
        words = frozenset(_WORD.findall(fold(record.target.text)))
        targets = (TargetKey(record.target.kind, words, record.language),)
    images = tuple(i for i in (parse_image_hash(h) for h in record.image_hashes) if i is not None)
    return Slots(
        places=tuple(dict.fromkeys(places)),
        amounts=amounts,
        contacts=tuple(sorted({contact_key(c.value) for c in record.contacts})),
        types=tuple(sorted(set(record.violence_types))),
        targets=targets,
        language=record.language,
        day=record.post.created_at.timestamp() / 86400.0,
        images=tuple(dict.fromkeys(images)),
    )


@dataclass(frozen=True, slots=True)
class Fingerprint:
    skeleton: str
    skeleton_key: str  # SHA-256 hex of the skeleton; "" when the post has no text
    signature: np.ndarray[Any, np.dtype[np.uint32]]
    slots: Slots
    bands: tuple[int, ...]

    def index_keys(self) -> tuple[int, ...]:
        """Keys this post is stored under: LSH bands, slot keys, image chunks."""
        images = tuple(k for i in self.slots.images for k in image_keys(i, probe=False))
        return self.bands + slot_keys(self.slots) + images

    def query_keys(self) -> dict[int, int]:
        """Keys to look up for candidates, with the weight of a hit (a shared contact counts like several bands)."""
        weights = dict.fromkeys(self.bands, 1)
        weights.update(dict.fromkeys(slot_keys(self.slots), SLOT_KEY_WEIGHT))
        weights.update(dict.fromkeys((k for i in self.slots.images for k in image_keys(i, probe=True)), 1))
        return weights


def slot_keys(slots: Slots) -> tuple[int, ...]:
    keys = [key64("c:" + contact) for contact in slots.contacts]
    for place in slots.places:
        where = place.municipality or place.district or place.text[:4]  # a prefix: spellings vary
        keys.extend(key64(f"pp:{where}:{amount}") for amount, _ in slots.amounts)
    return tuple(dict.fromkeys(keys))


def fingerprint(record: Record) -> Fingerprint:
    folded = fold(_source_text(record))
    skel = _skeleton_of(folded)
    text = _shingle_text_of(folded)
    signature = minhash(text)
    return Fingerprint(
        skeleton=skel,
        skeleton_key=hashlib.sha256(skel.encode("utf-8")).hexdigest() if skel else "",
        signature=signature,
        slots=slots_of(record),
        bands=band_keys(signature) if text else (),
    )


def first_key(fp: Fingerprint, post_id: str) -> str:
    """What a new order's id is derived from: the skeleton, else the images, else the post id."""
    if fp.skeleton:
        return fp.skeleton
    if fp.slots.images:
        return "img:" + ",".join(format(i, "064x") for i in fp.slots.images)
    return "post:" + post_id


@dataclass(slots=True)
class Profile:
    """The union of the slots of an order's posts."""

    places: set[PlaceKey] = field(default_factory=set)
    amounts: set[tuple[int, int | None]] = field(default_factory=set)
    contacts: set[str] = field(default_factory=set)
    types: set[str] = field(default_factory=set)
    targets: set[TargetKey] = field(default_factory=set)
    languages: set[str | None] = field(default_factory=set)
    images: set[int] = field(default_factory=set)
    first_day: float = math.inf
    last_day: float = -math.inf

    def add(self, slots: Slots) -> None:
        self.places.update(slots.places)
        self.amounts.update(slots.amounts)
        self.contacts.update(slots.contacts)
        self.types.update(slots.types)
        self.targets.update(slots.targets)
        self.languages.add(slots.language)
        self.images.update(slots.images)
        self.first_day = min(self.first_day, slots.day)
        self.last_day = max(self.last_day, slots.day)

    @classmethod
    def of(cls, many: Iterable[Slots]) -> Profile:
        profile = cls()
        for slots in many:
            profile.add(slots)
        return profile

    def days_from(self, day: float) -> float:
        if self.first_day <= day <= self.last_day:
            return 0.0
        return min(abs(day - self.first_day), abs(day - self.last_day))


def _amounts_agree(a: tuple[int, int | None], b: tuple[int, int | None]) -> bool:
    if abs(a[0] - b[0]) <= AMOUNT_TOLERANCE * max(a[0], b[0]):
        return True
    nok_a, nok_b = a[1], b[1]
    return nok_a is not None and nok_b is not None and abs(nok_a - nok_b) <= NOK_TOLERANCE * max(nok_a, nok_b)


def _any_pair(a: Iterable[Any], b: Iterable[Any], agree: Any) -> bool:
    others = list(b)
    return any(agree(x, y) for x in a for y in others)


def conflicts(slots: Slots, profile: Profile, similar_text: bool = False) -> bool:
    """True when the post cannot advertise the same order: another place, price, kind of job or target.

    Targets are compared only for `similar_text` (one template with a different target): rewrites and translations
    word a target differently, and extractors read its kind differently from such wording."""
    if slots.places and profile.places and not _any_pair(slots.places, profile.places, PlaceKey.compatible):
        return True
    if slots.amounts and profile.amounts and not _any_pair(slots.amounts, profile.amounts, _amounts_agree):
        return True
    if slots.types and profile.types and not set(slots.types) & profile.types:
        return True
    if not similar_text or not slots.targets or not profile.targets:
        return False
    return not _any_pair(slots.targets, profile.targets, TargetKey.compatible)


def support(fp: Fingerprint, profile: Profile, best_similarity: float, same_skeleton: bool) -> float | None:
    """How strongly the post belongs to the order (higher is stronger), or None when it does not."""
    slots = fp.slots
    if conflicts(slots, profile, same_skeleton or best_similarity >= HIGH_SIMILARITY):
        return None
    if same_skeleton:
        return 4.0
    if slots.images and profile.images and images_match(slots.images, profile.images):
        return 3.0 + best_similarity
    sim = best_similarity
    if sim >= HIGH_SIMILARITY:
        return 2.0 + sim
    shared_contact = bool(set(slots.contacts) & profile.contacts)
    shared_place = bool(slots.places and profile.places)  # no conflict, so some pair is compatible
    shared_price = bool(slots.amounts and profile.amounts)
    if sim >= SLOT_SIMILARITY and (shared_contact or shared_place or shared_price):
        return 1.5 + sim
    translated = slots.language not in profile.languages or slots.language is None
    days = profile.days_from(slots.day)
    if (
        shared_contact
        and days <= CONTACT_DAYS
        and (translated or sim >= WEAK_SIMILARITY or shared_place or shared_price)
    ):
        return 1.0 + sim
    other_contacts = bool(slots.contacts and profile.contacts and not shared_contact)
    specific = any(p.compatible(q) and not p.broad and not q.broad for p in slots.places for q in profile.places)
    if (
        shared_place
        and shared_price
        and days <= PLACE_PRICE_DAYS
        and not other_contacts
        and (specific or translated or sim >= WEAK_SIMILARITY)
    ):
        return 0.5 + sim
    return None


def rank_candidates(hits: Mapping[int, int], order_of: Callable[[int], K]) -> list[tuple[K, list[int]]]:
    """Candidate orders, most band/slot hits first, each with its best-hit members (member ids rise with age).

    At most `MAX_CANDIDATE_ORDERS` orders and `MEMBERS_COMPARED` members each, so a look-up costs the same however
    many orders share a template."""
    by_order: dict[K, list[int]] = {}
    for member in sorted(hits, key=lambda m: (-hits[m], m)):
        members = by_order.setdefault(order_of(member), [])
        if len(members) < MEMBERS_COMPARED:
            members.append(member)
    return list(by_order.items())[:MAX_CANDIDATE_ORDERS]


def choose(fp: Fingerprint, candidates: Sequence[tuple[K, float, Profile]]) -> K | None:
    """The best-supported candidate order (first in `candidates` on a tie: pass them oldest first), or None."""
    best: tuple[float, K] | None = None
    for order, sim, profile in candidates:
        score = support(fp, profile, sim, False)
        if score is not None and (best is None or score > best[0]):
            best = (score, order)
    return None if best is None else best[1]
