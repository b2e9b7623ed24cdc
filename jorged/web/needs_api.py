"""The "Needs Jorge" queue in the JSON API (bearer token, or loopback when none is set).

GET  /api/needs-jorge    {"items": [...]}: the conversations that wait for a person,
                         the longest wait first (`jorged.needs_jorge`)

503 while the daemon is not ready. The dashboard's port reads the same `gather`.
"""

from __future__ import annotations

from typing import Any

import trio
from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import Response

from jorged.bridge import TrioGuest
from jorged.domain.aggregate_facts import ConversationRow
from jorged.domain.aggregate_params import parse_query
from jorged.exceptions import ActorError
from jorged.needs_jorge import Sources, need_json, needs
from jorged.runtime import Runtime, Services
from jorged.web.auth import api_gate
from jorged.web.limits import RateLimiter
from jorged.web.responses import error_response, json_response

Json = dict[str, Any]
#: Hot sellers whose hand-off alerts the queue reads, at most.
MAX_HANDOFFS = 200


async def gather(services: Services, guest: TrioGuest) -> list[Json]:
    """The queue's items as JSON, from the conversation index (paused and hot
    sellers, with their holds), their outbox alerts and the quarantine."""
    seller, aggregator = services.seller, services.aggregator
    paused = aggregator.rows(parse_query({"paused": "true"}))
    hot = [
        r
        for r in aggregator.rows(
            parse_query({"temperature": "hot", "stage": "qualified"})
        )
        if not (r.booked or r.stopped or r.opted_out)
    ][:MAX_HANDOFFS]
    outbox: list[Json] = []
    for row in hot:
        outbox += await guest.run(seller.outbox_items, row.contact_id)
    quarantined = services.quarantine.snapshot().items
    rows: dict[str, ConversationRow] = {r.contact_id: r for r in (*paused, *hot)}
    for item in quarantined:
        cid = item.ref.contact_id
        found = aggregator.row(cid) if cid and cid not in rows else None
        if found is not None:
            rows[found.contact_id] = found
    sources = Sources(rows=list(rows.values()), outbox=outbox, quarantine=quarantined)
    return [need_json(n) for n in needs(sources)]


def register(api: FastAPI, runtime: Runtime, guest: TrioGuest) -> None:
    limiter = RateLimiter(rate=runtime.cfg.api.rate_per_client_per_minute)

    async def listing(request: Request) -> Response:
        refusal = api_gate(request, runtime.cfg.api, limiter)
        if refusal is not None:
            return refusal
        if runtime.draining:
            return error_response(503, "not ready")
        try:
            items = await gather(runtime.services(), guest)
        except ActorError:
            return error_response(503, "not ready")
        except trio.TooSlowError:
            return error_response(503, "the daemon could not answer in time")
        return json_response({"items": items})

    api.add_api_route(
        "/api/needs-jorge", listing, methods=["GET"], include_in_schema=False
    )
