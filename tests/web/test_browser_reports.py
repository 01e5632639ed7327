"""The dashboard (quarter picker, status colours, whole-number axes, labels inside the chart, maps of Norway,
Sweden and Denmark), the quarterly report page with its downloads, and the backmen ranking, in Chromium, in
bokmål and English. Screenshots go to test-output/screenshots/."""

from __future__ import annotations

import re
from typing import Any

import pytest

from varde.report.palette import METRIC_COLOURS
from varde.report.quarters import shift_quarter

from .conftest import LiveServer, Seeded
from .test_browser import Watched, browser, site  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

LOCALES = {"nb": "nb-NO", "en": "en-GB"}
TITLES = {
    "dashboard": {"nb": "Oversikt", "en": "Dashboard"},
    "report": {"nb": "Kvartalsrapport", "en": "Quarterly report"},
    "backmen": {"nb": "Rangering av bakmenn", "en": "Backmen ranking"},
}


def _rgb(colour: str) -> str:
    return "rgb({}, {}, {})".format(*(int(colour[i : i + 2], 16) for i in (1, 3, 5)))


@pytest.fixture(params=["nb", "en"])
def view(request: pytest.FixtureRequest, browser: Any, site: tuple[LiveServer, Seeded]) -> Any:  # noqa: F811
    watched = Watched(browser, site[0].url, locale=LOCALES[request.param])
    watched.lang = request.param  # type: ignore[attr-defined]
    watched.login("ana")
    yield watched
    outside = [url for url in watched.requests if not url.startswith(watched.base + "/")]
    assert outside == [] and watched.dialogs == []
    assert not [e for e in watched.console_errors if "Content Security Policy" in e or "Refused" in e]
    watched.close()


def test_dashboard(view: Any, site: tuple[LiveServer, Seeded]) -> None:  # noqa: F811
    page, lang = view.page, view.lang
    view.goto("/dashboard")
    assert page.inner_text("h1") == TITLES["dashboard"][lang]
    page.wait_for_selector("#charts[data-ready='1']", timeout=20000)
    chosen = page.input_value("#quarter")
    # Counts on whole-number axes only.
    ticks = page.locator("#chart-quarters .ytick text").all_text_contents()
    assert ticks and all(re.fullmatch(r"[\d\s,.\u00a0\u202f]+", t) and "." not in t for t in ticks), ticks
    # Each figure in its status colour (the same table as the report and the badges).
    fills = page.evaluate(
        "() => [...document.querySelectorAll('#chart-district .trace.bars .point path')].map(p => p.style.fill)"
    )
    for metric in ("unique_orders", "uncovered", "prevented", "executed", "dismissed"):
        assert _rgb(METRIC_COLOURS[metric]) in fills
    # Axis labels stay inside the chart (not clipped by its edge).
    inside = page.evaluate(
        """() => [...document.querySelectorAll('.chart')].every(chart => {
             const box = chart.querySelector('svg.main-svg').getBoundingClientRect();
             return [...chart.querySelectorAll('.xtick text, .ytick text')].every(t => {
               const r = t.getBoundingClientRect();
               return r.left >= box.left - 1 && r.right <= box.right + 1 && r.top >= box.top - 1
                 && r.bottom <= box.bottom + 1;
             });
           })"""
    )
    assert inside
    # A map per country, each district shaded by its count; Oslo holds all but the Vest case.
    assert page.locator("svg.district-map").count() == 3
    oslo = page.locator('#map-no path[data-district="Oslo"]')
    assert int(oslo.get_attribute("data-value") or "0") == len(site[1].case_ids) - 1
    assert page.locator("#map-dk path").count() == 12 and page.locator("#map-se path").count() == 7
    view.shot(f"dashboard-{lang}")
    # The picker: an earlier quarter, chosen from the list, reloads the page for it.
    earlier = shift_quarter(chosen, -1)
    page.select_option("#quarter", earlier)
    page.wait_for_url(re.compile(rf".*quarter={earlier}.*"))
    assert page.input_value("#quarter") == earlier
    assert page.locator('#map-no path[data-district="Oslo"]').get_attribute("data-value") == "0"
    view.shot(f"dashboard-{lang}-{earlier}")


def test_report_page_and_download(view: Any) -> None:
    page, lang = view.page, view.lang
    view.goto("/report")
    assert page.inner_text("h1").startswith(TITLES["report"][lang])
    assert page.locator("svg.district-map").count() == 3
    assert page.locator("#charts figure svg").count() == 2
    assert page.locator("#headline tbody tr").count() == 6
    view.shot(f"report-{lang}")
    with page.expect_download() as download:
        page.click("#downloads a[data-format=pdf]")
    assert download.value.suggested_filename.endswith(".pdf")
    page.select_option("#district", "Vest")
    page.click("#report-picker button[type=submit]")
    page.wait_for_url(re.compile(r".*district=Vest.*"))
    assert page.locator("#map-no path[data-district='Oslo']").get_attribute("fill") == "#d9d9d9"
    view.shot(f"report-{lang}-vest")


def test_backmen_page(view: Any) -> None:
    page, lang = view.page, view.lang
    view.goto("/backmen")
    assert page.inner_text("h1") == TITLES["backmen"][lang]
    assert page.locator("#backmen tbody tr").count() >= 1
    view.shot(f"backmen-{lang}")
