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
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from varde.web.deps import Caller, WebState
from varde.web.highlight import reveal

TEMPLATES = Path(__file__).parent / "templates"
LOCAL_ZONE = ZoneInfo("Europe/Oslo")


def localtime(value: datetime | str | None) -> str:
    """An instant as Oslo local time, "2025-09-14 22:00"."""
    if value is None or value == "":
        return "—"
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is None:
        return moment.strftime("%Y-%m-%d %H:%M")
    return moment.astimezone(LOCAL_ZONE).strftime("%Y-%m-%d %H:%M")


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
    )
    env.filters["localtime"] = localtime
    env.filters["cssname"] = cssname
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
    user = {"name": actor.name, "role": actor.role, "districts": sorted(actor.districts)} if actor else None
    return state.templates.TemplateResponse(
        request,
        template,
        {
            "user": user,
            "csrf": caller.csrf if caller else "",
            "nav": nav,
            "flashes": flashes or [],
            # Paths, not absolute URLs: right behind any proxy, and nothing in a page names a host.
            "url_for": state.path_for,
            **context,
        },
        status_code=status_code,
    )
