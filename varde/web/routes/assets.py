"""Static assets that come from installed packages: plotly.js from the `plotly` wheel (no CDN)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from varde.errors import ConfigError

router = APIRouter(include_in_schema=False)


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
