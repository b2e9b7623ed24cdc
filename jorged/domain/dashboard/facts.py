"""A conversation reduced to what the dashboard and the conversation list read.

Pure functions over a `ConversationState`: no I/O. `facts_of` gives its
`ConversationFacts`: the flat `ConversationRow` shown in the list, the lower-cased
search text, and the moments the hero KPIs count (POSIX seconds):

- created: `created_at`;
- ended: when the conversation stopped being active — `qualified_at` for a qualified
  one; for a stopped or opted-out one the state records no time of its own, so the
  time of its last change (`updated_at`) stands in (the latest it can have happened);
- qualified: `qualified_at` of a qualified conversation (`updated_at` if missing);
- hot: the first change to HOT in the temperature history;
- first reply: the first bot message (outbound without a GHL message id) after the
  first inbound message, and how many seconds after it.

Ended and qualified are never before created. How the dashboard counts these moments
is in `jorged.domain.dashboard.snapshot`; how the list filters and sorts the rows, in
`jorged.domain.dashboard.query`.

First names (and their sort keys) are interned: many sellers share a first name,
and an index of every conversation keeps one copy of each.

Prices are the midpoint of `price_low` and `price_high`. A seller's timeline bucket
comes from `timeline_days` (a minimum when the seller said 30 to 45 days is a
problem), else `immediate` when 30 to 45 days is fine, else `unknown`.
"""

from __future__ import annotations

import itertools
import re
import sys
from datetime import datetime
from enum import StrEnum

import attrs

from jorged.domain.conversation.state import (
    ConversationState,
    Direction,
    Hold,
    Slots,
    Stage,
    Temperature,
)
from jorged.domain.language import Language
from jorged.domain.leads.analysis import (
    LeadAnalysis,
    LeadClass,
    TimelineBucket,
    timeline_bucket,
)

__all__ = [
    "CATEGORIES",
    "ConversationFacts",
    "ConversationRow",
    "PriceBucket",
    "facts_of",
    "price_bucket",
    "price_of",
    "seller_timeline",
    "with_lead",
]


class PriceBucket(StrEnum):
    UNDER_200K = "lt_200k"
    FROM_200K = "200k_300k"
    FROM_300K = "300k_400k"
    FROM_400K = "400k_500k"
    FROM_500K = "500k_800k"
    OVER_800K = "gt_800k"


#: Lower bounds (inclusive) of the price buckets above the first; 800,000 itself is
#: in 500k_800k, "over 800k" starts above it.
_PRICE_BOUNDS = (
    (800_001, PriceBucket.OVER_800K),
    (500_000, PriceBucket.FROM_500K),
    (400_000, PriceBucket.FROM_400K),
    (300_000, PriceBucket.FROM_300K),
    (200_000, PriceBucket.FROM_200K),
)


def price_of(low: int | None, high: int | None) -> int | None:
    """The midpoint of a price range (the low end alone when no high end)."""
    if low is None:
        return None
    return (low + (low if high is None else high)) // 2


def price_bucket(price: int) -> PriceBucket:
    for bound, bucket in _PRICE_BOUNDS:
        if price >= bound:
            return bucket
    return PriceBucket.UNDER_200K


def seller_timeline(slots: Slots) -> TimelineBucket:
    if slots.timeline_days is not None:
        return timeline_bucket(slots.timeline_days, at_least=slots.timeline_ok is False)
    if slots.timeline_ok is True:
        return TimelineBucket.IMMEDIATE
    return TimelineBucket.UNKNOWN


# --- rows and facts -----------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ConversationRow:
    """One line of the conversation list."""

    contact_id: str
    first_name: str
    phone: str
    stage: Stage
    temperature: Temperature
    stalled: bool
    paused: bool
    opted_out: bool
    stopped: bool
    booked: bool
    price_low: int | None
    price_high: int | None
    price: int | None
    timeline: TimelineBucket
    questions_answered: int
    last_activity: datetime
    created_at: datetime
    lead_score: int | None = None
    lead_class: LeadClass | None = None
    #: A mortgage balance and someone else's estimate: shown, never the price.
    owed: int | None = None
    estimate: int | None = None
    #: The language the bot writes to the seller in.
    language: Language = Language.EN
    #: Why the bot paused for Jorge (a call request, a possible opt-out), if it did.
    hold: Hold | None = None


