"""The outbox's items: what is stored for each outbound action, and under which key.

An item's id is its idempotency key `(contact_id, turn, action index)`, written
`{contact_id}:{turn:08d}:{index:02d}` so that one contact's ids sort in the order
its actions were produced. Items are stored at `outbox:{id}`; the ids not yet
delivered are kept in the set `outbox:pending` (`PENDING_SET`).

Enqueuing a turn is planned by the pure `plan` (what `plan_turn` reads first: the
turn's items already stored). Its writer (the seller) stores `Enqueue.ops` with its
own state in one write, then sends `Enqueue.queued` to the outbox's inbox: only the
outbox's task queues items. The pending set stays the truth: an outbox (re)starting
queues what it holds, so a `Queued` lost in a crash loses nothing.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import attrs

from jorged.domain.conversation import inputs as sio
from jorged.domain.conversation.state import ConversationState, Flags
from jorged.store import codec
from jorged.store.store_protocol import Put, SetAdd, Store, WriteOp

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
class Queued:
    """To the outbox: these pending items are stored, send them (in this order).

    `latest` is the (turn, flags) of the conversation as the turn that queued them
    left it, None for a retry: the send-time checks go by the newer of it and the
    stored state.
    """

    contact_id: str
    ids: tuple[str, ...]
    latest: tuple[int, Flags] | None = None


#: What the outbox's inbox takes.
OutboxMsg = Queued


@attrs.frozen(kw_only=True)
class Enqueue:
    """What enqueuing one turn writes (`ops`), adds (`items`) and queues (`queued`).

    Send `queued` to the outbox once `ops` are stored (when it names any item).
    """

    contact_id: str
    ops: tuple[WriteOp, ...]
    items: tuple[OutboxItem, ...]
    queued: Queued

    @property
    def queue(self) -> tuple[str, ...]:
        return self.queued.ids


def deliverable_ids(
    contact_id: str, turn: int, actions: Sequence[sio.SellerAction]
) -> tuple[str, ...]:
    """The item ids of the turn's actions the outbox delivers, in order."""
    count = sum(isinstance(a, DELIVERABLE) for a in actions)
    return tuple(item_id(contact_id, turn, index) for index in range(count))


def plan(
    contact_id: str,
    turn: int,
    actions: Sequence[sio.SellerAction],
    *,
    now: datetime,
    stored: Mapping[str, OutboxStatus],
    state: ConversationState | None = None,
) -> Enqueue:
    """Enqueue a turn's deliverable actions: the items to add, their writes, the ids.

    `stored` holds the status of the turn's items already stored (a replayed turn
    after a crash): those are not added again, and those still pending are queued
    again. `state` is the conversation as this turn leaves it (see `Queued`).
    """
    items = []
    queue = []
    ops: list[WriteOp] = []
    deliverable = [a for a in actions if isinstance(a, DELIVERABLE)]
    for index, action in enumerate(deliverable):
        ident = item_id(contact_id, turn, index)
        status = stored.get(ident)
        if status is not None:
            if status is OutboxStatus.PENDING:
                ops.append(SetAdd(PENDING_SET, (ident,)))
                queue.append(ident)
            continue
        item = OutboxItem(
            id=ident,
            contact_id=contact_id,
            kind=KINDS[type(action)],
            action=action,
            created_at=now,
        )
        items.append(item)
        queue.append(ident)
    ops.extend(Put(item_key(i.id), codec.dumps(i)) for i in items)
    if items:
        ops.append(SetAdd(PENDING_SET, tuple(i.id for i in items)))
    latest = None if state is None else (state.turn, state.flags)
    return Enqueue(
        contact_id=contact_id,
        ops=tuple(ops),
        items=tuple(items),
        queued=Queued(contact_id=contact_id, ids=tuple(queue), latest=latest),
    )


async def plan_turn(
    store: Store,
    contact_id: str,
    turn: int,
    actions: Sequence[sio.SellerAction],
    *,
    now: datetime,
    state: ConversationState | None = None,
) -> Enqueue:
    """`plan`, with the turn's items already stored read from `store`."""
    stored = {}
    for ident in deliverable_ids(contact_id, turn, actions):
        data = await store.get(item_key(ident))
        if data is not None:
            stored[ident] = codec.loads(data, OutboxItem).status
    return plan(contact_id, turn, actions, now=now, stored=stored, state=state)


def contact_of(ident: str) -> str:
    """The contact of the item id `ident`."""
    return ident.rsplit(":", 2)[0]


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
