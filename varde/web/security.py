"""Security headers on every response (a strict Content-Security-Policy and friends), and the request guard that
runs before any body is read (trusted proxies, body-size limit, authentication before upload).

Every script is a static file from this app ('self'); there are no inline scripts, no eval and no data rendered
into scripts. Styles are static files too; `style-src` also allows inline style *attributes* set by the chart
library through the DOM (it sizes its SVG that way), never a `<style>` element from data."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)

HEADERS: dict[str, str] = {
    "content-security-policy": CSP,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


class SecurityHeaders:
    """Pure ASGI middleware (cheap: no body buffering) that adds `HEADERS` to every HTTP response."""

    def __init__(self, app: ASGIApp, *, hsts: bool = False) -> None:
        self.app = app
        self.extra = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in HEADERS.items()]
        if hsts:
            self.extra.append((b"strict-transport-security", b"max-age=31536000"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                headers = list(message.get("headers", []))
                headers.extend((k, v) for k, v in self.extra if k not in names)
                if b"cache-control" not in names:
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def forwarded_client(peer: str | None, forwarded_for: str | None, trusted: frozenset[str]) -> str | None:
    """The client address: `peer`, unless `peer` is a trusted proxy, in which case the right-most address of
    X-Forwarded-For that is not itself a trusted proxy (what each proxy appended; anything to its left was sent by
    the client and may be forged). Pure."""
    if peer is None or peer not in trusted or not forwarded_for:
        return peer
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        if hop not in trusted:
            return hop[:64]
    return hops[0][:64] if hops else peer


PUBLIC_BODY_BYTES = 64 * 1024  # a login form is a few hundred bytes; nobody unknown gets to send more
TOO_LARGE = b'{"detail": "request body too large", "error": "Payload too large"}'


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return None


async def _reply(send: Send, status: int, body: bytes, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    start: Message = {
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            *(headers or []),
        ],
    }
    await send(start)
    await send({"type": "http.response.body", "body": body})


class RequestGuard:
    """Pure ASGI middleware in front of every route (only `SecurityHeaders` wraps it): runs before any body is read.

    1. The client address comes from X-Forwarded-For only when the peer is one of `trusted_proxies`.
    2. A body over `max_body_bytes` (over `PUBLIC_BODY_BYTES` for the public login form) is refused with 413: at
       once by its Content-Length, or when the streamed body passes the limit (then the app sees a disconnect and
       the client gets 413).
    3. A POST (or other write) to anything but `public_paths` must come from a logged-in caller (`authenticated`,
       checked on the headers alone), else 401 (pages: 303 to /login) — before the app parses a single byte of a
       form or upload."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int,
        trusted_proxies: frozenset[str],
        authenticated: Callable[[Scope], Awaitable[bool]],
        public_paths: frozenset[str] = frozenset({"/login"}),
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.trusted = trusted_proxies
        self.authenticated = authenticated
        self.public_paths = public_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        peer = client[0] if client else None
        real = forwarded_client(peer, _header(scope, b"x-forwarded-for"), self.trusted)
        if real != peer and client is not None:
            scope = {**scope, "client": (real, client[1])}
        length = _header(scope, b"content-length")
        try:
            declared = int(length) if length is not None else None
        except ValueError:
            await _reply(send, 400, b'{"detail": "bad Content-Length", "error": "Bad request"}')
            return
        limit = PUBLIC_BODY_BYTES if scope["path"] in self.public_paths else self.max_body_bytes
        if declared is not None and declared > limit:
            await _reply(send, 413, TOO_LARGE)
            return
        writes = scope["method"] not in ("GET", "HEAD", "OPTIONS")
        if writes and scope["path"] not in self.public_paths and not await self.authenticated(scope):
            if str(scope["path"]).startswith("/api/"):
                detail = b'{"detail": "log in, or send Authorization: Bearer <API token>", "error": "Unauthorized"}'
                await _reply(send, 401, detail, [(b"www-authenticate", b"Bearer")])
            else:
                await _reply(send, 303, b"{}", [(b"location", b"/login")])
            return
        over = False
        started = False
        seen = 0

        async def counted() -> Message:
            nonlocal over, seen
            if over:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    over = True
                    if not started:
                        await _reply(send, 413, TOO_LARGE)
                    return {"type": "http.disconnect"}
            return message

        async def replying(message: Message) -> None:
            nonlocal started
            if over:
                return  # our 413 went out instead
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, replying)
        except Exception:
            if not over:
                raise
