"""Qualifying a seller: activation, inbound turns, slot filling, the next question.

`activate` starts a conversation (by tag, by inbound, or on restart) with the
opener and the first question. `on_inbound` records a turn, routes opt-out, opt-in
and HELP to `seller_consent`, replies after qualification to `seller_handoff`, and
everything else to the qualification turn: extract what the seller said, fill
slots, and ask the next open question, or qualify when none is left.
"""

from __future__ import annotations

import re
from datetime import datetime

import attrs

from jorged.config import SellerConfig
from jorged.domain import templates as tpl
from jorged.domain.compliance import (
    SMS_LIMIT,
    gsm7_length,
    is_help,
    is_opt_in,
    mask_phones,
)
from jorged.domain.extract import Extraction, extract
from jorged.domain.seller_consent import net_opt_out, opt_in, opt_out, say_help
from jorged.domain.seller_drafts import Draft, Result, Say, retemper
from jorged.domain.seller_followup import restart_cadence
from jorged.domain.seller_handoff import after_qualified, qualify
from jorged.domain.seller_io import Activate, ContactDetails, Emit, Inbound
from jorged.domain.seller_models import (
    ConversationState,
    Direction,
    Slot,
    Slots,
    Stage,
    Temperature,
    TemperatureChange,
    TranscriptEntry,
)

__all__ = [
    "activate",
    "on_activate",
    "on_contact",
    "on_inbound",
]

_ASK_STAGE = {
    Slot.MOTIVATION: Stage.Q_MOTIVATION,
    Slot.TIMELINE: Stage.Q_TIMELINE,
    Slot.CONDITION: Stage.Q_CONDITION,
    Slot.PRICE: Stage.Q_PRICE,
}
_WHO = re.compile(r"\bwho(?:s| is| are)? (?:this|you|that)\b", re.IGNORECASE)


# --- activation -----------------------------------------------------------------------


def _new_state(
    contact_id: str, now: datetime, *, first_name: str, phone: str, timezone: str
) -> ConversationState:
    return ConversationState(
        contact_id=contact_id,
        created_at=now,
        updated_at=now,
        first_name=first_name,
        phone=phone,
        timezone=timezone,
        temperature_history=(
            TemperatureChange(
                temperature=Temperature.COLD, at=now, reason="conversation started"
            ),
        ),
    )


def _with_contact(
    state: ConversationState, *, first_name: str, phone: str, timezone: str
) -> ConversationState:
    return attrs.evolve(
        state,
        first_name=state.first_name or first_name,
        phone=state.phone or phone,
        timezone=state.timezone or timezone,
    )


def on_contact(state: ConversationState, ev: ContactDetails) -> Result:
    """GHL's contact details fill what the conversation did not know yet."""
    new = _with_contact(
        state, first_name=ev.first_name, phone=ev.phone, timezone=ev.timezone
    )
    return (state, []) if new == state else (new, [])


def on_activate(
    state: ConversationState | None, ev: Activate, now: datetime, cfg: SellerConfig
) -> Result:
    return activate(
        state,
        ev.contact_id,
        now,
        cfg,
        source=ev.source,
        contact=(ev.first_name, ev.phone, ev.timezone),
    )


def activate(
    state: ConversationState | None,
    contact_id: str,
    now: datetime,
    cfg: SellerConfig,
    *,
    source: str,
    contact: tuple[str, str, str],
) -> Result:
    first_name, phone, timezone = contact
    if state is None:
        state = _new_state(
            contact_id, now, first_name=first_name, phone=phone, timezone=timezone
        )
    elif state.stage is not Stage.NEW:
        return state, []  # already running: an echo of the activation tag
    state = _with_contact(state, first_name=first_name, phone=phone, timezone=timezone)
    drafts: list[Draft] = [Emit(kind="seller.activated", data={"source": source})]
    state = attrs.evolve(state, activated_at=now)
    return _ask_next(state, now, cfg, drafts, reply_to=None, ack=False, opener=True)


# --- inbound turns --------------------------------------------------------------------


def on_inbound(
    state: ConversationState | None, ev: Inbound, now: datetime, cfg: SellerConfig
) -> Result:
    seen = {e.message_id for e in state.transcript} if state is not None else set()
    messages = []
    for m in ev.messages:
        if m.message_id not in seen:
            seen.add(m.message_id)
            messages.append(m)
    if not messages:
        return state, []
    texts = [m.text for m in messages]
    opting_out = net_opt_out(texts)
    drafts: list[Draft] = []
    if state is None:
        if not cfg.engage_on_inbound and not opting_out:
            return None, []
        state = _new_state(
            ev.contact_id,
            now,
            first_name=ev.first_name,
            phone=ev.phone,
            timezone=ev.timezone,
        )
        drafts.append(Emit(kind="seller.activated", data={"source": "inbound"}))
    state = _with_contact(
        state, first_name=ev.first_name, phone=ev.phone, timezone=ev.timezone
    )
    turn = state.turn + 1
    entries = tuple(
        TranscriptEntry(
            direction=Direction.IN, text=m.text, at=m.at, message_id=m.message_id
        )
        for m in messages
    )
    last_at = max(m.at for m in messages)
    state = attrs.evolve(
        state,
        turn=turn,
        transcript=state.transcript + entries,
        last_inbound_at=max(last_at, state.last_inbound_at or last_at),
    )
    drafts.extend(
        Emit(
            kind="seller.message_received",
            data={
                "message_id": m.message_id,
                "text": mask_phones(m.text),
                "turn": turn,
            },
        )
        for m in messages
    )
    reply_to = messages[-1].message_id
    if state.flags.stalled:
        state = attrs.evolve(state, flags=attrs.evolve(state.flags, stalled=False))
    if opting_out is True:
        if state.flags.opted_out:
            return state, drafts
        return opt_out(state, now, cfg, drafts, source="sms", reply_to=reply_to)
    if state.flags.opted_out:
        if opting_out is False:
            return opt_in(state, now, cfg, drafts, reply_to=reply_to)
        return state, drafts
    content = [t for t in texts if not is_help(t) and not is_opt_in(t)]
    if any(is_help(t) for t in texts):
        drafts.append(say_help(cfg, reply_to))
    if state.flags.paused or state.flags.stopped or not content:
        return state, drafts
    text = "\n".join(content)
    if state.stage is Stage.QUALIFIED:
        return after_qualified(state, text, now, cfg, drafts, reply_to=reply_to)
    return _qualify_turn(state, text, now, cfg, drafts, reply_to=reply_to)


