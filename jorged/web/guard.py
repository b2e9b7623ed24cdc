"""Who may reach the web app from where: Host names, cross-site requests, headers.

One ASGI layer, outermost, in front of the API, the dashboard and its websocket:

- **Host**: a request must name this daemon: a loopback name, the address it
  listens on, or one of `web.allowed_hosts`; anything else is answered 421, which
  stops DNS rebinding (a foreign name resolving to 127.0.0.1 reading the API).
- **Cross-site**: a state-changing request (POST, PUT, PATCH, DELETE) and a
  websocket handshake must come from the dashboard's own origin (`Sec-Fetch-Site`,
  else `Origin`) or carry an `Authorization` header, which a browser cannot add
  across sites; anything else is answered 403. Tools without those headers (curl)
  are not browsers and pass on to the API's own token check.
- **Headers**: every response forbids framing (`X-Frame-Options: DENY`, a CSP with
  `frame-ancestors 'none'`) and sniffing; cookies are marked `Secure` when the
  request came over https (directly, or as one of `web.trusted_proxies` says:
  uvicorn reads their X-Forwarded-Proto / -For into the scope) or when
  `web.secure_cookies` is set.

Webhooks keep their own rules (signatures, shared secret) and pass untouched, as
does `/healthz`.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jorged.config import WebConfig
from jorged.web.responses import error_response

UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
OPEN_PATHS = ("/webhooks/", "/healthz")
LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "testserver"})
HEADERS = (
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
)


def host_name(host: str) -> str:
    """The name part of a Host header: no port, no brackets, lower case."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].partition("]")[0]
    if host.count(":") == 1:
        return host.partition(":")[0]
    return host


def allowed_host(name: str, cfg: WebConfig) -> bool:
    if name in LOOPBACK_NAMES or name in {h.lower() for h in cfg.allowed_hosts}:
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    if address.is_loopback:
        return True
    listening = cfg.host.strip("[]")
    return listening not in {"0.0.0.0", "::", ""} and name == listening


def _headers(scope: Scope) -> dict[bytes, bytes]:
    return {k.lower(): v for k, v in scope.get("headers", [])}


def same_origin(headers: dict[bytes, bytes]) -> bool:
    """True unless the browser says the request comes from another site."""
    fetch_site = headers.get(b"sec-fetch-site", b"").decode("latin-1").lower()
    if fetch_site:
        return fetch_site in {"same-origin", "none"}
    origin = headers.get(b"origin", b"").decode("latin-1")
    if not origin:
        return True  # not sent by a browser across sites
    if origin == "null":
        return False
    host = headers.get(b"host", b"").decode("latin-1").lower()
    return urlsplit(origin).netloc.lower() == host


class Guard:
    """The ASGI layer described above; `settings` reads the current web config."""

    def __init__(self, app: ASGIApp, settings: Callable[[], WebConfig]) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind not in {"http", "websocket"} or scope["path"].startswith(OPEN_PATHS):
            await self.app(scope, receive, send)
            return
        cfg = self.settings()
        headers = _headers(scope)
        name = host_name(headers.get(b"host", b"").decode("latin-1"))
        if not allowed_host(name, cfg):
            await self._refuse(scope, receive, send, 421, "unknown host name")
            return
        unsafe = kind == "websocket" or scope["method"] in UNSAFE
        if unsafe and b"authorization" not in headers and not same_origin(headers):
            await self._refuse(scope, receive, send, 403, "cross-site request refused")
            return
        if kind == "websocket":
            await self.app(scope, receive, send)
            return
        secure = cfg.secure_cookies or scope.get("scheme") in {"https", "wss"}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = _secured(list(message.get("headers", [])), secure)
            await send(message)

        await self.app(scope, receive, send_with_headers)

    async def _refuse(
        self, scope: Scope, receive: Receive, send: Send, status: int, why: str
    ) -> None:
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008, "reason": why})
            return
        await error_response(status, why)(scope, receive, send)


def client_address(scope: Scope) -> str:
    """The client's address (behind a trusted proxy, the one it forwarded for)."""
    client = scope.get("client")
    return str(client[0]) if client else "-"


def _secured(
    headers: list[tuple[bytes, bytes]], secure: bool
) -> list[tuple[bytes, bytes]]:
    present = {k.lower() for k, _ in headers}
    out = []
    for key, value in headers:
        if secure and key.lower() == b"set-cookie" and b"secure" not in value.lower():
            out.append((key, value + b"; Secure"))
        else:
            out.append((key, value))
    out += [(k, v) for k, v in HEADERS if k not in present]
    return out
