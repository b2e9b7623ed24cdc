"""The seller conversation as a pure state machine (SPEC 1).

`step(state, event, now, cfg)` returns the next state and the actions to take. The
handlers draft what to say; `_finish` is the single exit every step goes through,
and it is where the rules that must never break are enforced:

- once a contact has opted out, no text leaves, except the one confirmation of the
  step in which the opt-out happened (START / UNSTOP lifts it);
- a paused or stopped conversation sends nothing but compliance replies, and
  the closing words of the step that paused or stopped it;
- at most `max_bot_messages` texts per `max_bot_messages_days`;
- every text passes `compliance.enforce_outbound`; bot-initiated texts that fall in
  quiet hours carry the instant the window opens;
- CRM fields are written whenever they change;
- the stall check follows the state: set again whenever the moment the
  conversation would stall moves, dropped when it can no longer stall;
- what is sent is what the transcript records.

The handlers live beside this module, each family in its own:

- `qualify`: activation, inbound turns, slot filling, the next question;
- `opt_out`: opt-out, opt-in, HELP, DND;
- `control`: tags, a human taking over, the pause / stop / resume / restart
  commands;
- `handoff`: qualification done, the hot hand-off, calendar and booking;
- `followup`: the follow-up cadence and the stall check;
- `drafts`: `Say`, the text a handler drafts, and the helpers they share.

Tags the bot adds itself (`Hot-Seller`, `Warm-Seller`, `Cold-Seller`,
`Seller-Qualified`) are constants of `handoff`, re-exported here.
`Seller-Qualified` is also a stop tag: its echo for a contact the bot itself
qualified as hot is not read as a stop, so the calendar hand-off can finish.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import attrs

from jorged.config import SellerConfig
from jorged.domain.conversation.cadence import plausible, stall_due
from jorged.domain.conversation.control import (
    on_command,
    on_human,
    on_language,
    on_tags,
)
from jorged.domain.conversation.drafts import Draft, Result, Say, zone_of
from jorged.domain.conversation.followup import check_stall, on_followup, wants_cadence
from jorged.domain.conversation.handoff import (
    COLD_TAG,
    HOT_TAG,
    QUALIFIED_TAG,
    WARM_TAG,
    on_booking,
    on_calendar,
)
from jorged.domain.conversation.inputs import (
    Activate,
    BookingResult,
    CalendarSlots,
    CancelStallCheck,
    Command,
    ContactDetails,
    DndChanged,
    Emit,
    EventData,
    FetchContact,
    FollowupDue,
    HumanOutbound,
    Inbound,
    NotifyAgent,
    ScheduleFollowup,
    ScheduleStallCheck,
    SellerAction,
    SellerInput,
    SendSms,
    SetLanguage,
    StallCheck,
    TagsChanged,
    UpdateFields,
)
from jorged.domain.conversation.opt_out import on_dnd
from jorged.domain.conversation.qualify import on_activate, on_contact, on_inbound
from jorged.domain.conversation.state import (
    TRANSCRIPT_MAX,
    ConversationState,
    Direction,
    TranscriptEntry,
)
from jorged.domain.conversation.temperature import crm_fields
from jorged.domain.texting.compliance import enforce_outbound, next_allowed
from jorged.domain.texting.sms_text import sms_name

__all__ = [
    "COLD_TAG",
    "HOT_TAG",
    "QUALIFIED_TAG",
    "WARM_TAG",
    "conversation_view",
    "step",
]


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
    new, drafts = _dispatch(state, _plausible(event, now), now, cfg)
    if state is None and new is not None and _zone_unknown(new):
        drafts = [*drafts, FetchContact()]
    if new is None:
        return None, ()
    if new is state and not drafts:
        return state, ()
    return _finish(state, new, drafts, now, cfg)


def _plausible(event: SellerInput, now: datetime) -> SellerInput:
    """The event with the times its sender gave moved into [EARLIEST, now]."""
    match event:
        case Inbound(messages=messages):
            fixed = tuple(attrs.evolve(m, at=plausible(m.at, now)) for m in messages)
            return event if fixed == messages else attrs.evolve(event, messages=fixed)
        case HumanOutbound(at=at) if plausible(at, now) != at:
            return attrs.evolve(event, at=plausible(at, now))
    return event


def _dispatch(
    state: ConversationState | None,
    event: SellerInput,
    now: datetime,
    cfg: SellerConfig,
) -> Result:
    match event:
        case Activate():
            return on_activate(state, event, now, cfg)
        case Inbound():
            return on_inbound(state, event, now, cfg)
        case TagsChanged():
            return on_tags(state, event, now, cfg)
        case _ if state is None:
            return None, []
        case HumanOutbound():
            return on_human(state, event)
        case DndChanged():
            return on_dnd(state, event, now, cfg)
        case Command():
            return on_command(state, event, now, cfg)
        case SetLanguage():
            return on_language(state, event)
        case FollowupDue():
            return on_followup(state, event, now, cfg)
        case CalendarSlots():
            return on_calendar(state, event, now, cfg)
        case BookingResult():
            return on_booking(state, event, now, cfg)
        case StallCheck():
            return check_stall(state, now, cfg, [])
        case ContactDetails():
            return on_contact(state, event)
    msg = f"event: unsupported seller input {type(event).__name__}"
    raise TypeError(msg)


def _zone_unknown(state: ConversationState) -> bool:
    """A new conversation without GHL's time zone for the contact asks GHL for it."""
    return not state.timezone and not state.flags.opted_out


