"""What a seller's conversation adds to the analysis of its lead (SPEC 2).

The lead analysis follows the conversation: `facts_of(state)` takes what the
seller has told (motivation, timeline, condition, price, temperature) into a
`SellerFacts`, which `leads.analyze` reads from `LeadInput.seller`. See the score
table in `jorged.domain.leads.analysis`.
"""

from __future__ import annotations

import attrs

from jorged.config import SellerConfig
from jorged.domain.conversation.state import (
    ConversationState,
    Slot,
    Stage,
    Temperature,
)
from jorged.domain.conversation.temperature import classify
from jorged.domain.leads.lead_text import TimelineSpan

__all__ = [
    "CONDITION_TOLD_POINTS",
    "MOTIVATED_SELLER_POINTS",
    "SELLER_TIMELINE_TOO_FAST_DAYS",
    "SellerFacts",
    "facts_of",
    "seller_span",
    "timeline_words",
]

MOTIVATED_SELLER_POINTS = 20
CONDITION_TOLD_POINTS = 5
#: A timeline that does not fit "a sale in the next 30 to 45 days": after this.
SELLER_TIMELINE_TOO_FAST_DAYS = 45
#: How `temperature.classify` words a COLD that only lacks answers.
_UNDECIDED = "of 4 answers"
_WARM_TIMELINE_MAX_DAYS: int = SellerConfig().warm_timeline_max_days


@attrs.frozen(kw_only=True)
class SellerFacts:
    """What the contact's seller conversation has told so far (values as text)."""

    motivation: str | None = None
    timeline_ok: bool | None = None
    timeline_days: int | None = None
    not_moving: bool = False
    condition: str | None = None
    price_low: int | None = None
    price_high: int | None = None
    temperature: str = ""
    #: The answers decide `temperature` (qualified, a cold answer, or enough
    #: answers for WARM/HOT); before that the lead is scored on its own.
    decided: bool = False
    #: The seller's timeline could not be read after asking twice.
    timeline_unknown: bool = False

    @property
    def points(self) -> int:
        motivated = self.motivation is not None and self.motivation != "curious"
        return (MOTIVATED_SELLER_POINTS if motivated else 0) + (
            CONDITION_TOLD_POINTS if self.condition is not None else 0
        )


def facts_of(
    state: ConversationState, *, warm_timeline_max_days: int = _WARM_TIMELINE_MAX_DAYS
) -> SellerFacts:
    """What `state`'s conversation has told so far."""
    s = state.slots
    temperature, why = classify(
        s, state.flags, warm_timeline_max_days=warm_timeline_max_days
    )
    decided = (
        state.temperature is not Temperature.COLD
        or state.stage is Stage.QUALIFIED
        or (temperature is Temperature.COLD and not why.endswith(_UNDECIDED))
    )
    return SellerFacts(
        motivation=s.motivation.value if s.motivation else None,
        timeline_ok=s.timeline_ok,
        timeline_days=s.timeline_days,
        not_moving=s.not_moving,
        condition=s.condition.value if s.condition else None,
        price_low=s.price_low,
        price_high=s.price_high,
        temperature=state.temperature.value,
        decided=decided,
        timeline_unknown=Slot.TIMELINE in s.unknown,
    )


def seller_span(seller: SellerFacts) -> TimelineSpan | None:
    """The timeline the seller's answer gives (see the module docstring)."""
    if seller.timeline_ok is None:
        return None
    if seller.timeline_days is not None:
        return TimelineSpan(seller.timeline_days, at_least=not seller.timeline_ok)
    if seller.timeline_ok:
        return TimelineSpan(0)
    return TimelineSpan(SELLER_TIMELINE_TOO_FAST_DAYS, at_least=True)


def timeline_words(seller: SellerFacts | None) -> str:
    """The seller's answer to the timeline question, in words ("" if none)."""
    if seller is None:
        return ""
    if seller.timeline_unknown:
        return "timeline unknown"
    if seller.timeline_ok is None or seller.timeline_days is not None:
        return ""
    if seller.timeline_ok:
        return "a sale in 30 to 45 days works"
    return f"needs more than {SELLER_TIMELINE_TOO_FAST_DAYS} days"
