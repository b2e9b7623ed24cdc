"""The seller part of the JSON API (bearer token, or loopback when none is set).

POST   /api/conversations                      start qualification (201; 409 if active)
GET    /api/conversations/{id}                 the conversation (404 if unknown)
POST   /api/conversations/{id}/pause|resume|restart|stop
POST   /api/conversations/{id}/language        {"language": "es"}: the bot writes in it
DELETE /api/conversations/{id}                 forget the contact
GET    /api/outbox?contact_id=C                outbound actions and their status
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import orjson
import trio
from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import Response

from jorged.bridge import TrioGuest
from jorged.domain.contact_ids import check_contact_id
from jorged.exceptions import ActorError, BadRequest, Starting
from jorged.runtime import Runtime
from jorged.services import SellerService
from jorged.web.auth import api_gate, bad_request
from jorged.web.limits import RateLimiter
from jorged.web.responses import error_response, json_response

Handler = Callable[[Request, SellerService], Awaitable[Response]]


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
                service = runtime.services().seller
            except Starting:
                return error_response(503, "not ready")
            try:
                return await handler(request, service)
            except BadRequest as exc:
                return bad_request(exc)
            except (ActorError, trio.TooSlowError):
                return error_response(503, "the daemon could not answer in time")

        return route

    async def start(request: Request, service: SellerService) -> Response:
        body = await _json_object(request)
        try:
            view = await guest.run(service.start, body)
        except BadRequest as exc:
            if exc.problem == "already in qualification":
                return error_response(409, exc.problem, field=exc.field)
            raise
        return json_response(view, 201)

    async def get_one(request: Request, service: SellerService) -> Response:
        contact_id = check_contact_id(request.path_params["contact_id"])
        view = await guest.run(service.view, contact_id)
        if view is None:
            return error_response(404, "no conversation with this contact")
        return json_response(view)

    def command(name: Any) -> Handler:
        async def run(request: Request, service: SellerService) -> Response:
            contact_id = check_contact_id(request.path_params["contact_id"])
            try:
                view = await guest.run(service.command, contact_id, name)
            except BadRequest as exc:
                if exc.problem == "no conversation with this contact":
                    return error_response(404, exc.problem)
                raise
            if name == "forget":
                return json_response({"forgotten": contact_id})
            return json_response(view)

        return run

    async def language(request: Request, service: SellerService) -> Response:
        contact_id = check_contact_id(request.path_params["contact_id"])
        body = await _json_object(request)
        try:
            view = await guest.run(
                service.set_language, contact_id, body.get("language")
            )
        except BadRequest as exc:
            if exc.problem == "no conversation with this contact":
                return error_response(404, exc.problem)
            raise
        return json_response(view)

    async def outbox(request: Request, service: SellerService) -> Response:
        contact_id = request.query_params.get("contact_id")
        if contact_id is not None:
            check_contact_id(contact_id)
        items = await guest.run(service.outbox_items, contact_id)
        return json_response({"items": items})

    api.add_api_route(
        "/api/conversations", guarded(start), methods=["POST"], include_in_schema=False
    )
    api.add_api_route(
        "/api/conversations/{contact_id}",
        guarded(get_one),
        methods=["GET"],
        include_in_schema=False,
    )
    api.add_api_route(
        "/api/conversations/{contact_id}",
        guarded(command("forget")),
        methods=["DELETE"],
        include_in_schema=False,
    )
    for name in ("pause", "resume", "restart", "stop"):
        api.add_api_route(
            f"/api/conversations/{{contact_id}}/{name}",
            guarded(command(name)),
            methods=["POST"],
            include_in_schema=False,
        )
    api.add_api_route(
        "/api/conversations/{contact_id}/language",
        guarded(language),
        methods=["POST"],
        include_in_schema=False,
    )
    api.add_api_route(
        "/api/outbox", guarded(outbox), methods=["GET"], include_in_schema=False
    )


async def _json_object(request: Request) -> dict[str, Any]:
    raw = await request.body()
    try:
        body = orjson.loads(raw or b"{}")
    except orjson.JSONDecodeError:
        raise BadRequest(field="body", problem="not valid JSON") from None
    if not isinstance(body, dict):
        raise BadRequest(field="body", problem="must be a JSON object")
    return body
