"""`GET /api/openapi.json`: the HTTP interface described, behind the API token.

FastAPI writes the document from the routes; the handlers read their own parameters
from the request (so each can name a bad one in its own words), so what FastAPI cannot
see in a signature comes from one table, `jorged.web.api_schema.operations`, keyed by
method and path: parameters, bodies, the answers and their shapes. Every error answer
has the one shape of `jorged.web.responses.error_response`.

The webhook routes are answered ahead of FastAPI's router (`jorged.web.webhook_route`);
routes are added for them here only so that the document describes them (their
handler is never reached). A path served for some methods answers the others with
405 and an `Allow` header, instead of falling through to the dashboard.

The schemas say exactly what each route accepts: the suite fuzzes every operation of
this document against a running daemon (schemathesis) and checks every answer.
"""

from __future__ import annotations

from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response

from jorged.bridge import TrioGuest
from jorged.runtime import Runtime
from jorged.web.api_schema import OPENAPI_PATH, operations
from jorged.web.auth import api_gate
from jorged.web.limits import RateLimiter
from jorged.web.responses import error_response, json_response

__all__ = ["OPENAPI_PATH", "register"]

Json = dict[str, Any]
_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "QUERY")


def register(api: FastAPI, runtime: Runtime, _guest: TrioGuest) -> None:
    """Serve the document; describe every route; answer other methods with 405."""
    limiter = RateLimiter(rate=runtime.cfg.api.rate_per_client_per_minute)
    api.title = "jorged"
    api.version = _version()

    async def document(request: Request) -> Response:
        refusal = api_gate(request, runtime.cfg.api, limiter)
        if refusal is not None:
            return refusal
        return json_response(_document(api))

    api.add_api_route(OPENAPI_PATH, document, methods=["GET"])

    async def never_reached(_request: Request) -> Response:  # pragma: no cover
        return error_response(404, "answered by the webhook middleware")

    for path in ("/webhooks/ghl", "/webhooks/ghl/{token}"):
        api.add_api_route(path, never_reached, methods=["POST"])
    year = datetime.now(UTC).year
    _describe(api, operations(runtime.cfg.tracker.window_hours, year))
    _refuse_other_methods(api)


def _document(api: FastAPI) -> Json:
    """FastAPI's document of the routes, with the bearer scheme named (made once)."""
    if api.openapi_schema is None:
        doc = api.openapi()
        doc.setdefault("components", {})["securitySchemes"] = {
            "bearer": {"type": "http", "scheme": "bearer"}
        }
        api.openapi_schema = doc
    return api.openapi_schema


def _describe(api: FastAPI, table: dict[tuple[str, str], Json]) -> None:
    for route in api.routes:
        if not isinstance(route, APIRoute):
            continue
        for method in route.methods or ():
            doc = table.get((method, route.path))
            if doc is None:
                continue
            route.include_in_schema = True
            route.summary = doc["summary"]
            route.status_code = doc["status"]
            route.responses = doc["responses"]
            route.openapi_extra = doc["extra"]


def _refuse_other_methods(api: FastAPI) -> None:
    """After each served path, a route answering 405 to the methods it lacks."""
    served: dict[str, set[str]] = {}
    for route in api.routes:
        if isinstance(route, APIRoute):
            served.setdefault(route.path, set()).update(route.methods or ())
    for path, methods in served.items():
        allowed = sorted(methods | ({"HEAD"} if "GET" in methods else set()))
        others = [m for m in _METHODS if m not in methods]
        if not others:
            continue
        refuse = _refusal(", ".join(allowed))
        last = max(
            i
            for i, r in enumerate(api.router.routes)
            if isinstance(r, APIRoute) and r.path == path
        )
        api.add_api_route(path, refuse, methods=others, include_in_schema=False)
        api.router.routes.insert(last + 1, api.router.routes.pop())


def _refusal(allow: str) -> Any:
    async def refuse(_request: Request) -> Response:
        return error_response(405, "method not allowed here", headers={"Allow": allow})

    return refuse


def _version() -> str:
    try:
        return version("jorged")
    except PackageNotFoundError:  # pragma: no cover - run from a source tree
        return "0"
