"""The "Needs Jorge" queue gathered from the running services, as `Need`s.

The dashboard's port hands these to the Needs Jorge page; `GET /api/needs-jorge`
(`jorged.web.needs_api.gather`) answers the same queue as JSON (`need_json`).
"""

from __future__ import annotations

from typing import Any

from jorged.bridge import TrioGuest
from jorged.domain.aggregate_facts import ConversationRow
from jorged.domain.aggregate_params import parse_query
from jorged.needs_jorge import Need, Sources, needs
from jorged.runtime import Services

#: Hot sellers whose hand-off alerts the queue reads, at most.
MAX_HANDOFFS = 200


async def gather(services: Services, guest: TrioGuest) -> list[Need]:
    """The queue, the longest wait first, from the conversation index (paused and
    hot sellers, with their holds), their outbox alerts and the quarantine."""
    seller, aggregator = services.seller, services.aggregator
    paused = aggregator.rows(parse_query({"paused": "true"}))
    hot = [
        r
        for r in aggregator.rows(
            parse_query({"temperature": "hot", "stage": "qualified"})
        )
        if not (r.booked or r.stopped or r.opted_out)
    ][:MAX_HANDOFFS]
    outbox: list[dict[str, Any]] = []
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
    return needs(sources)
