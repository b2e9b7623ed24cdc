"""Seller temperature (SPEC 1.5) and the CRM custom fields of a conversation (1.7).

- HOT: motivation known and not curious, timeline fine, condition known, price known.
- COLD: opted out, curious, not moving, a timeline over `warm_timeline_max_days`,
  or fewer than three slots answered.
- WARM: everything else (three or more answers, timeline within the limit or
  unknown).
"""

from __future__ import annotations

from jorged.domain.conversation.state import (
    ConversationState,
    Flags,
    Motivation,
    Slot,
    Slots,
    Temperature,
)

__all__ = ["classify", "crm_fields"]

#: The least number of answered slots for WARM.
WARM_MIN_ANSWERS = 3


def classify(
    slots: Slots, flags: Flags, *, warm_timeline_max_days: int
) -> tuple[Temperature, str]:
    """The temperature of a seller and the reason, in words for the dashboard."""
    if flags.opted_out:
        return Temperature.COLD, "opted out"
    if slots.motivation is Motivation.CURIOUS:
        return Temperature.COLD, "just curious"
    if slots.not_moving:
        return Temperature.COLD, "not moving"
    days = slots.timeline_days
    if days is not None and days > warm_timeline_max_days:
        return Temperature.COLD, f"timeline over {warm_timeline_max_days} days"
    if (
        slots.motivation is not None
        and slots.timeline_ok is True
        and slots.condition is not None
        and slots.price_low is not None
    ):
        return Temperature.HOT, "motivated, timeline works, condition and price known"
    answered = slots.answered_count
    if answered >= WARM_MIN_ANSWERS:
        if slots.timeline_ok is False:
            return Temperature.WARM, f"{answered} answers, needs more time"
        return Temperature.WARM, f"{answered} answers"
    return Temperature.COLD, f"{answered} of 4 answers"


def crm_fields(state: ConversationState) -> dict[str, str]:
    """The seller custom fields as the CRM stores them (text; empty when unknown)."""
    s = state.slots
    gave_up = set(s.unknown)

    def shown(value: str | None, slot: Slot) -> str:
        if value is not None:
            return value
        return "unknown" if slot in gave_up else ""

    timeline = None if s.timeline_ok is None else ("yes" if s.timeline_ok else "no")
    if s.timeline_ok is False and s.timeline_days is not None:
        timeline = f"no, {s.timeline_days} days"
    price = None
    if s.price_low is not None and s.price_high is not None:
        price = (
            str(s.price_low)
            if s.price_low == s.price_high
            else f"{s.price_low} to {s.price_high}"
        )
    return {
        "seller_motivation": shown(
            s.motivation and s.motivation.value, Slot.MOTIVATION
        ),
        "seller_timeline_ok": shown(timeline, Slot.TIMELINE),
        "property_condition": shown(s.condition and s.condition.value, Slot.CONDITION),
        "seller_price_expectation": shown(price, Slot.PRICE),
        "seller_temperature": state.temperature.value,
        "seller_questions_answered": str(s.answered_count),
    }
