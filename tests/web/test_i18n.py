"""The workbench speaks bokmål by default, Swedish, Danish and English on request (`?lang=`, then its cookie, then
Accept-Language), with every template string translated in bokmål and numbers and times written per language."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from babel.messages.pofile import read_po
from fastapi import FastAPI
from fastapi.testclient import TestClient

from varde import i18n
from varde.web.render import TEMPLATES

from .conftest import login

OSLO = ZoneInfo("Europe/Oslo")


@pytest.mark.parametrize("lang", ["nb", "sv", "da"])
def test_every_template_string_is_translated(lang: str) -> None:
    wanted = i18n.template_messages(TEMPLATES)
    assert len(wanted) > 50  # the extractor sees the templates' strings at all
    with i18n.po_path(lang).open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    untranslated = []
    for text, where in wanted.items():
        message = catalog.get(text) or next((m for m in catalog if isinstance(m.id, tuple) and text in m.id), None)
        strings = message.string if message else ""
        if not (all(strings) if isinstance(strings, tuple) else strings):
            untranslated.append(f"{where[0]}:{where[1]} {text!r}")
    assert untranslated == []


def test_english_needs_no_catalog_entries() -> None:
    assert i18n.translations("en").gettext("Triage queue") == "Triage queue"


@pytest.mark.parametrize(
    ("query", "cookie", "header", "expected"),
    [
        (None, None, None, "nb"),
        (None, None, "fr-FR,fr;q=0.9", "nb"),
        (None, None, "fr;q=0.9,sv;q=0.8,en;q=0.7", "sv"),
        (None, None, "en;q=0.5,da", "da"),
        (None, None, "no", "nb"),
        (None, "da", "en", "da"),
        ("en", "da", "sv", "en"),
        ("xx", None, "sv", "sv"),
    ],
)
def test_language_choice(query: str | None, cookie: str | None, header: str | None, expected: str) -> None:
    assert i18n.choose_language(query, cookie, header) == expected


def test_numbers_and_times_per_language() -> None:
    moment = datetime(2025, 9, 14, 20, 0, tzinfo=UTC)
    assert i18n.format_time(moment, "nb", OSLO) == "14.09.2025, 22:00 (Oslo)"
    assert i18n.format_time(moment, "en", OSLO) == "14/09/2025, 22:00 (Oslo)"
    assert i18n.format_time(moment.replace(tzinfo=None), "sv", OSLO) == "2025-09-14 22:00 (Oslo)"
    assert i18n.format_number(12345.5, "en") == "12,345.5"
    assert i18n.format_number(12345, "da") == "12.345"
    assert i18n.format_number(0.923, "nb", 2) == "0,92"
    assert i18n.format_number(12345, "nb").replace("\xa0", " ") == "12 345"


def test_pages_are_bokmal_by_default_and_switch_with_a_cookie(app: FastAPI) -> None:
    with TestClient(app, base_url="http://127.0.0.1") as client:
        login(client, "ana")
        page = client.get("/")
        assert '<html lang="nb">' in page.text and "Prioriteringskø" in page.text
        assert page.headers["content-language"] == "nb"
        assert "(Oslo)" in page.text
        english = client.get("/?lang=en")
        assert '<html lang="en">' in english.text and "Triage queue" in english.text
        assert client.cookies.get(i18n.LANG_COOKIE) == "en"
        again = client.get("/")  # the choice sticks
        assert '<html lang="en">' in again.text
        swedish = client.get("/", headers={"accept-language": "sv"})  # the cookie outranks the browser
        assert '<html lang="en">' in swedish.text


def test_the_case_page_in_danish(app: FastAPI) -> None:
    with TestClient(app, base_url="http://127.0.0.1", headers={"accept-language": "da-DK"}) as client:
        login(client, "ana")
        case_id = re.search(r'href="/cases/([^"]+)"', client.get("/").text)
        assert case_id
        page = client.get(f"/cases/{case_id.group(1)}").text
        assert '<html lang="da">' in page and "Hvad der blev fundet" in page and "Historik" in page


def test_time_left_is_worded_in_the_page_language(app: FastAPI) -> None:
    with TestClient(app, base_url="http://127.0.0.1") as client:
        login(client, "ana")
        queue = client.get("/").text
        spans = re.findall(r"class=\"time-left[^\"]*\">([^<]*)<", queue)
        assert len(spans) == 1 and re.fullmatch(r"om \d h( \d+ min)?", spans[0]), spans  # the Oslo order, soon
        assert 'class="time-left' in queue and ">in " not in queue


def test_queue_dates_are_days_in_the_shown_zone() -> None:
    from varde.web.routes.queue import QueueQuery, case_filter

    query = QueueQuery(date_from="2025-09-14", date_to="2025-09-14")
    oslo = case_filter(query, OSLO)
    assert oslo.since == datetime(2025, 9, 13, 22, tzinfo=UTC)
    assert oslo.until == datetime(2025, 9, 14, 22, tzinfo=UTC)
    utc = case_filter(query, ZoneInfo("UTC"))
    assert utc.since == datetime(2025, 9, 14, tzinfo=UTC)
