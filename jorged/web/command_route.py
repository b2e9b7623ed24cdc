"""One route shape for every API call that is a command: gate, make, run, answer.

`command_route(make)` answers a request by making its command (`make` reads the
path, query and body; a bad value is an `Invalid` naming it), running it with the
daemon's dispatcher on trio, and answering its JSON (`commands.wire.answer_json`).
Errors follow their kind (`responses.request_error`); 503 while the daemon starts,
drains, or cannot answer in time.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import orjson
import trio
from starlette.requests import Request
from starlette.responses import Response

from jorged.bridge import TrioGuest
from jorged.commands import Command
from jorged.commands.wire import answer_json
from jorged.exceptions import ActorError, Invalid, RequestError, Starting
from jorged.runtime import Runtime
from jorged.web.auth import api_gate
from jorged.web.limits import RateLimiter
from jorged.web.responses import error_response, json_response, request_error

__all__ = ["CommandRoutes", "json_object"]

#: Makes the command a request asks for.
MakeCommand = Callable[[Request], Awaitable[Command[Any]]]
Route = Callable[[Request], Awaitable[Response]]


class CommandRoutes:
    """Routes of one API part, sharing its rate limiter."""

    def __init__(self, runtime: Runtime, guest: TrioGuest) -> None:
        self.runtime = runtime
        self.guest = guest
        self.limiter = RateLimiter(rate=runtime.cfg.api.rate_per_client_per_minute)

    def refusal(self, request: Request) -> Response | None:
        """Why the request is not answered now (auth, rate, start or drain)."""
        refused = api_gate(request, self.runtime.cfg.api, self.limiter)
        if refused is not None:
            return refused
        if self.runtime.draining:
            return error_response(503, "not ready")
        try:
            self.runtime.services()
        except Starting:
            return error_response(503, "not ready")
        return None

    def route(self, make: MakeCommand, *, status: int = 200) -> Route:
        async def answer(request: Request) -> Response:
            refused = self.refusal(request)
            if refused is not None:
                return refused
            try:
                command = await make(request)
                result = await self.guest.run(self.runtime.commands.run, command)
            except RequestError as exc:
                return request_error(exc)
            except (ActorError, trio.TooSlowError):
                return error_response(503, "the daemon could not answer in time")
            return json_response(answer_json(command, result), status)

        return answer


async def json_object(request: Request) -> Mapping[str, Any]:
    """The request's body, a JSON object (empty when there is no body)."""
    raw = await request.body()
    try:
        body = orjson.loads(raw or b"{}")
    except orjson.JSONDecodeError:
        raise Invalid(field="body", problem="not valid JSON") from None
    if not isinstance(body, dict):
        raise Invalid(field="body", problem="must be a JSON object")
    return body
