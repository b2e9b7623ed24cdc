"""Feed lines in words a person reads: "Maria answered the price question: $450k".

`describe(event, name)` turns an event (as the port gives it) into a sentence; the
seller is named by `name` (their first name when known, else their contact id).
Codes (`seller.slot_filled`) stay in the event; only their labels are shown.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from ui import format as fmt
from ui.daemon_port import Event

#: An event's data (`Event.data`).
Data = Mapping[str, object]

#: Every event kind as a person names it (the feed's kind filter).
KINDS: dict[str, str] = {
    "lead.analyzed": "Lead scored",
    "lead.hot_detected": "Hot lead found",
    "seller.activated": "Qualification started",
    "seller.message_received": "Text received",
    "seller.reply_sent": "Reply sent",
    "seller.slot_filled": "Question answered",
    "seller.temperature_changed": "Temperature changed",
    "seller.qualified": "Seller qualified",
    "seller.opted_out": "Opted out",
    "seller.paused": "Paused",
    "seller.resumed": "Resumed",
    "seller.stalled": "Stalled",
    "seller.updated": "Conversation updated",
    "seller.forgotten": "Contact forgotten",
    "seller.language_changed": "Language changed",
    "followup.scheduled": "Follow-up planned",
    "followup.sent": "Follow-up sent",
    "appointment.offered": "Times offered",
    "appointment.booked": "Appointment booked",
    "outbox.updated": "CRM action",
    "ghl.call_failed": "GoHighLevel call failed",
    "ghl.rate_limited": "GoHighLevel rate limit",
    "store.degraded": "Storage degraded",
    "store.recovered": "Storage recovered",
    "system.alert": "Alert",
}
QUESTIONS = {
    "motivation": "motivation",
    "timeline": "timeline",
    "condition": "condition",
    "price": "price",
}
ACTIONS = {
    "sms": "Text",
    "add_tags": "Tags added",
    "remove_tags": "Tags removed",
    "update_fields": "CRM fields",
    "workflow": "Workflow",
    "book": "Booking",
    "dnd": "Do-not-disturb",
    "set_dnd": "Do-not-disturb",
    "opportunity": "Opportunity",
    "calendar_slots": "Calendar times looked up",
    "get_contact": "Contact looked up in GHL",
    "book_appointment": "Booking",
    "notify_agent": "Alert to Jorge",
}
STATUSES = {
    "sandboxed": "recorded in sandbox, not sent",
    "pending": "waiting to be sent",
    "sent": "sent",
    "failed": "failed",
}
PAUSE_REASONS = {
    "stop_tag": "a stop tag was added in the CRM",
    "stop": "stopped from the dashboard",
    "manual": "paused from the dashboard",
}
QUOTE_MAX = 90


def kind_label(kind: object) -> str:
    return KINDS.get(str(kind), fmt.label({}, str(kind).rsplit(".", 1)[-1]))


def describe(event: Event, name: str) -> str:
    """The event as one sentence about `name`."""
    kind = event.kind.value
    make = _SENTENCES.get(kind)
    if make is None:
        return f"{kind_label(kind)}: {name}" if name else kind_label(kind)
    return make(name, event.data)


def value_text(slot: str, value: object) -> str:
    """A slot's recorded value as a person reads it."""
    if value in (None, "unknown"):
        return "doesn't know"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if slot == "price" and isinstance(value, int | float):
        return fmt.money(float(value))
    if isinstance(value, int | float):
        return f"{value:g}"
    return fmt.label({}, value)


def _quote(text: object) -> str:
    words = " ".join(str(text or "").split())
    if len(words) > QUOTE_MAX:
        words = words[: QUOTE_MAX - 1].rstrip() + "…"
    return f"“{words}”"


def _answered(name: str, d: Data) -> str:
    slot = str(d.get("slot", ""))
    question = QUESTIONS.get(slot, fmt.label({}, slot).lower())
    return (
        f"{name} answered the {question} question: {value_text(slot, d.get('value'))}"
    )


def _temperature(name: str, d: Data) -> str:
    to = fmt.label(fmt.TEMPERATURES, d.get("to", ""))
    was = d.get("from")
    before = f" (was {fmt.label(fmt.TEMPERATURES, was)})" if was else ""
    why = f": {d['reason']}" if d.get("reason") else ""
    return f"{name} is now {to}{before}{why}"


def _outbox(name: str, d: Data) -> str:
    action = ACTIONS.get(str(d.get("kind", "")), fmt.label({}, d.get("kind", "")))
    status = STATUSES.get(str(d.get("status", "")), str(d.get("status", "")))
    return f"{action} for {name}: {status}"


def _paused(name: str, d: Data) -> str:
    reason = str(d.get("reason", ""))
    why = PAUSE_REASONS.get(reason, reason.replace("_", " "))
    return f"The bot paused for {name}" + (f": {why}" if why else "")


def _lead(name: str, d: Data) -> str:
    klass = fmt.label(fmt.TEMPERATURES, d.get("classification", ""))
    return f"{name}'s lead scored {d.get('score', '?')} ({klass})"


def _alert(_name: str, d: Data) -> str:
    level = str(d.get("level", ""))
    text = str(d.get("text") or d.get("check") or "")
    if level == "resolved":
        return f"Resolved: {text}"
    return f"{level.capitalize() or 'Alert'}: {text}"


def _planned(name: str, d: Data) -> str:
    due = fmt.when(d.get("due"))
    return (
        f"Follow-up for {name} planned for {due}"
        if due
        else f"Follow-up planned for {name}"
    )


_SENTENCES: dict[str, Callable[[str, Data], str]] = {
    "lead.analyzed": _lead,
    "lead.hot_detected": lambda n, _d: f"{n} is a hot lead",
    "seller.activated": lambda n, _d: f"Qualification started for {n}",
    "seller.message_received": lambda n, d: f"{n} texted {_quote(d.get('text'))}",
    "seller.reply_sent": lambda n, d: f"Replied to {n}: {_quote(d.get('text'))}",
    "seller.slot_filled": _answered,
    "seller.temperature_changed": _temperature,
    "seller.qualified": lambda n, _d: f"{n} is qualified",
    "seller.opted_out": lambda n, _d: f"{n} opted out: no more texts",
    "seller.paused": _paused,
    "seller.resumed": lambda n, _d: f"The bot answers {n} again",
    "seller.stalled": lambda n, _d: f"{n} has not answered for 48 hours",
    "seller.updated": lambda n, _d: f"{n}'s conversation was updated",
    "seller.forgotten": lambda n, _d: f"Everything about {n} was deleted",
    "seller.language_changed": lambda n, d: (
        f"The bot writes to {n} in "
        f"{'Spanish' if d.get('language') == 'es' else 'English'}"
        f"{' (set by Jorge)' if d.get('source') == 'agent' else ''}"
    ),
    "followup.scheduled": _planned,
    "followup.sent": lambda n, _d: f"Follow-up text sent to {n}",
    "appointment.offered": lambda n, _d: f"{n} was offered times to meet Jorge",
    "appointment.booked": lambda n, _d: f"{n} booked a time with Jorge",
    "outbox.updated": _outbox,
    "ghl.call_failed": lambda _n, d: (
        f"A GoHighLevel call failed: {d.get('error') or d.get('status') or ''}"
    ).rstrip(": "),
    "ghl.rate_limited": lambda _n, _d: "GoHighLevel asked us to slow down",
    "store.degraded": lambda _n, d: (
        f"Storage degraded: {d.get('reason') or d.get('error') or 'see Health'}"
    ),
    "store.recovered": lambda _n, _d: "Storage recovered",
    "system.alert": _alert,
}
