"""The dashboard port's answers that no domain class holds as they are: frozen views.

Where the daemon has a frozen class for an answer (`DashboardSnapshot`,
`ConversationRow`, `LeadAnalysis`, `Need`, `QuarantinedItem`, `Event`), the port
hands that out; these few classes put together what a page reads from more than one
place, or leave out what a page must not reach (an outbox item's action is read
through the outbox actor's helpers, so the view carries its summary as text).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import attrs

from jorged.actors.monitor import MonitorSnapshot
from jorged.commands import Simulated
from jorged.domain.conversation.state import ConversationState
from jorged.domain.dashboard.facts import ConversationRow
from jorged.domain.dashboard.snapshot import DashboardSnapshot
from jorged.status import ActorStatus, StoreStatus

__all__ = [
    "DashboardView",
    "GhlHealth",
    "HealthView",
    "LlmHealth",
    "OutboxEntry",
    "SellerView",
    "Sent",
    "health_json",
]


@attrs.frozen(kw_only=True)
class DashboardView:
    """The overview's numbers, and whether the index is still being rebuilt (while
    it is, its numbers are not the data's)."""

    snapshot: DashboardSnapshot
    loading: bool


@attrs.frozen(kw_only=True)
class SellerView:
    """One conversation, and its row in the read model (None until it is indexed):
    the figures every page shows come from the row."""

    state: ConversationState
    figures: ConversationRow | None


@attrs.frozen(kw_only=True)
class OutboxEntry:
    """One outbound action of a contact as the conversation page lists it."""

    id: str
    #: `OutboxStatus` as text: sandboxed, pending, sent or failed.
    status: str
    created_at: datetime
    sent_at: datetime | None
    #: What the action does ("Add tags: Hot-Seller").
    summary: str
    text: str | None
    error: str | None


#: A simulated inbound SMS, as the `Simulate` command answers it.
Sent = Simulated


@attrs.frozen(kw_only=True)
class GhlHealth:
    """GHL calls since the start, and the rate limit GHL last reported."""

    mode: str
    calls: int
    errors: int
    rate_limited: int
    rate_limit_remaining: int | None


@attrs.frozen(kw_only=True)
class LlmHealth:
    """LLM calls since the start, and what they cost."""

    mode: str
    calls: int
    failures: int
    cost_usd: float


@attrs.frozen(kw_only=True)
class HealthView:
    """Everything the Health page shows: the store, GHL, the LLM, queues, actors,
    latencies, the export audit, and the monitor's checks and alerts (None until
    the daemon's services are up)."""

    at: datetime
    store: StoreStatus | None
    ghl: GhlHealth
    llm: LlmHealth
    queues: Mapping[str, int]
    actors: tuple[ActorStatus, ...]
    latency_p95_s: Mapping[str, float | None]
    webhook_error_rate: float | None
    #: The audit entries of the last exports, newest first, as they were written.
    exports: tuple[Mapping[str, Any], ...]
    monitor: MonitorSnapshot | None


def health_json(view: HealthView) -> dict[str, Any]:
    """The view as JSON, the monitor's parts at the top level (the page's
    sections and its "Export JSON" file)."""
    body: dict[str, Any] = {
        "at": view.at.isoformat(),
        "store": None if view.store is None else attrs.asdict(view.store),
        "ghl": attrs.asdict(view.ghl),
        "llm": attrs.asdict(view.llm),
        "queues": dict(view.queues),
        "actors": [attrs.asdict(a) for a in view.actors],
        "latency_p95_s": dict(view.latency_p95_s),
        "webhook_error_rate": view.webhook_error_rate,
        "exports": [dict(e) for e in view.exports],
    }
    if view.monitor is not None:
        monitor = view.monitor
        body["checks"] = [attrs.asdict(c) for c in monitor.checks]
        body["active_alerts"] = [attrs.asdict(a) for a in monitor.active_alerts]
        body["alerts"] = [attrs.asdict(a) for a in monitor.alerts]
        body["history"] = [
            {"at": r.at, "level": r.level, "checks": dict(r.checks)}
            for r in monitor.history
        ]
    return body
