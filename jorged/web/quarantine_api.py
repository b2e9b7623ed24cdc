"""The quarantine in the JSON API (bearer token, or loopback when none is set).

GET    /api/quarantine              the held inputs, oldest first
GET    /api/quarantine/{id}         one, with every failure and its traceback
POST   /api/quarantine/{id}/retry   hand it back to its actor (fresh strikes)
DELETE /api/quarantine/{id}         drop it for good

404 for an id not held, 503 while the daemon is not ready.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import trio
from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import Response

from jorged.bridge import TrioGuest
from jorged.exceptions import ActorError, NotFound, Starting
from jorged.quarantine import Quarantine, item_view
from jorged.runtime import Runtime
from jorged.web.auth import api_gate
from jorged.web.limits import RateLimiter
from jorged.web.responses import error_response, json_response

Handler = Callable[[Request, Quarantine], Awaitable[Response]]


def register(api: FastAPI, runtime: Runtime, guest: TrioGuest) -> None:
    limiter = RateLimiter(rate=runtime.cfg.api.rate_per_client_per_minute)

    def guarded(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        async def route(request: Request) -> Response:
            refusal = api_gate(request, runtime.cfg.api, limiter)
            if refusal is not None:
                return refusal
            try:
                if runtime.draining:
                    return error_response(503, "not ready")
                held = runtime.services().quarantine
            except Starting:
                return error_response(503, "not ready")
            try:
                return await handler(request, held)
            except NotFound as exc:
                return error_response(404, exc.problem, field=exc.field)
            except (ActorError, trio.TooSlowError):
                return error_response(503, "the daemon could not answer in time")

        return route

    async def listing(_request: Request, held: Quarantine) -> Response:
        return json_response({"items": [item_view(i) for i in held.snapshot().items]})

    async def show(request: Request, held: Quarantine) -> Response:
        return json_response(item_view(held.get(request.path_params["item_id"])))

    async def retry(request: Request, held: Quarantine) -> Response:
        item = await guest.run(held.retry, request.path_params["item_id"])
        return json_response({"retried": item_view(item)})

    async def drop(request: Request, held: Quarantine) -> Response:
        item = await guest.run(held.drop, request.path_params["item_id"])
        return json_response({"dropped": item_view(item)})

    for path, handler, method in (
        ("/api/quarantine", listing, "GET"),
        ("/api/quarantine/{item_id}", show, "GET"),
        ("/api/quarantine/{item_id}/retry", retry, "POST"),
        ("/api/quarantine/{item_id}", drop, "DELETE"),
    ):
        api.add_api_route(
            path, guarded(handler), methods=[method], include_in_schema=False
        )
