"""The seller conversation as a pure state machine (SPEC 1).

`step(state, event, now, cfg)` returns the next state and the actions to take. The
handlers below draft what to say; `_finish` is the single exit every step goes
through, and it is where the rules that must never break are enforced:

- once a contact has opted out, no text leaves, except the one confirmation of the
  step in which the opt-out happened (START / UNSTOP lifts it);
- a paused or stopped conversation sends nothing but compliance replies;
- at most `max_bot_messages` texts per `max_bot_messages_days`;
- every text passes `compliance.enforce_outbound`; bot-initiated texts that fall in
  quiet hours carry the instant the window opens;
- CRM fields are written whenever they change;
- the stall check follows the state: set again whenever the moment the
  conversation would stall moves, dropped when it can no longer stall;
- what is sent is what the transcript records.

Tags the bot adds itself (`Hot-Seller`, `Warm-Seller`, `Cold-Seller`,
`Seller-Qualified`) are module constants. `Seller-Qualified` is also a stop tag:
its echo for a contact the bot itself qualified as hot is not read as a stop, so
the calendar hand-off can finish.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import attrs

from jorged.config import SellerConfig
from jorged.domain import templates as tpl
from jorged.domain.booking import Choice, parse_choice
from jorged.domain.cadence import followup_due, stall_due
from jorged.domain.compliance import (
    SMS_LIMIT,
    contact_zone,
    enforce_outbound,
    gsm7_length,
    is_help,
    is_opt_in,
    is_opt_out,
    mask_phones,
    next_allowed,
)
from jorged.domain.extract import Extraction, extract
from jorged.domain.seller_io import (
    Activate,
    AddTags,
    BookAppointment,
    BookingResult,
    CalendarSlots,
    CancelFollowups,
    CancelStallCheck,
    Command,
    DndChanged,
    Emit,
    EventData,
    FetchCalendarSlots,
    FollowupDue,
    HumanOutbound,
    Inbound,
    NotifyAgent,
    RemoveTags,
    ScheduleFollowup,
    ScheduleStallCheck,
    SellerAction,
    SellerInput,
    SendSms,
    SetDnd,
    StallCheck,
    TagsChanged,
    TriggerWorkflow,
    UpdateFields,
)
from jorged.domain.seller_models import (
    TRANSCRIPT_MAX,
    ConversationState,
    Direction,
    Slot,
    Slots,
    Stage,
    Temperature,
    TemperatureChange,
    TranscriptEntry,
)
from jorged.domain.temperature import classify, crm_fields

__all__ = [
    "COLD_TAG",
    "HOT_TAG",
    "QUALIFIED_TAG",
    "WARM_TAG",
    "conversation_view",
    "step",
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
_ASK_STAGE = {
    Slot.MOTIVATION: Stage.Q_MOTIVATION,
    Slot.TIMELINE: Stage.Q_TIMELINE,
    Slot.CONDITION: Stage.Q_CONDITION,
    Slot.PRICE: Stage.Q_PRICE,
}
_WHO = re.compile(r"\bwho(?:s| is| are)? (?:this|you|that)\b", re.IGNORECASE)


@attrs.frozen(kw_only=True)
class _Say:
    """A text drafted by a handler; `_finish` decides whether and how it goes out."""

    text: str
    fallback: str
    reply_to: str | None
    bot_initiated: bool
    #: Opt-out / opt-in confirmations and HELP: sent even when paused or capped.
    compliance: bool = False
    opt_out_confirmation: bool = False


_Draft = SellerAction | _Say
_Result = tuple[ConversationState | None, list[_Draft]]


def step(
    state: ConversationState | None,
    event: SellerInput,
    now: datetime,
    cfg: SellerConfig,
) -> tuple[ConversationState | None, tuple[SellerAction, ...]]:
    """The next state of a conversation and the actions to take, in order."""
    if now.tzinfo is None:
        msg = "now: must be a timezone-aware datetime"
        raise ValueError(msg)
    new, drafts = _dispatch(state, event, now, cfg)
    if new is None:
        return None, ()
    if new is state and not drafts:
        return state, ()
    return _finish(state, new, drafts, now, cfg)


def _dispatch(
    state: ConversationState | None,
    event: SellerInput,
    now: datetime,
    cfg: SellerConfig,
) -> _Result:
    match event:
        case Activate():
            return _on_activate(state, event, now, cfg)
        case Inbound():
            return _on_inbound(state, event, now, cfg)
        case TagsChanged():
            return _on_tags(state, event, now, cfg)
        case _ if state is None:
            return None, []
        case HumanOutbound():
            return _on_human(state, event)
        case DndChanged():
            return _on_dnd(state, event, now, cfg)
        case Command():
            return _on_command(state, event, now, cfg)
        case FollowupDue():
            return _on_followup(state, event, now, cfg)
        case CalendarSlots():
            return _on_calendar(state, event, now, cfg)
        case BookingResult():
            return _on_booking(state, event, now, cfg)
        case StallCheck():
            return _check_stall(state, now, cfg, [])
    msg = f"event: unsupported seller input {type(event).__name__}"
    raise TypeError(msg)


# --- activation -------------------------------------------------------------------


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


def _on_activate(
    state: ConversationState | None, ev: Activate, now: datetime, cfg: SellerConfig
) -> _Result:
    return _activate(
        state,
        ev.contact_id,
        now,
        cfg,
        source=ev.source,
        contact=(ev.first_name, ev.phone, ev.timezone),
    )


def _activate(
    state: ConversationState | None,
    contact_id: str,
    now: datetime,
    cfg: SellerConfig,
    *,
    source: str,
    contact: tuple[str, str, str],
) -> _Result:
    first_name, phone, timezone = contact
    if state is None:
        state = _new_state(
            contact_id, now, first_name=first_name, phone=phone, timezone=timezone
        )
    elif state.stage is not Stage.NEW:
        return state, []  # already running: an echo of the activation tag
    state = _with_contact(state, first_name=first_name, phone=phone, timezone=timezone)
    drafts: list[_Draft] = [Emit(kind="seller.activated", data={"source": source})]
    state = attrs.evolve(state, activated_at=now)
    return _ask_next(state, now, cfg, drafts, reply_to=None, ack=False, opener=True)


# --- inbound ----------------------------------------------------------------------


def _on_inbound(
    state: ConversationState | None, ev: Inbound, now: datetime, cfg: SellerConfig
) -> _Result:
    seen = {e.message_id for e in state.transcript} if state is not None else set()
    messages = []
    for m in ev.messages:
        if m.message_id not in seen:
            seen.add(m.message_id)
            messages.append(m)
    if not messages:
        return state, []
    texts = [m.text for m in messages]
    opting_out = _net_opt_out(texts)
    drafts: list[_Draft] = []
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
        return _opt_out(state, now, cfg, drafts, source="sms", reply_to=reply_to)
    if state.flags.opted_out:
        if opting_out is False:
            return _opt_in(state, now, cfg, drafts, reply_to=reply_to)
        return state, drafts
    content = [t for t in texts if not is_help(t) and not is_opt_in(t)]
    if any(is_help(t) for t in texts):
        drafts.append(_say_help(cfg, reply_to))
    if state.flags.paused or state.flags.stopped or not content:
        return state, drafts
    text = "\n".join(content)
    if state.stage is Stage.QUALIFIED:
        return _after_qualified(state, text, now, cfg, drafts, reply_to=reply_to)
    return _qualify_turn(state, text, now, cfg, drafts, reply_to=reply_to)


def _net_opt_out(texts: list[str]) -> bool | None:
    """True when the turn ends opted out, False when it ends opted in, else None."""
    result: bool | None = None
    for text in texts:
        if is_opt_out(text):
            result = True
        elif is_opt_in(text):
            result = False
    return result


def _say_help(cfg: SellerConfig, reply_to: str | None) -> _Say:
    text = tpl.render(
        "help", cfg.tone, agent_name=cfg.agent_name, business_name=cfg.business_name
    )
    return _Say(
        text=text,
        fallback=f"{cfg.business_name}: reply STOP to opt out.",
        reply_to=reply_to,
        bot_initiated=False,
        compliance=True,
    )


def _opt_out(
    state: ConversationState,
    now: datetime,
    cfg: SellerConfig,
    drafts: list[_Draft],
    *,
    source: str,
    reply_to: str | None,
) -> _Result:
    state = attrs.evolve(
        state,
        flags=attrs.evolve(state.flags, opted_out=True),
        opt_out_source=source,
        followup_due=None,
        offered_slots=(),
        booking_slot=None,
    )
    if source == "sms":
        drafts.append(
            _Say(
                text=tpl.OPT_OUT_CONFIRMATION,
                fallback=tpl.OPT_OUT_CONFIRMATION,
                reply_to=reply_to,
                bot_initiated=False,
                compliance=True,
                opt_out_confirmation=True,
            )
        )
        drafts.append(SetDnd(dnd=True))
    drafts.append(CancelFollowups())
    drafts.append(Emit(kind="seller.opted_out", data={"source": source}))
    state = _retemper(state, now, cfg, drafts)
    return state, drafts


def _opt_in(
    state: ConversationState,
    now: datetime,
    cfg: SellerConfig,
    drafts: list[_Draft],
    *,
    reply_to: str | None,
) -> _Result:
    state = attrs.evolve(
        state, flags=attrs.evolve(state.flags, opted_out=False), opt_out_source=""
    )
    if reply_to is not None:
        drafts.append(
            _Say(
                text=tpl.render("opt_in", cfg.tone, business_name=cfg.business_name),
                fallback="You're resubscribed. Reply STOP to opt out.",
                reply_to=reply_to,
                bot_initiated=False,
                compliance=True,
            )
        )
        drafts.append(SetDnd(dnd=False))
    drafts.append(Emit(kind="seller.resumed", data={"reason": "opted_in"}))
    state = _retemper(state, now, cfg, drafts)
    return _restart_cadence(state, now, cfg, drafts)


def _qualify_turn(
    state: ConversationState,
    text: str,
    now: datetime,
    cfg: SellerConfig,
    drafts: list[_Draft],
    *,
    reply_to: str,
) -> _Result:
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
    state = _retemper(state, now, cfg, drafts)
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


def _ask_next(
    state: ConversationState,
    now: datetime,
    cfg: SellerConfig,
    drafts: list[_Draft],
    *,
    reply_to: str | None,
    ack: bool,
    opener: bool,
    prefix: str = "",
) -> _Result:
    open_slots = state.slots.open_slots
    if not open_slots:
        return _qualify(state, now, cfg, drafts, reply_to=reply_to)
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
        _Say(
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
    return _restart_cadence(state, now, cfg, drafts)


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


# --- qualification done -----------------------------------------------------------


def _qualify(
    state: ConversationState,
    now: datetime,
    cfg: SellerConfig,
    drafts: list[_Draft],
    *,
    reply_to: str | None,
) -> _Result:
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
    text = tpl.render(key, cfg.tone, first_name=state.first_name)
    drafts.append(
        _Say(
            text=text,
            fallback=tpl.render(key, cfg.tone),
            reply_to=reply_to,
            bot_initiated=reply_to is None,
        )
    )
    return _restart_cadence(state, now, cfg, drafts)


def _hot_summary(state: ConversationState) -> str:
    s = state.slots
    name = state.first_name or "A seller"
    parts = [f"Hot seller: {name}"]
    if s.motivation is not None:
        where = f" to {s.move_to}" if s.move_to else ""
        parts.append(f"{s.motivation.value.replace('_', ' ')}{where}")
    if s.condition is not None:
        parts.append(s.condition.value.replace("_", " "))
    if s.price_low is not None:
        parts.append(f"wants {s.price_low // 1000}k")
    return ", ".join(parts) + "."


def _on_calendar(
    state: ConversationState, ev: CalendarSlots, now: datetime, cfg: SellerConfig
) -> _Result:
    if (
        state.stage is not Stage.QUALIFIED
        or state.temperature is not Temperature.HOT
        or state.flags.booked
        or state.offered_slots
        or state.booking_slot is not None
    ):
        return state, []
    free = sorted(s for s in ev.slots if s > now)[:2]
    drafts: list[_Draft] = []
    if not free:
        text = tpl.render("close.hot", cfg.tone, first_name=state.first_name)
        drafts.append(_reply(text, tpl.render("close.hot", cfg.tone), state))
        return state, drafts
    zone = _zone(state, cfg)
    names = [tpl.format_slot(s, now=now, zone=zone) for s in free]
    key = "offer.two" if len(free) > 1 else "offer.one"
    text = tpl.render(
        key, cfg.tone, first_name=state.first_name, first=names[0], second=names[-1]
    )
    short = tpl.render(f"{key}.short", cfg.tone, first=names[0], second=names[-1])
    drafts.append(_reply(text, short, state))
    drafts.append(
        Emit(
            kind="appointment.offered",
            data={"slots": ",".join(s.isoformat() for s in free), "count": len(free)},
        )
    )
    return attrs.evolve(state, offered_slots=tuple(free), offer_unclear=0), drafts


def _reply(text: str, fallback: str, state: ConversationState) -> _Say:
    """A text answering the seller's last message of the qualified conversation."""
    return _Say(
        text=text,
        fallback=fallback,
        reply_to=state.reply_to,
        bot_initiated=state.reply_to is None,
    )


