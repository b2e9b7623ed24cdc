"""The "Needs Jorge" queue in the JSON API (bearer token, or loopback when none is set).

GET  /api/needs-jorge    {"items": [...]}: the conversations that wait for a person,
                         the longest wait first (`jorged.needs_queue`)

503 while the daemon is not ready. The dashboard asks the same query
(`commands.ListNeeds`).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from starlette.requests import Request

from jorged.bridge import TrioGuest
from jorged.commands import Command, ListNeeds
from jorged.runtime import Runtime
from jorged.web.command_route import CommandRoutes


def register(api: FastAPI, runtime: Runtime, guest: TrioGuest) -> None:
    async def listing(_request: Request) -> Command[Any]:
        return ListNeeds()

    api.add_api_route(
        "/api/needs-jorge",
        CommandRoutes(runtime, guest).route(listing),
        methods=["GET"],
        include_in_schema=False,
    )
