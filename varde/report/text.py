"""The report's language: its text goes through the same gettext catalogs as the workbench
(`varde/locale/<lang>/LC_MESSAGES/varde.po`). `tr` translates into the language set by `language(...)` (English,
the message ids themselves, when none is set), so the chart and page code needs no language argument threaded
through it; `translate_table` gives a table's title, columns and figure names in that language (the CSV/XLSX files
keep English headings: they are read by programs)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import replace
from typing import TYPE_CHECKING

from varde import i18n

if TYPE_CHECKING:
    from varde.report.build import Table

_LANGUAGE: ContextVar[str] = ContextVar("varde_report_language", default="en")
_QUARTER_TAIL = re.compile(r"^(.*?)(,? \d{4}Q[1-4])$")
_COLUMN_PARTS = re.compile(r"^(.*?): (n|median h|p90 h)$")


def current() -> str:
    return _LANGUAGE.get()


@contextmanager
def language(lang: str) -> Iterator[None]:
    """Write the report in `lang` (nb, sv, da, en) inside this block."""
    token = _LANGUAGE.set(i18n.known(lang) or i18n.DEFAULT_LANGUAGE)
    try:
        yield
    finally:
        _LANGUAGE.reset(token)


def tr(message: str) -> str:
    lang = _LANGUAGE.get()
    return message if lang == "en" else i18n.translations(lang).gettext(message)


def _heading(text: str) -> str:
    """A title or column heading, with a trailing quarter ("…, 2025Q3") or measure part ("…: median h") kept."""
    match = _QUARTER_TAIL.match(text)
    if match:
        return tr(match.group(1)) + match.group(2)
    match = _COLUMN_PARTS.match(text)
    if match:
        return f"{tr(match.group(1))}: {tr(match.group(2))}"
    return tr(text)


def translate_table(table: Table) -> Table:
    """The table with its title, columns, note and the names of figures in its first column translated."""
    if _LANGUAGE.get() == "en":
        return table
    rows = table.rows
    if table.key == "headline":
        rows = tuple((tr(str(row[0])), *row[1:]) for row in rows)
    return replace(
        table,
        title=_heading(table.title),
        columns=tuple(_heading(column) for column in table.columns),
        rows=rows,
        note=tr(table.note) if table.note else "",
    )