def _after_qualified(
    state: ConversationState,
    text: str,
    now: datetime,
    cfg: SellerConfig,
    drafts: list[_Draft],
    *,
    reply_to: str,
) -> _Result:
    state = attrs.evolve(state, reply_to=reply_to)
    if state.offered_slots and not state.flags.booked and state.booking_slot is None:
        choice = parse_choice(
            text, state.offered_slots, zone=_zone(state, cfg), now=now
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
    return _restart_cadence(state, now, cfg, drafts)


def _on_choice(
    state: ConversationState,
    choice: Choice,
    now: datetime,
    cfg: SellerConfig,
    drafts: list[_Draft],
) -> _Result:
    offered = state.offered_slots
    if isinstance(choice, int):
        slot = offered[choice]
        drafts.append(BookAppointment(slot=slot))
        return attrs.evolve(state, booking_slot=slot), drafts
    if choice is None and state.offer_unclear == 0:
        zone = _zone(state, cfg)
        names = [tpl.format_slot(s, now=now, zone=zone) for s in offered]
        key = "offer.again" if len(offered) > 1 else "offer.again.one"
        text = tpl.render(key, cfg.tone, first=names[0], second=names[-1])
        drafts.append(_reply(text, tpl.render("call_today", cfg.tone), state))
        return attrs.evolve(state, offer_unclear=1), drafts
    text = tpl.render("call_today", cfg.tone)
    drafts.append(_reply(text, text, state))
    drafts.append(
        NotifyAgent(
            text=f"{state.first_name or 'A hot seller'} picked no time, call them.",
            phone=cfg.agent_phone,
        )
    )
    return attrs.evolve(state, offered_slots=(), offer_unclear=0), drafts


def _on_booking(
    state: ConversationState, ev: BookingResult, now: datetime, cfg: SellerConfig
) -> _Result:
    if state.booking_slot is None or ev.slot != state.booking_slot:
        return state, []
    drafts: list[_Draft] = []
    if ev.ok:
        name = tpl.format_slot(ev.slot, now=now, zone=_zone(state, cfg))
        text = tpl.render("booked", cfg.tone, slot=name)
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
    text = tpl.render("booking_failed", cfg.tone)
    drafts.append(_reply(text, text, state))
    drafts.append(
        NotifyAgent(
            text=f"Booking failed for {state.first_name or 'a hot seller'}: "
            f"{ev.detail or 'no reason given'}. Call them.",
            phone=cfg.agent_phone,
        )
    )
    return attrs.evolve(state, booking_slot=None, offered_slots=()), drafts


# --- tags, people, commands -------------------------------------------------------


def _on_tags(
    state: ConversationState | None, ev: TagsChanged, now: datetime, cfg: SellerConfig
) -> _Result:
    drafts: list[_Draft] = []
    if state is None or state.stage is Stage.NEW:
        if cfg.activation_tag in ev.added and not set(ev.added) & set(cfg.stop_tags):
            return _activate(
                state,
                ev.contact_id,
                now,
                cfg,
                source="tag",
                contact=(ev.first_name, ev.phone, ev.timezone),
            )
        if state is None:
            return None, []
    own_hot = state.stage is Stage.QUALIFIED and state.temperature is Temperature.HOT
    reasons = list(state.stop_reasons)
    for tag in ev.added:
        if tag in cfg.stop_tags and tag not in reasons:
            if tag == QUALIFIED_TAG and own_hot:
                continue  # the echo of the tag the bot added itself
            reasons.append(tag)
    reasons = [r for r in reasons if r not in ev.removed]
    was_stopped = state.flags.stopped
    state = attrs.evolve(
        state,
        stop_reasons=tuple(reasons),
        flags=attrs.evolve(state.flags, stopped=bool(reasons)),
    )
    if state.flags.stopped and not was_stopped:
        drafts.append(CancelFollowups())
        drafts.append(Emit(kind="seller.paused", data={"reason": "stop_tag"}))
        state = attrs.evolve(state, followup_due=None)
    if cfg.pause_tag in ev.added and not state.flags.paused:
        state, drafts = _pause(state, drafts, reason="tag")
    if cfg.pause_tag in ev.removed and state.flags.paused:
        state, drafts = _resume(state, now, cfg, drafts, reason="tag")
    elif was_stopped and not state.flags.stopped and not state.flags.paused:
        drafts.append(Emit(kind="seller.resumed", data={"reason": "stop_tag_removed"}))
        return _restart_cadence(state, now, cfg, drafts)
    return state, drafts


def _pause(
    state: ConversationState, drafts: list[_Draft], *, reason: str
) -> tuple[ConversationState, list[_Draft]]:
    drafts.append(CancelFollowups())
    drafts.append(Emit(kind="seller.paused", data={"reason": reason}))
    flags = attrs.evolve(state.flags, paused=True)
    return attrs.evolve(state, flags=flags, followup_due=None), drafts


def _resume(
    state: ConversationState,
    now: datetime,
    cfg: SellerConfig,
    drafts: list[_Draft],
    *,
    reason: str,
) -> tuple[ConversationState, list[_Draft]]:
    state = attrs.evolve(state, flags=attrs.evolve(state.flags, paused=False))
    drafts.append(Emit(kind="seller.resumed", data={"reason": reason}))
    resumed, drafts = _restart_cadence(state, now, cfg, drafts)
    return resumed or state, drafts


def _on_human(state: ConversationState, ev: HumanOutbound) -> _Result:
    if any(e.message_id == ev.message_id for e in state.transcript):
        return state, []
    entry = TranscriptEntry(
        direction=Direction.OUT, text=ev.text, at=ev.at, message_id=ev.message_id
    )
    state = attrs.evolve(state, transcript=(*state.transcript, entry))
    if state.flags.paused:
        return state, []
    return _pause(state, [], reason="human_outbound")


def _on_dnd(
    state: ConversationState, ev: DndChanged, now: datetime, cfg: SellerConfig
) -> _Result:
    if ev.dnd and not state.flags.opted_out:
        return _opt_out(state, now, cfg, [], source="dnd", reply_to=None)
    if not ev.dnd and state.flags.opted_out and state.opt_out_source == "dnd":
        state = attrs.evolve(
            state, flags=attrs.evolve(state.flags, opted_out=False), opt_out_source=""
        )
        drafts: list[_Draft] = [Emit(kind="seller.resumed", data={"reason": "dnd_off"})]
        return _retemper(state, now, cfg, drafts), drafts
    return state, []


def _on_command(
    state: ConversationState, ev: Command, now: datetime, cfg: SellerConfig
) -> _Result:
    drafts: list[_Draft] = []
    if ev.command == "pause":
        if state.flags.paused:
            return state, []
        return _pause(state, drafts, reason="command")
    if ev.command == "stop":
        if "command" in state.stop_reasons:
            return state, []
        drafts += [
            CancelFollowups(),
            Emit(kind="seller.paused", data={"reason": "stop"}),
        ]
        flags = attrs.evolve(state.flags, stopped=True)
        reasons = (*state.stop_reasons, "command")
        return attrs.evolve(
            state, flags=flags, stop_reasons=reasons, followup_due=None
        ), drafts
    flags = attrs.evolve(state.flags, paused=False, stopped=False)
    state = attrs.evolve(state, flags=flags, stop_reasons=())
    if ev.command == "resume":
        drafts.append(Emit(kind="seller.resumed", data={"reason": "command"}))
        return _restart_cadence(state, now, cfg, drafts)
    fresh = attrs.evolve(
        state,
        stage=Stage.NEW,
        slots=Slots(),
        flags=attrs.evolve(flags, stalled=False, booked=False),
        asking=None,
        unclear=0,
        followup_index=0,
        followup_due=None,
        offered_slots=(),
        offer_unclear=0,
        booking_slot=None,
        appointment_at=None,
        qualified_at=None,
        reply_to=None,
    )
    drafts.append(CancelFollowups())
    fresh = _retemper(fresh, now, cfg, drafts, reason="qualification restarted")
    restarted, more = _activate(
        fresh, state.contact_id, now, cfg, source="restart", contact=("", "", "")
    )
    return restarted, drafts + more


# --- follow-ups and stalls --------------------------------------------------------


def _on_followup(
    state: ConversationState, ev: FollowupDue, now: datetime, cfg: SellerConfig
) -> _Result:
    if ev.index != state.followup_index or not _wants_cadence(state):
        return state, []  # a stale timer, or the cadence has stopped
    drafts: list[_Draft] = []
    zone = _zone(state, cfg)
    window = next_allowed(
        now, zone, start_hour=cfg.quiet_hours_start, end_hour=cfg.quiet_hours_end
    )
    if window != now:  # fired in quiet hours (e.g. after a restart): wait for 08:00
        drafts.append(ScheduleFollowup(due=window, index=ev.index))
        drafts.append(_scheduled_event(ev.index, window))
        return attrs.evolve(state, followup_due=window), drafts
    state, drafts = _check_stall(state, now, cfg, drafts)
    assert state is not None  # noqa: S101 (the stall check never drops a state)
    open_slot = state.asking if state.stage is not Stage.QUALIFIED else None
    if open_slot is not None and not state.slots.is_open(open_slot):
        open_slot = next(iter(state.slots.open_slots), None)
    key = tpl.nudge_key(open_slot, state.temperature)
    drafts.append(
        _Say(
            text=tpl.render(
                key, cfg.tone, variant=ev.index, first_name=state.first_name
            ),
            fallback=tpl.render(key, cfg.tone, variant=ev.index),
            reply_to=None,
            bot_initiated=True,
        )
    )
    state = attrs.evolve(state, followup_index=ev.index + 1, followup_due=None)
    return _schedule(state, now, cfg, drafts)


def _check_stall(
    state: ConversationState, now: datetime, cfg: SellerConfig, drafts: list[_Draft]
) -> tuple[ConversationState, list[_Draft]]:
    due = stall_due(state, cfg)
    if due is None or now < due:
        return state, drafts
    quiet = now - (state.last_inbound_at or state.activated_at or state.created_at)
    drafts.append(
        Emit(
            kind="seller.stalled",
            data={"hours_quiet": round(quiet.total_seconds() / 3600, 1)},
        )
    )
    return attrs.evolve(state, flags=attrs.evolve(state.flags, stalled=True)), drafts


def _wants_cadence(state: ConversationState) -> bool:
    f = state.flags
    if f.opted_out or f.paused or f.stopped or f.booked:
        return False
    if state.stage is Stage.NEW:
        return False
    return not (state.stage is Stage.QUALIFIED and state.temperature is Temperature.HOT)


def _restart_cadence(
    state: ConversationState, now: datetime, cfg: SellerConfig, drafts: list[_Draft]
) -> _Result:
    """Start the cadence over from the last inbound (any reply resets it)."""
    drafts.append(CancelFollowups())
    state = attrs.evolve(state, followup_index=0, followup_due=None)
    if not _wants_cadence(state):
        return state, drafts
    return _schedule(state, now, cfg, drafts)


def _schedule(
    state: ConversationState, now: datetime, cfg: SellerConfig, drafts: list[_Draft]
) -> _Result:
    base = max(
        t for t in (state.last_inbound_at, state.activated_at, state.created_at) if t
    )
    zone = _zone(state, cfg)
    due = followup_due(base, state.followup_index, cfg, zone)
    if due is None:
        return attrs.evolve(state, followup_due=None), drafts
    if due <= now:
        due = next_allowed(
            now, zone, start_hour=cfg.quiet_hours_start, end_hour=cfg.quiet_hours_end
        )
    drafts.append(ScheduleFollowup(due=due, index=state.followup_index))
    drafts.append(_scheduled_event(state.followup_index, due))
    return attrs.evolve(state, followup_due=due), drafts


def _scheduled_event(index: int, due: datetime) -> Emit:
    return Emit(
        kind="followup.scheduled", data={"index": index, "due": due.isoformat()}
    )


# --- shared -----------------------------------------------------------------------


def _zone(state: ConversationState, cfg: SellerConfig) -> ZoneInfo:
    return contact_zone(state.timezone, cfg.default_timezone)


def _retemper(
    state: ConversationState,
    now: datetime,
    cfg: SellerConfig,
    drafts: list[_Draft],
    *,
    reason: str = "",
) -> ConversationState:
    """Record a change of temperature, with its time and reason."""
    temp, why = classify(
        state.slots, state.flags, warm_timeline_max_days=cfg.warm_timeline_max_days
    )
    if temp is state.temperature and not reason:
        return state
    why = reason or why
    if temp is not state.temperature:
        drafts.append(
            Emit(
                kind="seller.temperature_changed",
                data={"from": state.temperature.value, "to": temp.value, "reason": why},
            )
        )
    change = TemperatureChange(temperature=temp, at=now, reason=why)
    return attrs.evolve(
        state,
        temperature=temp,
        temperature_history=(*state.temperature_history, change),
    )


def _finish(
    old: ConversationState | None,
    new: ConversationState,
    drafts: list[_Draft],
    now: datetime,
    cfg: SellerConfig,
) -> tuple[ConversationState, tuple[SellerAction, ...]]:
    """Apply the rules every step obeys (see the module docstring)."""
    was_opted_out = old is not None and old.flags.opted_out
    window = timedelta(days=cfg.max_bot_messages_days)
    sent_at = [t for t in new.bot_sent_at if now - t < window]
    entries: list[TranscriptEntry] = []
    actions: list[SellerAction] = []
    zone = _zone(new, cfg)
    quiet = {"start_hour": cfg.quiet_hours_start, "end_hour": cfg.quiet_hours_end}
    for draft in drafts:
        if isinstance(draft, _Say):
            if new.flags.opted_out and not (
                draft.opt_out_confirmation and not was_opted_out
            ):
                continue
            if not draft.compliance and (
                new.flags.paused
                or new.flags.stopped
                or len(sent_at) >= cfg.max_bot_messages
            ):
                continue
            text = enforce_outbound(
                draft.text, booking_link=cfg.booking_link, fallback=draft.fallback
            )
            send_at = None
            if draft.bot_initiated:
                window_opens = next_allowed(now, zone, **quiet)
                send_at = window_opens if window_opens != now else None
            at = send_at or now
            sent_at.append(at)
            entries.append(TranscriptEntry(direction=Direction.OUT, text=text, at=at))
            actions.append(
                SendSms(
                    text=text,
                    reply_to=draft.reply_to,
                    bot_initiated=draft.bot_initiated,
                    send_at=send_at,
                )
            )
            actions.append(
                _emit(
                    new,
                    "seller.reply_sent",
                    {
                        "text": text,
                        "reply_to": draft.reply_to,
                        "bot_initiated": draft.bot_initiated,
                        "turn": new.turn,
                    },
                )
            )
        elif isinstance(draft, ScheduleFollowup) and not _wants_cadence(new):
            continue
        elif isinstance(draft, Emit):
            if draft.kind == "followup.scheduled" and not _wants_cadence(new):
                continue
            actions.append(_emit(new, draft.kind, draft.data))
        elif isinstance(draft, NotifyAgent) and draft.phone:
            fallback = f"Jorged alert for {new.first_name or 'a seller'}."
            actions.append(
                NotifyAgent(
                    text=enforce_outbound(draft.text, fallback=fallback),
                    phone=draft.phone,
                )
            )
        else:
            actions.append(draft)
    if not _wants_cadence(new) and new.followup_due is not None:
        new = attrs.evolve(new, followup_due=None)
    stall = stall_due(new, cfg)
    if stall != (stall_due(old, cfg) if old is not None else None):
        actions.append(
            ScheduleStallCheck(due=stall) if stall is not None else CancelStallCheck()
        )
    before = crm_fields(old) if old is not None else None
    after = crm_fields(new)
    if before is not None or new.slots.answered_count or new.slots.unknown:
        changed = {k: v for k, v in after.items() if before is None or before[k] != v}
        if changed:
            actions.append(UpdateFields(fields=changed))
    transcript = (*new.transcript, *entries)[-TRANSCRIPT_MAX:]
    new = attrs.evolve(
        new, transcript=transcript, bot_sent_at=tuple(sent_at), updated_at=now
    )
    return new, tuple(actions)


def _emit(state: ConversationState, kind: str, data: EventData) -> Emit:
    return Emit(kind=kind, data={"contact_id": state.contact_id, **data})


def conversation_view(state: ConversationState) -> dict[str, object]:
    """The JSON shape of `GET /api/conversations/{id}`."""
    s = state.slots
    return {
        "contact_id": state.contact_id,
        "stage": state.stage.value,
        "temperature": state.temperature.value,
        "questions_answered": s.answered_count,
        "flags": {
            "opted_out": state.flags.opted_out,
            "paused": state.flags.paused,
            "stopped": state.flags.stopped,
            "stalled": state.flags.stalled,
            "booked": state.flags.booked,
        },
        "slots": {
            "motivation": s.motivation.value if s.motivation else None,
            "move_to": s.move_to,
            "urgency": s.urgency.value if s.urgency else None,
            "timeline_ok": s.timeline_ok,
            "timeline_days": s.timeline_days,
            "condition": s.condition.value if s.condition else None,
            "price_low": s.price_low,
            "price_high": s.price_high,
        },
        "transcript": [
            {
                "direction": e.direction.value,
                "text": e.text,
                "at": e.at.isoformat(),
                "message_id": e.message_id,
            }
            for e in state.transcript
        ],
        "temperature_history": [
            {
                "temperature": c.temperature.value,
                "at": c.at.isoformat(),
                "reason": c.reason,
            }
            for c in state.temperature_history
        ],
    }
