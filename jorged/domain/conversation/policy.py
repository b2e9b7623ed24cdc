"""What the bot does with a message it has read (SPEC 1.4, 1.10). Pure.

`decide(state, consent, reading)` looks at the conversation and at what the reader
found and says what happens, without drafting a word: the seller step carries the
decision out and `conversation.words` picks the texts.

`consent` holds one reading per message of the turn, in order, so that "STOP"
then "START" in one batch ends opted in; `reading` is the reading of the turn's
content (the messages that are not a bare opt-in or HELP), or None when there is
none. The order of the checks is the order of what matters:

1. consent: an opt-out wins over everything; an opted-out contact is heard only
   when it opts back in; an unsure opt-out holds the conversation for Jorge;
2. a paused or stopped conversation records and sends nothing (HELP aside);
3. a dismissal closes; a call request is acknowledged and handed to Jorge;
4. after qualification only corrections change slots;
5. a complaint gets an apology, an instruction to the bot nothing it asked for;
6. a question back is answered; answers fill the open slots; a message that
   fills nothing is unclear (asked again once, then the slot is unknown).
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

import attrs

from jorged.domain.conversation.state import (
    ConversationState,
    Motivation,
    Slot,
    Slots,
    Stage,
)
from jorged.domain.reading.acts import (
    Act,
    ActKind,
    DismissalKind,
    QuestionKind,
    Reading,
    SlotValues,
)

__all__ = [
    "Decision",
    "Route",
    "decide",
    "fields_of",
    "usable_values",
]


class Route(StrEnum):
    IGNORE = "ignore"  # nothing to do (opted out, not opting back in)
    OPT_OUT = "opt_out"  # confirm once, DND, cancel follow-ups
    OPT_IN = "opt_in"  # START / UNSTOP after an opt-out
    HOLD = "hold"  # may be an opt-out: pause for Jorge, no text
    RECORD = "record"  # paused, stopped, or nothing but HELP: record only
    DISMISS = "dismiss"  # not selling / listed / sold / renter: close and stop
    CALL = "call"  # wants a call: acknowledge, alert Jorge, pause
    COMPLAINT = "complaint"  # apology and who is texting; nothing filled
    QUALIFY = "qualify"  # answers, questions back, instructions, unclear
    QUALIFIED = "qualified"  # a message after qualification


@attrs.frozen(kw_only=True)
class Decision:
    route: Route
    #: HELP / INFO was asked: the business and how to opt out, whatever else.
    help: bool = False
    #: A question back to answer before the open question.
    question: QuestionKind | None = None
    #: Values to record in the slots (only those the policy lets through).
    values: SlotValues = attrs.field(factory=SlotValues)
    #: Values change slots already answered (a correction).
    correction: bool = False
    #: Nothing was filled and nothing else was said: an unclear answer.
    unclear: bool = False
    #: The message told the bot what to do or say: nothing filled, nothing promised.
    instruction: bool = False
    dismissal: DismissalKind | None = None
    call_time: str | None = None
    #: The act the decision rests on, for alerts (its evidence is the seller's words).
    act: Act | None = None


def decide(
    state: ConversationState, consent: Sequence[Reading], reading: Reading | None
) -> Decision:
    """What happens with a turn of `state`'s seller (see the module docstring)."""
    helped = any(r.has(ActKind.HELP) for r in consent)
    net = _net_consent(consent)
    if net is ActKind.OPT_OUT:
        if state.flags.opted_out:
            return Decision(route=Route.IGNORE)
        return Decision(route=Route.OPT_OUT, act=_first(consent, ActKind.OPT_OUT))
    if state.flags.opted_out:
        if net is ActKind.OPT_IN:
            return Decision(route=Route.OPT_IN)
        return Decision(route=Route.IGNORE)
    if net is ActKind.OPT_OUT_UNSURE:
        if state.flags.paused or state.flags.stopped:
            return Decision(route=Route.RECORD, help=helped)
        return Decision(route=Route.HOLD, act=_first(consent, ActKind.OPT_OUT_UNSURE))
    if state.flags.paused or state.flags.stopped or reading is None:
        return Decision(route=Route.RECORD, help=helped)
    return _content(state, reading, helped=helped)


