"""Payment: the amount offered, its currency and its value in NOK.

Amounts are read in three tiers; the first tier that finds anything decides, and of its amounts the highest wins
(a price menu or a range "20–100k" gives its top):
1. amounts with a unit or a currency: "50k", "50 000 kr", "50.000,-", "100 ton", "25 lax", "60 lapper", "1,5 mill",
   "en halv mille", "femti tusen", "tvåhundra tusen", "€4000", "4k EUR", "SEK 80 000", "50ksek";
2. bare numbers in a price context ("betaler 150", "150 per skalle", "pris: 80", "börjar på 100", "5000 for the one
   who does it", "35 på hånda"); below 1000 they are thousands, as these ads write them;
3. a lone bare number of 10–999 standing at the end of a clause ("… 💀 300."), read as thousands.
Numbers that are times ("kl 22", "22:00", "22.00"), dates ("14.9", "14/9"), years, ages ("16 år", "15+", "15–17"),
percentages, counts ("2 stk") or parts of handles, links and phone numbers are never amounts.

Currency: the one written next to the amount, else one written anywhere in the post ("Prices in NOK"), else the
slang's ("ton"/"lax"/"lakan" → SEK, "lapper" → NOK), else the post's language (nb/nn → NOK, sv → SEK, da → DKK),
else (English or unknown language) the country of the first place named. Where a Norwegian post names a Danish
place (or the reverse), words only one of the two languages writes decide, since detectors confuse nb and da.
`amount_nok` converts with the dated rates in data/rates.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from varde.extractors.contacts import contact_spans
from varde.extractors.spacing import despace, overlaps_any, span_back
from varde.records import Payment

_LANGUAGE_CURRENCY = {"nb": "NOK", "nn": "NOK", "no": "NOK", "sv": "SEK", "da": "DKK"}
_COUNTRY_CURRENCY = {"NO": "NOK", "SE": "SEK", "DK": "DKK"}

_CURRENCY_WORDS: dict[str, str | None] = {
    "kr": None, "kr.": None, "kroner": None, "kronor": None, "krone": None, "krona": None, "kronur": None, ",-": None,
    ":-": None, "nok": "NOK", "sek": "SEK", "dkk": "DKK", "eur": "EUR", "euro": "EUR", "euros": "EUR", "€": "EUR",
    "usd": "USD", "$": "USD", "dollar": "USD", "dollars": "USD", "gbp": "GBP", "£": "GBP", "pund": "GBP",
    "norske": "NOK", "norsk": "NOK", "norska": "NOK", "svenska": "SEK", "svenske": "SEK", "svensk": "SEK",
    "danske": "DKK", "dansk": "DKK", "danska": "DKK",
}  # fmt: skip
_THOUSAND = {
    "k": None, "tusen": None, "tusind": None, "tusinde": None, "thousand": None, "grand": None, "bands": None,
    "ton": "SEK", "lax": "SEK", "lakan": "SEK", "lapper": "NOK", "lapp": "NOK", "lappar": "SEK", "laks": "NOK",
    "tusenlapper": "NOK", "papir": "DKK", "papirer": "DKK", "papp": "SEK", "papper": "SEK", "tkr": None,
    "tkr.": None, "t.kr": None, "t.kr.": None,
}  # fmt: skip
_MILLION = {
    "m": None, "mill": None, "mill.": None, "mille": None, "milla": None, "million": None, "millioner": None,
    "millionen": None, "miljon": None, "miljoner": None, "mio": None, "mio.": None, "mn": None, "millions": None,
}  # fmt: skip
_NUMBER_WORDS = {
    "en": 1, "ett": 1, "ei": 1, "én": 1, "one": 1, "a": 1, "to": 2, "två": 2, "two": 2, "tre": 3, "three": 3,
    "fire": 4, "fyra": 4, "four": 4, "fem": 5, "five": 5, "seks": 6, "sex": 6, "six": 6, "sju": 7, "syv": 7,
    "seven": 7, "åtte": 8, "åtta": 8, "otte": 8, "eight": 8, "ni": 9, "nio": 9, "nine": 9, "ti": 10, "tio": 10,
    "ten": 10, "elleve": 11, "elva": 11, "tolv": 12, "femten": 15, "femton": 15, "fifteen": 15, "tjue": 20,
    "tyve": 20, "tjugo": 20, "twenty": 20, "tretti": 30, "trettio": 30, "tredive": 30, "thirty": 30, "førti": 40,
    "fyrtio": 40, "fyrre": 40, "forty": 40, "femti": 50, "femtio": 50, "halvtreds": 50, "fifty": 50, "seksti": 60,
    "sextio": 60, "tres": 60, "sixty": 60, "sytti": 70, "sjuttio": 70, "halvfjerds": 70, "seventy": 70, "åtti": 80,
    "åttio": 80, "firs": 80, "eighty": 80, "nitti": 90, "nittio": 90, "halvfems": 90, "ninety": 90,
    "hundre": 100, "hundra": 100, "hundrede": 100, "hundred": 100, "halv": 0.5, "halvt": 0.5, "half": 0.5,
    "halva": 0.5, "kvart": 0.25,
}  # fmt: skip
# Compound number words: "tjuefem", "femtifem", "tjugofem" (tens + unit) and Danish "femogtyve" (unit + og + tens).
for _tens, _tv in [("tjue", 20), ("tretti", 30), ("førti", 40), ("femti", 50), ("seksti", 60), ("sytti", 70),
                   ("åtti", 80), ("nitti", 90), ("tjugo", 20), ("trettio", 30), ("fyrtio", 40), ("femtio", 50),
                   ("sextio", 60), ("sjuttio", 70), ("åttio", 80), ("nittio", 90)]:  # fmt: skip
    for _unit, _uv in [("en", 1), ("ett", 1), ("to", 2), ("två", 2), ("tre", 3), ("fire", 4), ("fyra", 4),
                       ("fem", 5), ("seks", 6), ("sex", 6), ("sju", 7), ("åtte", 8), ("åtta", 8), ("ni", 9),
                       ("nio", 9)]:  # fmt: skip
        _NUMBER_WORDS.setdefault(_tens + _unit, _tv + _uv)
for _tens, _tv in [("tyve", 20), ("tredive", 30), ("fyrre", 40), ("halvtreds", 50), ("tres", 60),
                   ("halvfjerds", 70), ("firs", 80), ("halvfems", 90)]:  # fmt: skip
    for _unit, _uv in [("en", 1), ("et", 1), ("to", 2), ("tre", 3), ("fire", 4), ("fem", 5), ("seks", 6),
                       ("syv", 7), ("otte", 8), ("ni", 9)]:  # fmt: skip
        _NUMBER_WORDS.setdefault(f"{_unit}og{_tens}", _tv + _uv)
# Hundreds written as one word: "tohundre", "tvåhundra", "femhundrede".
for _unit, _uv in [("to", 2), ("två", 2), ("tre", 3), ("fire", 4), ("fyra", 4), ("fem", 5), ("seks", 6), ("sex", 6),
                   ("sju", 7), ("syv", 7), ("åtte", 8), ("åtta", 8), ("otte", 8), ("ni", 9), ("nio", 9)]:  # fmt: skip
    for _hundred in ("hundre", "hundra", "hundrede"):
        _NUMBER_WORDS.setdefault(_unit + _hundred, _uv * 100)

_NUM = r"\d{1,3}(?:[ .,\u00a0'’]\d{3})+(?!\d)|\d+(?:[.,]\d{1,2})?"
_CUR_BEFORE = r"(?:(?P<cb>nok|sek|dkk|eur|usd|gbp|kr\.?|€|\$|£)\s?)"
_UNIT = "|".join(sorted(map(re.escape, [*_THOUSAND, *_MILLION]), key=len, reverse=True))
_CUR_AFTER = "|".join(sorted(map(re.escape, _CURRENCY_WORDS), key=len, reverse=True))
_GLUED_CURRENCY = r"(?=(?:sek|nok|dkk|kr|eur|usd)(?!\w))"  # "50ksek", "50kkr"
_AMOUNT = re.compile(
    rf"(?<![\w@./:#+])(?<!\d[-–])(?<!\d[ .,]){_CUR_BEFORE}?(?P<num>{_NUM})"
    rf"(?:\s?[-–]\s?(?P<num2>{_NUM}))?"
    rf"(?:\s{{0,2}}(?P<unit>{_UNIT})(?:(?!\w)|{_GLUED_CURRENCY}))?(?:\s{{0,2}}(?P<cur>{_CUR_AFTER})(?![^\W\d_]))?",
    re.IGNORECASE,
)
_WORD_AMOUNT = re.compile(
    r"(?<!\w)(?P<words>(?:(?:" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")[\s-]?){1,4})"
    rf"(?P<unit>{_UNIT})(?!\w)(?:\s?(?P<cur>{_CUR_AFTER})(?![^\W\d_]))?",
    re.IGNORECASE,
)
_ANY_UNIT = re.compile(rf"(?<!\w)(?:{_UNIT})(?!\w)", re.IGNORECASE)
_PRICE_CONTEXT = re.compile(
    r"(?:betal\w*|pris\w*|price\w*|lønn\w*|lön\w*|løn\b|ersättning|arvode|honorar|cash|kontant\w*|pay\w*|paid|"
    r"reward|bounty|dusør|belønning|tjen(?:e|er|t)?\b|tjän\w*|tjäna|earn\w*|får du|you get|du får|starter på|börjar på|"
    r"starts at|fra|från|from|opp til|upp till|up to|op til|budget|budsjett|💰|💸|💵|💶|💴|🤑)\W*(?:\w+\W+){0,2}$",
    re.IGNORECASE,
)
_PRICE_AFTER = re.compile(
    r"^\s?(?:(?:per|pr\.?|/)\s?(?:skalle|hode|huvud|hoved|head|jobb|job|oppdrag|uppdrag|opgave|gang|styck|stk|person)"
    # "5000 for the one who does it", "25 000 til den som gjør det", "30 for jobben": what the job pays.
    r"|,?\s?(?:for|til|till|to)\s(?:the\sone|den\ssom|den\sder|den\s+det|whoever|him\swho|the\sjob|jobben|jobbet|"
    r"oppdraget|uppdraget|opgaven|the\swork|it\b|det\b)"
    # "35 på hånda", "40 cash", "25 i handen": money in hand.
    r"|\s?(?:på|i|in)\s(?:hånda|handa|hånden|handen|hand)\b|\s?(?:cash|kontant\w*|in\scash|up\s?front)\b)",
    re.IGNORECASE,
)
_NOT_AMOUNT_AFTER = re.compile(
    r"^\s?(?:\+|år|års|åring\w*|årig\w*|year\w*|yo\b|y/o|%|prosent|procent|percent|stk|st\b|styck|personer|pers|"
    r"people|folk|mann|menn|män|mand|gutter|killar|kids|min\b|minutter|minuter|timer|timmar|hours|t\b|h\b|km|m\b|"
    r"meter|kg|gram|g\b|dager|dagar|days|dage|uker|veckor|weeks|ugers|skudd|skott|shots|[:.]\d\d\b|/\d|-åring|"
    r"\.\s?(?:jan|feb|mar|apr|mai|maj|may|jun|jul|aug|sep|okt|oct|nov|des|dec)\w*)",
    re.IGNORECASE,
)
_NOT_AMOUNT_BEFORE = re.compile(
    r"(?:kl\.?|klokka|klokken|klockan|kloka|at|kl|nr\.?|nummer|no\.|#|str\.?|størrelse|storlek|alder|ålder|age|"
    r"under|over|år|uke|vecka|uge|week|week-end|plan|etasje|våning|sal|buss|bus|linje|line|trikk|spor|gate|gata|"
    r"vej|veien|vägen|gatan|gaden|vei|väg|top|topp|dag|day)\s?$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class _Amount:
    value: int
    currency: str | None
    slang_currency: str | None
    start: int
    end: int
    tier: int


@cache
def load_rates() -> dict[str, Any]:
    text = resources.files("varde.extractors").joinpath("data", "rates.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def to_nok(amount: int, currency: str | None) -> int | None:
    rate = load_rates()["rates"].get(currency or "")
    return None if rate is None else round(amount * float(rate))


def extract_payment(text: str, language: str | None, country: str | None) -> Payment | None:
    """The payment offered in `text`, or None when no amount is stated (e.g. "10 %" commission only)."""
    blocked = contact_spans(text)
    joined, offsets = despace(text)
    amounts = []
    for a in _amounts(joined):
        start, end = span_back(offsets, a.start, a.end)
        if not overlaps_any(blocked, start, end):
            amounts.append(_Amount(a.value, a.currency, a.slang_currency, start, end, a.tier))
    if not amounts:
        return None
    # Amounts with a unit and bare amounts in a price context compete (a menu may mix "60 ton" and "från 400");
    # a lone bare number counts only when nothing else does.
    best_tier = 2 if any(a.tier <= 2 for a in amounts) else 3
    top = max((a for a in amounts if a.tier <= best_tier), key=lambda a: (a.value, -a.start))
    currency = top.currency or _written_currency(text, amounts) or _slang_currency(text, top, language)
    if currency is None:
        currency = _LANGUAGE_CURRENCY.get(_norwegian_or_danish(text, language, country) or "")
        currency = currency or _COUNTRY_CURRENCY.get(country or "")
    if currency is None and any(a.slang_currency for a in amounts):
        currency = next(a.slang_currency for a in amounts if a.slang_currency)
    end = top.end - 1 if text[top.start : top.end].endswith(".") else top.end  # "60.000 kr." ends a sentence
    return Payment(text[top.start : end], top.value, currency, to_nok(top.value, currency), (top.start, end))


def _slang_currency(text: str, top: _Amount, language: str | None) -> str | None:
    """The slang's currency; "lappar" is Swedish slang but also Nynorsk for Norwegian notes ("15 lappar")."""
    if top.slang_currency == "SEK" and language in ("nn", "nb") and "lappar" in text[top.start : top.end].casefold():
        return "NOK"
    return top.slang_currency


