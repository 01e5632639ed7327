"""Static assets that come from installed packages: plotly.js from the `plotly` wheel (no CDN), and a colour emoji
font from the system's fonts (Debian's `fonts-noto-color-emoji`, installed by scripts/install-system-deps.sh), so
the 🔫💣 of an order show as emoji on an analyst's machine that has no emoji font of its own.

plotly.js normally injects its own CSS rules through a `<style>` element, which a strict Content-Security-Policy
refuses. It skips that when the page already holds an element `#plotly.js-style-global.no-inline-styles`, so the
dashboard links `plotly.css` under that id; the CSS is the bundle's own rule table, read out of plotly.min.js once
(so it always matches the installed version)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, Response

from varde.errors import ConfigError

router = APIRouter(include_in_schema=False)


# Where distributions put Noto Color Emoji (Debian/Ubuntu, Fedora, Arch, Alpine); the first that exists is served.
EMOJI_FONTS = (
    Path("/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf"),
    Path("/usr/share/fonts/google-noto-emoji/NotoColorEmoji.ttf"),
    Path("/usr/share/fonts/noto/NotoColorEmoji.ttf"),
    Path("/usr/share/fonts/noto-emoji/NotoColorEmoji.ttf"),
)


def emoji_font() -> Path | None:
    """The colour emoji font to serve, or None when none of `EMOJI_FONTS` is installed."""
    return next((path for path in EMOJI_FONTS if path.is_file()), None)


@router.get("/static/vendor/emoji.ttf", name="vendor_emoji_font")
def vendor_emoji_font() -> Response:
    """The emoji font; 404 when the system has none (the stylesheet's @font-face then falls back to local fonts)."""
    path = emoji_font()
    if path is None:
        return Response("no emoji font installed (Debian: fonts-noto-color-emoji)", status_code=404)
    return FileResponse(path, media_type="font/ttf", headers={"cache-control": "public, max-age=604800"})


@cache
def plotly_js() -> Path:
    try:
        import plotly
    except ImportError:
        raise ConfigError("the dashboard needs plotly: pip install 'varde[web]'") from None
    path = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    if not path.is_file():
        raise ConfigError(f"plotly.min.js not found in the plotly package ({path})")
    return path


@router.get("/static/vendor/plotly.min.js", name="vendor_plotly")
def vendor_plotly() -> FileResponse:
    return FileResponse(plotly_js(), media_type="text/javascript", headers={"cache-control": "public, max-age=86400"})


_RULE_TABLE_START = '{"X,X div":'
_STRING = r"""(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')"""
_PAIR = re.compile(rf"({_STRING}):({_STRING})[,}}]")


def _unquote(text: str) -> str:
    return text[1:-1].replace("\\'", "'").replace('\\"', '"')


@cache
def plotly_css() -> str:
    """plotly.js's built-in style rules as a stylesheet ("" if this bundle has no rule table we can read)."""
    bundle = plotly_js().read_text(encoding="utf-8")
    start = bundle.find(_RULE_TABLE_START)
    if start < 0:
        return ""
    end = bundle.find("};", start)
    rules = []
    for key, value in _PAIR.findall(bundle[start + 1 : end + 1]):
        selector = _unquote(key)
        selector = (
            re.sub(r"^,", " ,", selector).replace("X", ".js-plotly-plot .plotly").replace("Y", ".plotly-notifier")
        )
        rules.append(f"{selector}{{{_unquote(value)}}}")
    return "\n".join(rules) + "\n"


_EMBEDDED_STYLE = re.compile(r'getElementById\("([0-9a-f]{32,64})"\)\)\{var \w+=document\.createElement\("style"\)')


@cache
def plotly_style_guards() -> tuple[str, ...]:
    """Ids of the `<style>` elements the bundle adds at load time (MapLibre's CSS) unless an element with that id
    exists; the dashboard places empty elements with these ids so nothing is injected (we draw no maps)."""
    return tuple(_EMBEDDED_STYLE.findall(plotly_js().read_text(encoding="utf-8")))


@router.get("/static/vendor/plotly.css", name="vendor_plotly_css")
def vendor_plotly_css() -> Response:
    return Response(plotly_css(), media_type="text/css", headers={"cache-control": "public, max-age=86400"})
