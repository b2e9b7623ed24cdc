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

from jorged.actors.events import RECENT_MAX
from jorged.bridge import TrioGuest
from jorged.domain.contact_ids import check_contact_id
from jorged.exceptions import ActorError, BadRequest, Starting
from jorged.queries import DataService, event_json
from jorged.runtime import Runtime
from jorged.store.ids import parse_id
from jorged.web.auth import api_gate, bad_request
from jorged.web.fanout import SUBSCRIPTION_ENDED
from jorged.web.limits import RateLimiter
from jorged.web.responses import error_response, json_response

Handler = Callable[[Request, DataService], Awaitable[Response]]
HEARTBEAT_S = 30.0
#: A whole number as a query value: ASCII digits, a sign, at most 20 digits.
_WHOLE = re.compile(r"-?[0-9]{1,20}")


def register(api: FastAPI, runtime: Runtime, guest: TrioGuest) -> None:
    limiter = RateLimiter(rate=runtime.cfg.api.rate_per_client_per_minute)

    def guarded(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        async def route(request: Request) -> Response:
            refusal = api_gate(request, runtime.cfg.api, limiter)
            if refusal is not None:
                return refusal
            try:
                data = runtime.services().data
            except Starting:
                return error_response(503, "not ready")
            try:
                return await handler(request, data)
            except BadRequest as exc:
                return bad_request(exc)
            except ActorError as exc:
                return error_response(503, str(exc))

        return route

    async def dashboard(_request: Request, data: DataService) -> Response:
        return json_response(data.dashboard())

    async def conversations(request: Request, data: DataService) -> Response:
        return json_response(data.conversations(_params(request)))

    async def performance(_request: Request, data: DataService) -> Response:
        return json_response(data.performance())

    async def timeseries(request: Request, data: DataService) -> Response:
        hours = _int_param(request, "hours", default=data.window_hours)
        return json_response({"hours": hours, "points": data.timeseries(hours)})

    async def events(request: Request, data: DataService) -> Response:
        raw_since = request.query_params.get("since") or ""
        since = raw_since if raw_since.strip() else None
        limit = _int_param(request, "limit", default=100)
        items = await guest.run(data.recent_events, since, limit)
        return json_response({"items": items})

    async def lead(request: Request, data: DataService) -> Response:
        contact_id = check_contact_id(request.path_params["contact_id"])
        body = await guest.run(data.lead, contact_id)
        if body is None:
            return error_response(404, "no lead analysis for this contact")
        return json_response(body)

    async def analyze(request: Request, data: DataService) -> Response:
        try:
            body = orjson.loads(await request.body() or b"{}")
        except orjson.JSONDecodeError:
            raise BadRequest(field="body", problem="not valid JSON") from None
        if not isinstance(body, dict):
            raise BadRequest(field="body", problem="must be a JSON object")
        return json_response(await guest.run(data.analyze, body.get("text")))

    async def stream(request: Request, data: DataService) -> Response:
        last_id = request.headers.get("last-event-id") or None
        return StreamingResponse(
            _sse(runtime, guest, data, last_id),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )

    routes: list[tuple[str, Handler, str]] = [
        ("/api/dashboard", dashboard, "GET"),
        ("/api/conversations", conversations, "GET"),
        ("/api/metrics/performance", performance, "GET"),
        ("/api/metrics/timeseries", timeseries, "GET"),
        ("/api/events", events, "GET"),
        ("/api/events/stream", stream, "GET"),
        ("/api/leads/analyze", analyze, "POST"),
        ("/api/leads/{contact_id}", lead, "GET"),
    ]
    for path, handler, method in routes:
        api.add_api_route(
            path, guarded(handler), methods=[method], include_in_schema=False
        )


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
        raise BadRequest(field=name, problem=f"must be a whole number, got {raw!r}")
    return int(raw)


async def _sse(
    runtime: Runtime, guest: TrioGuest, data: DataService, last_id: str | None
) -> AsyncIterator[bytes]:
    """Events as SSE: first what followed `last_id`, then live ones, with heartbeats."""
    sub = data.events.subscribe()
    try:
        # The last id replayed: live events up to it were sent already.
        seen: tuple[int, int] | None = None
        for item in await _replay(guest, data, last_id):
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
    guest: TrioGuest, data: DataService, last_id: str | None
) -> list[dict[str, Any]]:
    """What a client resuming after `last_id` missed: from the oldest event kept
    when that id is older; nothing (the stream starts now) when the id is not one
    the stream can hold."""
    if last_id is None:
        return []
    try:
        items: list[dict[str, Any]] = await guest.run(
            data.recent_events, last_id, RECENT_MAX
        )
    except BadRequest:
        return []
    return items


def _frame(item: dict[str, Any]) -> bytes:
    return (
        f"id: {item['id']}\nevent: {item['kind']}\n".encode()
        + b"data: "
        + orjson.dumps(item)
        + b"\n\n"
    )
