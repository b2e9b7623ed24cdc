"""Who may call `/api/*`: a bearer token, or loopback clients when none is set."""

from __future__ import annotations

import hmac
import ipaddress

from starlette.requests import Request

from jorged.config import ApiConfig


def is_loopback(request: Request) -> bool:
    host = request.client.host if request.client else ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host in {"localhost", "testclient"}


def api_denial(request: Request, cfg: ApiConfig) -> str | None:
    """Why the request may not use the API, or None when it may."""
    if not cfg.token:
        if is_loopback(request):
            return None
        return "the API is served on loopback only until api.token is configured"
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return "Authorization: Bearer <api.token> required"
    if not hmac.compare_digest(token.strip().encode(), cfg.token.encode()):
        return "invalid API token"
    return None
