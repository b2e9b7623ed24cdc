"""The seller part of the JSON API (bearer token, or loopback when none is set).

POST   /api/conversations                      start qualification (201; 409 if active)
GET    /api/conversations/{id}                 the conversation (404 if unknown)
POST   /api/conversations/{id}/pause|resume|restart|stop
POST   /api/conversations/{id}/language        {"language": "es"}: the bot writes in it
DELETE /api/conversations/{id}                 forget the contact
GET    /api/outbox?contact_id=C                outbound actions and their status
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from starlette.requests import Request

from jorged.bridge import TrioGuest
from jorged.commands import (
    ChangeConversation,
    Command,
    ForgetContact,
    ListOutbox,
    SetLanguage,
    ShowConversation,
    StartQualification,
)
from jorged.runtime import Runtime
from jorged.web.command_route import CommandRoutes, MakeCommand, json_object


def register(api: FastAPI, runtime: Runtime, guest: TrioGuest) -> None:
    routes = CommandRoutes(runtime, guest)

    def contact(request: Request) -> Any:
        return request.path_params["contact_id"]

    async def start(request: Request) -> Command[Any]:
        body = await json_object(request)
        contact_id: Any = body.get("contact_id")  # checked by the command
        return StartQualification(
            contact_id=contact_id,
            first_name=_or_empty(body.get("first_name")),
            phone=_or_empty(body.get("phone")),
            timezone=_or_empty(body.get("timezone")),
        )

    async def show(request: Request) -> Command[Any]:
        return ShowConversation(contact_id=contact(request))

    async def forget(request: Request) -> Command[Any]:
        return ForgetContact(contact_id=contact(request))

    def change(action: Any) -> MakeCommand:
        async def make(request: Request) -> Command[Any]:
            return ChangeConversation(contact_id=contact(request), action=action)

        return make

    async def language(request: Request) -> Command[Any]:
        body = await json_object(request)
        return SetLanguage(contact_id=contact(request), language=body.get("language"))

    async def outbox(request: Request) -> Command[Any]:
        return ListOutbox(contact_id=request.query_params.get("contact_id"))

    table: list[tuple[str, str, MakeCommand]] = [
        ("/api/conversations/{contact_id}", "GET", show),
        ("/api/conversations/{contact_id}", "DELETE", forget),
        *(
            (f"/api/conversations/{{contact_id}}/{name}", "POST", change(name))
            for name in ("pause", "resume", "restart", "stop")
        ),
        ("/api/conversations/{contact_id}/language", "POST", language),
        ("/api/outbox", "GET", outbox),
    ]
    api.add_api_route(
        "/api/conversations",
        routes.route(start, status=201),
        methods=["POST"],
        include_in_schema=False,
    )
    for path, method, make in table:
        api.add_api_route(
            path, routes.route(make), methods=[method], include_in_schema=False
        )


def _or_empty(value: object) -> Any:
    """An optional text field: left out or null is empty; others are checked."""
    return "" if value is None else value
