"""Qualifying a seller: activation, inbound turns, slot filling, the next question.

`activate` starts a conversation (by tag, by inbound, or on restart) with the
opener and the first question. `on_inbound` records a turn, reads each message
(`reading.read`), lets the policy (`conversation.policy.decide`) say what it is,
and carries that out: opt-out, opt-in and HELP in `opt_out`; a hold for
Jorge, a dismissal, a call request, a complaint and corrections after
qualification in `conversation.turns`; other replies after qualification in
`handoff`; everything else is a qualification turn: fill the slots the
answers give, answer a question back, acknowledge what was said
(`conversation.acks`) and ask the next open question, or qualify when none is left.
"""

from __future__ import annotations

from datetime import datetime

import attrs

from jorged.config import SellerConfig
from jorged.domain.conversation import templates as tpl
from jorged.domain.conversation.acks import acknowledge
from jorged.domain.conversation.drafts import Draft, Result, Say, retemper, set_language
from jorged.domain.conversation.followup import restart_cadence
from jorged.domain.conversation.handoff import after_qualified, qualify
from jorged.domain.conversation.inputs import Activate, ContactDetails, Emit, Inbound
from jorged.domain.conversation.opt_out import opt_in, opt_out, say_help
from jorged.domain.conversation.policy import Decision, Route, decide, fields_of
from jorged.domain.conversation.reply_words import (
    SAYS_WHO,
    answer_text,
    compose,
    first_hello,
    pick_question,
)
from jorged.domain.conversation.state import (
    ConversationState,
    Direction,
    Slot,
    Stage,
    Temperature,
    TemperatureChange,
    TranscriptEntry,
)
from jorged.domain.conversation.turn_reading import (
    content_of,
    follow_language,
    reader_for,
    reading_context,
    unseen,
)
from jorged.domain.conversation.turns import (
    call_back,
    complain,
    correct_after,
    dismiss,
    hold_for_agent,
    record_values,
    slot_events,
)
from jorged.domain.language import Language, LanguageSource
from jorged.domain.reading import ActKind, Context, QuestionKind, Reading
from jorged.domain.texting.compliance import mask_phones

__all__ = [
    "activate",
    "on_activate",
    "on_contact",
    "on_inbound",
    "reading_context",
]

_ASK_STAGE = {
    Slot.MOTIVATION: Stage.Q_MOTIVATION,
    Slot.TIMELINE: Stage.Q_TIMELINE,
    Slot.CONDITION: Stage.Q_CONDITION,
    Slot.PRICE: Stage.Q_PRICE,
}


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
    language: Language | None = None,
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
    if language is not None:
        state = set_language(state, language, LanguageSource.TAG, drafts)
    state = attrs.evolve(state, activated_at=now)
    return _ask_next(state, now, cfg, drafts, reply_to=None, opener=True)


# --- inbound turns --------------------------------------------------------------------


def on_inbound(
    state: ConversationState | None, ev: Inbound, now: datetime, cfg: SellerConfig
) -> Result:
    messages = unseen(state, ev.messages)
    if not messages:
        return state, []
    read = reader_for(ev)
    drafts: list[Draft] = []
    if state is None:
        first = Context(today=now.date())
        opting_out = any(read(m.text, first).has(ActKind.OPT_OUT) for m in messages)
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
    state = follow_language(state, [m.text for m in messages], drafts)
    if state.flags.stalled:
        state = attrs.evolve(state, flags=attrs.evolve(state.flags, stalled=False))
    context = reading_context(state, now)
    consent = [read(m.text, context) for m in messages]
    text = content_of(messages, consent)
    reading = None
    if text:
        reading = consent[0] if len(messages) == 1 else read(text, context)
    if reading is not None and reading.has(ActKind.CORRECTION):
        # A correction changes an answered slot: read it against all of them.
        reading = read(text, attrs.evolve(context, open_slots=tuple(Slot)))
    decision = decide(state, consent, reading)
    return _carry_out(
        state, (decision, reading, text), now, cfg, drafts, reply_to=reply_to
    )


def _carry_out(
    state: ConversationState,
    read_as: tuple[Decision, Reading | None, str],
    now: datetime,
    cfg: SellerConfig,
    drafts: list[Draft],
    *,
    reply_to: str,
) -> Result:
    decision, reading, text = read_as
    route = decision.route
    if route is Route.IGNORE:
        return state, drafts
    if route is Route.OPT_OUT:
        return opt_out(state, now, cfg, drafts, source="sms", reply_to=reply_to)
    if route is Route.OPT_IN:
        return opt_in(state, now, cfg, drafts, reply_to=reply_to)
    if decision.help:
        drafts.append(say_help(cfg, reply_to, state.language))
    if route is Route.HOLD:
        return hold_for_agent(state, decision, text, cfg, drafts, now=now)
    if route is Route.RECORD or reading is None:
        return state, drafts
    if route is Route.DISMISS:
        return dismiss(state, decision, cfg, drafts, reply_to=reply_to)
    if route is Route.CALL:
        state = _fill(state, decision, now, cfg, drafts)
        return call_back(state, decision, text, cfg, drafts, reply_to=reply_to, now=now)
    if route is Route.COMPLAINT:
        return complain(state, decision, text, cfg, drafts, reply_to=reply_to)
    if route is Route.QUALIFIED:
        if decision.correction and not state.offered_slots:
            return correct_after(state, decision, now, cfg, drafts, reply_to=reply_to)
        if decision.question is QuestionKind.BOT and not state.offered_slots:
            drafts.append(_answer(decision.question, cfg, reply_to, state.language))
            return attrs.evolve(state, reply_to=reply_to), drafts
        return after_qualified(state, text, now, cfg, drafts, reply_to=reply_to)
    return _qualify_turn(
        state, (decision, reading, text), now, cfg, drafts, reply_to=reply_to
    )


