"""Varde's languages: Norwegian bokmål by default, Swedish, Danish and English, from gettext catalogs
(`varde/locale/<lang>/LC_MESSAGES/varde.po`), and numbers and times formatted the way each language writes them.

The .po files are the only source: each is read and compiled in memory on first use, so there is no .mo file
to rebuild or to drift from its .po. A new string in a template needs its entry in each .po (the tests
list any that lack one; `template_messages` gives the ids)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:  # babel is imported where it is used: the CLI's clock and zone labels need none of it
    from babel.support import Translations

LOCALES = Path(__file__).resolve().parent / "locale"
DOMAIN = "varde"
LANGUAGES = ("nb", "sv", "da", "en")
DEFAULT_LANGUAGE = "nb"
LANG_COOKIE = "varde_lang"
# Babel's locale for formatting: British English writes dates day first, as the others do.
FORMAT_LOCALES = {"nb": "nb", "sv": "sv", "da": "da", "en": "en_GB"}
# Tags a browser may send for a language we have under another name (Norwegian in general, nynorsk: bokmål).
ALIASES = {"no": "nb", "nn": "nb", "nb": "nb", "sv": "sv", "da": "da", "en": "en"}


def po_path(lang: str) -> Path:
    return LOCALES / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(lang: str) -> Translations:
    """The catalog for `lang`, compiled from its .po file (English: the message ids themselves)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    path = po_path(lang)
    if not path.is_file():
        return Translations()
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=lang, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


_ESCAPE = re.compile(r"\\([\\trn\"])")
_ESCAPED = {"t": "\t", "r": "\r", "n": "\n"}


def _po_string(line: str) -> str:
    """The text of one quoted .po line (`"…"`), unescaped as babel's `read_po` does."""
    quoted = line.strip()[1:-1]
    return _ESCAPE.sub(lambda match: _ESCAPED.get(match.group(1), match.group(1)), quoted)


@cache
def plain_messages(lang: str) -> dict[str, str]:
    """The translations of `lang`'s .po without context, as `translations(lang).gettext` finds them (a fuzzy, empty
    or obsolete entry is not one; a plural entry gives its singular). Read with the standard library only: babel
    and pytz took ~0.07 s of a command's 0.5 s start-up budget (`bench/bench_startup.py`); the web keeps
    `translations`."""
    path = po_path(lang)
    return read_plain_po(path.read_text(encoding="utf-8")) if path.is_file() else {}


def read_plain_po(text: str) -> dict[str, str]:
    """msgid → msgstr of a .po file's text, for the messages that `gettext` alone looks up (see `plain_messages`)."""
    found: dict[str, str] = {}
    entry: dict[str, str] = {}
    fuzzy = False
    field = ""

    def flush() -> None:
        nonlocal entry, fuzzy, field
        # gettext of a plural's singular finds the form for n = 1: index 0 in all our languages' Plural-Forms
        msgid, msgstr = entry.get("msgid"), entry.get("msgstr[0]" if "msgid_plural" in entry else "msgstr")
        if msgid and msgstr and not fuzzy and "msgctxt" not in entry:
            found[msgid] = msgstr
        entry, fuzzy, field = {}, False, ""

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith("#"):
            if "msgid" in entry:  # a comment after a message starts the next entry
                flush()
            if line.startswith("#,") and "fuzzy" in (flag.strip() for flag in line[2:].split(",")):
                fuzzy = True
        elif line.startswith('"'):
            if field:
                entry[field] += _po_string(line)
        else:
            keyword, _, rest = line.partition(" ")
            if keyword in ("msgctxt", "msgid") and "msgid" in entry:
                flush()
            field = keyword
            entry[field] = _po_string(rest)
    flush()
    return found


def known(tag: str | None) -> str | None:
    """Our language for a tag such as "nb-NO" or "sv", or None."""
    if not tag:
        return None
    return ALIASES.get(tag.strip().lower().replace("_", "-").split("-")[0])


