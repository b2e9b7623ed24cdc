"""The metrics the events already tell: a pipe from the events actor to the tracker."""

from __future__ import annotations

from collections.abc import Callable

import trio

from jorged.actors.event_bus import Subscription
from jorged.events import Event, EventKind
from jorged.metrics.records import (
    ConversationQualified,
    MessageReceived,
    MetricRecord,
    SmsSent,
)


def records_of(event: Event) -> list[MetricRecord]:
    """The metric records one event stands for."""
    match event.kind:
        case EventKind.SELLER_MESSAGE_RECEIVED:
            return [MessageReceived()]
        case EventKind.SELLER_QUALIFIED:
            temperature = event.data.get("temperature")
            if isinstance(temperature, str):
                return [ConversationQualified(temperature=temperature)]
        case EventKind.OUTBOX_UPDATED:
            status = event.data.get("status")
            if event.data.get("kind") == "sms" and status in ("sent", "sandboxed"):
                return [SmsSent(sandboxed=status == "sandboxed")]
    return []


async def feed_tracker(
    subscribe: Callable[[], Subscription],
    record: Callable[[MetricRecord], None],
) -> None:
    """Turn events into metric records, resubscribing if ever dropped as too slow."""
    while True:
        with subscribe() as sub:
            async for event in sub:
                for rec in records_of(event):
                    record(rec)
        await trio.lowlevel.checkpoint()
