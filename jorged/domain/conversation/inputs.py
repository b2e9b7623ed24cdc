"""What goes into the seller state machine and what comes out of it.

Inputs (`SellerInput`) are what happened: a tag, a text, a timer. Actions
(`SellerAction`) are what the seller actor must do next, in order: persist the new
state first, then hand the actions to the outbox. All are frozen attrs records with
typed fields, so the store's converter can journal them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import attrs

from jorged.domain.language import Language
from jorged.domain.reading.acts import Reading

__all__ = [
    "Activate",
    "AddTags",
    "BookAppointment",
    "BookingResult",
    "CalendarSlots",
    "CancelFollowups",
    "CancelStallCheck",
    "Command",
    "ContactDetails",
    "DndChanged",
    "Emit",
    "EventData",
    "FetchCalendarSlots",
    "FetchContact",
    "FollowupDue",
    "HumanOutbound",
    "Inbound",
    "InboundMessage",
    "LlmReading",
    "NotifyAgent",
    "RemoveTags",
    "ScheduleFollowup",
    "ScheduleStallCheck",
    "SellerAction",
    "SellerInput",
    "SendSms",
    "SetDnd",
    "SetLanguage",
    "StallCheck",
    "TagsChanged",
    "TriggerWorkflow",
    "UpdateFields",
]

EventData = dict[str, str | int | float | bool | None]


# --- inputs -------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Activate:
    """Start qualifying a contact (activation tag, dashboard, CLI or API)."""

    contact_id: str
    first_name: str = ""
    phone: str = ""
    timezone: str = ""
    source: Literal["tag", "manual"] = "tag"


@attrs.frozen(kw_only=True)
class InboundMessage:
    message_id: str
    text: str
    at: datetime


@attrs.frozen(kw_only=True)
class LlmReading:
    """What the LLM read in `text`, kept only where the seller's words back it."""

    text: str
    reading: Reading


@attrs.frozen(kw_only=True)
class Inbound:
    """One turn: the messages of a contact that arrived within the batch window.

    `llm_readings` are the LLM's readings of the turn's unsure texts, made by the
    actor before the step (none without an LLM); the step merges them with its own.
    """

    contact_id: str
    messages: tuple[InboundMessage, ...]
    first_name: str = ""
    phone: str = ""
    timezone: str = ""
    llm_readings: tuple[LlmReading, ...] = ()


@attrs.frozen(kw_only=True)
class HumanOutbound:
    """A person texted the contact from the CRM: the bot steps back (pause)."""

    contact_id: str
    message_id: str
    text: str
    at: datetime


@attrs.frozen(kw_only=True)
class TagsChanged:
    contact_id: str
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    first_name: str = ""
    phone: str = ""
    timezone: str = ""


@attrs.frozen(kw_only=True)
class DndChanged:
    """The contact's DND flag changed in the CRM."""

    contact_id: str
    dnd: bool


@attrs.frozen(kw_only=True)
class Command:
    contact_id: str
    command: Literal["pause", "resume", "restart", "stop"]


@attrs.frozen(kw_only=True)
class SetLanguage:
    """Jorge sets the language of a conversation (dashboard, API, CLI): the bot
    writes in it from now on, whatever language the seller's messages are in."""

    contact_id: str
    language: Language


@attrs.frozen(kw_only=True)
class FollowupDue:
    """A follow-up timer fired; `index` is the cadence index it was scheduled for."""

    contact_id: str
    index: int


@attrs.frozen(kw_only=True)
class CalendarSlots:
    """Free calendar slots fetched for a hot seller (empty when none or no calendar)."""

    contact_id: str
    slots: tuple[datetime, ...]


@attrs.frozen(kw_only=True)
class ContactDetails:
    """The contact as GHL has it, answering `FetchContact` (empty: not known)."""

    contact_id: str
    first_name: str = ""
    phone: str = ""
    timezone: str = ""


@attrs.frozen(kw_only=True)
class BookingResult:
    contact_id: str
    slot: datetime
    ok: bool
    detail: str = ""


@attrs.frozen(kw_only=True)
class StallCheck:
    contact_id: str


SellerInput = (
    Activate
    | Inbound
    | HumanOutbound
    | TagsChanged
    | DndChanged
    | Command
    | SetLanguage
    | FollowupDue
    | CalendarSlots
    | BookingResult
    | StallCheck
    | ContactDetails
)


# --- actions ------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class SendSms:
    """Text the contact. Every text has passed the outbound rules already.

    `reply_to` is the inbound message answered (None for bot-initiated texts).
    `send_at` is the earliest instant to send: None means at once; bot-initiated
    texts that fall in quiet hours carry the instant the window opens.
    """

    text: str
    reply_to: str | None
    bot_initiated: bool
    send_at: datetime | None = None


@attrs.frozen(kw_only=True)
class AddTags:
    tags: tuple[str, ...]


@attrs.frozen(kw_only=True)
class RemoveTags:
    tags: tuple[str, ...]


@attrs.frozen(kw_only=True)
class UpdateFields:
    """CRM custom fields by key (seller_motivation, seller_temperature, ...)."""

    fields: dict[str, str]


@attrs.frozen(kw_only=True)
class SetDnd:
    dnd: bool


@attrs.frozen(kw_only=True)
class TriggerWorkflow:
    """Run the workflow configured for `purpose` (`ghl.hot_workflow_id`), if any."""

    purpose: Literal["hot_seller"]


@attrs.frozen(kw_only=True)
class FetchCalendarSlots:
    """Fetch free slots; answer with `CalendarSlots` (empty without a calendar)."""


@attrs.frozen(kw_only=True)
class FetchContact:
    """Read the contact from GHL (name, phone, time zone); answer with `ContactDetails`.

    Asked when a conversation starts without the contact's time zone, so quiet hours
    are kept in the contact's own zone (SPEC 1.4).
    """


@attrs.frozen(kw_only=True)
class BookAppointment:
    """Book `slot`; answer with `BookingResult`."""

    slot: datetime


@attrs.frozen(kw_only=True)
class NotifyAgent:
    """Alert Jorge on the dashboard, and by SMS to `phone` when it is set."""

    text: str
    phone: str = ""


@attrs.frozen(kw_only=True)
class ScheduleFollowup:
    """Fire `FollowupDue(index)` at `due` (already outside quiet hours)."""

    due: datetime
    index: int


@attrs.frozen(kw_only=True)
class CancelFollowups:
    """Drop every pending follow-up of the contact."""


@attrs.frozen(kw_only=True)
class ScheduleStallCheck:
    """Fire `StallCheck` at `due`, replacing the contact's stall check."""

    due: datetime


@attrs.frozen(kw_only=True)
class CancelStallCheck:
    """Drop the contact's stall check."""


@attrs.frozen(kw_only=True)
class Emit:
    """A domain event for the dashboard (SPEC 4.3 kinds); phone numbers masked."""

    kind: str
    data: EventData = attrs.field(factory=dict)


SellerAction = (
    SendSms
    | AddTags
    | RemoveTags
    | UpdateFields
    | SetDnd
    | TriggerWorkflow
    | FetchCalendarSlots
    | FetchContact
    | BookAppointment
    | NotifyAgent
    | ScheduleFollowup
    | CancelFollowups
    | ScheduleStallCheck
    | CancelStallCheck
    | Emit
)
