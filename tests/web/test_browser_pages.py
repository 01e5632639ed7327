"""Each page in Chromium in bokmål and English, with screenshots under test-output/screenshots/: the case page with
an image and emoji (the emoji font comes from the app), the tip page, the queue, the login page, the network graph,
and the review, model and user-admin pages; and the whole Norwegian path — log in, triage, open a case, change its
status, submit a tip — on nb pages."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import select, update

from varde.store.tables import posts

from .conftest import LiveServer, Seeded, make_app
from .test_browser import Watched, browser  # noqa: F401  (the module-scoped Chromium fixture)
from .test_images import attach, jpeg_with_gps

pytestmark = pytest.mark.browser

LOCALES = {"nb": "nb-NO", "en": "en-GB"}
EMOJI = "🔫💣"


@pytest.fixture
def site_with_media(seeded: Seeded, tmp_path: Path) -> Iterator[tuple[LiveServer, Seeded, str]]:
    """The live app, with an EXIF-laden photo on the first Oslo post and emoji at the end of its text (appended, so
    the cue offsets still hold)."""
    digest = attach(seeded, "telegram:foxchan:1", jpeg_with_gps(size=(320, 200)), tmp_path / "media")
    with seeded.store.begin() as conn:
        text = conn.execute(select(posts.c.text).where(posts.c.id == "telegram:foxchan:1")).scalar_one()
        conn.execute(update(posts).where(posts.c.id == "telegram:foxchan:1").values(text=f"{text} {EMOJI}"))
    with LiveServer(make_app(seeded.store, tmp_path)) as server:
        yield server, seeded, digest


def _view(chromium: Any, server: LiveServer, lang: str, width: int = 1360) -> Watched:
    return Watched(chromium, server.url, width=width, locale=LOCALES[lang])


def _colourful_pixels(png: bytes) -> int:
    """Pixels with clear colour (not grey, black or white): a colour emoji has many, a missing-glyph box none."""
    data = Image.open(io.BytesIO(png)).convert("HSV").tobytes()
    return sum(1 for k in range(0, len(data), 3) if data[k + 1] > 80 and data[k + 2] > 60)


def _emoji_clip(view: Watched) -> dict[str, float]:
    """The page rectangle of the emoji in the first post's text."""
    box = view.page.evaluate(
        """(emoji) => {
            const post = document.querySelector('.post-text');
            const walker = document.createTreeWalker(post, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const at = node.data.indexOf(emoji);
                if (at >= 0) {
                    const range = document.createRange();
                    range.setStart(node, at);
                    range.setEnd(node, at + emoji.length);
                    const r = range.getBoundingClientRect();
                    return {x: r.x + window.scrollX, y: r.y + window.scrollY, width: r.width, height: r.height};
                }
            }
            return null;
        }""",
        EMOJI,
    )
    assert box, "emoji not found in the post text"
    return dict(box)


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_case_page_shows_the_image_and_colour_emoji(
    browser: Any,  # noqa: F811
    site_with_media: tuple[LiveServer, Seeded, str],
    lang: str,
) -> None:
    server, seeded, digest = site_with_media
    view = _view(browser, server, lang)
    try:
        view.login("ana")
        view.goto(f"/cases/{seeded.case('o-oslo')}")
        page = view.page
        image = page.locator(f".post-images img[src$='{digest}']")
        image.wait_for()
        page.wait_for_function(
            "(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle(), timeout=10000
        )
        assert image.evaluate("(img) => [img.naturalWidth, img.naturalHeight]") == [320, 200]
        page.evaluate("() => document.fonts.ready")
        faces = page.evaluate(
            "() => [...document.fonts].filter(f => f.family.includes('Varde Emoji')).map(f => f.status)"
        )
        assert faces == ["loaded"]  # the app's own @font-face, fetched because the page shows emoji
        assert any(url.endswith("/static/vendor/emoji.ttf") for url in view.requests)
        clip = _emoji_clip(view)
        assert _colourful_pixels(page.screenshot(clip=clip)) > 40, "emoji drawn without colour (boxes?)"
        expected = {"nb": "Bilde 1 i innlegget", "en": "Image 1 of the post"}[lang]
        assert image.get_attribute("alt") == expected
        view.shot(f"case-image-emoji-{lang}")
        assert not [e for e in view.console_errors if "Content Security Policy" in e or "Refused" in e]
        assert all(url.startswith(server.url + "/") for url in view.requests)
    finally:
        view.close()


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_login_tip_and_network_pages(
    browser: Any,  # noqa: F811
    site_with_media: tuple[LiveServer, Seeded, str],
    lang: str,
) -> None:
    server, seeded, _ = site_with_media
    view = _view(browser, server, lang)
    words = {
        "nb": {"login": "Logg inn", "tip": "Nytt tips", "network": "Nettverk", "caption": "Graf over nærmeste"},
        "en": {"login": "Log in", "tip": "New tip", "network": "Network", "caption": "Graph of the neighbourhood"},
    }[lang]
    try:
        view.goto("/login")
        assert view.page.get_attribute("html", "lang") == lang
        assert view.page.inner_text("h1") == words["login"]
        view.shot(f"login-{lang}")
        view.login("sig")
        view.goto("/tips/new")
        assert view.page.inner_text("h1") == words["tip"]
        view.shot(f"tip-form-{lang}")
        view.goto(f"/network?case={seeded.case('o-oslo')}")
        assert view.page.inner_text("h1") == words["network"]
        graph = view.page.locator("#network-graph")
        assert graph.locator("circle").count() >= 3 and graph.locator("line").count() >= 2
        assert words["caption"] in view.page.inner_text("figure.graph figcaption")
        box = graph.bounding_box()
        assert box and box["width"] > 300
        view.shot(f"network-graph-{lang}")
        view.goto("/network")
        view.shot(f"network-backmen-{lang}")
        assert view.console_errors == [] and view.dialogs == []
    finally:
        view.close()


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_queue_review_model_and_admin_pages(
    browser: Any,  # noqa: F811
    site_with_media: tuple[LiveServer, Seeded, str],
    lang: str,
) -> None:
    server, _, _ = site_with_media
    headings = {
        "nb": {
            "/": "Prioriteringskø",
            "/review": "Mulige bestillinger til gjennomgang",
            "/models": "Detektormodeller",
            "/admin": "Brukere",
        },
        "en": {
            "/": "Triage queue",
            "/review": "Possible orders to review",
            "/models": "Detector models",
            "/admin": "Users",
        },
    }[lang]
    # An admin may not read the queue, so after logging in lands on the user page (no 403 on the way).
    for user, landing, paths in (("sig", "/", ["/", "/review", "/models"]), ("adm", "/admin", ["/admin"])):
        view = _view(browser, server, lang)
        try:
            view.login(user, landing)
            for path in paths:
                view.goto(path)
                assert view.page.get_attribute("html", "lang") == lang
                assert view.page.inner_text("h1") == headings[path]
                view.shot(f"page{path.replace('/', '-') if path != '/' else '-queue'}-{lang}")
            assert view.console_errors == [] and view.dialogs == []
        finally:
            view.close()


