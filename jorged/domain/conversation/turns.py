"""Carrying out a decision that is not a plain answer: hold, dismissal, call, complaint,
and the messages after qualification (SPEC 1.10). Pure; drafts only.

Each handler gets the state with the turn recorded and returns the next state and
its drafts, like the other seller handlers; `seller._finish` sends what may be sent.
"""

from __future__ import annotations

from datetime import datetime

import attrs

from jorged.config import SellerConfig
from jorged.domain.conversation import templates as tpl
from jorged.domain.conversation.acks import price_words
from jorged.domain.conversation.drafts import Draft, Result, Say, retemper
from jorged.domain.conversation.handoff import COLD_TAG, HOT_TAG, WARM_TAG
from jorged.domain.conversation.inputs import (
    AddTags,
    CancelFollowups,
    Emit,
    NotifyAgent,
    RemoveTags,
)
from jorged.domain.conversation.policy import Decision, fields_of
from jorged.domain.conversation.reply_words import answer_text, first_hello
from jorged.domain.conversation.state import (
    ConversationState,
    Direction,
    Hold,
    HoldReason,
    Slot,
    Slots,
    Temperature,
)
from jorged.domain.language import Language, evidence
from jorged.domain.reading.acts import DismissalKind, QuestionKind, SlotValues
from jorged.domain.texting.compliance import mask_phones
from jorged.domain.texting.sms_text import sms_name

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
#: The most of a seller's message a hold keeps.
_WORDS_MAX = 300


def record_values(slots: Slots, values: SlotValues) -> Slots:
    """The slots with the values the policy let through (a value replaces the old),
    each kept with the seller's words it was read from."""
    words = _words(values)
    recorded: list[str] = []
    if values.motivation is not None:
        slots = attrs.evolve(
            slots,
            motivation=values.motivation,
            move_to=values.move_to or slots.move_to,
        )
        recorded.append("motivation")
        if values.move_to:
            recorded.append("move_to")
    if values.urgency is not None and slots.urgency is None:
        slots = attrs.evolve(slots, urgency=values.urgency)
    if values.timeline_ok is not None:
        slots = attrs.evolve(
            slots,
            timeline_ok=values.timeline_ok,
            timeline_days=values.timeline_days,
            not_moving=values.not_moving,
        )
        recorded.append("timeline")
    elif values.not_moving:
        slots = attrs.evolve(slots, not_moving=True)
    if values.condition is not None:
        slots = attrs.evolve(slots, condition=values.condition)
        recorded.append("condition")
    if values.price_low is not None and values.price_high is not None:
        slots = attrs.evolve(
            slots, price_low=values.price_low, price_high=values.price_high
        )
        recorded.append("price")
    # A balance or someone else's estimate is kept beside the price, never as it.
    if values.owed is not None:
        slots = attrs.evolve(slots, owed=values.owed)
        recorded.append("owed")
    if values.estimate is not None:
        slots = attrs.evolve(slots, estimate=values.estimate)
        recorded.append("estimate")
    if any(slots.answered(s) for s in slots.unknown):
        slots = attrs.evolve(
            slots, unknown=tuple(s for s in slots.unknown if not slots.answered(s))
        )
    said = {name: words[name] for name in recorded if name in words}
    if said:
        kept = tuple((n, w) for n, w in slots.evidence if n not in recorded)
        slots = attrs.evolve(slots, evidence=kept + tuple(said.items()))
    return slots


#: Names a reader may give evidence under, and the value each stands for.
_EVIDENCE_NAMES = {"timeline_ok": "timeline", "timeline_days": "timeline"}


def _words(values: SlotValues) -> dict[str, str]:
    """The seller's words of each value read (the first evidence of each name); a
    motivation read from the place named keeps that place's words."""
    words: dict[str, str] = {}
    for name, found in values.evidence:
        words.setdefault(_EVIDENCE_NAMES.get(name, name), found.text)
    if "motivation" not in words and "move_to" in words:
        words["motivation"] = words["move_to"]
    return words


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
            Slot.TIMELINE: ("timeline", "timeline_ok", "timeline_days"),
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


