"""The analyst workbench: a FastAPI app of server-rendered pages and their JSON twins (`create_app`)."""

from varde.web.app import create_app

__all__ = ["create_app"]