def test_a_norwegian_analyst_works_a_case_and_sends_a_tip(
    browser: Any,  # noqa: F811
    site_with_media: tuple[LiveServer, Seeded, str],
    tmp_path: Path,
) -> None:
    """Log in, triage, open a case, change its status and submit a tip: every page in bokmål."""
    server, _, _ = site_with_media
    view = _view(browser, server, "nb")
    page = view.page
    try:
        view.goto("/login")
        assert page.inner_text("h1") == "Logg inn" and page.get_attribute("html", "lang") == "nb"
        view.shot("nb-path-1-login")
        view.login("ana")
        assert page.inner_text("h1") == "Prioriteringskø"
        assert "avdekket" in page.inner_text(".status-tabs")  # statuses in bokmål
        # Triage with the keyboard: the first (most urgent) row, then Enter opens it.
        top = page.locator("#queue tbody tr[data-href]").first.get_attribute("data-href")
        view.shot("nb-path-2-queue")
        page.keyboard.press("k")  # selects the first row (the script may have selected it already)
        page.keyboard.press("Enter")
        page.wait_for_url(server.url + str(top))
        assert page.inner_text("#signals-h") == "Hva som ble funnet"
        assert "oppdaget" in page.inner_text("h1")  # the status badge
        view.shot("nb-path-3-case")
        page.select_option("#status-form select[name=status]", "uncovered")
        assert page.locator("#status-form select[name=status] option:checked").inner_text() == "avdekket"
        page.fill("#status-form input[name=reason]", "Bekreftet av patrulje")
        page.click("#status-form button[type=submit]")
        page.wait_for_selector("text=Status endret.")
        assert "avdekket" in page.inner_text("h1") and "Bekreftet av patrulje" in page.inner_text("ol.history")
        view.shot("nb-path-4-status-changed")
        page.click("nav a[href='/tips/new']")
        assert page.inner_text("h1") == "Nytt tips"
        page.fill("textarea[name=text]", "Noen tilbyr 40k for å skyte en fyr på Grønland i natt. DM @tipsjobb_nb")
        page.select_option("select[name=seen_on]", "snapchat")
        shot = tmp_path / "skjermbilde.jpg"
        shot.write_bytes(jpeg_with_gps(size=(200, 120)))
        page.set_input_files("input[name=screenshot]", str(shot))
        view.shot("nb-path-5-tip-form")
        page.click("form.tip-form button[type=submit]")
        page.wait_for_selector("text=Tips mottatt")
        screenshot = page.locator(".post-images img").first
        page.wait_for_function(
            "(img) => img.complete && img.naturalWidth > 0", arg=screenshot.element_handle(), timeout=10000
        )
        assert screenshot.get_attribute("alt") == "Skjermbilde sendt med tipset"
        view.shot("nb-path-6-tip-received")
        assert view.console_errors == [] and view.dialogs == [] and view.pwned() is None
    finally:
        view.close()
