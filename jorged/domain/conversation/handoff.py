"""The seller conversation once qualification is done: tags, hand-off, booking.

`qualify` closes the questions: it tags the contact by temperature, and for a hot
seller triggers the workflow, alerts the agent and asks for calendar slots. The
rest handle what follows: offering the free slots, reading the seller's choice,
the booking's result, and replies that come after qualification.

Tags the bot adds itself (`Hot-Seller`, `Warm-Seller`, `Cold-Seller`,
`Seller-Qualified`) are the constants here.
"""

from __future__ import annotations

from datetime import datetime

import attrs

from jorged.config import SellerConfig
from jorged.domain.conversation import templates as tpl
from jorged.domain.conversation.booking import Choice, parse_choice
from jorged.domain.conversation.drafts import Draft, Result, Say, zone_of
from jorged.domain.conversation.followup import restart_cadence
from jorged.domain.conversation.inputs import (
    AddTags,
    BookAppointment,
    BookingResult,
    CalendarSlots,
    CancelFollowups,
    Emit,
    FetchCalendarSlots,
    NotifyAgent,
    RemoveTags,
    TriggerWorkflow,
)
from jorged.domain.conversation.state import ConversationState, Stage, Temperature
from jorged.domain.texting.compliance import mask_phones
from jorged.domain.texting.sms_text import sms_name, sms_phrase

__all__ = [
    "COLD_TAG",
    "HOT_TAG",
    "QUALIFIED_TAG",
    "WARM_TAG",
    "after_qualified",
    "on_booking",
    "on_calendar",
    "qualify",
]

HOT_TAG = "Hot-Seller"
WARM_TAG = "Warm-Seller"
COLD_TAG = "Cold-Seller"
QUALIFIED_TAG = "Seller-Qualified"
_TEMPERATURE_TAGS = {
    Temperature.HOT: HOT_TAG,
    Temperature.WARM: WARM_TAG,
    Temperature.COLD: COLD_TAG,
}


def qualify(
    state: ConversationState,
    now: datetime,
    cfg: SellerConfig,
    drafts: list[Draft],
    *,
    reply_to: str | None,
) -> Result:
    temp = state.temperature
    state = attrs.evolve(
        state,
        stage=Stage.QUALIFIED,
        asking=None,
        unclear=0,
        qualified_at=now,
        reply_to=reply_to,
    )
    add = [_TEMPERATURE_TAGS[temp]]
    if temp is Temperature.HOT:
        add.append(QUALIFIED_TAG)
    remove = [t for t in _TEMPERATURE_TAGS.values() if t not in add]
    drafts.append(AddTags(tags=tuple(add)))
    drafts.append(RemoveTags(tags=(*remove, cfg.activation_tag)))
    drafts.append(
        Emit(
            kind="seller.qualified",
            data={
                "temperature": temp.value,
                "questions_answered": state.slots.answered_count,
            },
        )
    )
    drafts.append(CancelFollowups())
    if temp is Temperature.HOT:
        drafts.append(TriggerWorkflow(purpose="hot_seller"))
        drafts.append(NotifyAgent(text=_hot_summary(state), phone=cfg.agent_phone))
        drafts.append(FetchCalendarSlots())
        return attrs.evolve(state, followup_due=None), drafts
    key = f"close.{temp.value}"
    text = tpl.render(key, cfg.tone, lang=state.language, first_name=state.first_name)
    drafts.append(
        Say(
            text=text,
            fallback=tpl.render(key, cfg.tone, lang=state.language),
            reply_to=reply_to,
            bot_initiated=reply_to is None,
        )
    )
    return restart_cadence(state, now, cfg, drafts)


def _hot_summary(state: ConversationState) -> str:
    s = state.slots
    name = sms_name(state.first_name) or "A seller"
    parts = [f"Hot seller: {name}"]
    if s.motivation is not None:
        place = sms_phrase(s.move_to or "")
        where = f" to {place}" if place else ""
        parts.append(f"{s.motivation.value.replace('_', ' ')}{where}")
    if s.condition is not None:
        parts.append(s.condition.value.replace("_", " "))
    if s.price_low is not None:
        parts.append(f"wants {s.price_low // 1000}k")
    return ", ".join(parts) + "."


