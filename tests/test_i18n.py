"""The command line's catalogs read without babel find exactly what babel's compiled catalog finds."""

from __future__ import annotations

from io import BytesIO

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from varde import i18n

# Every kind of entry a .po holds: plain, several lines with escapes, fuzzy, untranslated, with context, plural,
# obsolete, a comment right after a message, and the header.
PO = r"""# A header comment
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"

#: varde/cli/case.py:1
msgid "state"
msgstr "tilstand"

msgid ""
"first line "
"and a \"quoted\" second\tline\n"
msgstr ""
"første linje "
"og en \"sitert\" andre\tlinje\n"

#, fuzzy
msgid "guessed"
msgstr "gjettet"

#, python-format, fuzzy
msgid "guessed %(n)s"
msgstr "gjettet %(n)s"

msgid "not yet"
msgstr ""

msgid "one image"
msgid_plural "%(n)s images"
msgstr[0] ""
msgstr[1] "%(n)s bilder"

msgctxt "menu"
msgid "open"
msgstr "åpne (meny)"

msgid "one case"
msgid_plural "%(n)s cases"
msgstr[0] "én sak"
msgstr[1] "%(n)s saker"

#~ msgid "gone"
#~ msgstr "borte"
msgid "back\\slash"
msgstr "bak\\strek"
#: varde/cli/users.py:2
msgid "open"
msgstr "åpen"
"""


def babel_gettext(text: str) -> Translations:
    compiled = BytesIO()
    write_mo(compiled, read_po(BytesIO(text.encode()), locale="nb", domain=i18n.DOMAIN))
    compiled.seek(0)
    return Translations(compiled, domain=i18n.DOMAIN)


def test_every_kind_of_entry_is_found_as_babel_finds_it() -> None:
    plain = i18n.read_plain_po(PO)
    babel = babel_gettext(PO)
    ids = ["state", 'first line and a "quoted" second\tline\n', "guessed", "guessed %(n)s", "not yet", "open"]
    ids += ["one case", "one image", "gone", "back\\slash", "nothing like it"]
    assert [plain.get(i, i) for i in ids] == [babel.gettext(i) for i in ids]
    assert plain == {
        "state": "tilstand",
        'first line and a "quoted" second\tline\n': 'første linje og en "sitert" andre\tlinje\n',
        "one case": "én sak",
        "back\\slash": "bak\\strek",
        "open": "åpen",
    }


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_the_shipped_catalogs_agree_with_babel(lang: str) -> None:
    with i18n.po_path(lang).open("rb") as handle:
        ids = [m.id for m in read_po(handle, locale=lang, domain=i18n.DOMAIN) if isinstance(m.id, str) and m.id]
    translated = i18n.translations(lang)
    plain = i18n.plain_messages(lang)
    assert [plain.get(i, i) for i in ids] == [translated.gettext(i) for i in ids]
    assert lang == "en" or len(plain) > 400  # the comparison above compares real translations
