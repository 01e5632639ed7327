"""`create_app(settings)`: the analyst workbench — server-rendered pages, each with a JSON twin under /api.

    varde serve                                   # SQLite default, http://127.0.0.1:8000/
    uvicorn --factory varde.web.app:create_app    # the same app under any ASGI server

| page (session + CSRF on forms)           | JSON twin (session + X-CSRF-Token on writes, or Bearer token)  |
|------------------------------------------|----------------------------------------------------------------|
| GET  /login, POST /login, POST /logout   | GET /api/me (scripts use API tokens, not passwords)            |
| GET  / (triage queue, filters, counts)   | GET /api/queue (same query parameters)                         |
| GET  /cases/{id}                         | GET /api/cases/{id}                                            |
| GET  /cases/{id}/images/{sha256}         | GET /api/cases/{id}/images/{sha256} (EXIF-free JPEG copy)      |
| POST /cases/{id}/status|assign|merge|note| POST /api/cases/{id}/status|assign|merge|notes (JSON bodies)   |
| POST /cases/{id}/export                  | POST /api/cases/{id}/evidence (zip; X-Manifest-SHA256 header)  |
| GET  /tips/new, POST /tips               | POST /api/tips (multipart: text, screenshot, contact, seen_on)  |
| GET  /dashboard                          | GET /api/dashboard                                             |
| GET  /review?district= (review band)     | GET /api/review?district=&page= (posts scored `possible`)      |
| GET  /network?case=|entity=              | GET /api/network?case=|entity=                                 |
| GET  /admin, POST /admin/… (admins)      | /api/admin/users, /api/admin/tokens … (see routes/admin.py)    |

Everything is served by the app itself (no CDN; plotly.js from the installed `plotly` package, the colour emoji
font from Debian's fonts-noto-color-emoji, see routes/assets.py); the OpenAPI schema is at /api/openapi.json (the
interactive docs pages are off because they load scripts from a CDN). Errors from the services map to HTTP
statuses here, once: NotFound 404, AccessDenied 403, InvalidTransition/Conflict 409, ConfigError/InputError 400."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DataError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Scope

from varde import __version__
from varde.cases import access
from varde.cases.accounts import AccountPolicy, AccountService
from varde.cases.service import CaseService
from varde.cases.throttle import Limit, Throttled
from varde.cases.users import HashingBusy
from varde.errors import (
    AccessDenied,
    ConfigError,
    Conflict,
    InputError,
    InvalidTransition,
    NotFound,
    VardeError,
)
from varde.keys import secret_key
from varde.settings import Settings
from varde.store import Store
from varde.web.deps import (
    CsrfFailed,
    LoginRequired,
    ReadOnlyToken,
    Unauthenticated,
    WebState,
    find_caller,
    network_service,
    report_service,
)
from varde.web.render import PathFor, make_templates, page
from varde.web.routes import admin, assets, auth, cases, dashboard, network, network_api, pages, queue, tips
from varde.web.routes import labels as label_routes
from varde.web.routes import models as model_routes
from varde.web.routes import reports as report_routes
from varde.web.routes import review as review_routes
from varde.web.routes import signals as signal_routes
from varde.web.security import RequestGuard, SecurityHeaders

if TYPE_CHECKING:  # the pipeline (scikit-learn) loads on the first tip, not at start-up
    from varde.pipeline import Pipeline

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"
# The interpreter's time slice for `varde serve`. While a background thread analyses the network (tens of seconds at
# 100,000 cases: at start-up and after changes) a request thread that waited on I/O gets the interpreter back only
# when the analysis's slice ends: with CPython's 5 ms slices a dashboard view then took ~200 ms (median) and up to
# 0.8 s; with 0.5 ms slices ~90 ms (bench/bench_pages.py, "during the network analysis").
SWITCH_INTERVAL_S = 0.0005

STATUS: list[tuple[type[VardeError], int, str]] = [
    (NotFound, 404, "Not found"),
    (Throttled, 429, "Too many requests"),
    (HashingBusy, 429, "Too many requests"),
    (AccessDenied, 403, "Forbidden"),
    (InvalidTransition, 409, "Not allowed now"),
    (Conflict, 409, "Conflict"),
    (ConfigError, 400, "Bad request"),
    (InputError, 400, "Bad request"),
]


def account_policy(settings: Settings) -> AccountPolicy:
    lockout = timedelta(seconds=settings.login_lockout_seconds)
    return AccountPolicy(
        session_idle=timedelta(minutes=settings.session_idle_minutes),
        session_lifetime=timedelta(hours=settings.session_hours),
        per_user=Limit(settings.login_max_failures, lockout),
        per_address=Limit(settings.login_max_failures_per_address, lockout),
    )


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def create_app(
    settings: Settings | None = None,
    *,
    store: Store | None = None,
    secure_cookies: bool = True,
    media_dir: str | None = None,
    pipeline: Pipeline | None = None,
) -> FastAPI:
    """Build the app. `secure_cookies=False` only for plain-HTTP on localhost (tests, a laptop demo).

    Tips run through `pipeline`, by default `build_pipeline(store.order_index())`, built on the first tip."""
    settings = settings or Settings()
    store = store or Store.open(settings.database_url)
    # The key file (0600, created on first run) keeps the secret out of the environment; VARDE_SECRET_KEY overrides.
    secret = settings.secret_key.encode("utf-8") or secret_key(settings.key_folder)
    state = WebState(
        settings=settings,
        store=store,
        service=CaseService(store),
        accounts=AccountService(store, policy=account_policy(settings)),
        templates=make_templates(),
        secret=secret,
        secure_cookies=secure_cookies,
        media_dir=media_dir or str(settings.media_folder),
        pipeline=pipeline,
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # The network analysis takes tens of seconds on a big store, the dashboard's tally seconds: both are built in
        # the background, never blocking start-up.
        threading.Thread(target=_warm_up, args=(state,), name="varde-warm-up", daemon=True).start()
        yield

    app = FastAPI(
        lifespan=lifespan,
        title="Varde workbench",
        version=__version__,
        description="Triage, cases, tips and figures. Authenticate with `Authorization: Bearer <API token>`.",
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.web = state
    state.path_for = PathFor(app)

    async def authenticated(scope: Scope) -> bool:
        return await run_in_threadpool(find_caller, Request(scope), state) is not None

    app.add_middleware(
        RequestGuard,
        max_body_bytes=settings.max_body_bytes,
        trusted_proxies=frozenset(settings.trusted_proxies),
        authenticated=authenticated,
    )
    app.add_middleware(SecurityHeaders, hsts=secure_cookies)  # outermost; HTTPS deployments also get HSTS
    for module in (auth, queue, cases, tips, dashboard, network, network_api, assets, pages):
        app.include_router(module.router)
    for html in (queue.pages, cases.pages, tips.pages, dashboard.pages, network.pages):
        app.include_router(html)  # each page lives beside its JSON twin
    app.include_router(label_routes.router)
    app.include_router(review_routes.router)
    app.include_router(model_routes.router)
    app.include_router(model_routes.pages)
    app.include_router(signal_routes.router)
    app.include_router(report_routes.pages)
    app.include_router(review_routes.pages)
    app.include_router(admin.api)
    app.include_router(admin.pages)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")  # after the vendor route it would shadow
    _install_error_handlers(app, state)
    return app


def _warm_up(state: WebState) -> None:
    """The dashboard's tallies and the network analyses of every scope in use, on a big store (pages build on demand
    otherwise)."""
    try:
        actors = state.accounts.actors_in_use()
        report_service(state).warm([access.case_scope(actor) for actor in actors])
        network_service(state).warm_up(actors)
    except Exception:  # a background thread has nobody to raise to; the pages build on demand instead
        log.exception("warm-up failed")


def _install_error_handlers(app: FastAPI, state: WebState) -> None:
    def error_page(request: Request, status: int, title: str, detail: str) -> Response:
        if _wants_json(request):
            return JSONResponse({"detail": detail, "error": title}, status_code=status)
        caller = find_caller(request, state)
        if caller is None and status != 404:
            return pages.login_redirect(request.url.path)
        return page(request, state, "error.html", caller, status=status, title=title, detail=detail, status_code=status)

    @app.exception_handler(VardeError)
    async def varde_error(request: Request, error: VardeError) -> Response:
        for kind, status, title in STATUS:
            if isinstance(error, kind):
                response = error_page(request, status, title, str(error))
                if status == 429:
                    response.headers["retry-after"] = str(getattr(error, "retry_after", 5))
                return response
        log.exception("unexpected error", exc_info=error)
        return error_page(request, 500, "Server error", "Something went wrong; the error was logged.")

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, error: LoginRequired) -> Response:
        return pages.login_redirect(error.next_url)

    @app.exception_handler(Unauthenticated)
    async def unauthenticated(request: Request, error: Unauthenticated) -> Response:
        return JSONResponse(
            {"detail": "log in, or send Authorization: Bearer <API token>", "error": "Unauthorized"},
            status_code=401,
            headers={"www-authenticate": "Bearer"},
        )

    @app.exception_handler(ReadOnlyToken)
    async def read_only_token(request: Request, error: ReadOnlyToken) -> Response:
        return error_page(request, 403, "Forbidden", "this API token is read-only")

    @app.exception_handler(CsrfFailed)
    async def csrf_failed(request: Request, error: CsrfFailed) -> Response:
        return error_page(request, 403, "Forbidden", "missing or wrong CSRF token; reload the page and try again")

    @app.exception_handler(DataError)
    async def unstorable(request: Request, error: DataError) -> Response:
        # A value the database refuses (a NUL character in PostgreSQL text, a number out of its range): the
        # request's fault, and its transaction is already rolled back.
        return error_page(request, 400, "Bad request", "a value in the request cannot be stored or searched for")

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> Response:
        if _wants_json(request):
            # Only what can be JSON: `ctx` may hold the exception object itself (a 500 if serialised).
            detail = [{"loc": list(e["loc"]), "msg": str(e["msg"]), "type": str(e["type"])} for e in error.errors()]
            return JSONResponse({"detail": detail, "error": "Bad request"}, status_code=422)
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in error.errors())
        return error_page(request, 422, "Bad request", problems)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        titles = {404: "Not found", 405: "Method not allowed", 503: "Service unavailable"}
        response = error_page(request, error.status_code, titles.get(error.status_code, "Error"), str(error.detail))
        response.headers.update(error.headers or {})  # e.g. Retry-After
        return response
