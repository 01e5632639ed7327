"""Places: names from the gazetteer (municipalities, neighbourhoods, towns, slang, regions) found in a text.

Matching runs over word tokens, longest name first (up to the longest name in the gazetteer). A name that is also an
ordinary word ("Moss", "Hole", "Vik", "Bø", "Lund", "Time", "Kista") counts only with place context: it is written
with a capital letter and either follows a place preposition ("i/på/ved/utanför/in X"), is followed by a place noun
("X kommune", "X sentrum", "X centrum", "X C") or continues a list of places ("Oslo/Moss"). Other names match in any
case, and also in folded ("Malmo", "Tromso") or elongated ("Osloo") spellings. A name several countries share goes
to the country of the post's language (nb/nn → NO, sv → SE, da → DK), otherwise to the first listed. Text inside
@handles, e-mail addresses and links is skipped. Compounds with a place noun resolve to their place
("Osloområdet", "Stockholmsområdet", "Bergensregionen", "sør-oslo", "Oslo-området"), and a written postcode
("postnr 0560", "postnummer 413 19") to its big city (data/postcodes.csv).
"""

from __future__ import annotations

import csv
import dataclasses
import re
from functools import cache
from importlib import resources

from varde.extractors.gazetteer import TOKEN, Entry, Gazetteer, key_of, load_gazetteer, words
from varde.extractors.spacing import despace, inside_any, span_back
from varde.records import Place

# Bounded repeats keep this linear on hostile input (one 20 000-character "word").
_MASK = re.compile(
    r"(?:https?://|www\.|t\.me/)\S+|[\w.+-]{1,64}@[\w-]{1,63}\.[\w.]{1,63}|(?<!\w)@\w[\w.]{0,64}|#\w{1,64}_\w{1,64}"
)
_PREPOSITIONS = words(
    "i på paa ved utenfor utanför udenfor nær nära nærheden rundt runt kring omkring fra från frå til till mot mod "
    "in at near around from to outside inne inni inom vid hos nord sør syd øst vest norr söder öster väster "
    "sentrale centrala centrale"
)
_PLACE_NOUNS = words(
    "kommune kommun kommuna sentrum centrum center centre c st stasjon station området omr område omgivelser "
    "by stad city town torg torget senter centret"
)
_LIST_JOINERS = frozenset({",", "/", "&", "og", "och", "eller", "el", "or", "and", "+", "-", "–"})
_LANGUAGE_COUNTRY = {"nb": "NO", "nn": "NO", "no": "NO", "sv": "SE", "da": "DK"}


# A name shared by countries, when the language does not decide: the far larger place.
_LARGER = {"lund": "SE"}


def _choose(entries: tuple[Entry, ...], language: str | None) -> Entry:
    preferred = _LANGUAGE_COUNTRY.get(language or "") or _LARGER.get(entries[0].name.casefold())
    for entry in entries:
        if entry.country == preferred:
            return entry
    return entries[0]


_POSTCODE = re.compile(
    r"(?<!\w)(?:postnr|postnummer|postkode|postkod|post code|postcode|zip)\.?:?\s*(\d{4}|\d{3}\s?\d{2})(?!\d)",
    re.IGNORECASE,
)
_SUFFIXES = ("området", "omradet", "området", "omr", "regionen", "trakten", "kanten", "sentrum", "centrum", "gjengen")


