"""The outbox's items: what is stored for each outbound action, and under which key.

An item's id is its idempotency key `(contact_id, turn, action index)`, written
`{contact_id}:{turn:08d}:{index:02d}` so that one contact's ids sort in the order
its actions were produced. Items are stored at `outbox:{id}`; the ids not yet
delivered are kept in the set `outbox:pending` (`PENDING_SET`).
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import attrs

from jorged.domain import seller_io as sio
from jorged.store import codec
from jorged.store.base import WriteOp

PENDING_SET = "outbox:pending"
Deliverable = (
    sio.SendSms
    | sio.AddTags
    | sio.RemoveTags
    | sio.UpdateFields
    | sio.SetDnd
    | sio.TriggerWorkflow
    | sio.FetchCalendarSlots
    | sio.FetchContact
    | sio.BookAppointment
    | sio.NotifyAgent
)
DELIVERABLE = (
    sio.SendSms,
    sio.AddTags,
    sio.RemoveTags,
    sio.UpdateFields,
    sio.SetDnd,
    sio.TriggerWorkflow,
    sio.FetchCalendarSlots,
    sio.FetchContact,
    sio.BookAppointment,
    sio.NotifyAgent,
)
codec.register_union(Deliverable)


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    SANDBOXED = "sandboxed"


KINDS: dict[type[Any], str] = {
    sio.SendSms: "sms",
    sio.AddTags: "add_tags",
    sio.RemoveTags: "remove_tags",
    sio.UpdateFields: "update_fields",
    sio.SetDnd: "set_dnd",
    sio.TriggerWorkflow: "workflow",
    sio.FetchCalendarSlots: "calendar_slots",
    sio.FetchContact: "get_contact",
    sio.BookAppointment: "book_appointment",
    sio.NotifyAgent: "notify_agent",
}


@attrs.frozen(kw_only=True)
class OutboxItem:
    """One outbound action and what became of it."""

    id: str
    contact_id: str
    kind: str
    action: Deliverable
    status: OutboxStatus = OutboxStatus.PENDING
    created_at: datetime
    sent_at: datetime | None = None
    attempts: int = 0
    error: str | None = None
    #: What GHL answered: a message or appointment id.
    result: str | None = None

    @property
    def text(self) -> str | None:
        if isinstance(self.action, sio.SendSms | sio.NotifyAgent):
            return self.action.text
        return None


@attrs.frozen(kw_only=True)
class Enqueue:
    """What enqueuing one turn writes (`ops`), adds (`items`) and queues (ids)."""

    contact_id: str
    ops: tuple[WriteOp, ...]
    items: tuple[OutboxItem, ...]
    queue: tuple[str, ...]


def item_key(item_id: str) -> str:
    return f"outbox:{item_id}"


def item_id(contact_id: str, turn: int, index: int) -> str:
    return f"{contact_id}:{turn:08d}:{index:02d}"


def item_view(item: OutboxItem) -> dict[str, Any]:
    """The JSON shape of one item in `GET /api/outbox`."""
    view: dict[str, Any] = {
        "id": item.id,
        "contact_id": item.contact_id,
        "kind": item.kind,
        "status": item.status.value,
        "created_at": item.created_at.isoformat(),
    }
    if item.text is not None:
        view["text"] = item.text
    if item.sent_at is not None:
        view["sent_at"] = item.sent_at.isoformat()
    if item.error is not None:
        view["error"] = item.error
    return view
