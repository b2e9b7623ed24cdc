"""The read side of the JSON API (bearer token, or loopback when none is set).

GET  /api/dashboard                     hero KPIs, summary, distributions, commission
GET  /api/conversations?<filters>       filtered, sorted, paginated conversation rows
GET  /api/metrics/performance           latency percentiles, rates, totals
GET  /api/metrics/timeseries?hours=24   one point per hour
GET  /api/events?since=&limit=          stored events
GET  /api/export/conversations.{csv,xlsx,json,pdf}?<filters>  (exports_api)
GET  /api/leads/{contact_id}            the lead analysis
POST /api/leads/analyze                 score a text without storing it
GET  /api/export/conversations.{csv,xlsx,json,pdf}?<filters>  (see exports_api)
GET  /api/openapi.json                  all of the above described (see openapi)

Validation errors are 422 naming the parameter; every number is bounded. An SSE
resume whose Last-Event-ID is older than the retention starts at the oldest event
kept; one the stream cannot hold (huge, malformed) starts from now.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import orjson
from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from jorged.actors.event_bus import RECENT_MAX
from jorged.bridge import TrioGuest
from jorged.commands import (
    AnalyzeText,
    Command,
    ListConversations,
    RecentEvents,
    ShowDashboard,
    ShowLead,
    ShowPerformance,
    ShowTimeseries,
)
from jorged.events import Event
from jorged.exceptions import Invalid
from jorged.queries import event_json
from jorged.runtime import Runtime
from jorged.store.ids import parse_id
from jorged.web.command_route import CommandRoutes, json_object
from jorged.web.fanout import SUBSCRIPTION_ENDED

HEARTBEAT_S = 30.0
#: A whole number as a query value: ASCII digits, a sign, at most 20 digits.
_WHOLE = re.compile(r"-?[0-9]{1,20}")


def register(api: FastAPI, runtime: Runtime, guest: TrioGuest) -> None:
    routes = CommandRoutes(runtime, guest)
    route = routes.route

    async def dashboard(_request: Request) -> Command[Any]:
        return ShowDashboard()

    async def conversations(request: Request) -> Command[Any]:
        return ListConversations(params=_params(request))

    async def performance(_request: Request) -> Command[Any]:
        return ShowPerformance()

    async def timeseries(request: Request) -> Command[Any]:
        default = runtime.cfg.tracker.window_hours
        return ShowTimeseries(hours=_int_param(request, "hours", default=default))

    async def events(request: Request) -> Command[Any]:
        raw_since = request.query_params.get("since") or ""
        since = raw_since if raw_since.strip() else None
        limit = _int_param(request, "limit", default=100)
        return RecentEvents(since=since, limit=limit)

    async def lead(request: Request) -> Command[Any]:
        return ShowLead(contact_id=request.path_params["contact_id"])

    async def analyze(request: Request) -> Command[Any]:
        body = await json_object(request)
        text: Any = body.get("text")  # checked by AnalyzeText
        return AnalyzeText(text=text)

    async def stream(request: Request) -> Response:
        refusal = routes.refusal(request)
        if refusal is not None:
            return refusal
        last_id = request.headers.get("last-event-id") or None
        return StreamingResponse(
            _sse(runtime, guest, last_id),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )

    table: list[tuple[str, Callable[[Request], Awaitable[Response]], str]] = [
        ("/api/dashboard", route(dashboard), "GET"),
        ("/api/conversations", route(conversations), "GET"),
        ("/api/metrics/performance", route(performance), "GET"),
        ("/api/metrics/timeseries", route(timeseries), "GET"),
        ("/api/events", route(events), "GET"),
        ("/api/events/stream", stream, "GET"),
        ("/api/leads/analyze", route(analyze), "POST"),
        ("/api/leads/{contact_id}", route(lead), "GET"),
    ]
    for path, handler, method in table:
        api.add_api_route(path, handler, methods=[method], include_in_schema=False)


def _params(request: Request) -> dict[str, str | list[str]]:
    out: dict[str, str | list[str]] = {}
    for key in request.query_params:
        values = request.query_params.getlist(key)
        out[key] = values[0] if len(values) == 1 else values
    return out


def _int_param(request: Request, name: str, *, default: int) -> int:
    raw = request.query_params.get(name) or ""
    if not raw.strip():
        return default
    if not _WHOLE.fullmatch(raw):
        raise Invalid(field=name, problem=f"must be a whole number, got {raw!r}")
    return int(raw)


async def _sse(
    runtime: Runtime, guest: TrioGuest, last_id: str | None
) -> AsyncIterator[bytes]:
    """Events as SSE: first what followed `last_id`, then live ones, with heartbeats."""
    sub = runtime.services().events.subscribe()
    try:
        # The last id replayed: live events up to it were sent already.
        seen: tuple[int, int] | None = None
        for item in await _replay(runtime, guest, last_id):
            seen = parse_id(item["id"])
            yield _frame(item)
        yield b": connected\n\n"
        while not runtime.draining:
            try:
                event = await asyncio.wait_for(
                    guest.run(sub.receive.receive), HEARTBEAT_S
                )
            except TimeoutError:
                yield b": heartbeat\n\n"
                continue
            except SUBSCRIPTION_ENDED:
                return  # dropped for falling behind, closed, or trio stopped
            item = event_json(event)
            if seen is not None and item["id"] and parse_id(item["id"]) <= seen:
                continue
            yield _frame(item)
    finally:
        sub.close()


async def _replay(
    runtime: Runtime, guest: TrioGuest, last_id: str | None
) -> list[dict[str, Any]]:
    """What a client resuming after `last_id` missed: from the oldest event kept
    when that id is older; nothing (the stream starts now) when the id is not one
    the stream can hold."""
    if last_id is None:
        return []
    command = RecentEvents(since=last_id, limit=RECENT_MAX)
    try:
        events: list[Event] = await guest.run(runtime.commands.run, command)
    except Invalid:
        return []
    return [event_json(e) for e in events]


def _frame(item: dict[str, Any]) -> bytes:
    return (
        f"id: {item['id']}\nevent: {item['kind']}\n".encode()
        + b"data: "
        + orjson.dumps(item)
        + b"\n\n"
    )