def _postcodes(gazetteer: Gazetteer) -> list[tuple[str, int, int, Entry]]:
    text = resources.files("varde.extractors").joinpath("data", "postcodes.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if line and not line.startswith("#"))
    out = []
    for row in rows:
        entry = next((e for e in gazetteer.lookup(key_of(row["municipality"])) if e.country == row["country"]), None)
        if entry is not None:  # a gazetteer passed in may lack the municipality; the shipped one has them all
            out.append((row["country"], int(row["first"]), int(row["last"]), entry))
    return out


def _postcode_places(
    text: str, language: str | None, postcodes: list[tuple[str, int, int, Entry]]
) -> list[tuple[int, int, Entry]]:
    found = []
    for m in _POSTCODE.finditer(text):
        digits = re.sub(r"\s", "", m.group(1))
        matches = tuple(
            entry
            for country, first, last, entry in postcodes
            if (len(digits) == 5) == (country == "SE") and first <= int(digits) <= last
        )
        if matches:
            found.append((m.start(), m.end(), _choose(matches, language)))
    return found


class PlaceFinder:
    """Finds the places of a gazetteer in text (`extract_places` uses the shipped one, loaded on first use)."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self._postcodes: list[tuple[str, int, int, Entry]] | None = None

    def postcodes(self) -> list[tuple[str, int, int, Entry]]:
        if self._postcodes is None:
            self._postcodes = _postcodes(self.gazetteer)
        return self._postcodes

    def find(self, text: str, language: str | None) -> tuple[Place, ...]:
        """Every gazetteer place named in `text`, in text order, each once (by resolved place)."""
        joined, offsets = despace(text)  # "O s l o"
        out = []
        for place in _places(joined, language, self):
            if place.span is None:
                continue
            start, end = span_back(offsets, *place.span)
            out.append(dataclasses.replace(place, text=text[start:end], span=(start, end)))
        return tuple(out)


@cache
def shipped_places() -> PlaceFinder:
    """The finder over the shipped gazetteer (built on first use, then shared)."""
    return PlaceFinder(load_gazetteer())


def extract_places(text: str, language: str | None, gazetteer: Gazetteer | None = None) -> tuple[Place, ...]:
    """Every place of `gazetteer` (default: the shipped one) named in `text`, in text order, each once."""
    finder = shipped_places() if gazetteer is None else PlaceFinder(gazetteer)
    return finder.find(text, language)


def _places(text: str, language: str | None, finder: PlaceFinder) -> tuple[Place, ...]:
    gazetteer = finder.gazetteer
    masked = [m.span() for m in _MASK.finditer(text)]
    tokens = [m for m in TOKEN.finditer(text) if not inside_any(masked, m.start())]
    found: list[Place] = []
    seen: set[tuple[str | None, str | None, str | None]] = set()
    last_place_end = -1
    i = 0
    while i < len(tokens):
        match = _match_at(gazetteer, text, tokens, i, language, last_place_end)
        if match is None:
            i += 1
            continue
        n, entry = match
        start, end = tokens[i].start(), tokens[i + n - 1].end()
        last_place_end = end
        identity = (entry.country, entry.municipality, entry.district if entry.municipality else entry.name)
        if identity not in seen:
            seen.add(identity)
            found.append(
                Place(text[start:end], entry.country, entry.municipality, entry.code, entry.district, (start, end))
            )
        i += n
    for start, end, entry in _postcode_places(text, language, finder.postcodes()):
        identity = (entry.country, entry.municipality, entry.district)
        if identity not in seen:
            seen.add(identity)
            found.append(
                Place(text[start:end], entry.country, entry.municipality, entry.code, entry.district, (start, end))
            )
    found.sort(key=lambda p: p.span[0] if p.span else 0)
    return tuple(found)


def _match_at(
    gazetteer: Gazetteer, text: str, tokens: list[re.Match[str]], i: int, language: str | None, last_place_end: int
) -> tuple[int, Entry] | None:
    for n in range(min(gazetteer.max_tokens, len(tokens) - i), 0, -1):
        if not _adjacent(text, tokens, i, n):
            continue
        surface = text[tokens[i].start() : tokens[i + n - 1].end()]
        key = " ".join(t.group(0).casefold() for t in tokens[i : i + n])
        entries = gazetteer.lookup(key)
        if not entries and n == 1 and len(key) >= 5:
            entries = gazetteer.lookup_variant(key)
            if not entries and key.endswith("s") and len(key) >= 6:  # genitive: "Oslos", "Stockholms"
                entries = tuple(e for e in gazetteer.lookup(key[:-1]) if not e.ambiguous)
        if not entries and n == 1 and len(key) >= 8:  # "Osloområdet", "Stockholmsområdet", "Bergensregionen"
            entries = _compound(gazetteer, key)
        if not entries and n == 1 and "-" in surface:  # "sør-oslo", "Oslo-området", "Stavanger-jobben"
            entries = _hyphen_part(gazetteer, surface)
        if not entries:
            continue
        entry = _choose(entries, language)
        if entry.ambiguous and not _has_context(text, tokens, i, n, surface, last_place_end):
            continue
        return n, entry
    return None


def _compound(gazetteer: Gazetteer, key: str) -> tuple[Entry, ...]:
    for suffix in _SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix) + 2:
            stem = key[: -len(suffix)].rstrip("-")
            for candidate in (stem, stem[:-1] if stem.endswith("s") else stem):
                found = tuple(e for e in gazetteer.lookup(candidate) if not e.ambiguous)
                if found:
                    return found
    return ()


def _hyphen_part(gazetteer: Gazetteer, surface: str) -> tuple[Entry, ...]:
    for part in surface.split("-"):
        found = tuple(e for e in gazetteer.lookup(key_of(part)) if not e.ambiguous)
        if found:
            return found
    return ()


def _adjacent(text: str, tokens: list[re.Match[str]], i: int, n: int) -> bool:
    """Tokens i..i+n-1 are separated only by spaces (or ". " as in "St. Hanshaugen")."""
    for k in range(i, i + n - 1):
        gap = text[tokens[k].end() : tokens[k + 1].start()]
        if gap not in (" ", ". ", "."):
            return False
    return True


def _has_context(text: str, tokens: list[re.Match[str]], i: int, n: int, surface: str, last_place_end: int) -> bool:
    if not surface[:1].isupper():
        return False
    if i > 0:
        prev = tokens[i - 1]
        gap = text[prev.end() : tokens[i].start()]
        if gap.strip() == "" and prev.group(0).casefold() in _PREPOSITIONS:
            return True
        # A list continued: "Oslo/Moss", "Malmö, Lund och Ystad".
        joiner = gap.strip() or ""
        if prev.end() == last_place_end and (joiner in _LIST_JOINERS or gap.strip() == ""):
            return True
        if prev.group(0).casefold() in _LIST_JOINERS and i > 1 and tokens[i - 2].end() == last_place_end:
            return True
    if i + n < len(tokens):
        after = tokens[i + n]
        gap = text[tokens[i + n - 1].end() : after.start()]
        if gap.strip() in ("", "-") and after.group(0).casefold() in _PLACE_NOUNS:
            return True
    return False