def _finish(
    old: ConversationState | None,
    new: ConversationState,
    drafts: list[Draft],
    now: datetime,
    cfg: SellerConfig,
) -> tuple[ConversationState, tuple[SellerAction, ...]]:
    """Apply the rules every step obeys (see the module docstring)."""
    was_opted_out = old is not None and old.flags.opted_out
    window = timedelta(days=cfg.max_bot_messages_days)
    sent_at = [t for t in new.bot_sent_at if now - t < window]
    entries: list[TranscriptEntry] = []
    actions: list[SellerAction] = []
    zone = zone_of(new, cfg)
    quiet = {"start_hour": cfg.quiet_hours_start, "end_hour": cfg.quiet_hours_end}
    for draft in drafts:
        if isinstance(draft, Say):
            if new.flags.opted_out and not (
                draft.opt_out_confirmation and not was_opted_out
            ):
                continue
            halted = new.flags.paused or new.flags.stopped
            if draft.closing:
                # Said as the step pauses: halted only if it was halted before
                # (a first message has no before).
                halted = old is not None and (old.flags.paused or old.flags.stopped)
            if not draft.compliance and (
                halted or len(sent_at) >= cfg.max_bot_messages
            ):
                continue
            text = enforce_outbound(
                draft.text,
                booking_link=cfg.booking_link,
                fallback=draft.fallback,
                disclose=draft.disclose,
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
        elif isinstance(draft, ScheduleFollowup) and not wants_cadence(new):
            continue
        elif isinstance(draft, Emit):
            if draft.kind == "followup.scheduled" and not wants_cadence(new):
                continue
            actions.append(_emit(new, draft.kind, draft.data))
        elif isinstance(draft, NotifyAgent) and draft.phone:
            fallback = f"Jorged alert for {sms_name(new.first_name) or 'a seller'}."
            actions.append(
                NotifyAgent(
                    text=enforce_outbound(draft.text, fallback=fallback),
                    phone=draft.phone,
                )
            )
        else:
            actions.append(draft)
    if not wants_cadence(new) and new.followup_due is not None:
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
        "language": state.language.value,
        "language_source": state.language_source.value,
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
            "owed": s.owed,
            "estimate": s.estimate,
        },
        # The seller's words each recorded value was read from (SPEC 1.3).
        "slots_evidence": dict(s.evidence),
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
