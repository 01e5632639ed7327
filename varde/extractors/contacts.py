"""Contacts: how to reach the poster — messenger handles, invite links, phones, e-mails and wallet addresses.

Choices where the contract is silent:
- A handle's kind comes from the platform word just before it ("tg", "snap", "sc", "insta", "signal", "wickr",
  "threema", "session"…, up to a few words back: "skriv på signal: x"). A bare `@handle` with no platform word is
  taken as Telegram when it could be a Telegram username (letters, digits, underscores, 5–32 characters), because
  `@username` is Telegram's convention in these ads; otherwise (dots, too short) its kind is `other`.
- A handle may also stand before its platform ("natt.jobb på snap", "add kalle_99 on snap") when it can only be a
  handle (a dot or an underscore inside); an e-mail address may be spelled "x(at)y.no".
- A handle must be written as one: the word after a platform name is not a handle when a sentence goes on from it
  ("Fikk denne på snap: Trenger noen til…", "on snap: Looking for…": a capitalised plain word followed by more
  words) or when it is only the start of a longer word ("snap: Behöver"). An `@handle` a bounty is put on ("tar ut
  @x", see `varde.extractors.bounty`) is the target, not a contact.
- Handles are lowercased with a leading `@`; `t.me/+…` and `t.me/joinchat/…` invite links become
  `https://t.me/+…` (kind `url`); `t.me/name` is the Telegram handle `@name`; instagram.com/name and
  snapchat.com/add/name are those platforms' handles, wa.me/NNN a phone; other links are kind `url` as written.
- A minor platform (kik, wire, discord, element, matrix) gives kind `other`, and only with a colon ("kik: x").
- Threema IDs follow the handle convention (`@abcd2345`).
- Phones: letter-for-digit tricks are undone first (O→0, l/I→1, spelled digits "ni sju fire…"/"nine seven…").
  A number counts when written with a `+` country code, or after a phone word ("ring", "sms", "tlf", "call",
  "WhatsApp"…), or in a national mobile pattern (Swedish 07x, Norwegian 4x/9x written in groups); it must be valid
  for NO, SE or DK (in that order; the optional `language` puts da → DK or sv → SE first) or, with `+`, for its
  own country. Order/reference/account numbers are skipped. Text written letter by letter is re-joined first.
- Wallets: BTC (Base58Check or Bech32/Bech32m), ETH (EIP-55 when mixed case), XMR and USDT-TRC20 (TRON Base58Check,
  kind `other`) are kept when their checksum holds, or — when the post names the currency right before them ("BTC:",
  "ETH", "monero", "USDT") — when only their format holds, since a checksum cannot be asked of a hand-typed address.
  Session IDs (66 hex characters starting 05) are kind `session`, verbatim.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import phonenumbers

from varde.extractors.bounty import bounty_handles
from varde.extractors.gazetteer import words
from varde.extractors.spacing import add_span, despace, overlaps_any, span_back
from varde.extractors.wallets import base58check_ok, bech32_ok, eip55_ok, monero_ok
from varde.records import Contact

_Adder = Callable[[str, str, int, int], None]

_PLATFORM_WORDS: dict[str, str] = {
    "tg": "telegram", "telegram": "telegram", "telegramm": "telegram", "telegrm": "telegram", "tele": "telegram",
    "snap": "snapchat", "snapchat": "snapchat", "sc": "snapchat", "snapp": "snapchat", "sn4p": "snapchat",
    "snäpp": "snapchat", "snäp": "snapchat", "👻": "snapchat", "snapa": "snapchat", "snappa": "snapchat",
    "snappe": "snapchat",
    "insta": "instagram", "instagram": "instagram", "ig": "instagram", "inst": "instagram",
    "signal": "signal", "sig": "signal", "sgnl": "signal", "signall": "signal",
    "threema": "threema", "wickr": "wickr", "wickrme": "wickr", "session": "session",
    "kik": "other", "wire": "other", "discord": "other", "element": "other", "matrix": "other",
}  # fmt: skip
_PHONE_WORDS = re.compile(
    r"(?<!\w)(?:ring|rign|sms|tlf|tel|telefon|telefonnummer|mobil|mob|nummer|nr|nummeret|numret|call|text|phone|"
    r"whatsapp|wa|whats\s?app|viber|sms:a|smsa|ringe|opkald|number|numero|kontakt|contact|reach)(?!\w)|[📞☎📱]",
    re.IGNORECASE,
)
_NOT_PHONE = re.compile(
    r"(?<!\w)(?:ordre|order|ref|faktura|invoice|saks|sak|ärende|konto|account|bankid|org|kunde|kund|sporing|"
    r"tracking|pakke|paket|kvitter|kvitto|pin|kode|kod|code|id|serie|serial|lotto|bestilling|beställning)\w*"
    r"\W{0,4}(?:nr|nummer|no|#)?\W{0,3}$",
    re.IGNORECASE,
)

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# "natt(at)proton.me", "natt [at] proton [dot] me": an address written around spam filters.
_EMAIL_SPELLED = re.compile(
    r"(?<![\w.+-])(?P<user>[\w.+-]{1,64})\s?[(\[{]\s?(?:at|@)\s?[)\]}]\s?(?P<domain>[A-Za-z0-9-]{1,63})"
    r"(?:\s?[(\[{]\s?(?:dot|punkt|\.)\s?[)\]}]\s?|\.)(?P<tld>[A-Za-z]{2,24})(?![\w])",
    re.IGNORECASE,
)
# "natt.jobb på snap", "add kalle_99 on snap": a handle written before its platform. Only a word that can only be a
# handle counts (a dot or an underscore inside, and three letters: "Qnatteravn77" is an OCR misreading of an @handle);
# a quoted word is what to write ("Skriv «klar» på snap"), not a handle.
_HANDLE_BEFORE = re.compile(
    r"(?<![\w@./])(?P<plain>(?=(?:[._0-9]*[A-Za-z]){3})[A-Za-z0-9]{1,30}[._][A-Za-z0-9_.]{0,30}[A-Za-z0-9_])"
    r"\s+(?:på|pa|on|via|i|in)\s+(?P<platform>"
    + "|".join(sorted(map(re.escape, _PLATFORM_WORDS), key=len, reverse=True))
    + r")(?!\w)",
    re.IGNORECASE,
)
_TME = re.compile(r"(?:https?://)?(?:t|telegram)\.me/(\+|joinchat/)?([A-Za-z0-9_-]{4,64})")
_PROFILE_LINKS = [
    (re.compile(r"(?:https?://)?(?:www\.)?instagram\.com/([A-Za-z0-9_.]{2,30})", re.IGNORECASE), "instagram"),
    (re.compile(r"(?:https?://)?(?:www\.)?snapchat\.com/add/([A-Za-z0-9_.\-]{2,30})", re.IGNORECASE), "snapchat"),
    (re.compile(r"(?:https?://)?wa\.me/(\d{8,15})", re.IGNORECASE), "phone"),
]
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"']+")
_AT_HANDLE = re.compile(r"(?<![\w.@/])@([A-Za-z0-9_][A-Za-z0-9_.]{1,30}[A-Za-z0-9_])(?![\w@])")
_WORD_HANDLE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.]{0,30}[A-Za-z0-9_]")
_PLATFORM_RE = re.compile(
    r"(?<![\w@])(" + "|".join(sorted(map(re.escape, _PLATFORM_WORDS), key=len, reverse=True)) + r")(?!\w)",
    re.IGNORECASE,
)
_BTC_LEGACY = re.compile(r"(?<![A-Za-z0-9])[13][1-9A-HJ-NP-Za-km-z]{25,34}(?![A-Za-z0-9])")
_BTC_BECH = re.compile(r"(?<![A-Za-z0-9])(?:bc1|BC1)[02-9ac-hj-np-zAC-HJ-NP-Z]{11,71}(?![A-Za-z0-9])")
_ETH = re.compile(r"(?<![A-Za-z0-9])0x[0-9a-fA-F]{40}(?![A-Za-z0-9])")
_XMR = re.compile(r"(?<![A-Za-z0-9])[48][1-9A-HJ-NP-Za-km-z]{94}(?:[1-9A-HJ-NP-Za-km-z]{11})?(?![A-Za-z0-9])")
_TRON = re.compile(r"(?<![A-Za-z0-9])T[1-9A-HJ-NP-Za-km-z]{33}(?![A-Za-z0-9])")
_SESSION = re.compile(r"(?<![A-Za-z0-9])05[0-9a-fA-F]{64}(?![A-Za-z0-9])")
_THREEMA = re.compile(r"(?<![A-Za-z0-9])[A-Z0-9*][A-Z0-9]{7}(?![A-Za-z0-9])")
_WALLET_CONTEXT = {
    "btc": re.compile(r"(?:btc|bitcoin|bitcoins|₿)\W{0,12}$", re.IGNORECASE),
    "eth": re.compile(r"(?:eth|ether|ethereum|erc-?20|usdt)\W{0,12}$", re.IGNORECASE),
    "xmr": re.compile(r"(?:xmr|monero)\W{0,12}$", re.IGNORECASE),
    "other": re.compile(r"(?:usdt|trc-?20|tron|trx|tether)\W{0,12}$", re.IGNORECASE),
}

_DIGIT_WORDS: dict[str, str] = {
    "null": "0", "zero": "0", "noll": "0", "nul": "0", "nolla": "0",
    "en": "1", "ett": "1", "én": "1", "one": "1", "ein": "1", "et": "1",
    "to": "2", "två": "2", "two": "2", "tvo": "2",
    "tre": "3", "three": "3", "tri": "3",
    "fire": "4", "fyra": "4", "four": "4", "fira": "4",
    "fem": "5", "five": "5",
    "seks": "6", "sex": "6", "six": "6",
    "sju": "7", "syv": "7", "seven": "7", "sjau": "7",
    "åtte": "8", "åtta": "8", "otte": "8", "eight": "8", "atte": "8",
    "ni": "9", "nio": "9", "nine": "9",
}  # fmt: skip
_DIGIT_WORD_RUN = re.compile(
    r"(?<!\w)(?:(?:" + "|".join(sorted(_DIGIT_WORDS, key=len, reverse=True)) + r"|\d)(?:[\s,\-]+|$)){6,}",
    re.IGNORECASE,
)
_PHONE_LIKE = re.compile(r"(?<![\w+])(\+|00)?[\dOoIl|](?:[\s\-.()/]{0,2}[\dOoIl|]){6,14}(?![\w])")
_HANDLE_STOPWORDS = words(
    "eller or og och and på pa til till for för me meg mig mig oss us dm pm privat direkte direkt inbox only kun "
    "bara er the a an is my min mitt vår vores our"
)


_REGIONS = {"da": ("DK", "NO", "SE"), "sv": ("SE", "NO", "DK")}


def extract_contacts(text: str, language: str | None = None) -> tuple[Contact, ...]:
    """All contacts in `text`, in text order, each value once. A national number is tried as Norwegian, Swedish,
    then Danish; `language` (optional) puts its own country first (da → DK, sv → SE)."""
    unique: dict[tuple[str, str], Contact] = {}
    for contact in _all_contacts(text, language):
        unique.setdefault((contact.kind, contact.value), contact)
    return tuple(unique.values())


def contact_spans(text: str) -> list[tuple[int, int]]:
    """The spans of every contact in `text`, repeats included, sorted (so other extractors can skip them)."""
    return sorted(c.span for c in _all_contacts(text, None) if c.span)


def _all_contacts(text: str, language: str | None) -> list[Contact]:
    joined, offsets = despace(text)  # "snap n a t t j o b b", "ring 9 7 1 2 3 4 5 6"
    regions = _REGIONS.get(language or "", ("NO", "SE", "DK"))
    return [
        Contact(c.kind, c.value, span_back(offsets, *c.span) if c.span else None) for c in _extract(joined, regions)
    ]


def _extract(text: str, regions: tuple[str, ...]) -> list[Contact]:
    found: list[Contact] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, value: str, start: int, end: int) -> None:
        if overlaps_any(taken, start, end):
            return
        add_span(taken, start, end)
        found.append(Contact(kind, value, (start, end)))

    for m in _EMAIL.finditer(text):
        add("email", m.group(0).lower(), *m.span())
    for m in _EMAIL_SPELLED.finditer(text):
        add("email", f"{m.group('user')}@{m.group('domain')}.{m.group('tld')}".lower(), *m.span())
    for m in _TME.finditer(text):
        if m.group(1):
            add("url", f"https://t.me/+{m.group(2)}", *m.span())
        else:
            add("telegram", "@" + m.group(2).lower(), *m.span())
    for pattern, kind in _PROFILE_LINKS:
        for m in pattern.finditer(text):
            value = _parse_phone("+" + m.group(1), True, regions) if kind == "phone" else None
            if kind != "phone" or value:
                add(kind, value or "@" + m.group(1).rstrip(".").lower(), *m.span())
    for m in _SESSION.finditer(text):
        add("session", m.group(0), *m.span())
    _wallets(text, add)
    for m in _URL.finditer(text):
        add("url", m.group(0).rstrip(".,;:!?)"), m.start(), m.start() + len(m.group(0).rstrip(".,;:!?)")))
    _handles(text, add)
    _phones(text, add, regions)
    found.sort(key=lambda c: c.span[0] if c.span else 0)
    return found


def _platform_before(text: str, start: int) -> str | None:
    """The platform named right before `start`: "tg @x", "snap: x", "skriv på signal: x", "Signal — x"."""
    window = text[max(0, start - 30) : start]
    last = None
    for m in _PLATFORM_RE.finditer(window):
        last = m
    if last is None:
        return None
    between = window[last.end() :]
    words = re.findall(r"\w+", between)
    fillers = {"me", "id", "på", "til", "till", "on", "via", "mig", "meg"}
    if len(words) > 2 or any(w.casefold() not in fillers for w in words):
        return None
    if "\n" in between or re.search(r"[.!?]\s", between):
        return None
    return _PLATFORM_WORDS[last.group(1).casefold()]


_PLATFORM_AFTER = re.compile(
    r"\s{0,3}(?:(?:på|pa|on|via|i|in)\s+|\(\s?)(?P<platform>"
    + "|".join(sorted(map(re.escape, _PLATFORM_WORDS), key=len, reverse=True))
    + r")(?!\w)",
    re.IGNORECASE,
)


def _platform_after(text: str, end: int) -> str | None:
    """The platform named right after an `@handle`: "@natt.jobb på snap", "@x (tg)"."""
    m = _PLATFORM_AFTER.match(text, end)
    if m is None:
        return None
    kind = _PLATFORM_WORDS[m.group("platform").casefold()]
    return None if kind == "other" else kind


def _handles(text: str, add: _Adder) -> None:
    for m in _HANDLE_BEFORE.finditer(text):
        kind = _PLATFORM_WORDS[m.group("platform").casefold()]
        handle = m.group("plain").rstrip(".")
        if kind == "other" or re.search(r"\.(?:jpe?g|png|gif|mp4|mov|pdf|html?)$", handle, re.IGNORECASE):
            continue
        add(kind, "@" + handle.lower(), m.start("plain"), m.start("plain") + len(handle))
    targets = bounty_handles(text)
    for m in _AT_HANDLE.finditer(text):
        if any(start == m.start() for start, _ in targets):
            continue
        handle = m.group(1).rstrip(".")
        platform = _platform_before(text, m.start()) or _platform_after(text, m.end())
        if platform is None:
            telegramish = re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{4,31}", handle) is not None
            platform = "telegram" if telegramish else "other"
        add(platform, "@" + handle.lower(), m.start(), m.start() + 1 + len(handle))
    for p in _PLATFORM_RE.finditer(text):
        kind = _PLATFORM_WORDS[p.group(1).casefold()]
        rest = text[p.end() : p.end() + 60]
        sep = re.match(
            r"(?:\s*(?:me|mig|meg|mej|oss|os|us|id|på|til|till|on|via))*\s*(?:[:=\-–—→>]+\s*|\s+)", rest, re.IGNORECASE
        )
        if not sep:
            continue
        start = p.end() + sep.end()
        handle, end = _read_handle(text, start)
        if not handle or handle.startswith("@") or _starts_a_sentence(text, handle, end):
            continue
        colon = ":" in sep.group(0) or "=" in sep.group(0)
        handleish = re.search(r"[._0-9]", handle) is not None
        if handle.casefold() in _HANDLE_STOPWORDS or (not colon and not handleish):
            continue
        if not re.search(r"[A-Za-z]", handle) or (kind == "other" and not colon):
            continue  # "wire 5000", "element of surprise"
        if kind == "threema" and not _THREEMA.fullmatch(handle):
            continue
        if kind == "session" and not _SESSION.fullmatch(handle):
            continue
        if kind == "session":
            add(kind, handle, start, end)
        else:
            add(kind, "@" + handle.lower(), start, end)


_SENTENCE_GOES_ON = re.compile(r"[ \t]+[^\W\d_]")


def _starts_a_sentence(text: str, handle: str, end: int) -> bool:
    """Whether the word read as a handle is really a word of running text: it continues into letters a handle
    cannot hold ("Behöver" read as "Beh"), or it is a capitalised plain word ("Trenger", "Looking") that a sentence
    goes on from."""
    if end < len(text) and (text[end].isalnum() or text[end] in "'’"):
        return True
    plain = re.fullmatch(r"[A-ZÆØÅÄÖ][a-zæøåäöé]+", handle) is not None
    return plain and _SENTENCE_GOES_ON.match(text, end) is not None


def _read_handle(text: str, start: int) -> tuple[str, int]:
    """A handle written after a platform word, re-joining a spaced dot ("nattjobb . osl"; a sentence's full stop
    has no space before it)."""
    m = _WORD_HANDLE.match(text, start)
    if not m:
        return "", start
    handle, end = m.group(0), m.end()
    tail = re.match(r" [._] ?[A-Za-z0-9_]+(?![\w@])", text[end:])
    if tail:
        handle, end = handle + tail.group(0).replace(" ", ""), end + tail.end()
    return handle.rstrip("."), end


def _wallets(text: str, add: _Adder) -> None:
    def context(kind: str, start: int) -> bool:
        return _WALLET_CONTEXT[kind].search(text[max(0, start - 30) : start]) is not None

    for m in _BTC_BECH.finditer(text):
        if bech32_ok(m.group(0)) or context("btc", m.start()):
            add("btc", m.group(0), *m.span())
    for m in _BTC_LEGACY.finditer(text):
        if base58check_ok(m.group(0), (0, 5)) or (context("btc", m.start()) and len(m.group(0)) >= 26):
            add("btc", m.group(0), *m.span())
    for m in _ETH.finditer(text):
        if eip55_ok(m.group(0)) or context("eth", m.start()):
            add("eth", m.group(0), *m.span())
    for m in _XMR.finditer(text):
        if monero_ok(m.group(0)) or context("xmr", m.start()):
            add("xmr", m.group(0), *m.span())
    for m in _TRON.finditer(text):
        if base58check_ok(m.group(0), (0x41,)) or context("other", m.start()):
            add("other", m.group(0), *m.span())


def _undo_digit_words(text: str) -> list[tuple[str, int, int]]:
    """Spelled-out digit runs ("ni sju fire fem …") as digit strings with their spans."""
    runs = []
    for m in _DIGIT_WORD_RUN.finditer(text):
        parts = re.findall(r"\w+", m.group(0))
        digits = "".join(_DIGIT_WORDS.get(p.casefold(), p) for p in parts)
        if digits.isdigit() and 8 <= len(digits) <= 12 and sum(not p.isdigit() for p in parts) >= 3:
            runs.append((digits, m.start(), m.start() + len(m.group(0).rstrip(" ,-\n"))))
    return runs


def _phones(text: str, add: _Adder, regions: tuple[str, ...]) -> None:
    candidates: list[tuple[str, int, int, bool]] = []
    for digits, start, end in _undo_digit_words(text):
        candidates.append((digits, start, end, True))
    for m in _PHONE_LIKE.finditer(text):
        raw = m.group(0)
        real_digits = sum(c.isdigit() for c in raw)
        if real_digits < 6:
            continue
        fixed = raw.translate(str.maketrans("OoIl|", "00111"))
        candidates.append((fixed, m.start(), m.end(), False))
    for raw, start, end, spelled in candidates:
        before = text[max(0, start - 25) : start]
        if _NOT_PHONE.search(before):
            continue
        clause = re.split(r"[.!?\n]\s", before)[-1]
        number = _parse_phone(raw, spelled or _PHONE_WORDS.search(clause) is not None, regions)
        if number:
            add("phone", number, start, end)


def _parse_phone(raw: str, has_context: bool, regions: tuple[str, ...]) -> str | None:
    compact = re.sub(r"[^\d+]", "", raw)
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if compact.startswith("+"):
        try:
            parsed = phonenumbers.parse(compact, None)
        except phonenumbers.NumberParseException:
            return None
        # A phone word before a "+" number is enough for a merely possible number (reserved ranges, new series).
        ok = phonenumbers.is_valid_number(parsed) or (has_context and phonenumbers.is_possible_number(parsed))
        return _e164(parsed) if ok else None
    # Grouped like a phone ("466 01 234"), not like thousands ("40 000 000").
    grouped = bool(re.search(r"\d[\s\-.]\d", raw)) and not re.fullmatch(r"\d{1,3}(?:[ .]\d{3})+", raw.strip())
    for region in regions:
        try:
            parsed = phonenumbers.parse(compact, region)
        except phonenumbers.NumberParseException:
            continue
        if not phonenumbers.is_valid_number_for_region(parsed, region):
            continue
        mobile = phonenumbers.number_type(parsed) in (
            phonenumbers.PhoneNumberType.MOBILE,
            phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        )
        swedish_mobile = region == "SE" and re.fullmatch(r"07\d{8}", compact) is not None
        if has_context or swedish_mobile or (grouped and mobile and region == "NO" and compact[0] in "49"):
            return _e164(parsed)
    return None


def _e164(parsed: phonenumbers.PhoneNumber) -> str:
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
