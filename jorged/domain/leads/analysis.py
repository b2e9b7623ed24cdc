"""Lead scoring: what a new contact tells us, and how good a lead it is.

`analyze(lead, cfg, now)` reads four signals from a contact's fields, tags and message
text, with patterns only (no I/O): the budget or price (the shared parser of
`jorged.domain.price`), the timeline, the service area and the financing. Nothing is
guessed: a signal that is not found stays unknown and earns no points.

The score (0 to 100) is the sum of these named weights:

==================================  ======  ==========================================
signal                              points  why
==================================  ======  ==========================================
price or budget stated              15      a lead who names a number is serious
price inside the business band      +10     the deals Jorge takes (`price_min..max`)
timeline ``immediate`` (<= 30 d)    25      urgency is the strongest buying signal
timeline ``1_3_months``             20
timeline ``3_6_months``             10
timeline ``6_plus_months``          3       real, but far out
service area named                  20      Jorge only works his service areas
financing ``cash``                  20      can close without a lender
financing ``pre_approved``          18      a lender has already said yes
financing ``va`` / ``fha`` /        12      knows the loan, still needs approval
``conventional``
financing ``needs_financing``       5       a buyer, but not ready to close
phone number on the contact         5       reachable by text and call
email on the contact                5       reachable for documents
motivated seller (conversation)     20      a reason to sell, like a cash buyer's
                                            reason to close
house condition told (conversation) 5       a seller who described the house
==================================  ======  ==========================================

The analysis follows the seller's conversation (`LeadInput.seller`, SPEC 2): the
price and the timeline the seller gave there replace what the first message said,
and a motivated seller and a described house earn the last two rows. Only a
phone number on the contact (10 to 15 digits) counts as a phone. A timeline
that works ("a sale in 30 to 45 days is no problem") is `immediate`; one that
does not, with no span given, is at least 45 days out; the reason says so in the
conversation's words, and a timeline the seller never told is unknown.

HOT at `LeadsConfig.hot_score` (80) and above, WARM at `warm_score` (60), else COLD.
Once the conversation's answers decide its temperature, the class is that
temperature: the score is kept inside its band and the reason says so
("; HOT in the conversation (the signals alone score 75)").
So a cash buyer in Fontana at 400k moving within 30 days scores 90 (HOT) with no
contact details at all, while a lead with only a phone and an email scores 10.

`confidence` says how much of the picture the patterns saw: each of the four signals
adds a quarter when read clearly and an eighth when the text contradicts itself (two
different prices, two service areas, "cash" and "need a loan"). Below
`LlmConfig.confidence_threshold` the LLM may fill the gaps (`fill_gaps`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum

import attrs

from jorged.config import LeadsConfig
from jorged.domain.leads.from_seller import SellerFacts, seller_span, timeline_words
from jorged.domain.leads.lead_text import (
    FINANCING_PRIORITY,
    Financing,
    TimelineSpan,
    read_areas,
    read_financing,
    read_timelines,
)
from jorged.domain.reading.amounts import PriceRange, parse_price

__all__ = [
    "Financing",
    "LeadAnalysis",
    "LeadClass",
    "LeadGaps",
    "LeadInput",
    "SellerFacts",
    "TimelineBucket",
    "analyze",
    "fill_gaps",
    "timeline_bucket",
]


class TimelineBucket(StrEnum):
    IMMEDIATE = "immediate"
    ONE_TO_THREE_MONTHS = "1_3_months"
    THREE_TO_SIX_MONTHS = "3_6_months"
    SIX_PLUS_MONTHS = "6_plus_months"
    UNKNOWN = "unknown"


class LeadClass(StrEnum):
    HOT = "hot"
    WARM = "warm"
    COLD = "cold"


PRICE_KNOWN_POINTS = 15
PRICE_IN_BAND_POINTS = 10
AREA_POINTS = 20
PHONE_POINTS = 5
EMAIL_POINTS = 5
TIMELINE_POINTS = {
    TimelineBucket.IMMEDIATE: 25,
    TimelineBucket.ONE_TO_THREE_MONTHS: 20,
    TimelineBucket.THREE_TO_SIX_MONTHS: 10,
    TimelineBucket.SIX_PLUS_MONTHS: 3,
    TimelineBucket.UNKNOWN: 0,
}
FINANCING_POINTS = {
    Financing.CASH: 20,
    Financing.PRE_APPROVED: 18,
    Financing.VA: 12,
    Financing.FHA: 12,
    Financing.CONVENTIONAL: 12,
    Financing.NEEDS_FINANCING: 5,
    Financing.UNKNOWN: 0,
}
MAX_SCORE = 100
#: A phone number on the contact has this many digits (country code included).
_PHONE_DIGITS_MIN = 10
_PHONE_DIGITS_MAX = 15

#: Upper day limits (inclusive) of the timeline buckets, shortest first.
TIMELINE_LIMITS = (
    (30, TimelineBucket.IMMEDIATE),
    (90, TimelineBucket.ONE_TO_THREE_MONTHS),
    (180, TimelineBucket.THREE_TO_SIX_MONTHS),
)
SIGNALS = ("price", "timeline", "area", "financing")
CLEAR_SIGNAL_CONFIDENCE = 1 / len(SIGNALS)
AMBIGUOUS_SIGNAL_CONFIDENCE = CLEAR_SIGNAL_CONFIDENCE / 2

#: Words that make a bare number in a message a price ("budget is 450" = 450,000).
_PRICE_WORDS = re.compile(
    r"\b(?:budget|price|priced|afford|spend|worth|range|offer|pay|asking|list)\w*\b",
    re.IGNORECASE,
)


def _non_empty(_inst: object, attr: attrs.Attribute[str], value: str) -> None:
    if not value.strip():
        msg = f"{attr.name}: must not be empty"
        raise ValueError(msg)


@attrs.frozen(kw_only=True)
class LeadInput:
    """Everything known about a new contact: CRM fields, tags and message bodies,
    and what its seller conversation told (None before it says anything)."""

    contact_id: str = attrs.field(validator=_non_empty)
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""
    city: str = ""
    tags: tuple[str, ...] = ()
    source: str = ""
    messages: tuple[str, ...] = ()
    seller: SellerFacts | None = None


@attrs.frozen(kw_only=True)
class LeadAnalysis:
    """A scored lead. Unknown signals are `None` / `unknown`, never a default."""

    contact_id: str
    analyzed_at: datetime
    price_low: int | None
    price_high: int | None
    #: How the price was stated: "about", "range", "at_most" ("up to 500k") or
    #: "at_least"; None when no price is known.
    price_bound: str | None
    timeline: TimelineBucket
    timeline_days: int | None
    area: str | None
    financing: Financing
    has_phone: bool
    has_email: bool
    score: int
    classification: LeadClass
    reason: str
    in_price_band: bool | None
    estimated_commission: float | None
    confidence: float
    found: tuple[str, ...]
    filled_by_llm: tuple[str, ...] = ()
    #: Points from the seller conversation (motivated seller, condition told).
    seller_points: int = 0
    #: The conversation's temperature when its answers decide it (hot, warm,
    #: cold), else "": the class then agrees with it (SPEC 2).
    conversation: str = ""
    #: The conversation's timeline in words, when it told one ("" otherwise).
    timeline_said: str = ""

    @property
    def price(self) -> int | None:
        """The midpoint of the price range, the number commission is counted on."""
        if self.price_low is None or self.price_high is None:
            return None
        return (self.price_low + self.price_high) // 2

    @property
    def missing(self) -> tuple[str, ...]:
        """The signals neither the patterns nor the LLM found."""
        known = set(self.found) | set(self.filled_by_llm)
        return tuple(s for s in SIGNALS if s not in known)


@attrs.frozen(kw_only=True)
class LeadGaps:
    """Values from outside the patterns (the LLM) for signals the patterns missed."""

    price_low: int | None = None
    price_high: int | None = None
    timeline_days: int | None = None
    area: str | None = None
    financing: Financing | None = None


def timeline_bucket(days: int | None, *, at_least: bool = False) -> TimelineBucket:
    """The bucket of a span of `days` (after it, rather than within, if `at_least`)."""
    if days is None:
        return TimelineBucket.UNKNOWN
    for limit, bucket in TIMELINE_LIMITS:
        if days < limit or (days == limit and not at_least):
            return bucket
    return TimelineBucket.SIX_PLUS_MONTHS


def _read_price(messages: Sequence[str]) -> tuple[PriceRange | None, bool]:
    """The most recent price stated, and whether different prices were stated."""
    prices = [
        p
        for text in messages
        if (p := parse_price(text, price_context=bool(_PRICE_WORDS.search(text))))
        is not None
    ]
    if not prices:
        return None, False
    latest = prices[-1]
    return latest, any((p.low, p.high) != (latest.low, latest.high) for p in prices)


def _read_timeline(
    messages: Sequence[str], now: datetime
) -> tuple[TimelineSpan | None, bool]:
    """The most urgent timeline stated, and whether others fall in other buckets."""
    spans = [span for text in messages for span in read_timelines(text, now)]
    if not spans:
        return None, False
    order = list(TimelineBucket)
    ranked = sorted(
        (order.index(timeline_bucket(s.days, at_least=s.at_least)), s.days, s)
        for s in spans
    )
    best = ranked[0][2]
    buckets = {rank for rank, _, _ in ranked}
    return best, len(buckets) > 1


_CONTRADICTIONS = (
    {Financing.CASH, Financing.NEEDS_FINANCING},
    {Financing.PRE_APPROVED, Financing.NEEDS_FINANCING},
)


def _read_financing(texts: Sequence[str]) -> tuple[Financing, bool]:
    kinds = {kind for text in texts for kind in read_financing(text)}
    for kind in FINANCING_PRIORITY:
        if kind in kinds:
            return kind, any(pair <= kinds for pair in _CONTRADICTIONS)
    return Financing.UNKNOWN, False


def analyze(lead: LeadInput, cfg: LeadsConfig, now: datetime) -> LeadAnalysis:
    """Score a lead from patterns alone."""
    messages = tuple(m for m in lead.messages if m.strip())
    price, price_mixed = _read_price(messages)
    span, timeline_mixed = _read_timeline(messages, now)
    seller = lead.seller
    if seller is not None and seller.timeline_unknown:
        span, timeline_mixed = None, False  # asked twice, never told
    if seller is not None:
        if seller.price_low is not None and seller.price_high is not None:
            price = PriceRange(
                low=seller.price_low,
                high=seller.price_high,
                bound="about" if seller.price_low == seller.price_high else "range",
            )
            price_mixed = False
        told = seller_span(seller)
        if told is not None:
            span, timeline_mixed = told, False
    areas = read_areas(
        (lead.city, lead.address, *messages, *lead.tags), cfg.service_areas
    )
    financing, financing_mixed = _read_financing((*lead.tags, *messages))
    clear = {
        "price": (price is not None, price_mixed),
        "timeline": (span is not None, timeline_mixed),
        "area": (bool(areas), len(areas) > 1),
        "financing": (financing is not Financing.UNKNOWN, financing_mixed),
    }
    confidence = sum(
        (
            AMBIGUOUS_SIGNAL_CONFIDENCE if mixed else CLEAR_SIGNAL_CONFIDENCE
            for present, mixed in clear.values()
            if present
        ),
        0.0,
    )
    return _scored(
        cfg,
        contact_id=lead.contact_id,
        analyzed_at=now,
        price_low=price.low if price else None,
        price_high=price.high if price else None,
        price_bound=price.bound if price else None,
        timeline=timeline_bucket(
            span.days if span else None, at_least=bool(span and span.at_least)
        ),
        timeline_days=span.days if span else None,
        area=areas[0] if areas else None,
        financing=financing,
        has_phone=is_phone(lead.phone),
        has_email=bool(lead.email.strip()),
        confidence=round(confidence, 3),
        found=tuple(name for name, (present, _) in clear.items() if present),
        filled_by_llm=(),
        seller_points=seller.points if seller is not None else 0,
        conversation=seller.temperature
        if seller is not None and seller.decided
        else "",
        timeline_said=timeline_words(seller),
    )


def is_phone(text: str) -> bool:
    """A phone number: 10 to 15 digits (punctuation and a leading + allowed)."""
    digits = re.sub(r"[\s().+-]", "", text)
    return digits.isdigit() and _PHONE_DIGITS_MIN <= len(digits) <= _PHONE_DIGITS_MAX


def fill_gaps(analysis: LeadAnalysis, gaps: LeadGaps, cfg: LeadsConfig) -> LeadAnalysis:
    """Fill only the signals `analysis` lacks from `gaps`, and score again.

    An area outside `cfg.service_areas` is not an area match; a price range whose
    low end is above its high end, or a negative span, is ignored.
    """
    filled: list[str] = list(analysis.filled_by_llm)
    price_low, price_high = analysis.price_low, analysis.price_high
    bound = analysis.price_bound
    if (
        price_low is None
        and gaps.price_low is not None
        and gaps.price_high is not None
        and 0 < gaps.price_low <= gaps.price_high
    ):
        price_low, price_high = gaps.price_low, gaps.price_high
        bound = "about" if price_low == price_high else "range"
        filled.append("price")
    timeline, days = analysis.timeline, analysis.timeline_days
    if days is None and gaps.timeline_days is not None and gaps.timeline_days >= 0:
        timeline, days = timeline_bucket(gaps.timeline_days), gaps.timeline_days
        filled.append("timeline")
    area = analysis.area
    if area is None and gaps.area is not None:
        wanted = gaps.area.strip().casefold()
        area = next((a for a in cfg.service_areas if a.casefold() == wanted), None)
        if area is not None:
            filled.append("area")
    financing = analysis.financing
    if financing is Financing.UNKNOWN and gaps.financing not in {
        None,
        Financing.UNKNOWN,
    }:
        financing = gaps.financing or Financing.UNKNOWN
        filled.append("financing")
    return _scored(
        cfg,
        contact_id=analysis.contact_id,
        analyzed_at=analysis.analyzed_at,
        price_low=price_low,
        price_high=price_high,
        price_bound=bound,
        timeline=timeline,
        timeline_days=days,
        area=area,
        financing=financing,
        has_phone=analysis.has_phone,
        has_email=analysis.has_email,
        confidence=analysis.confidence,
        found=analysis.found,
        filled_by_llm=tuple(filled),
        seller_points=analysis.seller_points,
        conversation=analysis.conversation,
        timeline_said=analysis.timeline_said if "timeline" not in filled else "",
    )


def _scored(
    cfg: LeadsConfig,
    *,
    contact_id: str,
    analyzed_at: datetime,
    price_low: int | None,
    price_high: int | None,
    price_bound: str | None,
    timeline: TimelineBucket,
    timeline_days: int | None,
    area: str | None,
    financing: Financing,
    has_phone: bool,
    has_email: bool,
    confidence: float,
    found: tuple[str, ...],
    filled_by_llm: tuple[str, ...],
    seller_points: int = 0,
    conversation: str = "",
    timeline_said: str = "",
) -> LeadAnalysis:
    price = (
        None
        if price_low is None or price_high is None
        else (price_low + price_high) // 2
    )
    in_band = None if price is None else cfg.price_min <= price <= cfg.price_max
    score = (
        (PRICE_KNOWN_POINTS if price is not None else 0)
        + (PRICE_IN_BAND_POINTS if in_band else 0)
        + TIMELINE_POINTS[timeline]
        + (AREA_POINTS if area is not None else 0)
        + FINANCING_POINTS[financing]
        + (PHONE_POINTS if has_phone else 0)
        + (EMAIL_POINTS if has_email else 0)
        + seller_points
    )
    points = min(score, MAX_SCORE)
    score = _held(points, conversation, cfg)
    if score >= cfg.hot_score:
        classification = LeadClass.HOT
    elif score >= cfg.warm_score:
        classification = LeadClass.WARM
    else:
        classification = LeadClass.COLD
    reason = _reason(
        (price_low, price_high, price_bound),
        timeline,
        timeline_days,
        area,
        financing,
        seller=seller_points > 0,
        told=timeline_said,
    )
    if conversation:
        reason += f"; {conversation.upper()} in the conversation"
        if score != points:
            reason += f" (the signals alone score {points})"
    return LeadAnalysis(
        contact_id=contact_id,
        analyzed_at=analyzed_at,
        price_low=price_low,
        price_high=price_high,
        price_bound=price_bound,
        timeline=timeline,
        timeline_days=timeline_days,
        area=area,
        financing=financing,
        has_phone=has_phone,
        has_email=has_email,
        score=score,
        classification=classification,
        reason=reason,
        in_price_band=in_band,
        estimated_commission=(
            None if price is None else round(cfg.commission_rate * price, 2)
        ),
        confidence=confidence,
        found=found,
        filled_by_llm=filled_by_llm,
        seller_points=seller_points,
        conversation=conversation,
        timeline_said=timeline_said,
    )


def _held(score: int, conversation: str, cfg: LeadsConfig) -> int:
    """`score` kept inside the band of the conversation's temperature (SPEC 2:
    the analysis follows the conversation); unchanged without one."""
    if conversation == LeadClass.HOT:
        return max(score, cfg.hot_score)
    if conversation == LeadClass.WARM:
        return min(max(score, cfg.warm_score), cfg.hot_score - 1)
    if conversation == LeadClass.COLD:
        return max(min(score, cfg.warm_score - 1), 0)
    return score


_FINANCING_WORDS = {
    Financing.CASH: "Cash buyer",
    Financing.PRE_APPROVED: "Pre-approved buyer",
    Financing.VA: "VA buyer",
    Financing.FHA: "FHA buyer",
    Financing.CONVENTIONAL: "Conventional loan buyer",
    Financing.NEEDS_FINANCING: "Buyer needing financing",
    Financing.UNKNOWN: "Lead",
}
_TIMELINE_WORDS = {
    TimelineBucket.ONE_TO_THREE_MONTHS: "moving in 1 to 3 months",
    TimelineBucket.THREE_TO_SIX_MONTHS: "moving in 3 to 6 months",
    TimelineBucket.SIX_PLUS_MONTHS: "moving in 6+ months",
    TimelineBucket.UNKNOWN: "timeline unknown",
}


def format_price(dollars: int) -> str:
    """`400000` as "400k", `1200000` as "1.2M"."""
    if dollars >= 1_000_000:
        return f"{dollars / 1_000_000:.2f}".rstrip("0").rstrip(".") + "M"
    if dollars >= 1_000:
        return f"{dollars / 1_000:.1f}".rstrip("0").rstrip(".") + "k"
    return str(dollars)


_BOUND_WORDS = {"at_most": "up to ", "at_least": "at least "}


def _reason(
    price: tuple[int | None, int | None, str | None],
    timeline: TimelineBucket,
    timeline_days: int | None,
    area: str | None,
    financing: Financing,
    *,
    seller: bool = False,
    told: str = "",
) -> str:
    """A short line such as "Cash buyer in Fontana, 400k, moving within 30 days";
    `told` is the conversation's timeline in words, when it told one."""
    head = _FINANCING_WORDS[financing]
    if seller and financing is Financing.UNKNOWN:
        head = "Motivated seller"
    head += f" in {area}" if area else ", area unknown"
    low, high, bound = price
    if low is None or high is None:
        said = "price unknown"
    elif low == high:
        said = _BOUND_WORDS.get(bound or "", "") + format_price(low)
    else:
        said = f"{format_price(low)} to {format_price(high)}"
    if told:
        when = told
    elif timeline is TimelineBucket.IMMEDIATE:
        days = timeline_days or 0
        when = "moving now" if days == 0 else f"moving within {days} days"
    else:
        when = _TIMELINE_WORDS[timeline]
    return f"{head}, {said}, {when}"
