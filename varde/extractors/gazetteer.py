"""The place gazetteer: municipalities of Norway, Sweden and Denmark plus neighbourhoods, towns, slang and regions.

Data files (in `data/`, sources in their headers and in data/README.md):
`no_municipalities.csv`, `se_municipalities.csv`, `dk_municipalities.csv` and `places.csv`. They are read once,
through importlib.resources, and indexed by a lookup key: the name's tokens, casefolded, joined by one space.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

TOKEN = re.compile(r"\w+(?:[-'.]\w+)*")

_FOLD = str.maketrans({"ø": "o", "ö": "o", "æ": "ae", "ä": "a", "å": "a", "ü": "u", "é": "e", "á": "a"})


@dataclass(frozen=True, slots=True)
class Entry:
    """One gazetteer name: what it resolves to. `municipality` is None for regions and countries."""

    name: str
    country: str
    municipality: str | None
    code: str | None
    district: str | None
    ambiguous: bool


def words(text: str) -> frozenset[str]:
    """A set of words written as one space-separated string (for small vocabularies in code)."""
    return frozenset(text.split())


def key_of(text: str) -> str:
    """The lookup key of a name or a run of tokens: tokens casefolded and joined by a space."""
    return " ".join(m.group(0) for m in TOKEN.finditer(text.casefold()))


def fold(key: str) -> str:
    """ASCII-ish spelling of a key, as people type without Nordic letters ("Malmo", "Tromso", "Baerum")."""
    return key.translate(_FOLD)


def collapse(key: str) -> str:
    """A key with repeated letters squeezed ("Osloo" → "oslo", "Bergeeen" → "bergen"), for elongated spellings."""
    return re.sub(r"(.)\1+", r"\1", key)


def _rows(name: str) -> Iterator[dict[str, str]]:
    text = resources.files("varde.extractors").joinpath("data", name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    yield from csv.DictReader(lines)


@dataclass(frozen=True, slots=True)
class Gazetteer:
    """Names indexed by key (several entries per key where countries share a name), plus spelling variants."""

    by_key: dict[str, tuple[Entry, ...]]
    by_variant: dict[str, tuple[Entry, ...]]
    max_tokens: int

    def lookup(self, key: str) -> tuple[Entry, ...]:
        return self.by_key.get(key, ())

    def lookup_variant(self, key: str) -> tuple[Entry, ...]:
        """Entries for a folded or elongated spelling; only names that are not common words."""
        for variant in (fold(key), collapse(fold(key))):
            found = tuple(e for e in self.by_key.get(variant, ()) + self.by_variant.get(variant, ()) if not e.ambiguous)
            if found:
                return found
        return ()


@cache
def load_gazetteer() -> Gazetteer:
    entries: list[Entry] = []
    municipalities: dict[tuple[str, str], Entry] = {}

    def add_municipality(country: str, name: str, code: str, district: str, ambiguous: bool, other: str = "") -> None:
        entry = Entry(name, country, name, code, district, ambiguous)
        municipalities.setdefault((country, name), entry)
        entries.append(entry)
        for alt in filter(None, other.split("|")):
            # "Herøy i Nordland" is no common word even when "Herøy" alone needs context.
            entries.append(Entry(alt, country, name, code, district, ambiguous and " " not in key_of(alt)))

    for row in _rows("no_municipalities.csv"):
        add_municipality("NO", row["name"], row["code"], row["district"], row["ambiguous"] == "1", row["other_names"])
    for row in _rows("se_municipalities.csv"):
        add_municipality("SE", row["name"], row["code"], row["region"], row["ambiguous"] == "1")
    for row in _rows("dk_municipalities.csv"):
        add_municipality("DK", row["name"], row["code"], row["politikreds"], row["ambiguous"] == "1")
    for row in _rows("places.csv"):
        country, municipality = row["country"], row["municipality"]
        base = municipalities.get((country, municipality)) if municipality else None
        if municipality and base is None:
            raise ValueError(f"places.csv: unknown municipality {country} {municipality!r}")
        for raw in row["names"].split(";"):
            name = raw.lstrip("*")
            ambiguous = raw.startswith("*")
            if base is not None:
                entries.append(Entry(name, country, base.municipality, base.code, base.district, ambiguous))
            else:
                entries.append(Entry(name, country, None, None, row["district"] or None, ambiguous))

    by_key: dict[str, list[Entry]] = {}
    for entry in entries:
        bucket = by_key.setdefault(key_of(entry.name), [])
        # Two names with the same key in one country (Herøy, Våler): the first (lower code) wins.
        if not any(e.country == entry.country for e in bucket):
            bucket.append(entry)
    by_variant: dict[str, list[Entry]] = {}
    for key, bucket in by_key.items():
        safe = [e for e in bucket if not e.ambiguous and len(key) >= 4]
        if not safe:
            continue
        for variant in {fold(key), collapse(fold(key))}:
            if variant != key:
                known = by_variant.setdefault(variant, [])
                known.extend(e for e in safe if e not in known)
    return Gazetteer(
        {k: tuple(v) for k, v in by_key.items()},
        {k: tuple(v) for k, v in by_variant.items()},
        max(len(k.split(" ")) for k in by_key),
    )
