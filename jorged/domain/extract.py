"""Reading a seller's answers out of a text message (SPEC 1.3). Pure, no I/O.

`extract(text, open_slots, now=..., asking=...)` tries every open slot on the text
and returns what it found; a slot it cannot read stays None (unknown is unknown,
never a default). `asking` is the slot of the last question, which gives short
answers their meaning: "no" to the timeline question ("would that pose a problem?")
means the timeline is fine, and a bare "350" to the price question is 350,000.

The motivation is read in `extract_motivation`, the timeline and the urgency in
`extract_timeline`, the price in `price`; the condition of the house is read here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from datetime import datetime

import attrs

from jorged.domain.extract_motivation import read_motivation, read_move_to
from jorged.domain.extract_timeline import (
    TIME_TALK,
    read_timeline,
    read_urgency,
    span_days,
)
from jorged.domain.price import PriceRange, parse_price
from jorged.domain.seller_models import Condition, Motivation, Slot, Urgency

__all__ = ["Extraction", "extract"]


@attrs.frozen(kw_only=True)
class Extraction:
    motivation: Motivation | None = None
    move_to: str | None = None
    urgency: Urgency | None = None
    timeline_ok: bool | None = None
    timeline_days: int | None = None
    not_moving: bool = False
    condition: Condition | None = None
    price: PriceRange | None = None

    @property
    def filled(self) -> tuple[Slot, ...]:
        """The slots this message answered, in question order."""
        found = {
            Slot.MOTIVATION: self.motivation is not None,
            Slot.TIMELINE: self.timeline_ok is not None,
            Slot.CONDITION: self.condition is not None,
            Slot.PRICE: self.price is not None,
        }
        return tuple(s for s in Slot if found[s])


def extract(
    text: str,
    open_slots: Collection[Slot],
    *,
    now: datetime,
    asking: Slot | None = None,
) -> Extraction:
    """What `text` says about each slot in `open_slots` (others are not read)."""
    clean = _normalize(text)
    motivation = move_to = None
    if Slot.MOTIVATION in open_slots:
        motivation = read_motivation(clean, asking=asking)
        move_to = read_move_to(text)
        if motivation is None and move_to is not None:
            motivation = Motivation.RELOCATION
    days = span_days(clean, now.date())
    timeline_ok, not_moving = None, False
    if Slot.TIMELINE in open_slots and (
        asking is Slot.TIMELINE or days is not None or TIME_TALK.search(clean)
    ):
        timeline_ok, not_moving = read_timeline(clean, days, asking=asking)
    condition = None
    if Slot.CONDITION in open_slots and (
        asking is Slot.CONDITION or _HOUSE_TALK.search(clean)
    ):
        condition = _condition(clean, asking=asking)
    price = None
    if Slot.PRICE in open_slots:
        context = asking is Slot.PRICE or bool(_PRICE_WORDS.search(clean))
        price = parse_price(text, price_context=context)
    return Extraction(
        motivation=motivation,
        move_to=move_to,
        urgency=read_urgency(clean, days, motivation),
        timeline_ok=timeline_ok,
        timeline_days=days if timeline_ok is not None else None,
        not_moving=not_moving,
        condition=condition,
        price=price,
    )


def _normalize(text: str) -> str:
    """Lower case ASCII words: emoji and symbols become spaces, apostrophes vanish."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.lower().replace("\u2019", "'").replace("'", "")
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    text = "".join(c if c.isascii() else " " for c in text)
    return " " + re.sub(r"\s+", " ", text).strip() + " "


def _any(patterns: str) -> re.Pattern[str]:
    return re.compile(patterns)


# --- condition ------------------------------------------------------------------------

#: Words about the house: the sign that a text speaks to its condition.
_HOUSE_TALK = re.compile(
    r"house|home|place|property|condo|kitchen|bath|roof|floor|condition|shape"
    r"|repair|fixer|turn ?key|move in|movein|paint|carpet|\bwork\b|remodel"
    r"|renovat|foundation|\bgut|mold|damage|cosmetic|\bdated|tlc"
)
_READY_FIRST = _any(
    r"\b(?:new|newer|brand new|replaced the|just replaced|redid the|updated the)"
    r" (?:roof|foundation|plumbing|electrical|hvac|ac|windows|floors|kitchen)"
    r"|\b(?:roof|foundation|plumbing|electrical) (?:is|was) (?:new|replaced|redone"
    r"|fine|good|solid)|\bno (?:major |big )?(?:issues|problems|repairs|work)"
    r"|\b(?:doesnt|does not|dont|wont) need (?:any(?:thing)? )?(?:work|repairs"
    r"|anything)|nothing (?:needed|to fix|needs)"
)
_MAJOR = _any(
    r"\broof|fou?nd[ae]?tion|\bgut|fixer|a lot of work|alot of work|lots of work"
    r"|tons of work|major|needs everything|tear ?down|\bmold|fire damage"
    r"|water damage|flood|structural|plumbing|electrical|termite|sewer|rebuild"
    r"|uninhabitable|condemned|needs a lot|a lot of repairs|lots of repairs"
    r"|full remodel|complete remodel|rough shape|bad shape|falling apart|cracks?\b"
)
_MINOR = _any(
    r"paint|carpet|cosmetic|\bdated|outdated|a little work|some work|bit of work"
    r"|minor|small repairs|small things|touch ?ups?|flooring|\btlc\b|fixtures"
    r"|landscaping|needs updating|needs to be updated|could use (?:some )?updat"
    r"|old kitchen|original kitchen|original bathrooms?|\bworn|needs work"
    r"|need work|needs some|few repairs|some repairs|little things|handyman"
)
_READY = _any(
    r"mov(?:e|ing)[ -]?in[ -]?re?a?dy|ready to move in|turn ?key|\bupdated"
    r"|remodel(?:l)?ed|renovated|redid|redone|new kitchen|great (?:shape|condition)"
    r"|good (?:shape|condition)|excellent (?:shape|condition)|perfect (?:shape"
    r"|condition)|\bmint\b|pristine|well maintained|upgraded|beautiful|like new"
    r"|immaculate|ready to go|no work"
)
_BARE_READY = _any(r"^ (?:ready|its ready|ready!*|all good|good|great|perfect) $")


#: "needs a new roof" asks for the work: it is not a new roof.
_NEEDS_NEW = _any(
    r"\b(?:needs?|needing|need to (?:get|put in)|could use|will need|requires?)"
    r" (?:a |an |all )?(?:brand )?(?:new|newer|replacement|replacing)\b"
)


def _condition(text: str, *, asking: Slot | None) -> Condition | None:
    text = _NEEDS_NEW.sub(" needs ", text)
    ready_first = bool(_READY_FIRST.search(text))
    rest = _READY_FIRST.sub(" ", text)
    if _MAJOR.search(rest):
        return Condition.MAJOR_REPAIRS
    if _MINOR.search(rest):
        return Condition.MINOR_REPAIRS
    if ready_first or _READY.search(rest):
        return Condition.MOVE_IN_READY
    if asking is Slot.CONDITION and _BARE_READY.match(text):
        return Condition.MOVE_IN_READY
    return None


# --- price context --------------------------------------------------------------------

_PRICE_WORDS = _any(
    r"\$|\bprice|\bwant\b|\bworth|\basking|\bask\b|\bsell (?:it )?for|\bvalue"
    r"|\boffer|\blist|\bnumber|\bthousand|\bgrand|\bmillion|\bmil\b|\bhoping"
    r"|\bwalk away|\bnet\b|\bget for|\btake for"
)
