"""Request dependencies: the app's shared state, the acting user (session cookie or Bearer token), CSRF checks.

Who may do what is decided by `varde.cases.service.CaseService` (rules in `varde.cases.access`); this module only
finds out *who* is asking and hands the service an `Actor`. Pages send a logged-out visitor to the login form; the
API answers 401."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar, cast

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates

from varde.cases.access import Actor
from varde.cases.accounts import AccountService
from varde.cases.queue import QueueReader
from varde.cases.review import ReviewService
from varde.cases.service import CaseService
from varde.cases.tips import TipService
from varde.cases.users import BANK_SCOPE_PREFIX
from varde.errors import AccessDenied
from varde.network.service import NetworkService
from varde.report.service import ReportService
from varde.settings import Settings
from varde.signals.service import SignalService
from varde.store import Store
from varde.web import sessions

if TYPE_CHECKING:  # the pipeline (scikit-learn) loads on the first tip, not at start-up
    from varde.cases.models import ModelService
    from varde.pipeline import Pipeline

CSRF_HEADER = "x-csrf-token"
T = TypeVar("T")


@dataclass
class WebState:
    """Everything the routes share, built once by `create_app`."""

    settings: Settings
    store: Store
    service: CaseService
    accounts: AccountService
    templates: Jinja2Templates
    secret: bytes
    secure_cookies: bool
    media_dir: str
    path_for: Any = None  # render.PathFor, set by create_app
    pipeline: Pipeline | None = None
    services: dict[str, Any] = field(default_factory=dict)  # built on first use: see the service dependencies


class LoginRequired(Exception):
    """A page needs a logged-in user; the handler redirects to the login form."""

    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


class Unauthenticated(Exception):
    """An API call without a valid session or token (401)."""


class ReadOnlyToken(Exception):
    """A write with a read-only API token (403)."""


class CsrfFailed(Exception):
    """A state-changing request without the right CSRF token (403)."""


@dataclass(frozen=True, slots=True)
class Caller:
    """The acting user plus how they authenticated: a session (`csrf` is its token, `session_id` the cookie's id)
    or a Bearer token (`csrf` None; `scope` read or write)."""

    actor: Actor
    csrf: str | None
    session_id: str | None = None
    scope: str = "write"

    @property
    def by_token(self) -> bool:
        return self.csrf is None


def get_state(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


State = Annotated[WebState, Depends(get_state)]


def client_source(request: Request) -> str:
    """ "web:<address>" for the audit log's `source`."""
    return f"web:{request.client.host if request.client else 'unknown'}"


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def find_caller(request: Request, state: WebState) -> Caller | None:
    """The caller of this request, or None. A Bearer token wins over a cookie; a session is re-checked against
    the sessions and users tables on every request, so an ended session or a deactivated user is out at once."""
    cached: Caller | None = getattr(request.state, "caller", None)
    if cached is not None:
        return cached
    source = client_source(request)
    caller: Caller | None = None
    token = bearer_token(request)
    if token is not None:
        try:
            # Every case read or change is audited by the service itself; no extra login event per API call.
            actor, scope = state.accounts.token_login(token, source=source, audit_login=False)
        except AccessDenied:
            return None
        if scope.startswith(BANK_SCOPE_PREFIX):
            return None  # a platform's bank token reads its bank's feed (routes/signals.py) and nothing else
        caller = Caller(actor, None, scope=scope)
    else:
        session_id = request.cookies.get(sessions.SESSION_COOKIE)
        live = state.accounts.session(session_id, source=source) if session_id else None
        if live is None or session_id is None:
            return None
        caller = Caller(live[0], live[1], session_id=session_id)
    request.state.caller = caller
    return caller


def page_caller(request: Request, state: State) -> Caller:
    caller = find_caller(request, state)
    if caller is None:
        raise LoginRequired(str(request.url.path) + (f"?{request.url.query}" if request.url.query else ""))
    return caller


def api_caller(request: Request, state: State) -> Caller:
    """The API caller; cookie-authenticated writes must also send the session's CSRF token in X-CSRF-Token."""
    caller = find_caller(request, state)
    if caller is None:
        raise Unauthenticated()
    writes = request.method not in ("GET", "HEAD", "OPTIONS")
    if writes and caller.by_token and caller.scope != "write":
        raise ReadOnlyToken()
    if writes and not caller.by_token and not sessions.same_token(caller.csrf, request.headers.get(CSRF_HEADER)):
        raise CsrfFailed()
    return caller


def check_form_csrf(caller: Caller, given: str | None) -> None:
    """Forms carry the session's CSRF token in a hidden field."""
    if caller.by_token:
        return  # a Bearer token is never sent by a browser on its own
    if not sessions.same_token(caller.csrf, given):
        raise CsrfFailed()


PageCaller = Annotated[Caller, Depends(page_caller)]
ApiCaller = Annotated[Caller, Depends(api_caller)]


# The services the routes use, one each per app, built on first use; routes take them as dependencies (or call
# these with the state) and never build one themselves.


def _shared(state: WebState, name: str, build: Callable[[], T]) -> T:
    service = state.services.get(name)
    if service is None:
        service = state.services.setdefault(name, build())
    return cast(T, service)


def case_service(state: State) -> CaseService:
    return state.service


def network_service(state: State) -> NetworkService:
    return _shared(state, "network", lambda: NetworkService(state.store, clock=state.service.now))


def report_service(state: State) -> ReportService:
    return _shared(state, "report", lambda: ReportService(state.store, clock=state.service.now))


def queue_reader(state: State) -> QueueReader:
    return _shared(state, "queue", lambda: QueueReader(state.store))


def review_service(state: State) -> ReviewService:
    return _shared(state, "review", lambda: ReviewService(state.store, clock=state.service.now))


def tip_service(state: State) -> TipService:
    return _shared(
        state,
        "tips",
        lambda: TipService(
            state.store,
            state.service,
            media_dir=state.media_dir,
            pipeline=state.pipeline,
            zone=state.settings.zone,
            model_dir=str(state.settings.model_folder),
        ),
    )


def model_service(state: State) -> ModelService:
    """The model registry's service; built on first use (it loads the detector module, not wanted at start-up)."""

    def build() -> ModelService:
        from varde.cases.models import ModelService
        from varde.store.model_files import ModelFiles

        return ModelService(state.store, ModelFiles(state.settings.model_folder), media_dir=Path(state.media_dir))

    return _shared(state, "models", build)


def signal_service(state: State) -> SignalService:
    return _shared(state, "signals", lambda: SignalService(state.store, clock=state.service.now))


Cases = Annotated[CaseService, Depends(case_service)]
Network = Annotated[NetworkService, Depends(network_service)]
Reports = Annotated[ReportService, Depends(report_service)]
Queue = Annotated[QueueReader, Depends(queue_reader)]
Tips = Annotated[TipService, Depends(tip_service)]
Review = Annotated[ReviewService, Depends(review_service)]
Signals = Annotated[SignalService, Depends(signal_service)]