def _content(state: ConversationState, reading: Reading, *, helped: bool) -> Decision:
    qualified = state.stage is Stage.QUALIFIED
    dismissal = _first([reading], ActKind.DISMISSAL)
    if dismissal is not None:
        return Decision(
            route=Route.DISMISS,
            help=helped,
            dismissal=dismissal.dismissal or DismissalKind.NOT_SELLING,
            act=dismissal,
        )
    correction = reading.has(ActKind.CORRECTION)
    values = usable_values(
        state.slots, _with_life_event(reading), correction=correction
    )
    if qualified and not correction:
        values = SlotValues()
    call = _first([reading], ActKind.CALL_REQUEST)
    if call is not None:
        return Decision(
            route=Route.CALL,
            help=helped,
            values=values,
            correction=correction and bool(fields_of(values)),
            call_time=call.call_time,
            act=call,
        )
    question = _first([reading], ActKind.QUESTION)
    kind = None if question is None else question.question or QuestionKind.OTHER
    if qualified:
        return Decision(
            route=Route.QUALIFIED,
            help=helped,
            question=kind,
            values=values,
            correction=bool(fields_of(values)),
            act=question,
        )
    complaint = _first([reading], ActKind.COMPLAINT)
    if complaint is not None:
        return Decision(
            route=Route.COMPLAINT, help=helped, question=kind, act=complaint
        )
    if reading.has(ActKind.INSTRUCTION):
        return Decision(
            route=Route.QUALIFY,
            help=helped,
            question=kind,
            instruction=True,
            act=_first([reading], ActKind.INSTRUCTION),
        )
    filled = bool(fields_of(values))
    asking = state.asking
    # "What would you pay?" at the price question answers it with a question: it
    # is answered, and counts as an unclear answer (SPEC 1.3: no price).
    deflects = kind is QuestionKind.OFFER and asking is Slot.PRICE
    unclear = (
        not filled
        and (kind is None or deflects)
        and asking is not None
        and state.slots.is_open(asking)
        and not helped
    )
    return Decision(
        route=Route.QUALIFY,
        help=helped,
        question=kind,
        values=values,
        correction=correction and filled,
        unclear=unclear,
        act=question,
    )


#: The reason to sell a life event gives when nothing more specific was read.
_EVENT_MOTIVATION = {
    "death": Motivation.INHERITED,
    "divorce": Motivation.DIVORCE,
    "job_loss": Motivation.FINANCIAL_DISTRESS,
    "foreclosure": Motivation.FORECLOSURE,
    "illness": Motivation.HEALTH,
}


def _with_life_event(reading: Reading) -> SlotValues:
    """The values read, the motivation filled from a life event when none was read
    (a life event "may fill motivation", SPEC 1.10)."""
    values = reading.values
    if values.motivation is not None:
        return values
    event = _first([reading], ActKind.LIFE_EVENT)
    motivation = _EVENT_MOTIVATION.get(event.life_event or "") if event else None
    if motivation is None:
        return values
    said = (
        ()
        if event is None or event.evidence is None
        else (("motivation", event.evidence),)
    )
    return attrs.evolve(values, motivation=motivation, evidence=values.evidence + said)


def _net_consent(readings: Sequence[Reading]) -> ActKind | None:
    """The consent a turn ends with: the last opt-out or opt-in of its messages, or
    an unsure opt-out when there is nothing surer."""
    net: ActKind | None = None
    unsure = False
    for r in readings:
        if r.has(ActKind.OPT_OUT):
            net = ActKind.OPT_OUT
        elif r.has(ActKind.OPT_IN):
            net = ActKind.OPT_IN
        elif r.has(ActKind.OPT_OUT_UNSURE):
            unsure = True
    if net is None and unsure:
        return ActKind.OPT_OUT_UNSURE
    return net


def _first(readings: Sequence[Reading], kind: ActKind) -> Act | None:
    return next((a for r in readings for a in r.acts if a.kind is kind), None)


def fields_of(values: SlotValues) -> tuple[Slot, ...]:
    """The slots `values` give an answer to, in question order."""
    found = {
        Slot.MOTIVATION: values.motivation is not None,
        Slot.TIMELINE: values.timeline_ok is not None,
        Slot.CONDITION: values.condition is not None,
        Slot.PRICE: values.price_low is not None and values.price_high is not None,
    }
    return tuple(s for s in Slot if found[s])


def usable_values(slots: Slots, values: SlotValues, *, correction: bool) -> SlotValues:
    """The values that may be recorded: answers to open slots, and with a correction
    also new values for slots already answered."""
    keep = {
        s
        for s in fields_of(values)
        if slots.is_open(s) or (correction and slots.answered(s))
    }
    return SlotValues(
        motivation=values.motivation if Slot.MOTIVATION in keep else None,
        move_to=values.move_to if Slot.MOTIVATION in keep else None,
        urgency=values.urgency,
        timeline_ok=values.timeline_ok if Slot.TIMELINE in keep else None,
        timeline_days=values.timeline_days if Slot.TIMELINE in keep else None,
        not_moving=values.not_moving
        and (Slot.TIMELINE in keep or slots.is_open(Slot.TIMELINE)),
        condition=values.condition if Slot.CONDITION in keep else None,
        price_low=values.price_low if Slot.PRICE in keep else None,
        price_high=values.price_high if Slot.PRICE in keep else None,
        owed=values.owed,
        estimate=values.estimate,
        evidence=tuple(
            (name, ev)
            for name, ev in values.evidence
            if _slot_of(name) is None or _slot_of(name) in keep
        ),
    )


_FIELD_SLOTS = {
    "motivation": Slot.MOTIVATION,
    "move_to": Slot.MOTIVATION,
    "timeline": Slot.TIMELINE,
    "timeline_ok": Slot.TIMELINE,
    "timeline_days": Slot.TIMELINE,
    "not_moving": Slot.TIMELINE,
    "condition": Slot.CONDITION,
    "price": Slot.PRICE,
    "price_low": Slot.PRICE,
    "price_high": Slot.PRICE,
}


def _slot_of(field: str) -> Slot | None:
    return _FIELD_SLOTS.get(field)
