"""Vocabulary values (statuses, violence types, roles, network kinds, routes) shown in the page's language."""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po

from varde import i18n
from varde.cases.lifecycle import STATES
from varde.network.cooperation import ROUTES
from varde.terms import TERMS, display
from varde.vocab import VIOLENCE_TYPES


@pytest.mark.parametrize("lang", ["nb", "sv", "da"])
def test_every_term_is_translated(lang: str) -> None:
    with i18n.po_path(lang).open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    missing = [msgid for msgid in TERMS.values() if not (catalog.get(msgid) and catalog.get(msgid).string)]
    assert missing == []


def test_the_vocabularies_are_covered() -> None:
    assert set(STATES) | set(VIOLENCE_TYPES) | set(ROUTES) <= set(TERMS)


def test_display_falls_back_to_the_value() -> None:
    nb = i18n.translations("nb").gettext
    assert display("uncovered", nb) == "avdekket" and display("shooting", nb) == "skyting"
    assert display("<b>new</b>", nb) == "<b>new</b>"  # not a term: shown as it is (and escaped by the template)
    assert display("uncovered", i18n.translations("en").gettext) == "uncovered"