_DANISH = re.compile(
    r"(?<!\w)(?:aften|nat|job|opgave|opgaver|søger|tusind|tusinde|af|mig|dig|hvad|nogen|noget|efter|jeg|ikke|"
    r"weekenden|kr\.|stik|skud|brand|knallert|lejlighed|opgang)(?!\w)",
    re.IGNORECASE,
)
_NORWEGIAN = re.compile(
    r"(?<!\w)(?:kveld|natt|jobb|oppdrag|trenger|tusen|meg|deg|hva|noen|noe|etter|eg|ikkje|helg|helga|lapper|"
    r"skyte|brenne|leilighet|oppgang|bil)(?!\w)",
    re.IGNORECASE,
)


def _norwegian_or_danish(text: str, language: str | None, country: str | None) -> str | None:
    """Norwegian and Danish are close enough for a language detector to swap them; when the language and the
    place disagree (nb with a Danish place, da with a Norwegian one), count words only one of them writes."""
    if (language in ("nb", "nn") and country == "DK") or (language == "da" and country == "NO"):
        danish, norwegian = len(_DANISH.findall(text)), len(_NORWEGIAN.findall(text))
        if danish != norwegian:
            return "da" if danish > norwegian else "nb"
    return language


def _written_currency(text: str, amounts: list[_Amount]) -> str | None:
    for amount in amounts:
        if amount.currency:
            return amount.currency
    m = re.search(r"(?<![^\W\d_])(NOK|SEK|DKK|EUR|USD|GBP|€|\$|£|euro)(?![^\W\d_])", text, re.IGNORECASE)
    return _CURRENCY_WORDS.get(m.group(1).lower()) if m else None


