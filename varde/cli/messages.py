"""The command line's own messages in the user's language, from the same gettext catalogs as the web
(`varde/locale/<lang>/LC_MESSAGES/varde.po`).

    from varde.cli.messages import _
    click.echo(_("cases: %(total)s") % {"total": 12})

The language is VARDE_LANG, else the locale's (LC_ALL, LC_MESSAGES, LANG) when it is bokmål, Swedish, Danish or
English, else bokmål (`varde.i18n.cli_language`). Only what the tool itself says is translated: values (statuses,
district names, post text), JSON output and the error details that name input stay as they are.
`tests/cli/test_messages.py` checks that every `_("…")` here in varde/cli has its translation in each catalog."""

from __future__ import annotations

import os

from varde import i18n


def language() -> str:
    return i18n.cli_language(os.environ)


def _(message: str) -> str:
    """`message` in the command line's language (itself when the catalog has nothing for it)."""
    return i18n.plain_messages(language()).get(message, message)


def term(value: str) -> str:
    """A vocabulary value (status, violence type …) in the command line's language, as the web shows it."""
    from varde.terms import display

    return display(value, _)
