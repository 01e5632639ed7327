"""`varde serve`: the analyst workbench (web pages and JSON API) on the SQLite default, no flags needed."""

from __future__ import annotations

import ipaddress

import click

from varde.cli.common import database_option, load_settings, stderr


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@database_option
@click.option(
    "--secure-cookies/--no-secure-cookies",
    default=None,
    help="Send cookies only over HTTPS (default: on, except when listening on a loopback address over plain HTTP).",
)
def serve(host: str, port: int, database_url: str | None, secure_cookies: bool | None) -> None:
    """Serve the workbench: triage queue, cases, tips, dashboard; JSON API under /api (schema: /api/openapi.json).

    Users come from `varde users add`; set VARDE_SECRET_KEY to keep sessions across restarts. Put it behind a
    TLS-terminating proxy when it listens on anything but localhost."""
    import sys

    import uvicorn

    from varde.web import create_app
    from varde.web.app import SWITCH_INTERVAL_S

    sys.setswitchinterval(SWITCH_INTERVAL_S)  # requests stay quick while a background analysis runs

    settings = load_settings(database_url)
    secure = secure_cookies if secure_cookies is not None else not is_loopback(host)
    app = create_app(settings, secure_cookies=secure)
    stderr.print(f"Varde workbench on http://{host}:{port}/  (database {settings.database_url})", highlight=False)
    uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=False, server_header=False)


def register(group: click.Group) -> None:
    group.add_command(serve)
