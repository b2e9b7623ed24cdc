"""Follow-up cadence (SPEC 1.8): when the next nudge to a quiet seller is due.

Nudge `index` 0..n-1 falls `seller.followup_days[index]` days after the base (the
last inbound message, or the activation when the seller never wrote), then every
`seller.longterm_interval_days` after the last of those, at most
`seller.longterm_max` long-term nudges. Days are counted on the contact's wall
clock, so a nudge keeps its local time of day across daylight-saving changes, and
a due time inside quiet hours moves to the moment the window opens.

A conversation in qualification is stalled (SPEC 1.6) once it has had no inbound
message for `seller.stall_hours`: `stall_due` says when that will be.

Times a seller's message carries are the sender's word: `plausible` keeps them
between `EARLIEST` and now, and the cadence never raises for a stored time near the
ends of what a datetime holds (an entry journaled before webhooks checked dates may
say year 9999): such a time has no follow-up and no stall check.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from jorged.config import SellerConfig
from jorged.domain.conversation.state import ConversationState, Stage
from jorged.domain.texting.compliance import next_allowed

__all__ = ["EARLIEST", "cadence_length", "followup_due", "plausible", "stall_due"]

#: The earliest time a message of a seller is taken to have been sent.
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)


def plausible(at: datetime, now: datetime) -> datetime:
    """`at` moved into [EARLIEST, now]: a message is not sent in the future."""
    return min(max(at, EARLIEST), now)


def cadence_length(cfg: SellerConfig) -> int:
    """How many follow-ups a silent seller gets in all."""
    return len(cfg.followup_days) + cfg.longterm_max


def followup_due(
    base: datetime, index: int, cfg: SellerConfig, zone: ZoneInfo
) -> datetime | None:
    """When follow-up `index` is due (UTC), or None past the end of the cadence."""
    if index < 0:
        msg = f"index: must be 0 or more, got {index}"
        raise ValueError(msg)
    days = cfg.followup_days
    if index < len(days):
        offset = days[index]
    else:
        longterm = index - len(days)
        if longterm >= cfg.longterm_max:
            return None
        offset = (days[-1] if days else 0) + (longterm + 1) * cfg.longterm_interval_days
    try:
        wall = base.astimezone(zone).replace(tzinfo=None) + timedelta(days=offset)
        due = wall.replace(tzinfo=zone).astimezone(UTC)
        return next_allowed(
            due, zone, start_hour=cfg.quiet_hours_start, end_hour=cfg.quiet_hours_end
        ).astimezone(UTC)
    except OverflowError:
        return None  # a base near year 1 or 9999 (see the module docstring)


def stall_due(state: ConversationState, cfg: SellerConfig) -> datetime | None:
    """When the conversation counts as stalled if no text comes in before, or None
    when it cannot stall (not in qualification, or stalled already)."""
    f = state.flags
    if state.stage in (Stage.NEW, Stage.QUALIFIED) or f.stalled or f.opted_out:
        return None
    if f.stopped:  # the bot is off for this contact until it is restarted
        return None
    since = state.last_inbound_at or state.activated_at or state.created_at
    try:
        return since + timedelta(hours=cfg.stall_hours)
    except OverflowError:
        return None  # a time near year 9999 (see the module docstring)
