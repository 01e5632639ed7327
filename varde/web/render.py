"""Jinja2 set-up (autoescape on for every template, whatever its name) and the common page context."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from jinja2.runtime import Context

from varde import i18n
from varde.terms import display
from varde.web.deps import Caller, WebState
from varde.web.highlight import reveal

TEMPLATES = Path(__file__).parent / "templates"
LOCAL_ZONE = ZoneInfo("Europe/Oslo")


def _moment(value: datetime | str) -> datetime:
    return datetime.fromisoformat(value) if isinstance(value, str) else value


@pass_context
def localtime_filter(context: Context, value: datetime | str | None) -> str:
    """`localtime` as the page's language writes it, in the page's zone."""
    if value is None or value == "":
        return "—"
    return i18n.format_time(_moment(value), context.get("lang", i18n.DEFAULT_LANGUAGE), context.get("zone", LOCAL_ZONE))


@pass_context
def number_filter(context: Context, value: float | int | None, decimals: int | None = None) -> str:
    """A number with the page language's separators."""
    if value is None:
        return "—"
    return i18n.format_number(value, context.get("lang", i18n.DEFAULT_LANGUAGE), decimals)


@pass_context
def _gettext(context: Context, message: str) -> str:
    return i18n.translations(context.get("lang", i18n.DEFAULT_LANGUAGE)).gettext(message)


@pass_context
def _ngettext(context: Context, singular: str, plural: str, n: int) -> str:
    return i18n.translations(context.get("lang", i18n.DEFAULT_LANGUAGE)).ngettext(singular, plural, n)


@pass_context
def term_filter(context: Context, value: object) -> str:
    """A vocabulary value (status, violence type, role, network kind …) in the page's language."""
    if value is None:
        return "—"
    return display(value, i18n.translations(context.get("lang", i18n.DEFAULT_LANGUAGE)).gettext)


def cssname(value: object) -> str:
    """A safe CSS class fragment from a vocabulary word (cue kinds come from code, but be strict anyway)."""
    return re.sub(r"[^a-z0-9-]+", "-", str(value).lower()).strip("-") or "x"


class PathFor:
    """`url_for` for templates, returning paths; Starlette's lookup walks every route on each call (about a
    millisecond here), so each route's path is worked out once with placeholders and then filled in."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.patterns: dict[tuple[str, tuple[str, ...]], str] = {}

    def __call__(self, name: str, **params: Any) -> str:
        key = (name, tuple(sorted(params)))
        pattern = self.patterns.get(key)
        if pattern is None:
            pattern = str(self.app.url_path_for(name, **{k: f"VARDEPARAM{k}VARDEPARAM" for k in params}))
            self.patterns[key] = pattern
        for k, value in params.items():
            pattern = pattern.replace(f"VARDEPARAM{k}VARDEPARAM", quote(str(value), safe="/" if k == "path" else ""))
        return pattern


def make_templates() -> Jinja2Templates:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,  # every template, not only *.html: post text is hostile
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    # One environment for every language: the gettext callables read the page's `lang` from its context.
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters["localtime"] = localtime_filter
    env.filters["number"] = number_filter
    env.filters["cssname"] = cssname
    env.filters["term"] = term_filter
    env.filters["reveal"] = reveal
    return Jinja2Templates(env=env)


def page(
    request: Request,
    state: WebState,
    template: str,
    caller: Caller | None,
    *,
    nav: str = "",
    status_code: int = 200,
    flashes: list[dict[str, str]] | None = None,
    **context: Any,
) -> HTMLResponse:
    """Render a page with the user, their CSRF token and flash messages."""
    actor = caller.actor if caller else None
    lang = i18n.choose_language(
        request.query_params.get("lang"), request.cookies.get(i18n.LANG_COOKIE), request.headers.get("accept-language")
    )
    # Messages of our own (marked "translate") in the page's language; others (errors naming input) as they are.
    translate = i18n.translations(lang).gettext
    flashes = [{**f, "text": translate(f["text"])} if f.get("translate") else f for f in flashes or []]
    user = {"name": actor.name, "role": actor.role, "districts": sorted(actor.districts)} if actor else None
    response = state.templates.TemplateResponse(
        request,
        template,
        {
            "user": user,
            "csrf": caller.csrf if caller else "",
            "nav": nav,
            "flashes": flashes,
            # Paths, not absolute URLs: right behind any proxy, and nothing in a page names a host.
            "url_for": state.path_for,
            "lang": lang,
            "languages": i18n.LANGUAGES,
            "zone": state.settings.zone,
            **context,
        },
        status_code=status_code,
    )
    if i18n.known(request.query_params.get("lang")):  # a chosen language sticks for the next pages
        response.set_cookie(i18n.LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax", path="/", httponly=True)
    response.headers["Content-Language"] = lang
    return response
