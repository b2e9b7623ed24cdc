"""The events every part of the daemon publishes: one frozen record, a fixed set.

Producers build an `Event` and hand it to the events actor, which numbers it, masks
personal data, fans it out to subscribers (the dashboard feed, the aggregator) and
mirrors it to the bounded Redis stream `jorged:events`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum

import attrs

EventValue = str | int | float | bool | None


class EventKind(StrEnum):
    LEAD_ANALYZED = "lead.analyzed"
    LEAD_HOT_DETECTED = "lead.hot_detected"
    SELLER_ACTIVATED = "seller.activated"
    SELLER_MESSAGE_RECEIVED = "seller.message_received"
    SELLER_REPLY_SENT = "seller.reply_sent"
    SELLER_SLOT_FILLED = "seller.slot_filled"
    SELLER_TEMPERATURE_CHANGED = "seller.temperature_changed"
    SELLER_QUALIFIED = "seller.qualified"
    SELLER_OPTED_OUT = "seller.opted_out"
    SELLER_PAUSED = "seller.paused"
    SELLER_RESUMED = "seller.resumed"
    SELLER_STALLED = "seller.stalled"
    SELLER_UPDATED = "seller.updated"
    SELLER_LANGUAGE_CHANGED = "seller.language_changed"
    SELLER_FORGOTTEN = "seller.forgotten"
    FOLLOWUP_SCHEDULED = "followup.scheduled"
    FOLLOWUP_SENT = "followup.sent"
    APPOINTMENT_OFFERED = "appointment.offered"
    APPOINTMENT_BOOKED = "appointment.booked"
    OUTBOX_UPDATED = "outbox.updated"
    GHL_CALL_FAILED = "ghl.call_failed"
    GHL_RATE_LIMITED = "ghl.rate_limited"
    STORE_DEGRADED = "store.degraded"
    STORE_RECOVERED = "store.recovered"
    SYSTEM_ALERT = "system.alert"


@attrs.frozen(kw_only=True)
class Event:
    """Something that happened. `id` is the stream id, set by the events actor."""

    kind: EventKind
    at: datetime
    contact_id: str | None = None
    data: Mapping[str, EventValue] = attrs.field(factory=dict)
    id: str = ""
