"""The supervisors' Model page at /models and its JSON twin GET /api/models: the registered models, the active and
the shadow model, the shadow comparison, the latest backtests and the changes of the active model.

Read-only: promoting, rolling back, shadow mode and re-scoring are `varde model` commands (audited there). The
page is for supervisors (`model.admin`), the JSON for every role with `model.read`; `ModelService` decides."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from varde.cases import access
from varde.cases.access import Actor
from varde.web.deps import ApiCaller, PageCaller, State, model_service
from varde.web.render import page

if TYPE_CHECKING:
    from varde.cases.models import ModelService

router = APIRouter(prefix="/api", tags=["models"])
pages = APIRouter(include_in_schema=False)


def overview(service: ModelService, actor: Actor) -> dict[str, Any]:
    return {
        "models": [m.to_dict() for m in service.models(actor)],
        "state": service.state(actor),
        "shadow": service.shadow_comparison(actor),
        "backtests": service.backtests(actor),
    }


@router.get("/models", summary="Registered models, the active and shadow model, shadow comparison, backtests")
def api_models(state: State, caller: ApiCaller) -> dict[str, Any]:
    return overview(model_service(state), caller.actor)


@pages.get("/models", name="models_page", response_class=HTMLResponse)
def models_page(request: Request, state: State, caller: PageCaller) -> Response:
    service = model_service(state)
    service.require(caller.actor, access.MODEL_ADMIN)  # the page is the supervisors'
    view = overview(service, caller.actor) | {"models": service.models(caller.actor)}
    view["registry"] = view.pop("state")
    return page(request, state, "models.html", caller, nav="models", **view)
