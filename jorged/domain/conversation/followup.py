"""The seller's follow-up cadence and stall check.

A follow-up timer that fires sends the next nudge and schedules the one after it;
`restart_cadence` starts the cadence over from the last inbound (any reply resets
it), and `wants_cadence` says whether a conversation should have one at all. The
stall check flags a conversation quiet for too long.
"""

from __future__ import annotations

from datetime import datetime

import attrs

from jorged.config import SellerConfig
from jorged.domain.conversation import templates as tpl
from jorged.domain.conversation.cadence import followup_due, plausible, stall_due
from jorged.domain.conversation.drafts import Draft, Result, Say, zone_of
from jorged.domain.conversation.inputs import (
    CancelFollowups,
    Emit,
    FollowupDue,
    ScheduleFollowup,
)
from jorged.domain.conversation.state import ConversationState, Stage, Temperature
from jorged.domain.texting.compliance import next_allowed

__all__ = [
    "check_stall",
    "on_followup",
    "restart_cadence",
    "wants_cadence",
]


def on_followup(
    state: ConversationState, ev: FollowupDue, now: datetime, cfg: SellerConfig
) -> Result:
    if ev.index != state.followup_index or not wants_cadence(state):
        return state, []  # a stale timer, or the cadence has stopped
    drafts: list[Draft] = []
    zone = zone_of(state, cfg)
    window = next_allowed(
        now, zone, start_hour=cfg.quiet_hours_start, end_hour=cfg.quiet_hours_end
    )
    if window != now:  # fired in quiet hours (e.g. after a restart): wait for 08:00
        drafts.append(ScheduleFollowup(due=window, index=ev.index))
        drafts.append(_scheduled_event(ev.index, window))
        return attrs.evolve(state, followup_due=window), drafts
    state, drafts = check_stall(state, now, cfg, drafts)
    open_slot = state.asking if state.stage is not Stage.QUALIFIED else None
    if open_slot is not None and not state.slots.is_open(open_slot):
        open_slot = next(iter(state.slots.open_slots), None)
    key = tpl.nudge_key(open_slot, state.temperature)
    drafts.append(
        Say(
            text=tpl.render(
                key,
                cfg.tone,
                lang=state.language,
                variant=ev.index,
                first_name=state.first_name,
            ),
            fallback=tpl.render(key, cfg.tone, lang=state.language, variant=ev.index),
            reply_to=None,
            bot_initiated=True,
        )
    )
    state = attrs.evolve(state, followup_index=ev.index + 1, followup_due=None)
    return _schedule(state, now, cfg, drafts)


def check_stall(
    state: ConversationState, now: datetime, cfg: SellerConfig, drafts: list[Draft]
) -> tuple[ConversationState, list[Draft]]:
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


def wants_cadence(state: ConversationState) -> bool:
    f = state.flags
    if f.opted_out or f.paused or f.stopped or f.booked:
        return False
    if state.stage is Stage.NEW:
        return False
    return not (state.stage is Stage.QUALIFIED and state.temperature is Temperature.HOT)


def restart_cadence(
    state: ConversationState, now: datetime, cfg: SellerConfig, drafts: list[Draft]
) -> Result:
    """Start the cadence over from the last inbound (any reply resets it)."""
    drafts.append(CancelFollowups())
    state = attrs.evolve(state, followup_index=0, followup_due=None)
    if not wants_cadence(state):
        return state, drafts
    return _schedule(state, now, cfg, drafts)


def _schedule(
    state: ConversationState, now: datetime, cfg: SellerConfig, drafts: list[Draft]
) -> Result:
    base = plausible(
        max(
            t
            for t in (state.last_inbound_at, state.activated_at, state.created_at)
            if t
        ),
        now,
    )
    zone = zone_of(state, cfg)
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
