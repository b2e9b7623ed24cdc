"""The quarantine in the JSON API (bearer token, or loopback when none is set).

GET    /api/quarantine              the held inputs, oldest first
GET    /api/quarantine/{id}         one, with every failure and its traceback
POST   /api/quarantine/{id}/retry   hand it back to its actor (fresh strikes)
DELETE /api/quarantine/{id}         drop it for good

404 for an id not held, 503 while the daemon is not ready.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from starlette.requests import Request

from jorged.bridge import TrioGuest
from jorged.commands import (
    Command,
    DropQuarantined,
    ListQuarantine,
    RetryQuarantined,
    ShowQuarantined,
)
from jorged.runtime import Runtime
from jorged.web.command_route import CommandRoutes, MakeCommand


def register(api: FastAPI, runtime: Runtime, guest: TrioGuest) -> None:
    routes = CommandRoutes(runtime, guest)

    async def listing(_request: Request) -> Command[Any]:
        return ListQuarantine()

    async def show(request: Request) -> Command[Any]:
        return ShowQuarantined(id=request.path_params["item_id"])

    async def retry(request: Request) -> Command[Any]:
        return RetryQuarantined(id=request.path_params["item_id"])

    async def drop(request: Request) -> Command[Any]:
        return DropQuarantined(id=request.path_params["item_id"])

    table: list[tuple[str, MakeCommand, str]] = [
        ("/api/quarantine", listing, "GET"),
        ("/api/quarantine/{item_id}", show, "GET"),
        ("/api/quarantine/{item_id}/retry", retry, "POST"),
        ("/api/quarantine/{item_id}", drop, "DELETE"),
    ]
    for path, make, method in table:
        api.add_api_route(
            path, routes.route(make), methods=[method], include_in_schema=False
        )
