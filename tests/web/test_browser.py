"""The workbench in Debian's Chromium (Playwright for Python): the analyst's triage flow, tips, district access,
hostile post text, and no request ever leaving the app. Screenshots go to test-output/screenshots/."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import PASSWORD, LiveServer, Seeded, make_app

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-output" / "screenshots"


def _ensure_chromium() -> None:
    if not os.path.exists(CHROMIUM):
        subprocess.run(["sh", str(ROOT / "scripts" / "install-system-deps.sh")], check=False)
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed and could not be installed")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    _ensure_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def site(seeded: Seeded, tmp_path: Path) -> Iterator[tuple[LiveServer, Seeded]]:
    with LiveServer(make_app(seeded.store, tmp_path)) as server:
        yield server, seeded


class Watched:
    """A page that records every request, dialog and console error, and fails loudly on any of them later."""

    def __init__(self, browser: Any, base: str, *, width: int = 1360, locale: str = "en-GB") -> None:
        # The browser's language decides the page's when nothing else has (bokmål by default): English here.
        self.context = browser.new_context(viewport={"width": width, "height": 900}, locale=locale)
        self.page = self.context.new_page()
        self.base = base
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.console_errors: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("dialog", self._dialog)
        self.page.on("console", lambda msg: self.console_errors.append(msg.text) if msg.type == "error" else None)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def goto(self, path: str) -> Any:
        return self.page.goto(self.base + path)

    def login(self, name: str, landing: str = "/") -> None:
        self.goto("/login")
        self.page.fill("input[name=username]", name)
        self.page.fill("input[name=password]", PASSWORD)
        self.page.click("button[type=submit]")
        self.page.wait_for_url(self.base + landing)

    def shot(self, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

    def pwned(self) -> Any:
        return self.page.evaluate("() => window.__pwned")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def watched(browser: Any, site: tuple[LiveServer, Seeded]) -> Iterator[Watched]:
    view = Watched(browser, site[0].url)
    yield view
    view.close()


def _dashboard_figure(view: Watched, metric: str) -> int:
    view.goto("/dashboard")
    cell = view.page.locator(f"#totals tbody tr:first-child td[data-metric={metric}]")
    return int(cell.inner_text())


def test_analyst_triages_the_top_case(watched: Watched, site: tuple[LiveServer, Seeded]) -> None:
    _, seeded = site
    view, page = watched, watched.page
    view.login("ana")
    view.shot("login-then-queue")
    uncovered_before = _dashboard_figure(view, "uncovered")
    view.goto("/")
    rows = page.locator("#queue tbody tr[data-href]")
    assert rows.count() == 10
    top = rows.first.get_attribute("data-href")
    assert top == f"/cases/{seeded.case('o-oslo')}"  # the most urgent case first
    # Keyboard: the first row starts selected; j moves down, k back up, Enter opens.
    page.keyboard.press("j")
    assert "selected" in (rows.nth(1).get_attribute("class") or "")
    page.keyboard.press("k")
    assert "selected" in (rows.first.get_attribute("class") or "")
    view.shot("queue")
    page.keyboard.press("Enter")
    page.wait_for_url(view.base + top)
    assert page.locator("h1 .badge").inner_text() == "detected"
    assert page.locator("mark.cue").count() >= 4
    view.shot("case")
    page.select_option("#status-form select[name=status]", "uncovered")
    page.fill("#status-form input[name=reason]", "confirmed with the district duty officer")
    page.click("#status-form button[type=submit]")
    page.wait_for_url(f"{view.base}{top}?done=status")
    assert page.locator("h1 .badge").inner_text() == "uncovered"
    assert "confirmed with the district duty officer" in page.locator(".history").inner_text()
    view.shot("case-after-status-change")
    # It moved: out of the detected list, into the uncovered one.
    view.goto("/?status=detected")
    assert page.locator(f'#queue tr[data-href="{top}"]').count() == 0
    view.goto("/?status=uncovered")
    assert page.locator(f'#queue tr[data-href="{top}"]').count() == 1
    assert page.locator(".tab.status-uncovered b").inner_text() == "1"
    # And the dashboard counts it.
    assert _dashboard_figure(view, "uncovered") == uncovered_before + 1
    page.wait_for_selector("#charts[data-ready='1']", timeout=15000)
    view.shot("dashboard")
    assert not view.dialogs and view.pwned() is None


def test_tip_reaches_the_queue(watched: Watched, tmp_path: Path) -> None:
    view, page = watched, watched.page
    view.login("ana")
    view.goto("/tips/new")
    view.shot("tip-form")
    text = "Noen betaler 60k for å skyte en fyr på Grønland i natt. DM @tipsjobb"
    page.fill("textarea[name=text]", text)
    page.select_option("select[name=seen_on]", "snapchat")
    page.fill("input[name=contact]", "tipster phone 99 99 99 99")
    png = tmp_path / "shot.png"
    png.write_bytes(_tiny_png())
    page.set_input_files("input[name=screenshot]", str(png))
    page.click("form.tip-form button[type=submit]")
    page.wait_for_selector("text=Tip received")
    view.shot("tip-received")
    case_link = page.locator("a[href^='/cases/']").first
    case_href = case_link.get_attribute("href")
    assert case_href
    view.goto("/")
    row = page.locator(f'#queue tr[data-href="{case_href}"]')
    assert row.count() == 1
    assert "Noen betaler 60k" in row.inner_text()
    view.goto(case_href)
    assert "tip" in page.locator(".post header").first.inner_text()
    # Analysts do not see the tipster's contact; it is kept apart for supervisors.
    assert "99 99 99 99" not in page.content()
    view.goto("/login")  # logged in: redirected to the queue
    page.click("button.link")  # log out
    view.login("sig")
    view.goto(case_href)
    assert "tipster phone 99 99 99 99" in page.locator("body").inner_text()


def test_investigator_sees_only_their_district(watched: Watched, site: tuple[LiveServer, Seeded]) -> None:
    _, seeded = site
    view, page = watched, watched.page
    view.login("vera")
    rows = page.locator("#queue tbody tr[data-href]")
    assert rows.count() == 1
    assert rows.first.get_attribute("data-href") == f"/cases/{seeded.case('o-vest')}"
    view.shot("queue-investigator-vest")
    response = view.goto(f"/cases/{seeded.case('o-oslo')}")
    assert response.status == 404
    assert "Skyt en kar" not in page.content()
    api = page.request.get(f"{view.base}/api/cases/{seeded.case('o-oslo')}")
    assert api.status == 404
    view.goto("/dashboard")
    assert int(page.locator("#totals tbody tr:first-child td[data-metric=unique_orders]").inner_text()) == 1


def test_hostile_post_text_never_runs(watched: Watched, site: tuple[LiveServer, Seeded]) -> None:
    _, seeded = site
    view, page = watched, watched.page
    view.login("ana")
    view.goto("/?status=all")
    evil = sorted(i for o, i in seeded.case_ids.items() if o.startswith("o-evil"))
    for case_id in evil:
        view.goto(f"/cases/{case_id}")
        view.goto(f"/network?case={case_id}")
    view.goto(f"/cases/{evil[0]}")
    assert "<script>window.__pwned='script';alert(1)</script>" in page.locator(".post-text").first.inner_text()
    view.shot("case-hostile-text")
    view.goto(f"/cases/{evil[4]}")
    view.shot("case-hostile-rtl")
    page.wait_for_timeout(300)
    assert view.pwned() is None
    assert view.dialogs == []
    assert page.locator("script:not([src])").count() == 0


def test_no_request_leaves_the_app(watched: Watched, site: tuple[LiveServer, Seeded]) -> None:
    _, seeded = site
    view, page = watched, watched.page
    view.goto("/login")
    view.shot("login")
    view.login("sig")
    for path in [
        "/",
        "/?status=all",
        f"/cases/{seeded.case('o-oslo')}",
        "/tips/new",
        "/dashboard",
        f"/network?case={seeded.case('o-oslo')}",
    ]:
        view.goto(path)
        page.wait_for_load_state("networkidle")
    view.goto(f"/network?case={seeded.case('o-oslo')}")
    view.shot("network")
    view.goto("/dashboard")
    page.wait_for_selector("#charts[data-ready='1']", timeout=15000)
    assert page.locator("#chart-quarters svg").count() > 0
    outside = [url for url in view.requests if not url.startswith(view.base + "/")]
    assert outside == []
    assert not [e for e in view.console_errors if "Content Security Policy" in e or "Refused" in e]


def _tiny_png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_queue_and_case_in_each_language(browser: Any, site: tuple[LiveServer, Seeded], lang: str) -> None:
    server, seeded = site
    view = Watched(browser, server.url, locale={"nb": "nb-NO", "en": "en-GB"}[lang])
    try:
        view.login("ana")
        view.goto("/")
        assert view.page.get_attribute("html", "lang") == lang
        heading = view.page.inner_text("h1")
        assert heading == {"nb": "Prioriteringskø", "en": "Triage queue"}[lang]
        view.shot(f"queue-{lang}")
        view.goto(f"/cases/{seeded.case('o-oslo')}")
        assert view.page.get_attribute("html", "lang") == lang
        assert view.page.inner_text("#signals-h") == {"nb": "Hva som ble funnet", "en": "What was found"}[lang]
        assert "(Oslo)" in view.page.inner_text("ol.history")  # times are labelled with their zone
        view.shot(f"case-{lang}")
        assert view.console_errors == [] and view.dialogs == []
    finally:
        view.close()


def test_queue_fits_a_phone(browser: Any, site: tuple[LiveServer, Seeded]) -> None:
    server, seeded = site
    view = Watched(browser, server.url, width=390, locale="nb-NO")
    try:
        view.login("ana")
        for path, name in [("/", "queue-390px"), (f"/cases/{seeded.case('o-oslo')}", "case-390px")]:
            view.goto(path)
            widths = view.page.evaluate(
                "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            view.shot(name)
            assert widths[0] <= widths[1] == 390, (path, widths)
    finally:
        view.close()