def _qualify_turn(
    state: ConversationState,
    text: str,
    now: datetime,
    cfg: SellerConfig,
    drafts: list[Draft],
    *,
    reply_to: str,
) -> Result:
    ex = extract(text, state.slots.open_slots, now=now, asking=state.asking)
    slots = _apply(state.slots, ex)
    filled = [s for s in Slot if slots.answered(s) and not state.slots.answered(s)]
    drafts.extend(
        Emit(
            kind="seller.slot_filled",
            data={"slot": slot.value, "value": _value(slots, slot)},
        )
        for slot in filled
    )
    unclear = 0
    asking = state.asking
    who = bool(_WHO.search(text))
    if not filled and asking is not None and slots.is_open(asking) and not who:
        unclear = state.unclear + 1
        if unclear >= 2:
            slots = attrs.evolve(slots, unknown=(*slots.unknown, asking))
            drafts.append(
                Emit(
                    kind="seller.slot_filled",
                    data={"slot": asking.value, "value": "unknown"},
                )
            )
            unclear = 0
    state = attrs.evolve(state, slots=slots, unclear=unclear)
    state = retemper(state, now, cfg, drafts)
    prefix = ""
    if who:
        prefix = tpl.render(
            "who", cfg.tone, agent_name=cfg.agent_name, business_name=cfg.business_name
        )
    no_reply_yet = not any(e.direction is Direction.OUT for e in state.transcript)
    return _ask_next(
        state,
        now,
        cfg,
        drafts,
        reply_to=reply_to,
        ack=bool(filled),
        opener=no_reply_yet,
        prefix=prefix,
    )


def _apply(slots: Slots, ex: Extraction) -> Slots:
    """The slots with what the extraction found (a found value replaces the old)."""
    if ex.motivation is not None:
        slots = attrs.evolve(
            slots, motivation=ex.motivation, move_to=ex.move_to or slots.move_to
        )
    if ex.urgency is not None and slots.urgency is None:
        slots = attrs.evolve(slots, urgency=ex.urgency)
    if ex.timeline_ok is not None:
        slots = attrs.evolve(
            slots,
            timeline_ok=ex.timeline_ok,
            timeline_days=ex.timeline_days,
            not_moving=ex.not_moving,
        )
    if ex.condition is not None:
        slots = attrs.evolve(slots, condition=ex.condition)
    if ex.price is not None:
        slots = attrs.evolve(slots, price_low=ex.price.low, price_high=ex.price.high)
    return slots


def _value(slots: Slots, slot: Slot) -> str | int | bool | None:
    if slot is Slot.MOTIVATION:
        return slots.motivation.value if slots.motivation else None
    if slot is Slot.TIMELINE:
        return slots.timeline_ok
    if slot is Slot.CONDITION:
        return slots.condition.value if slots.condition else None
    return slots.price_low


# --- the next question ----------------------------------------------------------------


def _ask_next(
    state: ConversationState,
    now: datetime,
    cfg: SellerConfig,
    drafts: list[Draft],
    *,
    reply_to: str | None,
    ack: bool,
    opener: bool,
    prefix: str = "",
) -> Result:
    open_slots = state.slots.open_slots
    if not open_slots:
        return qualify(state, now, cfg, drafts, reply_to=reply_to)
    slot = open_slots[0]
    again = slot is state.asking
    key = tpl.reask_key(slot) if again else tpl.question_key(slot)
    question = tpl.render(key, cfg.tone)
    hello = (
        tpl.opener(cfg.opener, first_name=state.first_name, agent_name=cfg.agent_name)
        if opener
        else ""
    )
    leads = [prefix, tpl.render("ack", cfg.tone, variant=state.turn) if ack else ""]
    drafts.extend(
        Say(
            text=text,
            fallback=question,
            reply_to=reply_to,
            bot_initiated=reply_to is None,
        )
        for text in _fit(hello, [p for p in leads if p], question)
    )
    state = attrs.evolve(
        state,
        stage=_ASK_STAGE[slot],
        asking=slot,
        unclear=state.unclear if again else 0,
    )
    return restart_cadence(state, now, cfg, drafts)


def _fit(opener: str, leads: list[str], question: str) -> list[str]:
    """The question with the opener and as many lead-ins as fit in one text.

    When the opener does not fit beside the question it goes first on its own.
    """
    for keep in range(len(leads), -1, -1):
        text = " ".join([p for p in (opener, *leads[:keep], question) if p])
        if gsm7_length(text) <= SMS_LIMIT:
            return [text]
    for keep in range(len(leads), -1, -1):
        text = " ".join([*leads[:keep], question])
        if gsm7_length(text) <= SMS_LIMIT:
            return [opener, text] if opener else [text]
    return [opener, question] if opener else [question]
