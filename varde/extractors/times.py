"""When: a small Scandinavian/English time grammar, resolved against the post's `created_at` in local time
(Europe/Oslo for nb/nn/en, Europe/Stockholm for sv, Europe/Copenhagen for da; all three keep the same clock).

What it reads, and the interval each gives (`start`–`end`, local time, tz-aware):
- "i kveld"/"ikväll"/"i aften"/"tonight" → the same day 18:00–06:00; "i natt"/"inatt"/"i nat" → 22:00–06:00 of the
  night that starts that day; "i dag"/"idag"/"today" → that day;
- "i morgen"/"imorgon"/"tomorrow" → the next day, narrowed by a part of day that follows ("i morgen tidlig" 06–12,
  "imorgon kväll" 18–06, "i morgen natt" 22–06, "i morgon bitti" 06–12); "i overmorgen"/"i övermorgon" → two days
  on; "i ettermiddag"/"i eftermiddag"/"this afternoon" → 12–18 today, "i formiddag" 09–12; "innen midnatt" → today;
- a count from today: "om to dager", "om 2 dagar", "in two days", "om en uke", "innen 48 timer", "within 24 hours"
  → the day it falls on (hours in whole days: 48 h → the second day from today);
- "i helgen"/"i helga"/"i weekenden"/"this weekend" → the coming Saturday 00:00 to Monday 00:00 (on a Saturday or
  Sunday, that weekend's days from today); "neste helg"/"nästa helg"/"next weekend" → the Saturday a week later;
- a weekday, bare or after "på/on/innen/innan/inden/før/före/senest/by/before/until/till/til" → that coming day
  (the same day when the post is written on it), narrowed by a part of day ("fredag natt", "lørdag kveld");
  "natt til lørdag" → Saturday 00:00–06:00; a short weekday ("lør", "fre", "sat") only before a part of day or a
  clock ("lør kveld", "sat night", "fre kl 22");
- explicit dates "14.9", "14/9", "14.09.2025", "14. september", "14 sept", "September 14" → that day (the next year
  when the date is already more than a day past); "on the 3rd"/"den 3." → that day of this or the next month;
  "julaften"/"nyårsafton"/"New Year's Eve" → 24 or 31 December;
- a clock time "kl 22", "kl. 22.30", "klockan 22", "22:00", "22.00", "10pm", "rundt 23-tiden" → sets the start on
  the day found (end two hours later), or alone → its next occurrence after `created_at`.
A deadline ("innen fredag") is given as the day it is due (00:00–24:00 of that day), so the interval always holds
the date the act is due; the expression's `text` keeps the wording.

Choices: words of urgency without a day ("asap", "nå", "nu", "snarest", "straks") and vague spans ("denne uka",
"next week") give None — no interval is stated; `varde.extractors.urgency` reads urgency words itself. When several
day expressions appear, the earliest day wins ("i kveld eller i morgen" → tonight; "innen fredag, helst onsdag" →
Wednesday). "kl" not followed by an hour (e.g. a school class "9. kl") is not a time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from varde.extractors.spacing import despace, span_back
from varde.records import When

_ZONES = {"sv": "Europe/Stockholm", "da": "Europe/Copenhagen"}
_DEFAULT_ZONE = "Europe/Oslo"

_WEEKDAYS: dict[str, int] = {}
for _i, _names in enumerate(
    [
        "mandag måndag monday mandagen måndagen mandags måndags",
        "tirsdag tisdag tysdag tuesday tirsdagen tisdagen tysdagen tirsdags tisdags tysdags",
        "onsdag wednesday onsdagen onsdags",
        "torsdag thursday torsdagen torsdags",
        "fredag friday fredagen fredags",
        "lørdag lördag laurdag saturday lørdagen lördagen laurdagen lørdags lördags",
        "søndag söndag sundag sunday søndagen söndagen sundagen søndags söndags",
    ]
):
    for _name in _names.split():
        _WEEKDAYS[_name] = _i

_MONTHS: dict[str, int] = {}
for _i, _names in enumerate(
    [
        "januar januari january jan",
        "februar februari february feb",
        "mars marts march mar",
        "april apr",
        "mai maj may",
        "juni june jun",
        "juli july jul",
        "august augusti aug",
        "september sept sep",
        "oktober october okt oct",
        "november nov",
        "desember december des dec",
    ],
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _i

# Part of day: (start hour, length in hours).
_PARTS: dict[str, tuple[int, int]] = {
    "morgen tidlig": (6, 6), "tidlig": (6, 6), "morgon": (6, 6), "morgenen": (6, 6), "morgonen": (6, 6),
    "morning": (6, 6), "formiddag": (9, 3), "förmiddag": (9, 3), "ettermiddag": (12, 6), "eftermiddag": (12, 6),
    "afternoon": (12, 6), "kveld": (18, 12), "kvelden": (18, 12), "kväll": (18, 12), "kvällen": (18, 12),
    "kvell": (18, 12), "aften": (18, 12), "aftenen": (18, 12), "evening": (18, 12), "natt": (22, 8),
    "natten": (22, 8), "nat": (22, 8), "natten til": (22, 8), "night": (22, 8), "tonight": (18, 12),
    "morgen": (6, 6), "bitti": (6, 6), "morgon bitti": (6, 6), "early": (6, 6), "formiddagen": (9, 3),
    "förmiddagen": (9, 3), "ettermiddagen": (12, 6), "eftermiddagen": (12, 6), "aftenen til": (18, 12),
}  # fmt: skip

_REL_DAY = {
    "i kveld": (0, "kveld"), "ikveld": (0, "kveld"), "i kvell": (0, "kveld"), "ikvell": (0, "kveld"),
    "i kväll": (0, "kveld"), "ikväll": (0, "kveld"), "i kvæld": (0, "kveld"), "i aften": (0, "kveld"),
    "iaften": (0, "kveld"), "tonight": (0, "kveld"), "tonite": (0, "kveld"), "this evening": (0, "kveld"),
    "i natt": (0, "natt"), "inatt": (0, "natt"), "i nat": (0, "natt"), "inat": (0, "natt"),
    "i natta": (0, "natt"), "i løpet av natta": (0, "natt"), "i løpet av natten": (0, "natt"),
    "i løpet av kvelden": (0, "kveld"), "i kveldinga": (0, "kveld"), "senere i kveld": (0, "kveld"),
    "under natten": (0, "natt"), "i løpet av dagen": (0, None), "i løbet af natten": (0, "natt"),
    "i løbet af aftenen": (0, "kveld"), "later tonight": (0, "kveld"),
    "i dag": (0, None), "idag": (0, None), "today": (0, None), "i dag kveld": (0, "kveld"),
    "i morgen": (1, None), "imorgen": (1, None), "i morgon": (1, None), "imorgon": (1, None), "imorn": (1, None),
    "i morra": (1, None), "imorra": (1, None), "i morn": (1, None), "tomorrow": (1, None), "tmrw": (1, None),
    "i overmorgen": (2, None), "i övermorgon": (2, None), "i overmorgon": (2, None),
    "day after tomorrow": (2, None),
    # Day parts of today: "i ettermiddag" (nb), "i eftermiddag" (sv/da), "i formiddag", "this afternoon".
    "i ettermiddag": (0, "ettermiddag"), "i eftermiddag": (0, "eftermiddag"), "i formiddag": (0, "formiddag"),
    "i förmiddag": (0, "förmiddag"), "this afternoon": (0, "afternoon"), "this morning": (0, "morning"),
    "senere i dag": (0, None), "later today": (0, None), "i morgen bitti": (1, "bitti"), "imorgon bitti": (1, "bitti"),
    "i morgon bitti": (1, "bitti"), "early tomorrow": (1, "early"), "tomorrow morning": (1, "morning"),
    # A deadline at midnight is today's.
    "innen midnatt": (0, None), "før midnatt": (0, None), "innan midnatt": (0, None), "före midnatt": (0, None),
    "inden midnat": (0, None), "før midnat": (0, None), "before midnight": (0, None), "by midnight": (0, None),
}  # fmt: skip
_DEADLINE = r"innen|innan|inden|før|före|senest|senast|by|before|until|till|til|innen utgangen av"
_ON = r"på|pa|on|this|kommende|nå på|nu på|neste|næste|nästa|next|om"


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


_REL_RE = re.compile(rf"(?<!\w)(?:{_alternation(list(_REL_DAY))})(?!\w)", re.IGNORECASE)
_WEEKEND_RE = re.compile(
    r"(?<!\w)(?:(?P<next>neste|nästa|næste|next|kommende\s+uges?)\s+)?"
    r"(?:(?:i|på|til|till|over|under|denne|this|the|nu\s+i|i\s+løpet\s+av|innen|innan|inden|by)\s+)?"
    r"(?:helgen|helga|helgå|helg|weekenden|weekend)(?!\w)",
    re.IGNORECASE,
)
_WEEKDAY_RE = re.compile(
    rf"(?<!\w)(?:(?P<natt>natt(?:en)?\s+til|natta\s+til|natten\s+till|natt\s+mot|natten\s+mot|nat(?:ten)?\s+til)\s+)?"
    rf"(?:(?P<pre>{_DEADLINE}|{_ON})\s+)?(?P<day>{_alternation(list(_WEEKDAYS))})(?!\w)",
    re.IGNORECASE,
)
_DATE_NUM_RE = re.compile(
    r"(?<![\w.,/:])(?:(?P<pre>"
    + _DEADLINE
    + r"|den|d\.)\s+)?(?P<d>[0-3]?\d)[./](?P<m>[01]?\d)\.?(?:[./](?P<y>(?:20)?\d\d))?"
    r"(?![\w/]|[.,]\d)",
    re.IGNORECASE,
)
_DATE_WORD_RE = re.compile(
    r"(?<!\w)(?:(?P<pre>" + _DEADLINE + r")\s+)?(?:(?P<d>[0-3]?\d)(?:\.|st|nd|rd|th|e|:e)?\s*(?:of\s+)?"
    rf"(?P<mon>{_alternation(list(_MONTHS))})\.?|(?P<mon2>{_alternation(list(_MONTHS))})\s+(?P<d2>[0-3]?\d)"
    r"(?:st|nd|rd|th)?)(?!\w)",
    re.IGNORECASE,
)
# "on the 3rd", "den 3.": that day of this month, or of the next when it has passed.
_DAY_OF_MONTH_RE = re.compile(
    r"(?<!\w)(?:on\s+the|by\s+the|before\s+the|until\s+the|den|innen\s+den|innan\s+den|inden\s+den|før\s+den)\s+"
    r"(?P<d>[0-3]?\d)(?:st|nd|rd|th|\.|:e)(?!\d|\w)",
    re.IGNORECASE,
)
_HOLIDAYS = {
    "julaften": (12, 24), "julafton": (12, 24), "juleaften": (12, 24), "christmas eve": (12, 24),
    "første juledag": (12, 25), "juldagen": (12, 25), "juledag": (12, 25), "christmas day": (12, 25),
    "nyttårsaften": (12, 31), "nyårsafton": (12, 31), "nytårsaften": (12, 31), "new year's eve": (12, 31),
    "new years eve": (12, 31), "nyttårsaftan": (12, 31), "nyårsaftonen": (12, 31), "nyttårsaftenen": (12, 31),
}  # fmt: skip
_HOLIDAY_RE = re.compile(
    rf"(?<!\w)(?:{'|'.join(sorted(map(re.escape, _HOLIDAYS), key=len, reverse=True))})(?!\w)".replace(r"\ ", r"\s+"),
    re.IGNORECASE,
)
_CLOCK_RE = re.compile(
    r"(?<!\w)(?:(?:kl|klokka|klokken|klockan|kloka|kl\.)\.?\s*(?P<h>[0-2]?\d)(?:[.:]?(?P<m>[0-5]\d))?"
    r"|(?P<h2>[0-2]?\d)[:.](?P<m2>[0-5]\d)(?!\d|[.,]\d)"
    r"|(?:at\s+)?(?P<h3>1[0-2]|0?\d)\s*(?P<ap>am|pm|a\.m\.|p\.m\.)"
    r"|(?:i|vid|ved|rundt|runt|omkring|ca\.?)\s+(?P<h4>[0-2]?\d)\s?-?\s?(?:tiden|tida|tidene))(?!\w)",
    re.IGNORECASE,
)
_AMOUNT_AFTER = re.compile(
    r"\s?(?:k|m|mn|mill\w*|mille|milla|miljon\w*|million\w*|mio|ton|tonn|kr|nok|sek|dkk|eur|euro|usd|lapper|lax|"
    r"tusen|tusind|thousand|grand|%|x)(?!\w)",
    re.IGNORECASE,
)
_AMOUNT_BEFORE = re.compile(r"(?:[€$£]|nok|sek|dkk|eur|usd|pris:?|price:?|betaler|paying|pay)\s?$", re.IGNORECASE)
# "om to dager", "om 2 dagar", "in two days", "innen 48 timer", "within 24 hours", "om en uke": a count from today.
_COUNT_WORDS = {
    "en": 1, "ett": 1, "et": 1, "ein": 1, "ei": 1, "one": 1, "a": 1, "an": 1, "to": 2, "två": 2, "two": 2,
    "tre": 3, "three": 3, "fire": 4, "fyra": 4, "four": 4, "fem": 5, "five": 5, "seks": 6, "sex": 6, "six": 6,
    "sju": 7, "syv": 7, "seven": 7, "et par": 2, "ett par": 2, "a couple of": 2, "tjuefire": 24, "tjugofyra": 24,
    "fireogtyve": 24,
    "twenty-four": 24, "twentyfour": 24,
}  # fmt: skip
_UNIT_DAYS = {
    "dag": 1, "dager": 1, "dagar": 1, "dage": 1, "døgn": 1, "dygn": 1, "day": 1, "days": 1,
    "uke": 7, "uka": 7, "veke": 7, "vecka": 7, "uge": 7, "week": 7,
    "time": 1 / 24, "timer": 1 / 24, "timme": 1 / 24, "timmar": 1 / 24, "hour": 1 / 24, "hours": 1 / 24, "t": 1 / 24,
    "h": 1 / 24,
}  # fmt: skip
_COUNT_RE = re.compile(
    r"(?<!\w)(?:om|in|innen|innan|inden|inom|within|i\s+løpet\s+av|i\s+løbet\s+af|under\s+de\s+närmaste)\s+"
    rf"(?:de\s+neste\s+|de\s+næste\s+|the\s+next\s+)?(?P<n>\d{{1,3}}|{_alternation(list(_COUNT_WORDS))})\s*"
    rf"(?P<unit>{_alternation(list(_UNIT_DAYS))})(?!\w)",
    re.IGNORECASE,
)
# Weekday abbreviations count only before a part of day or a clock ("lør kveld", "fre natt", "sat night").
_ABBREVIATIONS = {
    "man": 0, "mån": 0, "mon": 0, "tir": 1, "tis": 1, "tys": 1, "tue": 1, "tues": 1, "ons": 2, "wed": 2, "tor": 3,
    "tors": 3, "thu": 3, "thur": 3, "thurs": 3, "fre": 4, "fri": 4, "lør": 5, "lör": 5, "lau": 5, "sat": 5, "søn": 6,
    "sön": 6, "sun": 6,
}  # fmt: skip
_ABBREVIATION_RE = re.compile(
    rf"(?<!\w)(?P<day>{_alternation(list(_ABBREVIATIONS))})\.?(?=\s+(?:(?:{_alternation(list(_PARTS))})(?!\w)|kl\.?\s*\d))",
    re.IGNORECASE,
)
_PART_RE = re.compile(rf"(?<!\w)(?:{_alternation(list(_PARTS))})(?!\w)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Day:
    day: date
    start: int
    end: int
    part: str | None = None
    early_night: bool = False  # "natt til lørdag": 00:00-06:00 of that day
    weekend: bool = False


def extract_when(text: str, created_at: datetime, language: str | None) -> When | None:
    """The interval in which the act is to happen, or None when the text names no day or time."""
    try:
        return _extract_when(text, created_at, language)
    except (OverflowError, ValueError):
        # A `created_at` at the edge of the calendar (9999-12-31T23:59:59-14:00): the local time or the day it
        # names is outside what `datetime` can hold, so there is no interval to give.
        return None


def post_zone(created_at: datetime, language: str | None) -> tzinfo:
    """The zone the post's words ("i kveld", "kl 22") are meant in: the language's home zone, unless the post's own
    timestamp states a different non-UTC offset (a poster's local clock), which then wins. UTC timestamps say
    nothing about where the poster is, so they keep the language's zone."""
    named = ZoneInfo(_ZONES.get(language or "", _DEFAULT_ZONE))
    own = created_at.utcoffset() if created_at.tzinfo else None
    if own and own != created_at.astimezone(named).utcoffset():
        return timezone(own)
    return named


def _extract_when(text: str, created_at: datetime, language: str | None) -> When | None:
    zone = post_zone(created_at, language)
    now = created_at.astimezone(zone) if created_at.tzinfo else created_at.replace(tzinfo=zone)
    joined, offsets = despace(text)
    days = _days(joined, now.date())
    clocks = [m for m in _CLOCK_RE.finditer(joined) if _hour(m) is not None and not _is_date_like(m, days)]
    if not days:
        if not clocks:
            return None
        clock = clocks[0]
        hour, minute = _hour(clock) or (0, 0)
        start = datetime.combine(now.date(), time(hour, minute), zone)
        if start < now - timedelta(hours=1):
            start += timedelta(days=1)
        span = span_back(offsets, clock.start(), clock.end())
        return When(text[span[0] : span[1]], start, start + timedelta(hours=2), span)
    best = min(days, key=lambda d: (d.day, d.start))
    lo, hi = best.start, best.end
    part = best.part
    if part is None or best.weekend:
        after = re.match(rf"[\s,]*({_PART_RE.pattern})", joined[best.end : best.end + 20], re.IGNORECASE)
        before = re.search(rf"({_PART_RE.pattern})[\s,]*$", joined[max(0, best.start - 16) : best.start], re.IGNORECASE)
        if after:
            part, hi = _part_key(after.group(1)), best.end + after.end()
        elif before:
            part, lo = (
                _part_key(before.group(1)),
                best.start - (len(joined[max(0, best.start - 16) : best.start]) - before.start()),
            )
    start_dt, end_dt = _interval(best, part, zone)
    # "torsdag 2100", "fredag kveld 2330": a four-digit time right after the day.
    hhmm = re.match(r"[\s,]*(?:kl\.?\s*)?([01]\d|2[0-3])([0-5]\d)(?!\d)", joined[hi : hi + 12])
    if hhmm and not any(best.end <= c.start() <= best.end + 16 for c in clocks):
        start_dt = datetime.combine(best.day, time(int(hhmm.group(1)), int(hhmm.group(2))), zone)
        return _when(text, offsets, joined, lo, hi + hhmm.end(), start_dt, start_dt + timedelta(hours=2))
    for clock in clocks:
        if best.end <= clock.start() <= best.end + 16 or best.start - 16 <= clock.end() <= best.start:
            hour, minute = _hour(clock) or (0, 0)
            if part in ("kveld", "kvelden", "kväll", "aften", "evening", "natt", "night") and hour < 12:
                hour = hour + 12 if hour >= 5 else hour
            day = best.day + timedelta(days=1) if part in ("natt", "night") and hour < 6 else best.day
            start_dt = datetime.combine(day, time(hour % 24, minute), zone)
            end_dt = start_dt + timedelta(hours=2)
            lo, hi = min(lo, clock.start()), max(hi, clock.end())
            break
    return _when(text, offsets, joined, lo, hi, start_dt, end_dt)


def _when(text: str, offsets: list[int], joined: str, lo: int, hi: int, start: datetime, end: datetime) -> When:
    while hi > lo + 1 and joined[hi - 1] in ".,":
        hi -= 1
    span = span_back(offsets, lo, hi)
    return When(text[span[0] : span[1]], start, end, span)


def _part_key(word: str) -> str:
    key = re.sub(r"\s+", " ", word.casefold())
    return key


def _interval(found: _Day, part: str | None, zone: tzinfo) -> tuple[datetime, datetime]:
    midnight = datetime.combine(found.day, time(0), zone)
    if found.early_night:
        return midnight, midnight + timedelta(hours=6)
    if part is not None and part in _PARTS:
        hour, length = _PARTS[part]
        start = midnight + timedelta(hours=hour)
        return start, start + timedelta(hours=length)
    if found.weekend:
        return midnight, midnight + timedelta(days=2 if found.day.weekday() == 5 else 1)
    return midnight, midnight + timedelta(days=1)


def _hour(m: re.Match[str]) -> tuple[int, int] | None:
    if m.group("h") is not None:
        hour, minute = int(m.group("h")), int(m.group("m") or 0)
    elif m.group("h2") is not None:
        hour, minute = int(m.group("h2")), int(m.group("m2"))
    elif m.group("h4") is not None:  # "rundt 23-tiden", "vid 22-tiden"
        hour, minute = int(m.group("h4")), 0
    else:
        hour, minute = int(m.group("h3")) % 12, 0
        if m.group("ap").lower().startswith("p"):
            hour += 12
    if hour > 24 or minute > 59:
        return None
    return hour % 24, minute


def _is_date_like(m: re.Match[str], days: list[_Day]) -> bool:
    """A "14.09" already read as a date is not also a clock time."""
    return any(d.start <= m.start() < d.end for d in days)


def _days(text: str, today: date) -> list[_Day]:
    found: list[_Day] = []
    for m in _REL_RE.finditer(text):
        offset, part = _REL_DAY[re.sub(r"\s+", " ", m.group(0).casefold())]
        found.append(_Day(today + timedelta(days=offset), m.start(), m.end(), part))
    for m in _WEEKEND_RE.finditer(text):
        weekday = today.weekday()
        saturday = today if weekday >= 5 else today + timedelta(days=5 - weekday)
        if m.group("next"):
            saturday = today + timedelta(days=(5 - weekday) % 7 + 7)  # "neste helg": the weekend after this one
        found.append(_Day(saturday, m.start(), m.end(), None, weekend=True))
    for m in _WEEKDAY_RE.finditer(text):
        target = _WEEKDAYS[m.group("day").casefold()]
        ahead = (target - today.weekday()) % 7
        pre = (m.group("pre") or "").casefold()
        if pre in ("neste", "næste", "nästa", "next") and ahead == 0:
            ahead = 7
        found.append(_Day(today + timedelta(days=ahead), m.start(), m.end(), None, early_night=bool(m.group("natt"))))
    for m in _DATE_NUM_RE.finditer(text):
        day = _date(today, int(m.group("d")), int(m.group("m")), m.group("y"))
        if _AMOUNT_AFTER.match(text, m.end()) or _AMOUNT_BEFORE.search(text, 0, m.start()):
            continue  # "2.5 million", "€1.5k", "pris 1.5"
        if re.fullmatch(r"24/7|1/2|1/3|2/3|1/4|3/4|50/50", m.group(0).split()[-1].rstrip(".")):
            continue  # around the clock, fractions
        # "1/2", "3.4" with no year and nothing saying "date" are more often fractions or scores than dates.
        small = int(m.group("d")) < 10 and int(m.group("m")) < 10 and not m.group("y") and not m.group("pre")
        if small and not re.search(r"(?:dato|datum|date|den|d\.)\s*$", text[max(0, m.start() - 8) : m.start()]):
            continue
        if day is not None and not _looks_like_time(m):
            found.append(_Day(day, m.start(), m.end()))
    for m in _DATE_WORD_RE.finditer(text):
        d = m.group("d") or m.group("d2")
        month_word = (m.group("mon") or m.group("mon2") or "").casefold()
        if month_word in ("mar", "mai", "may", "jul", "sep", "des", "dec", "jan", "okt", "oct") and not d:
            continue
        day = _date(today, int(d), _MONTHS[month_word], None) if d else None
        if day is not None:
            found.append(_Day(day, m.start(), m.end()))
    for m in _COUNT_RE.finditer(text):
        raw = m.group("n").casefold()
        count = int(raw) if raw.isdigit() else _COUNT_WORDS[re.sub(r"\s+", " ", raw)]
        days = int(count * _UNIT_DAYS[m.group("unit").casefold()])  # "innen 48 timer" → the second day from today
        if 0 <= days <= 366:
            found.append(_Day(today + timedelta(days=days), m.start(), m.end()))
    for m in _ABBREVIATION_RE.finditer(text):
        ahead = (_ABBREVIATIONS[m.group("day").casefold()] - today.weekday()) % 7
        found.append(_Day(today + timedelta(days=ahead), m.start(), m.end()))
    covered = [(d.start, d.end) for d in found]
    for m in _DAY_OF_MONTH_RE.finditer(text):
        if any(a <= m.start() < b for a, b in covered):
            continue
        number = int(m.group("d"))
        month, year = today.month, today.year
        if number < today.day:
            month, year = (1, year + 1) if month == 12 else (month + 1, year)
        try:
            found.append(_Day(date(year, month, number), m.start(), m.end()))
        except ValueError:
            continue
    for m in _HOLIDAY_RE.finditer(text):
        month, number = _HOLIDAYS[re.sub(r"\s+", " ", m.group(0).casefold())]
        day = _date(today, number, month, None)
        if day is not None:
            found.append(_Day(day, m.start(), m.end()))
    return found


def _looks_like_time(m: re.Match[str]) -> bool:
    """ "22.00" or "14.30" are clock times; "14.9", "14/9", "14.09.2025" are dates."""
    raw = m.group(0)
    if m.group("y") or "/" in raw:
        return False
    minutes = raw.split(".")[-1].rstrip(".")
    return (
        len(minutes) == 2
        and (int(m.group("d")) > 12 or minutes in ("00", "15", "30", "45"))
        and int(m.group("d")) <= 24
    )


def _date(today: date, day: int, month: int, year: str | None) -> date | None:
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    y = today.year if year is None else (int(year) + 2000 if len(year) == 2 else int(year))
    try:
        found = date(y, month, day)
    except ValueError:
        return None
    if year is None and found < today - timedelta(days=1):
        try:
            found = date(y + 1, month, day)
        except ValueError:
            return None
    return found
