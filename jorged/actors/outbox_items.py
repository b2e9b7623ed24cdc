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
    view["content"] = action_content(item.action)
    view["summary"] = action_summary(item.action)
    if item.result is not None:
        view["result"] = item.result
    if item.sent_at is not None:
        view["sent_at"] = item.sent_at.isoformat()
    if item.error is not None:
        view["error"] = item.error
    return view


def action_content(action: Deliverable) -> dict[str, Any]:
    """What the action writes or sends, as stable JSON (codes, not labels)."""
    match action:
        case sio.SendSms(text=text):
            return {"text": text}
        case sio.NotifyAgent(text=text, phone=phone):
            return {"text": text, "phone": phone} if phone else {"text": text}
        case sio.AddTags(tags=tags) | sio.RemoveTags(tags=tags):
            return {"tags": list(tags)}
        case sio.UpdateFields(fields=fields):
            return {"fields": dict(fields)}
        case sio.SetDnd(dnd=dnd):
            return {"dnd": dnd}
        case sio.TriggerWorkflow(purpose=purpose):
            return {"workflow": purpose}
        case sio.BookAppointment(slot=slot):
            return {"slot": slot.isoformat()}
        case _:
            return {}


def action_summary(action: Deliverable) -> str:
    """What the action does, in one line a person reads."""
    match action:
        case sio.SendSms(text=text):
            return f"Text: {text}"
        case sio.NotifyAgent(text=text, phone=phone):
            return f"Alert Jorge{f' by SMS to {phone}' if phone else ''}: {text}"
        case sio.AddTags(tags=tags):
            return f"Add tags: {', '.join(tags)}"
        case sio.RemoveTags(tags=tags):
            return f"Remove tags: {', '.join(tags)}"
        case sio.UpdateFields(fields=fields):
            written = ", ".join(f"{k} = {v or '-'}" for k, v in fields.items())
            return f"Write fields: {written}"
        case sio.SetDnd(dnd=dnd):
            return f"Do-not-disturb {'on' if dnd else 'off'}"
        case sio.TriggerWorkflow(purpose=purpose):
            return f"Run the {purpose.replace('_', ' ')} workflow"
        case sio.FetchCalendarSlots():
            return "Look up free calendar times"
        case sio.FetchContact():
            return "Look up the contact in GHL"
        case sio.BookAppointment(slot=slot):
            return f"Book the appointment at {slot.isoformat(timespec='minutes')}"
        case _:
            return type(action).__name__