@attrs.frozen(kw_only=True)
class ConversationFacts:
    """A conversation reduced to what the dashboard counts (times in POSIX seconds)."""

    row: ConversationRow
    search: str
    created: float
    ended: float | None
    qualified: float | None
    hot: float | None
    first_reply_at: float | None
    first_reply_s: float | None
    last_activity: float
    name_key: str
    #: The row's temperature, stage, timeline and filter flags as one number (an
    #: index into `CATEGORIES`), so those filters are one table lookup.
    code: int


#: Every combination of the categorical fields (temperature, stage, timeline, and the
#: stalled, paused and opted-out flags), numbered by `ConversationFacts.code`.
_BOOLS = (False, True)
CATEGORIES = tuple(
    itertools.product(Temperature, Stage, TimelineBucket, _BOOLS, _BOOLS, _BOOLS)
)
_CODES = {combo: code for code, combo in enumerate(CATEGORIES)}


def facts_of(state: ConversationState) -> ConversationFacts:
    slots, flags = state.slots, state.flags
    created = state.created_at.timestamp()
    qualified: float | None = None
    if state.stage is Stage.QUALIFIED:
        qualified = max(created, (state.qualified_at or state.updated_at).timestamp())
    ends = [] if qualified is None else [qualified]
    if flags.stopped or flags.opted_out:
        ends.append(max(created, state.updated_at.timestamp()))
    hot = next(
        (
            c.at.timestamp()
            for c in state.temperature_history
            if c.temperature is Temperature.HOT
        ),
        None,
    )
    first_in = next(
        (i for i, e in enumerate(state.transcript) if e.direction is Direction.IN),
        None,
    )
    inbound = reply = None
    if first_in is not None:
        inbound = state.transcript[first_in]
        reply = next(
            (
                e
                for e in state.transcript[first_in + 1 :]
                if e.direction is Direction.OUT and e.message_id is None
            ),
            None,
        )
    last = max([state.created_at, *(e.at for e in state.transcript)])
    digits = re.sub(r"\D", "", state.phone)
    search = "\n".join(
        [state.first_name, state.phone, digits, *(e.text for e in state.transcript)]
    ).casefold()
    row = ConversationRow(
        contact_id=state.contact_id,
        first_name=sys.intern(state.first_name),
        phone=state.phone,
        stage=state.stage,
        temperature=state.temperature,
        stalled=flags.stalled,
        paused=flags.paused,
        opted_out=flags.opted_out,
        stopped=flags.stopped,
        booked=flags.booked,
        price_low=slots.price_low,
        price_high=slots.price_high,
        price=price_of(slots.price_low, slots.price_high),
        owed=slots.owed,
        estimate=slots.estimate,
        timeline=seller_timeline(slots),
        questions_answered=slots.answered_count,
        last_activity=last,
        created_at=state.created_at,
        language=state.language,
        hold=state.hold,
    )
    return ConversationFacts(
        row=row,
        search=search,
        created=created,
        ended=min(ends) if ends else None,
        qualified=qualified,
        hot=hot,
        first_reply_at=None if reply is None else reply.at.timestamp(),
        first_reply_s=(
            None
            if reply is None or inbound is None
            else (reply.at - inbound.at).total_seconds()
        ),
        last_activity=last.timestamp(),
        name_key=sys.intern(state.first_name.casefold()),
        code=_CODES[
            row.temperature,
            row.stage,
            row.timeline,
            row.stalled,
            row.paused,
            row.opted_out,
        ],
    )


def with_lead(row: ConversationRow, lead: LeadAnalysis | None) -> ConversationRow:
    """The row with the contact's lead score, when the contact has been scored."""
    if lead is None:
        return row
    return attrs.evolve(row, lead_score=lead.score, lead_class=lead.classification)