def on_calendar(
    state: ConversationState, ev: CalendarSlots, now: datetime, cfg: SellerConfig
) -> Result:
    if (
        state.stage is not Stage.QUALIFIED
        or state.temperature is not Temperature.HOT
        or state.flags.booked
        or state.offered_slots
        or state.booking_slot is not None
    ):
        return state, []
    free = sorted(s for s in ev.slots if s > now)[:2]
    drafts: list[Draft] = []
    if not free:
        text = tpl.render(
            "close.hot", cfg.tone, lang=state.language, first_name=state.first_name
        )
        drafts.append(
            _reply(text, tpl.render("close.hot", cfg.tone, lang=state.language), state)
        )
        return state, drafts
    zone = zone_of(state, cfg)
    names = [tpl.format_slot(s, now=now, zone=zone, lang=state.language) for s in free]
    key = "offer.two" if len(free) > 1 else "offer.one"
    text = tpl.render(
        key,
        cfg.tone,
        lang=state.language,
        first_name=state.first_name,
        first=names[0],
        second=names[-1],
    )
    short = tpl.render(
        f"{key}.short", cfg.tone, lang=state.language, first=names[0], second=names[-1]
    )
    drafts.append(_reply(text, short, state))
    drafts.append(
        Emit(
            kind="appointment.offered",
            data={"slots": ",".join(s.isoformat() for s in free), "count": len(free)},
        )
    )
    return attrs.evolve(state, offered_slots=tuple(free), offer_unclear=0), drafts


def _reply(text: str, fallback: str, state: ConversationState) -> Say:
    """A text answering the seller's last message of the qualified conversation."""
    return Say(
        text=text,
        fallback=fallback,
        reply_to=state.reply_to,
        bot_initiated=state.reply_to is None,
    )


def after_qualified(
    state: ConversationState,
    text: str,
    now: datetime,
    cfg: SellerConfig,
    drafts: list[Draft],
    *,
    reply_to: str,
) -> Result:
    state = attrs.evolve(state, reply_to=reply_to)
    if state.offered_slots and not state.flags.booked and state.booking_slot is None:
        choice = parse_choice(
            text, state.offered_slots, zone=zone_of(state, cfg), now=now
        )
        return _on_choice(state, choice, now, cfg, drafts)
    drafts.append(
        NotifyAgent(
            text=f"{state.first_name or 'A seller'} replied: {mask_phones(text)}",
            phone="",
        )
    )
    if state.temperature is Temperature.HOT:
        return state, drafts
    return restart_cadence(state, now, cfg, drafts)


def _on_choice(
    state: ConversationState,
    choice: Choice,
    now: datetime,
    cfg: SellerConfig,
    drafts: list[Draft],
) -> Result:
    offered = state.offered_slots
    if isinstance(choice, int):
        slot = offered[choice]
        drafts.append(BookAppointment(slot=slot))
        return attrs.evolve(state, booking_slot=slot), drafts
    if choice is None and state.offer_unclear == 0:
        zone = zone_of(state, cfg)
        names = [
            tpl.format_slot(s, now=now, zone=zone, lang=state.language) for s in offered
        ]
        key = "offer.again" if len(offered) > 1 else "offer.again.one"
        text = tpl.render(
            key, cfg.tone, lang=state.language, first=names[0], second=names[-1]
        )
        drafts.append(
            _reply(text, tpl.render("call_today", cfg.tone, lang=state.language), state)
        )
        return attrs.evolve(state, offer_unclear=1), drafts
    text = tpl.render("call_today", cfg.tone, lang=state.language)
    drafts.append(_reply(text, text, state))
    drafts.append(
        NotifyAgent(
            text=f"{state.first_name or 'A hot seller'} picked no time, call them.",
            phone=cfg.agent_phone,
        )
    )
    return attrs.evolve(state, offered_slots=(), offer_unclear=0), drafts


def on_booking(
    state: ConversationState, ev: BookingResult, now: datetime, cfg: SellerConfig
) -> Result:
    if state.booking_slot is None or ev.slot != state.booking_slot:
        return state, []
    drafts: list[Draft] = []
    if ev.ok:
        name = tpl.format_slot(
            ev.slot, now=now, zone=zone_of(state, cfg), lang=state.language
        )
        text = tpl.render("booked", cfg.tone, lang=state.language, slot=name)
        drafts.append(_reply(text, text, state))
        drafts.append(CancelFollowups())
        drafts.append(
            Emit(kind="appointment.booked", data={"slot": ev.slot.isoformat()})
        )
        state = attrs.evolve(
            state,
            flags=attrs.evolve(state.flags, booked=True),
            appointment_at=ev.slot,
            booking_slot=None,
            offered_slots=(),
            followup_due=None,
        )
        return state, drafts
    text = tpl.render("booking_failed", cfg.tone, lang=state.language)
    drafts.append(_reply(text, text, state))
    drafts.append(
        NotifyAgent(
            text=f"Booking failed for {state.first_name or 'a hot seller'}: "
            f"{ev.detail or 'no reason given'}. Call them.",
            phone=cfg.agent_phone,
        )
    )
    return attrs.evolve(state, booking_slot=None, offered_slots=()), drafts
