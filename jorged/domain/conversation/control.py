"""Controlling the seller conversation from outside: tags, people, commands.

CRM tags activate, stop or pause a conversation, and the `Spanish` tag
(`seller.spanish_tag`) makes it Spanish; a human texting the seller pauses it; the
`pause`, `stop`, `resume` and `restart` commands do what they say, and Jorge may set
the language a conversation is written in (`SetLanguage`).
"""

from __future__ import annotations

from datetime import datetime

import attrs

from jorged.config import SellerConfig
from jorged.domain.conversation.drafts import Draft, Result, retemper, set_language
from jorged.domain.conversation.followup import restart_cadence
from jorged.domain.conversation.handoff import QUALIFIED_TAG
from jorged.domain.conversation.inputs import (
    CancelFollowups,
    Command,
    Emit,
    HumanOutbound,
    SetLanguage,
    TagsChanged,
)
from jorged.domain.conversation.qualify import activate
from jorged.domain.conversation.state import (
    ConversationState,
    Direction,
    Slots,
    Stage,
    Temperature,
    TranscriptEntry,
)
from jorged.domain.language import Language, LanguageSource

__all__ = [
    "on_command",
    "on_human",
    "on_language",
    "on_tags",
]


def on_language(state: ConversationState, ev: SetLanguage) -> Result:
    """Jorge sets the language: kept whatever the seller writes in next."""
    drafts: list[Draft] = []
    new = set_language(state, ev.language, LanguageSource.AGENT, drafts)
    return (state, []) if new is state else (new, drafts)


def _tagged_language(
    state: ConversationState | None, ev: TagsChanged, cfg: SellerConfig
) -> Language | None:
    """The language the contact's tags ask for, when they changed it."""
    if state is not None and state.language_source is LanguageSource.AGENT:
        return None
    if cfg.spanish_tag in ev.added:
        return Language.ES
    if (
        cfg.spanish_tag in ev.removed
        and state is not None
        and state.language_source is LanguageSource.TAG
    ):
        return Language.EN
    return None


def on_tags(
    state: ConversationState | None, ev: TagsChanged, now: datetime, cfg: SellerConfig
) -> Result:
    drafts: list[Draft] = []
    language = _tagged_language(state, ev, cfg)
    if state is None or state.stage is Stage.NEW:
        if cfg.activation_tag in ev.added and not set(ev.added) & set(cfg.stop_tags):
            return activate(
                state,
                ev.contact_id,
                now,
                cfg,
                source="tag",
                contact=(ev.first_name, ev.phone, ev.timezone),
                language=language,
            )
        if state is None:
            return None, []
    if language is not None:
        state = set_language(state, language, LanguageSource.TAG, drafts)
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
        state = attrs.evolve(state, followup_due=None, hold=None)
    if cfg.pause_tag in ev.added and not state.flags.paused:
        state, drafts = _pause(state, drafts, reason="tag")
    if cfg.pause_tag in ev.removed and state.flags.paused:
        state, drafts = _resume(state, now, cfg, drafts, reason="tag")
    elif was_stopped and not state.flags.stopped and not state.flags.paused:
        drafts.append(Emit(kind="seller.resumed", data={"reason": "stop_tag_removed"}))
        return restart_cadence(state, now, cfg, drafts)
    return state, drafts


def _pause(
    state: ConversationState, drafts: list[Draft], *, reason: str
) -> tuple[ConversationState, list[Draft]]:
    drafts.append(CancelFollowups())
    drafts.append(Emit(kind="seller.paused", data={"reason": reason}))
    flags = attrs.evolve(state.flags, paused=True)
    return attrs.evolve(state, flags=flags, followup_due=None), drafts


def _resume(
    state: ConversationState,
    now: datetime,
    cfg: SellerConfig,
    drafts: list[Draft],
    *,
    reason: str,
) -> tuple[ConversationState, list[Draft]]:
    flags = attrs.evolve(state.flags, paused=False)
    state = attrs.evolve(state, flags=flags, hold=None)
    drafts.append(Emit(kind="seller.resumed", data={"reason": reason}))
    resumed, drafts = restart_cadence(state, now, cfg, drafts)
    return resumed or state, drafts


def on_human(state: ConversationState, ev: HumanOutbound) -> Result:
    if any(e.message_id == ev.message_id for e in state.transcript):
        return state, []
    entry = TranscriptEntry(
        direction=Direction.OUT, text=ev.text, at=ev.at, message_id=ev.message_id
    )
    state = attrs.evolve(state, transcript=(*state.transcript, entry))
    if state.flags.paused:
        return state, []
    return _pause(state, [], reason="human_outbound")


def on_command(
    state: ConversationState, ev: Command, now: datetime, cfg: SellerConfig
) -> Result:
    drafts: list[Draft] = []
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
            state, flags=flags, stop_reasons=reasons, followup_due=None, hold=None
        ), drafts
    flags = attrs.evolve(state.flags, paused=False, stopped=False)
    state = attrs.evolve(state, flags=flags, stop_reasons=(), hold=None)
    if ev.command == "resume":
        drafts.append(Emit(kind="seller.resumed", data={"reason": "command"}))
        return restart_cadence(state, now, cfg, drafts)
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
    fresh = retemper(fresh, now, cfg, drafts, reason="qualification restarted")
    restarted, more = activate(
        fresh, state.contact_id, now, cfg, source="restart", contact=("", "", "")
    )
    return restarted, drafts + more