def _parse_number(raw: str) -> float | None:
    s = raw.replace("\u00a0", " ").replace("’", "'")
    if re.fullmatch(r"\d{1,3}(?:[ .,']\d{3})+", s):
        return float(re.sub(r"[ .,']", "", s))
    try:
        return float(s.replace(",", "."))
    except ValueError:
        return None


_MENU_LINE = re.compile(r"[:\-–—=]\s*(\d{1,4})\s*(?:$|\n)", re.MULTILINE)


def _amounts(text: str) -> list[_Amount]:
    out: list[_Amount] = []
    # A price list: two or more lines ending "label: 50" / "label – 50" make each such number a price.
    menu_ends = {m.start(1) for m in _MENU_LINE.finditer(text)}
    if len(menu_ends) < 2:
        menu_ends = set()
    for m in _AMOUNT.finditer(text):
        unit = (m.group("unit") or "").lower()
        cur_word = (m.group("cur") or m.group("cb") or "").lower()
        raw_num = m.group("num")
        start, end = m.start(), m.end()
        after, before = text[m.end() :], text[max(0, m.start() - 14) : m.start()]
        if not unit and not cur_word:
            if _NOT_AMOUNT_AFTER.match(after) or _NOT_AMOUNT_BEFORE.search(before):
                continue
            if re.fullmatch(r"\d{1,2}[.,]\d{1,2}|\d{1,2}[.:]\d{2}", raw_num):  # dates and times
                continue
        if unit == "m" and not re.search(r"\dm", m.group(0), re.IGNORECASE):
            unit = ""  # "500 m" is a distance; only "1.5m" is a million
        multiplier = 1_000 if unit in _THOUSAND else 1_000_000 if unit in _MILLION else 1
        values = [_parse_number(raw_num)]
        if m.group("num2"):
            values.append(_parse_number(m.group("num2")))
        nums = [v for v in values if v is not None]
        if not nums:
            continue
        value = max(nums)
        currency = _CURRENCY_WORDS.get(cur_word) if cur_word else None
        slang = _THOUSAND.get(unit) if unit in _THOUSAND else None
        if unit or cur_word:
            amount = value * multiplier
            if not unit and amount < 100:
                continue
            out.append(_Amount(round(amount), currency, slang, start, end, 1))
            continue
        if not value.is_integer() or raw_num.startswith("0"):
            continue
        number = int(value)
        if 1900 <= number <= 2100 and len(raw_num) == 4:
            continue  # a year
        context = (
            start in menu_ends or _PRICE_CONTEXT.search(text[max(0, start - 40) : start]) or _PRICE_AFTER.match(after)
        )
        if m.group("num2") and not context:
            continue  # "15-17" is an age range unless a price is being talked about ("pris 40-60")
        if context and 5 <= number < 1000:
            out.append(_Amount(number * 1000, None, None, start, end, 2))
        elif number >= 1000 and (context or re.fullmatch(r"\d{1,3}(?:[ .\u00a0'’]\d{3})+", raw_num)):
            out.append(_Amount(number, None, None, start, end, 2))
        elif 10 <= number < 1000 and number % 5 == 0 and re.match(r"^\s*(?:[.!,]|$|\n)", after):
            out.append(_Amount(number * 1000, None, None, start, end, 3))
    word_matches = _WORD_AMOUNT.finditer(text) if _ANY_UNIT.search(text) else iter(())
    for m in word_matches:
        worded = _word_value(m.group("words"))
        if worded is None:
            continue
        unit = m.group("unit").lower()
        if unit == "m":
            continue
        multiplier = 1_000 if unit in _THOUSAND else 1_000_000
        cur_word = (m.group("cur") or "").lower()
        currency = _CURRENCY_WORDS.get(cur_word) if cur_word else None
        slang = _THOUSAND.get(unit) if unit in _THOUSAND else None
        out.append(_Amount(round(worded * multiplier), currency, slang, m.start(), m.end(), 1))
    return out


def _word_value(words: str) -> float | None:
    """ "femti" → 50, "to hundre" → 200, "en halv" → 0.5, "halv" → 0.5, "tjue fem" → 25."""
    total = 0.0
    current = 0.0
    for word in re.findall(r"\w+", words.casefold()):
        n = _NUMBER_WORDS.get(word)
        if n is None:
            return None
        if n == 100:
            current = (current or 1) * 100
        elif n < 1 and current in (0, 1):
            current = n  # "en halv" = a half
        else:
            current += n
    total += current
    return total or None
