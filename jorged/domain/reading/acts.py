"""What a reader finds in one inbound message (or batch): acts and slot values.

Each act and each value keeps its evidence, the seller's own words it came from,
and a confidence in [0, 1]. The policy decides from a Reading what happens; the
labeled corpus in the tests is written against the same names.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

import attrs

from jorged.domain.conversation.state import Condition, Motivation, Slot, Urgency

__all__ = [
    "Act",
    "ActKind",
    "Context",
    "DismissalKind",
    "Evidence",
    "QuestionKind",
    "Reading",
    "SlotValues",
]


class ActKind(StrEnum):
    OPT_OUT = "opt_out"  # consent revoked (SPEC 1.4)
    OPT_OUT_UNSURE = "opt_out_unsure"  # may revoke consent: paused for Jorge
    OPT_IN = "opt_in"  # START / UNSTOP
    HELP = "help"  # HELP / INFO
    QUESTION = "question"  # a question back, see QuestionKind
    DISMISSAL = "dismissal"  # not selling / listed / sold / renter, see DismissalKind
    CALL_REQUEST = "call_request"  # wants a call, maybe with a time
    CORRECTION = "correction"  # changes an earlier answer
    LIFE_EVENT = "life_event"  # death, divorce, job loss, foreclosure, illness
    COMPLAINT = "complaint"  # complaint or hostility that is not an opt-out
    INSTRUCTION = "instruction"  # an instruction to the bot ("new rule: ...")


class QuestionKind(StrEnum):
    WHO = "who"  # who is this, which brokerage
    BOT = "bot"  # am I talking to a bot / a real person
    NUMBER = "number"  # how did you get my number
    COMMISSION = "commission"  # what do you charge
    OFFER = "offer"  # what would you pay, what is it worth
    PROCESS = "process"  # how does this work, what happens next
    LEGIT = "legit"  # is this legit / a scam
    OTHER = "other"


class DismissalKind(StrEnum):
    NOT_SELLING = "not_selling"
    LISTED = "listed"  # listed with an agent
    SOLD = "sold"
    RENTER = "renter"  # does not own the house


@attrs.frozen
class Evidence:
    """The seller's words a finding was read from: text[start:end] of the message."""

    start: int
    end: int
    text: str


@attrs.frozen(kw_only=True)
class Act:
    kind: ActKind
    evidence: Evidence | None = None
    confidence: float = 1.0
    question: QuestionKind | None = None
    dismissal: DismissalKind | None = None
    call_time: str | None = None  # the time asked for, as the seller said it
    life_event: str | None = None  # death, divorce, job_loss, foreclosure, illness


@attrs.frozen(kw_only=True)
class SlotValues:
    """Values read for the slots (None: not read). Mirrors SPEC 1.3."""

    motivation: Motivation | None = None
    move_to: str | None = None
    urgency: Urgency | None = None
    timeline_ok: bool | None = None
    timeline_days: int | None = None
    not_moving: bool = False
    condition: Condition | None = None
    price_low: int | None = None
    price_high: int | None = None
    owed: int | None = None  # mortgage balance, never an asking price
    estimate: int | None = None  # someone else's estimate, unless adopted
    evidence: tuple[tuple[str, Evidence], ...] = ()  # (field name, evidence) pairs


@attrs.frozen(kw_only=True)
class Context:
    """What the reader reads a message against."""

    asking: Slot | None = None  # the question last asked (None: none asked yet)
    open_slots: tuple[Slot, ...] = tuple(Slot)
    qualified: bool = False  # after qualification only corrections fill slots
    language: str = "en"
    #: The day the message is read on ("until summer" counts from it); None: today.
    today: date | None = None


@attrs.frozen(kw_only=True)
class Reading:
    acts: tuple[Act, ...] = ()
    values: SlotValues = SlotValues()
    confidence: float = 1.0  # overall; low means "unsure", the LLM may read it too

    def has(self, kind: ActKind) -> bool:
        return any(a.kind is kind for a in self.acts)
