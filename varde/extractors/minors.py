"""Signs that the post recruits (or comes from) someone under 18.

Cues, each kind "minor", in text order:
- an age floor or range below 18: "15+", "14-17", "15–17 år", "13 til 17", "u18";
- an age below 18: "16 år", "16-åring", "16 years old", "16yo", "er du 15?";
- "under 18 går bra", "under 15 får ingen straff" — any "under NN" with NN ≤ 18;
- age said not to matter: "ålder spelar ingen roll", "alder spiller ingen rolle", "uansett alder", "age doesn't
  matter", "any age";
- below the age of criminal responsibility: "straffri", "ikke straffbar", "inte straffmyndig", "mindreårig";
- said outright: "du trenger ikke være 18", "jag är 15", "15 är perfekt", "Klivare, 16, Stockholm";
- school: "ungdomsskolen", "högstadiet", "folkeskolen", "9. klasse", "går i nian", "after school", "etter skolen".
Clock ranges ("kl 14-17"), dates ("14-17 september") and prices ("15k") are not ages.
"""

from __future__ import annotations

import re

from varde.extractors.spacing import add_span, overlaps_any
from varde.records import Cue

_MONTH = r"(?:jan|feb|mar|apr|mai|maj|may|jun|jul|aug|sep|okt|oct|nov|des|dec)\w*"
_PATTERNS = [
    re.compile(r"(?<![\w.,:])(?:1[0-7]|[89])\s?\+(?!\d)"),
    re.compile(
        r"(?<![\w.,:])(?:1[0-7])\s?(?:-|–|—|til|till|to|tom|t\.o\.m\.?)\s?(?:1[0-9])(?!\d)"
        r"(?:\s?(?:år|års|years?|yo|åringer|åringar|årige|årig))?",
        re.IGNORECASE,
    ),
    re.compile(
        r"(?<![\w.,:])(?:1[0-7])\s?(?:-\s?)?(?:år|års|åring\w*|årig\w*|years?(?:[\s-]old)?|-year-old|yo|y/o|yrs?)"
        r"(?!\w)",
        re.IGNORECASE,
    ),
    re.compile(
        r"(?<!\w)(?:u|under|below|yngre enn|yngre än|younger than)\s?(?:1[0-8]|[89])(?![\d%.,]|\s?(?:k|år gammel|%))",
        re.IGNORECASE,
    ),
    re.compile(
        r"(?<!\w)(?:ålder(?:n)? spelar ingen roll|alder(?:en)? spiller ingen rolle|alder(?:en)? betyr ingenting|"
        r"alder(?:en)? er (?:ikke|ikkje) viktig|ålder(?:n)? är inte viktig|alder(?:en)? er ligegyldig|"
        r"uansett alder|oavsett ålder|uanset alder|alle aldre|alla åldrar|alle aldre|age (?:doesn'?t|does not) "
        r"matter|age is not (?:important|an issue)|any age|no age limit|ingen aldersgrense|ingen åldersgräns|"
        r"ingen aldersgrænse)(?!\w)",
        re.IGNORECASE,
    ),
    re.compile(
        r"(?<!\w)(?:straffri\w*|ikke straffbar\w*|ikkje straffbar\w*|inte straffmyndig\w*|ej straffmyndig\w*|"
        r"ikke strafmyndig\w*|under den kriminelle lavalder|kriminell lavalder|straffmyndighetsålder\w*|"
        r"mindreårig\w*|minderårig\w*|underårig\w*|omyndig\w*|umyndig\w*)(?!\w)",
        re.IGNORECASE,
    ),
    re.compile(
        r"(?<!\w)(?:ungdomsskole\w*|ungdomsskule\w*|u-skole\w*|barneskole\w*|högstadie\w*|mellanstadie\w*|"
        r"folkeskole\w*|grundskol\w*|udskoling\w*|(?:[789]|åttende|niende|tiende|ottende)\.?\s?(?:klasse|kl\.|klass)|"
        r"går (?:du )?i (?:sjuan|åttan|nian|sjuende|åttende|niende|tiende)|"
        r"middle school|junior high|after school|etter skolen|efter skolan|efter skolen|"
        r"etter skoletid|efter skoltid|efter skoletid|skoleelev\w*|skolelev\w*)(?!\w)",
        re.IGNORECASE,
    ),
]
_PATTERNS += [
    re.compile(
        r"(?<!\w)(?:ikke|ikkje|inte|not|don'?t|dont|no need to|behøver ikke|trenger ikke)\s+(?:trenger\s+|behöver\s+)?"
        r"(?:være|vere|vara|be)\s+(?:over\s+)?18(?!\d)",
        re.IGNORECASE,
    ),
    re.compile(
        r"(?<!\w)(?:jeg er|jag är|eg er|i'?m|i am|er du|är du|are you|han er|hon är|hun er|han är)"
        r"\s+1[0-7](?![\d.,:%k])",
        re.IGNORECASE,
    ),
    re.compile(
        r"(?<![\w.,:])1[0-7]\s+(?:är|er|is|e)\s+(?:perfekt|perfect|fint|fine|ok|okej|okay|bra|good|best|greit|topp)(?!\w)",
        re.IGNORECASE,
    ),
    re.compile(r"(?<=[,(]\s)1[0-7](?=\s?[,)])|(?<=[,(])1[0-7](?=\s?[,)])"),
    re.compile(r"(?<!\w)(?:är|er|e|am)\s+1[0-7]\s+(?:och|og|and|men|but)(?!\w)", re.IGNORECASE),
]
_NOT_AGE_BEFORE = re.compile(r"(?:kl|klokka|klockan|kl\.|fra|från|mellom|mellan|between|from)\s?$", re.IGNORECASE)
_NOT_AGE_AFTER = re.compile(rf"^\s?(?:{_MONTH}|k\b|ton\b|lapper|kr|:|\.\d)", re.IGNORECASE)


def extract_minor_signals(text: str) -> tuple[Cue, ...]:
    """Cues that recruits or the applicant may be under 18, in text order, overlapping cues merged."""
    found: list[tuple[int, int]] = []
    for pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if _NOT_AGE_BEFORE.search(text[max(0, m.start() - 12) : m.start()]):
                continue
            if _NOT_AGE_AFTER.match(text[m.end() : m.end() + 12]):
                continue
            if overlaps_any(found, m.start(), m.end()):
                continue
            add_span(found, m.start(), m.end())
    return tuple(Cue("minor", text[a:b], a, b) for a, b in found)