def from_accept_language(header: str | None) -> str | None:
    """The best of our languages in an Accept-Language header ("sv-SE,sv;q=0.9,en;q=0.8"), or None."""
    choices: list[tuple[float, int, str]] = []
    for index, part in enumerate((header or "").split(",")[:32]):
        tag, _, params = part.partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        lang = known(tag)
        if lang and quality > 0:
            choices.append((-quality, index, lang))
    return min(choices)[2] if choices else None


def choose_language(query: str | None, cookie: str | None, accept_language: str | None) -> str:
    """The `lang` query parameter, else the cookie it set, else the browser's preference, else bokmål."""
    return known(query) or known(cookie) or from_accept_language(accept_language) or DEFAULT_LANGUAGE


def cli_language(environ: Mapping[str, str]) -> str:
    """The command line's language: VARDE_LANG, else the first of LC_ALL, LC_MESSAGES and LANG that names one of
    ours ("nb_NO.UTF-8", "sv_SE"), else bokmål, as the web. "C" and "POSIX" name no language."""
    for name in ("VARDE_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        lang = known(environ.get(name, "").split(".")[0])
        if lang:
            return lang
    return DEFAULT_LANGUAGE


def zone_label(zone: ZoneInfo) -> str:
    """A short name for a zone: "Europe/Oslo" -> "Oslo"."""
    return zone.key.rsplit("/", 1)[-1].replace("_", " ")


def format_time(moment: datetime, lang: str, zone: ZoneInfo) -> str:
    """An instant in `zone`, written as `lang` writes dates, labelled with the zone: "14.09.2025, 22:00 (Oslo)".

    A naive datetime is taken as UTC (everything is stored in UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    from babel.dates import format_datetime

    text = format_datetime(moment, "short", tzinfo=zone, locale=FORMAT_LOCALES.get(lang, lang))
    return f"{text} ({zone_label(zone)})"


def format_number(value: float | int, lang: str, decimals: int | None = None) -> str:
    """A number with `lang`'s separators: 12 345,5 in bokmål, 12,345.5 in English."""
    from babel.numbers import format_decimal

    if decimals is None:
        return format_decimal(value, locale=FORMAT_LOCALES.get(lang, lang))
    pattern = f"#,##0.{'0' * decimals}" if decimals else "#,##0"
    return format_decimal(value, format=pattern, locale=FORMAT_LOCALES.get(lang, lang))


def template_messages(folder: Path) -> dict[str, tuple[str, int]]:
    """Every message id the templates in `folder` mark for translation, with where it first occurs.

    Plural forms count as two ids (singular and plural) so both need a translation."""
    from babel.messages.extract import extract

    options = {"extensions": "jinja2.ext.i18n", "trimmed": "true"}
    found: dict[str, tuple[str, int]] = {}
    for path in sorted(folder.glob("*.html")):
        with path.open("rb") as handle:
            for lineno, message, _comments, _context in extract("jinja2.ext:babel_extract", handle, options=options):
                for text in (message,) if isinstance(message, str) else message:
                    if text:
                        found.setdefault(text, (path.name, lineno))
    return found


def python_messages(folder: Path) -> dict[str, tuple[str, int]]:
    """Every message id marked `_("…")` in the Python modules of `folder` (the command line's), with where."""
    from babel.messages.extract import extract

    found: dict[str, tuple[str, int]] = {}
    for path in sorted(folder.glob("*.py")):
        with path.open("rb") as handle:
            for lineno, message, _comments, _context in extract("python", handle, keywords={"_": None}):
                for text in (message,) if isinstance(message, str) else message:
                    if text:
                        found.setdefault(text, (path.name, lineno))
    return found


def clock(moment: datetime, zone: ZoneInfo, *, labelled: bool = True) -> str:
    """An instant for a terminal, in `zone` and labelled: "2025-09-14 22:00 (Oslo)" (naive values are UTC).

    `labelled=False` for a table column whose heading names the zone."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    shown = moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")
    return f"{shown} ({zone_label(zone)})" if labelled else shown