def _answer(
    kind: QuestionKind, cfg: SellerConfig, reply_to: str, lang: Language
) -> Say:
    return Say(
        text=answer_text(kind, cfg, lang),
        fallback=tpl.render(
            "help",
            cfg.tone,
            lang=lang,
            agent_name=cfg.agent_name,
            business_name=cfg.business_name,
        ),
        reply_to=reply_to,
        bot_initiated=False,
        disclose=kind is QuestionKind.BOT,
    )


def _fill(
    state: ConversationState,
    decision: Decision,
    now: datetime,
    cfg: SellerConfig,
    drafts: list[Draft],
) -> ConversationState:
    before = state.slots
    slots = record_values(before, decision.values)
    if slots == before:
        return state
    drafts.extend(slot_events(before, slots, decision.values))
    return retemper(attrs.evolve(state, slots=slots), now, cfg, drafts)


def _qualify_turn(
    state: ConversationState,
    read_as: tuple[Decision, Reading, str],
    now: datetime,
    cfg: SellerConfig,
    drafts: list[Draft],
    *,
    reply_to: str,
) -> Result:
    decision, reading, text = read_as
    before = state.slots
    state = _fill(state, decision, now, cfg, drafts)
    slots = state.slots
    unclear = 0
    asking = state.asking
    if decision.unclear and asking is not None:
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
    elif not fields_of(decision.values):
        unclear = state.unclear
    state = attrs.evolve(state, slots=slots, unclear=unclear)
    state = retemper(state, now, cfg, drafts)
    must = []
    previous = _last_out(state)
    says_who = ""
    if decision.question is not None:
        answer = answer_text(decision.question, cfg, state.language)
        if decision.question in SAYS_WHO:
            says_who = answer
        # Said in the last text already: the question alone, unless the seller
        # asks again whether this is a bot (always answered, SPEC 1.4).
        if answer not in previous or decision.question is QuestionKind.BOT:
            must.append(answer)
    if decision.instruction:
        must.append(
            tpl.render(
                "instruction",
                cfg.tone,
                lang=state.language,
                agent_name=cfg.agent_name,
                business_name=cfg.business_name,
            )
        )
    ack = acknowledge(
        text=text,
        reading=reading,
        before=before,
        after=slots,
        tone=cfg.tone,
        lang=state.language,
        seed=f"{state.contact_id}:{state.turn}",
        previous=previous,
    )
    no_reply_yet = not previous
    return _ask_next(
        state,
        now,
        cfg,
        drafts,
        reply_to=reply_to,
        opener=no_reply_yet,
        says_who=says_who,
        must=must,
        ack=ack,
        disclose=decision.question is QuestionKind.BOT,
        reask=decision.unclear,
    )


def _last_out(state: ConversationState) -> str:
    """The last text the conversation sent ("" when none)."""
    return next(
        (e.text for e in reversed(state.transcript) if e.direction is Direction.OUT),
        "",
    )


# --- the next question ----------------------------------------------------------------


def _ask_next(
    state: ConversationState,
    now: datetime,
    cfg: SellerConfig,
    drafts: list[Draft],
    *,
    reply_to: str | None,
    opener: bool,
    must: list[str] | None = None,
    ack: str = "",
    disclose: bool = False,
    reask: bool = False,
    says_who: str = "",
) -> Result:
    must = must or []
    open_slots = state.slots.open_slots
    if not open_slots:
        if must:
            drafts.append(
                Say(
                    text=" ".join(must),
                    fallback=tpl.render(
                        "help",
                        cfg.tone,
                        lang=state.language,
                        agent_name=cfg.agent_name,
                        business_name=cfg.business_name,
                    ),
                    reply_to=reply_to,
                    bot_initiated=False,
                    disclose=disclose,
                )
            )
        return qualify(state, now, cfg, drafts, reply_to=reply_to)
    slot = open_slots[0]
    again = slot is state.asking
    question = pick_question(
        slot,
        cfg,
        again=again and reask,
        previous=_last_out(state),
        lang=state.language,
    )
    hello = (
        first_hello(
            cfg, first_name=state.first_name, lang=state.language, answer=says_who
        )
        if opener
        else ""
    )
    drafts.extend(
        Say(
            text=text,
            fallback=question,
            reply_to=reply_to,
            bot_initiated=reply_to is None,
            disclose=disclose,
        )
        for text in compose(hello, must, [ack], question)
    )
    state = attrs.evolve(
        state,
        stage=_ASK_STAGE[slot],
        asking=slot,
        unclear=state.unclear if again else 0,
    )
    return restart_cadence(state, now, cfg, drafts)