def _message(text: str) -> str:
    """The seller's message as a hold keeps it: one line, phones masked, bounded."""
    return mask_phones(" ".join(text.split()))[:_WORDS_MAX]


def _pause(
    state: ConversationState, drafts: list[Draft], hold: Hold
) -> ConversationState:
    """Pause the bot for Jorge; the state records why (`hold`)."""
    drafts.append(CancelFollowups())
    drafts.append(Emit(kind="seller.paused", data={"reason": hold.reason.value}))
    return attrs.evolve(
        state,
        flags=attrs.evolve(state.flags, paused=True),
        followup_due=None,
        hold=hold,
    )


def hold_for_agent(
    state: ConversationState,
    decision: Decision,
    text: str,
    cfg: SellerConfig,
    drafts: list[Draft],
    *,
    now: datetime,
) -> Result:
    """A message that may revoke consent: no automated text, Jorge decides."""
    hold = Hold(reason=HoldReason.OPT_OUT_UNSURE, at=now, words=_message(text))
    state = _pause(state, drafts, hold)
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
    text = tpl.render(f"dismiss.{kind.value}", cfg.tone, lang=state.language)
    drafts.append(
        Say(
            text=text,
            fallback=tpl.render("dismiss.not_selling", cfg.tone, lang=state.language),
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
    now: datetime,
) -> Result:
    """The seller wants a call: say so, alert Jorge with the time, pause the bot."""
    asked_for = " ".join((decision.call_time or "").split())
    when = asked_for
    if state.language is Language.ES and evidence(when).leaning is not Language.ES:
        when = ""  # echoed in Spanish words only; Jorge's alert has the time
    if when and len(when) <= _WHEN_MAX:
        reply = tpl.render(
            "call.when",
            cfg.tone,
            lang=state.language,
            when=when,
            agent_name=cfg.agent_name,
        )
    else:
        reply = tpl.render(
            "call.any", cfg.tone, lang=state.language, agent_name=cfg.agent_name
        )
    if not any(e.direction is Direction.OUT for e in state.transcript):
        # The first text: a greeting, not "it's Jorge" before "I'll let Jorge know".
        hello = first_hello(
            cfg, first_name=state.first_name, lang=state.language, answer=reply
        )
        reply = f"{hello} {reply}" if hello else reply
    drafts.append(
        Say(
            text=reply,
            fallback=tpl.render(
                "call.any", cfg.tone, lang=state.language, agent_name=cfg.agent_name
            ),
            reply_to=reply_to,
            bot_initiated=False,
            closing=True,
        )
    )
    asked = f" ({asked_for})" if asked_for else ""
    drafts.append(
        NotifyAgent(
            text=f'{_name(state)} asked for a call{asked}: "{_said(decision, text)}"',
            phone=cfg.agent_phone,
        )
    )
    hold = Hold(
        reason=HoldReason.CALL_REQUEST,
        at=now,
        call_time=_message(when),
        words=_message(text),
    )
    state = _pause(state, drafts, hold)
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
        lang=state.language,
        agent_name=cfg.agent_name,
        business_name=cfg.business_name,
    )
    bot = decision.question is QuestionKind.BOT
    if bot:
        sorry = "Disculpe." if state.language is Language.ES else "Sorry about that."
        apology = f"{sorry} {answer_text(QuestionKind.BOT, cfg, state.language)}"
    drafts.append(
        Say(
            text=apology,
            fallback=tpl.render(
                "complaint",
                cfg.tone,
                lang=state.language,
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
            lang=state.language,
            price=price_words(price.price_low, price.price_high, state.language),
        )
    else:
        text = tpl.render(
            "corrected", cfg.tone, lang=state.language, variant=state.turn
        )
    drafts.append(
        Say(
            text=text,
            fallback=tpl.render("corrected", cfg.tone, lang=state.language),
            reply_to=reply_to,
            bot_initiated=False,
        )
    )
    return attrs.evolve(state, reply_to=reply_to), drafts
