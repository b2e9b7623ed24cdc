"""Carrying out a decision that is not a plain answer: hold, dismissal, call, complaint,
and the messages after qualification (SPEC 1.10). Pure; drafts only.

Each handler gets the state with the turn recorded and returns the next state and
its drafts, like the other seller handlers; `seller._finish` sends what may be sent.
"""

from __future__ import annotations

from datetime import datetime

import attrs

from jorged.config import SellerConfig
from jorged.domain import templates as tpl
from jorged.domain.compliance import mask_phones
from jorged.domain.conversation.acks import price_words
from jorged.domain.conversation.policy import Decision, fields_of
from jorged.domain.conversation.words import answer_text
from jorged.domain.reading.acts import DismissalKind, QuestionKind, SlotValues
from jorged.domain.seller_drafts import Draft, Result, Say, retemper
from jorged.domain.seller_handoff import COLD_TAG, HOT_TAG, WARM_TAG
from jorged.domain.seller_io import (
    AddTags,
    CancelFollowups,
    Emit,
    NotifyAgent,
    RemoveTags,
)
from jorged.domain.seller_models import ConversationState, Slot, Slots, Temperature
from jorged.domain.sms_text import sms_name

__all__ = [
    "LISTED_TAG",
    "NOT_SELLING_TAG",
    "call_back",
    "complain",
    "correct_after",
    "dismiss",
    "hold_for_agent",
    "record_values",
    "slot_events",
]

NOT_SELLING_TAG = "Not-Selling"
LISTED_TAG = "Listed-With-Agent"
_TEMPERATURE_TAGS = {
    Temperature.HOT: HOT_TAG,
    Temperature.WARM: WARM_TAG,
    Temperature.COLD: COLD_TAG,
}
#: The longest requested call time echoed back ("after 5 today").
_WHEN_MAX = 40


def record_values(slots: Slots, values: SlotValues) -> Slots:
    """The slots with the values the policy let through (a value replaces the old)."""
    if values.motivation is not None:
        slots = attrs.evolve(
            slots,
            motivation=values.motivation,
            move_to=values.move_to or slots.move_to,
        )
    if values.urgency is not None and slots.urgency is None:
        slots = attrs.evolve(slots, urgency=values.urgency)
    if values.timeline_ok is not None:
        slots = attrs.evolve(
            slots,
            timeline_ok=values.timeline_ok,
            timeline_days=values.timeline_days,
            not_moving=values.not_moving,
        )
    elif values.not_moving:
        slots = attrs.evolve(slots, not_moving=True)
    if values.condition is not None:
        slots = attrs.evolve(slots, condition=values.condition)
    if values.price_low is not None and values.price_high is not None:
        slots = attrs.evolve(
            slots, price_low=values.price_low, price_high=values.price_high
        )
    if any(slots.answered(s) for s in slots.unknown):
        slots = attrs.evolve(
            slots, unknown=tuple(s for s in slots.unknown if not slots.answered(s))
        )
    return slots


def slot_events(before: Slots, after: Slots, values: SlotValues) -> list[Emit]:
    """`seller.slot_filled` for each slot the values set or changed, with the
    seller's words it was read from."""
    words = dict(values.evidence)
    events = []
    for slot in fields_of(values):
        value = _value(after, slot)
        if value == _value(before, slot) and before.answered(slot):
            continue
        names = {
            Slot.MOTIVATION: ("motivation", "move_to"),
            Slot.TIMELINE: ("timeline_ok", "timeline_days"),
            Slot.CONDITION: ("condition",),
            Slot.PRICE: ("price", "price_low", "price_high"),
        }[slot]
        evidence = next((words[n].text for n in names if n in words), "")
        data: dict[str, str | int | float | bool | None] = {
            "slot": slot.value,
            "value": value,
        }
        if evidence:
            data["evidence"] = mask_phones(evidence)
        if before.answered(slot):
            data["corrected"] = True
        events.append(Emit(kind="seller.slot_filled", data=data))
    return events


def _value(slots: Slots, slot: Slot) -> str | int | bool | None:
    if slot is Slot.MOTIVATION:
        return slots.motivation.value if slots.motivation else None
    if slot is Slot.TIMELINE:
        return slots.timeline_ok
    if slot is Slot.CONDITION:
        return slots.condition.value if slots.condition else None
    return slots.price_low


def _name(state: ConversationState) -> str:
    return sms_name(state.first_name) or "A seller"


def _said(decision: Decision, text: str) -> str:
    act = decision.act
    words = act.evidence.text if act is not None and act.evidence else text
    return mask_phones(" ".join(words.split()))[:80]


def _pause(
    state: ConversationState, drafts: list[Draft], reason: str
) -> ConversationState:
    drafts.append(CancelFollowups())
    drafts.append(Emit(kind="seller.paused", data={"reason": reason}))
    return attrs.evolve(
        state, flags=attrs.evolve(state.flags, paused=True), followup_due=None
    )


def hold_for_agent(
    state: ConversationState,
    decision: Decision,
    text: str,
    cfg: SellerConfig,
    drafts: list[Draft],
) -> Result:
    """A message that may revoke consent: no automated text, Jorge decides."""
    state = _pause(state, drafts, "opt_out_unsure")
    drafts.append(
        NotifyAgent(
            text=(
                f'{_name(state)} may want no more texts: "{_said(decision, text)}". '
                "Bot paused until you resume or stop it."
            ),
            phone=cfg.agent_phone,
        )
    )
    return state, drafts


