"""The records of a seller conversation: plain frozen attrs values, all typed.

They know nothing about storage (the store's converter turns them into JSON) and
carry no behaviour beyond small read-only properties. Datetimes are timezone-aware.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import attrs

from jorged.domain.language import Language, LanguageSource

__all__ = [
    "TRANSCRIPT_MAX",
    "Condition",
    "ConversationState",
    "Direction",
    "Flags",
    "Hold",
    "HoldReason",
    "Motivation",
    "Slot",
    "Slots",
    "Stage",
    "Temperature",
    "TemperatureChange",
    "TranscriptEntry",
    "Urgency",
]

#: The transcript keeps the latest this many entries (a runaway sender cannot grow
#: a stored conversation without bound; a normal one is a few dozen entries).
TRANSCRIPT_MAX = 500


class Stage(StrEnum):
    NEW = "new"
    Q_MOTIVATION = "q_motivation"
    Q_TIMELINE = "q_timeline"
    Q_CONDITION = "q_condition"
    Q_PRICE = "q_price"
    QUALIFIED = "qualified"


class Temperature(StrEnum):
    HOT = "hot"
    WARM = "warm"
    COLD = "cold"


class Condition(StrEnum):
    MOVE_IN_READY = "move_in_ready"
    MINOR_REPAIRS = "minor_repairs"
    MAJOR_REPAIRS = "major_repairs"


class Motivation(StrEnum):
    RELOCATION = "relocation"
    DIVORCE = "divorce"
    FINANCIAL_DISTRESS = "financial_distress"
    FORECLOSURE = "foreclosure"
    INHERITED = "inherited"
    DOWNSIZING = "downsizing"
    UPSIZING = "upsizing"
    RETIREMENT = "retirement"
    TIRED_LANDLORD = "tired_landlord"
    FAMILY = "family"
    HEALTH = "health"
    CURIOUS = "curious"
    OTHER = "other"


class Urgency(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Slot(StrEnum):
    """The four questions, in the order they are asked."""

    MOTIVATION = "motivation"
    TIMELINE = "timeline"
    CONDITION = "condition"
    PRICE = "price"


class Direction(StrEnum):
    IN = "in"
    OUT = "out"


@attrs.frozen(kw_only=True)
class Slots:
    """What the seller has told so far; None is "not known"."""

    motivation: Motivation | None = None
    move_to: str | None = None
    urgency: Urgency | None = None
    timeline_ok: bool | None = None
    timeline_days: int | None = None
    #: The seller said they are not moving at all (a COLD reason of its own).
    not_moving: bool = False
    condition: Condition | None = None
    price_low: int | None = None
    price_high: int | None = None
    #: A mortgage balance and someone else's estimate the seller mentioned; kept
    #: for Jorge, never an asking price.
    owed: int | None = None
    estimate: int | None = None
    #: Slots given up on after two unclear answers, in the order they were.
    unknown: tuple[Slot, ...] = ()
    #: The seller's words each recorded value was read from, by name (`motivation`,
    #: `move_to`, `timeline`, `condition`, `price`, `owed`, `estimate`).
    evidence: tuple[tuple[str, str], ...] = ()

    def words(self, name: str) -> str | None:
        """The seller's words the value `name` was read from, if kept."""
        return next((w for n, w in self.evidence if n == name), None)

    def answered(self, slot: Slot) -> bool:
        """True when the slot holds a value (a slot marked unknown holds none)."""
        if slot is Slot.MOTIVATION:
            return self.motivation is not None
        if slot is Slot.TIMELINE:
            return self.timeline_ok is not None
        if slot is Slot.CONDITION:
            return self.condition is not None
        return self.price_low is not None

    def is_open(self, slot: Slot) -> bool:
        """True when the slot is neither answered nor given up on."""
        return not self.answered(slot) and slot not in self.unknown

    @property
    def answered_count(self) -> int:
        return sum(self.answered(s) for s in Slot)

    @property
    def open_slots(self) -> tuple[Slot, ...]:
        return tuple(s for s in Slot if self.is_open(s))


@attrs.frozen(kw_only=True)
class Flags:
    opted_out: bool = False
    paused: bool = False
    stopped: bool = False
    stalled: bool = False
    booked: bool = False


class HoldReason(StrEnum):
    """Why the bot paused a conversation for Jorge (pauses by a person, a tag or a
    command carry no hold: they show as plainly paused)."""

    CALL_REQUEST = "call_request"  # the seller asked for a call (SPEC 1.10)
    OPT_OUT_UNSURE = "opt_out_unsure"  # may revoke consent: Jorge decides (1.4)


@attrs.frozen(kw_only=True)
class Hold:
    """Why a paused conversation waits for Jorge, and the seller's words."""

    reason: HoldReason
    at: datetime
    #: The time the seller asked to be called, as they said it ("tomorrow after 5").
    call_time: str = ""
    #: The seller's words the hold rests on (phone numbers masked).
    words: str = ""


@attrs.frozen(kw_only=True)
class TranscriptEntry:
    direction: Direction
    text: str
    at: datetime
    #: The GHL message id of an inbound or human message; None for bot messages.
    message_id: str | None = None


@attrs.frozen(kw_only=True)
class TemperatureChange:
    temperature: Temperature
    at: datetime
    reason: str


@attrs.frozen(kw_only=True)
class ConversationState:
    """One seller conversation, as persisted after every step."""

    contact_id: str
    created_at: datetime
    updated_at: datetime
    first_name: str = ""
    phone: str = ""
    #: IANA zone of the contact; empty means `seller.default_timezone`.
    timezone: str = ""
    stage: Stage = Stage.NEW
    slots: Slots = Slots()
    flags: Flags = Flags()
    temperature: Temperature = Temperature.COLD
    transcript: tuple[TranscriptEntry, ...] = ()
    temperature_history: tuple[TemperatureChange, ...] = ()
    #: The slot of the last question asked, and how many unclear answers it got.
    asking: Slot | None = None
    unclear: int = 0
    #: Follow-up cadence: the index of the next follow-up and when it is due.
    followup_index: int = 0
    followup_due: datetime | None = None
    #: Send times of bot messages within the `max_bot_messages_days` window.
    bot_sent_at: tuple[datetime, ...] = ()
    #: Calendar slots offered to a hot seller, the one being booked, the booking.
    offered_slots: tuple[datetime, ...] = ()
    offer_unclear: int = 0
    booking_slot: datetime | None = None
    appointment_at: datetime | None = None
    #: Why the bot is stopped: stop tags on the contact, or "command".
    stop_reasons: tuple[str, ...] = ()
    #: How the contact opted out: "sms" (a STOP text) or "dnd" (set in the CRM).
    opt_out_source: str = ""
    #: Why the bot paused for Jorge; None once resumed, restarted or stopped.
    hold: Hold | None = None
    last_inbound_at: datetime | None = None
    #: When qualification last started (activation or restart): the cadence base
    #: until the seller writes.
    activated_at: datetime | None = None
    #: The inbound message a pending reply answers (for booking results).
    reply_to: str | None = None
    qualified_at: datetime | None = None
    #: Counts the turns of this contact; actions of one turn share the number.
    turn: int = 0
    #: The language the bot writes in, and where it comes from (states stored
    #: before there was a language load as English, by default).
    language: Language = Language.EN
    language_source: LanguageSource = LanguageSource.DEFAULT