def dismiss(
    state: ConversationState,
    decision: Decision,
    cfg: SellerConfig,
    drafts: list[Draft],
    *,
    reply_to: str,
) -> Result:
    """Not selling, listed, sold, renting: one polite close, then the bot stops."""
    kind = decision.dismissal or DismissalKind.NOT_SELLING
    text = tpl.render(f"dismiss.{kind.value}", cfg.tone)
    drafts.append(
        Say(
            text=text,
            fallback=tpl.render("dismiss.not_selling", cfg.tone),
            reply_to=reply_to,
            bot_initiated=False,
            closing=True,
        )
    )
    tag = LISTED_TAG if kind is DismissalKind.LISTED else NOT_SELLING_TAG
    drafts.append(AddTags(tags=(tag,)))
    drafts.append(RemoveTags(tags=(cfg.activation_tag,)))
    drafts.append(CancelFollowups())
    drafts.append(
        Emit(kind="seller.paused", data={"reason": f"dismissal_{kind.value}"})
    )
    reasons = (*state.stop_reasons, "dismissal")
    state = attrs.evolve(
        state,
        flags=attrs.evolve(state.flags, stopped=True),
        stop_reasons=reasons,
        followup_due=None,
        offered_slots=(),
    )
    return state, drafts


def call_back(
    state: ConversationState,
    decision: Decision,
    text: str,
    cfg: SellerConfig,
    drafts: list[Draft],
    *,
    reply_to: str,
) -> Result:
    """The seller wants a call: say so, alert Jorge with the time, pause the bot."""
    when = " ".join((decision.call_time or "").split())
    if when and len(when) <= _WHEN_MAX:
        reply = tpl.render("call.when", cfg.tone, when=when, agent_name=cfg.agent_name)
    else:
        reply = tpl.render("call.any", cfg.tone, agent_name=cfg.agent_name)
    drafts.append(
        Say(
            text=reply,
            fallback=tpl.render("call.any", cfg.tone, agent_name=cfg.agent_name),
            reply_to=reply_to,
            bot_initiated=False,
            closing=True,
        )
    )
    asked = f" ({when})" if when else ""
    drafts.append(
        NotifyAgent(
            text=f'{_name(state)} asked for a call{asked}: "{_said(decision, text)}"',
            phone=cfg.agent_phone,
        )
    )
    state = _pause(state, drafts, "call_request")
    return state, drafts


def complain(
    state: ConversationState,
    decision: Decision,
    text: str,
    cfg: SellerConfig,
    drafts: list[Draft],
    *,
    reply_to: str,
) -> Result:
    """A complaint or hostility: a short apology and who is texting, nothing filled,
    no more nudges; Jorge sees it on the dashboard."""
    apology = tpl.render(
        "complaint",
        cfg.tone,
        agent_name=cfg.agent_name,
        business_name=cfg.business_name,
    )
    bot = decision.question is QuestionKind.BOT
    if bot:
        apology = f"Sorry about that. {answer_text(QuestionKind.BOT, cfg)}"
    drafts.append(
        Say(
            text=apology,
            fallback=tpl.render(
                "complaint",
                cfg.tone,
                agent_name=cfg.agent_name,
                business_name=cfg.business_name,
            ),
            reply_to=reply_to,
            bot_initiated=False,
            disclose=bot,
        )
    )
    drafts.append(
        NotifyAgent(
            text=f'{_name(state)} complained: "{_said(decision, text)}"', phone=""
        )
    )
    drafts.append(CancelFollowups())
    return attrs.evolve(state, followup_due=None), drafts


def correct_after(
    state: ConversationState,
    decision: Decision,
    now: datetime,
    cfg: SellerConfig,
    drafts: list[Draft],
    *,
    reply_to: str,
) -> Result:
    """A correction after qualification: the slot changes, the temperature is
    recomputed, the tags follow it and Jorge hears of a change."""
    before = state.slots
    slots = record_values(before, decision.values)
    drafts.extend(slot_events(before, slots, decision.values))
    was = state.temperature
    state = retemper(attrs.evolve(state, slots=slots), now, cfg, drafts)
    if state.temperature is not was:
        tag = _TEMPERATURE_TAGS[state.temperature]
        drafts.append(AddTags(tags=(tag,)))
        drafts.append(
            RemoveTags(tags=tuple(t for t in _TEMPERATURE_TAGS.values() if t != tag))
        )
        drafts.append(
            NotifyAgent(
                text=(
                    f"{_name(state)} corrected an answer: now "
                    f"{state.temperature.value.upper()} (was {was.value})."
                ),
                phone=cfg.agent_phone,
            )
        )
    price = decision.values
    if price.price_low is not None and price.price_high is not None:
        text = tpl.render(
            "corrected.price",
            cfg.tone,
            price=price_words(price.price_low, price.price_high),
        )
    else:
        text = tpl.render("corrected", cfg.tone, variant=state.turn)
    drafts.append(
        Say(
            text=text,
            fallback=tpl.render("corrected", cfg.tone),
            reply_to=reply_to,
            bot_initiated=False,
        )
    )
    return attrs.evolve(state, reply_to=reply_to), drafts
