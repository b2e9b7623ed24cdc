"""Acknowledgements that say back what was read (SPEC 1.10). Pure.

`acknowledge` picks the few words that go before the next question, from what the
message said, most telling first: bad news gets sympathy ("I'm sorry about your
dad."), a reason to sell is named or its place echoed ("Phoenix, nice."), then the
timeline, the condition, the price. After bad news or a complaint nothing cheerful
is said for the rest of the conversation. Among the lines that fit, one is chosen by
a stable hash of the conversation and the turn, so a conversation replays the same,
and a line the previous text already said is never picked again (no line at all
is better than the same one twice in a row).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence

import attrs

from jorged.domain.leads import format_price
from jorged.domain.reading.acts import ActKind, Reading
from jorged.domain.seller_models import Motivation, Slots
from jorged.domain.templates import Tone

__all__ = ["SAD_MOTIVATIONS", "acknowledge", "price_words", "span_words"]

#: Reasons to sell that are bad news: no cheerful word after them.
SAD_MOTIVATIONS = frozenset(
    {
        Motivation.DIVORCE,
        Motivation.FINANCIAL_DISTRESS,
        Motivation.FORECLOSURE,
        Motivation.INHERITED,
        Motivation.HEALTH,
    }
)


@attrs.frozen
class _Line:
    text: str
    cheerful: bool = False


def _lines(*texts: str, cheerful: bool = False) -> tuple[_Line, ...]:
    return tuple(_Line(t, cheerful=cheerful) for t in texts)


_RELATIVE = re.compile(
    r"\b(mom|mother|dad|father|husband|wife|grandma|grandmother|grandpa"
    r"|grandfather|brother|sister|son|daughter|aunt|uncle|parents|partner)\b",
    re.IGNORECASE,
)
_LIFE_EVENT_OF = {
    Motivation.DIVORCE: "divorce",
    Motivation.FINANCIAL_DISTRESS: "job_loss",
    Motivation.FORECLOSURE: "foreclosure",
    Motivation.INHERITED: "death",
    Motivation.HEALTH: "illness",
}
_SYMPATHY = {
    "death": _lines(
        "I'm so sorry for your loss.",
        "I'm sorry for your loss, take all the time you need.",
    ),
    "divorce": _lines(
        "Sorry you're going through that.",
        "That's a lot to deal with, I'm sorry.",
    ),
    "job_loss": _lines(
        "Sorry to hear that, that's tough.",
        "I'm sorry, that's a hard spot to be in.",
    ),
    "foreclosure": _lines(
        "I'm sorry you're dealing with that.",
        "That's stressful, I'm sorry. Let's look at your options.",
    ),
    "illness": _lines(
        "I'm sorry to hear that, I hope things get better.",
        "Sorry to hear about the health issues.",
    ),
}
_MOTIVATION = {
    Motivation.RELOCATION: _lines("A move, understood.", "Relocating, got it."),
    Motivation.RETIREMENT: _lines("Congrats on retiring.", cheerful=True)
    + _lines("Retirement, understood."),
    Motivation.DOWNSIZING: _lines("Going smaller, got it.", "Downsizing, understood."),
    Motivation.UPSIZING: _lines("Needing more room, I hear you.")
    + _lines("A bigger place, nice.", cheerful=True),
    Motivation.TIRED_LANDLORD: _lines(
        "Being a landlord gets old, I hear you.", "Done with tenants, understood."
    ),
    Motivation.FAMILY: _lines("Family first, understood.", "For family, got it."),
    Motivation.CURIOUS: _lines(
        "Fair enough, no pressure at all.", "Curious is fine, no pressure."
    ),
    Motivation.OTHER: _lines("Thanks for explaining.", "Okay, that helps."),
}
_PLACE = (
    _Line("{place}, nice.", cheerful=True),
    _Line("{place}, exciting move.", cheerful=True),
    _Line("Moving to {place}, got it."),
    _Line("{place}, understood."),
)
_RETIRE_PLACE = (
    _Line("Retiring to {place}, congrats.", cheerful=True),
    _Line("{place} for retirement, understood."),
)
_TIMELINE_OK = _lines("Good, that timing works.", cheerful=True) + _lines(
    "Okay, the timing works.", "That timing works, noted."
)
_TIMELINE_SPAN_OK = _lines("{span} works, noted.", "Okay, {span} it is.")
_TIMELINE_SLOW = _lines(
    "No rush, {span} is noted.", "Understood, {span}.", "{span}, that's fine."
)
_TIMELINE_LATER = _lines("No rush, understood.", "Okay, you need more time.")
_NOT_MOVING = _lines("Understood, no plans to move yet.")
_CONDITION = {
    "move_in_ready": _lines(
        "Move in ready, great.", "Nice, move in ready.", cheerful=True
    )
    + _lines("Move in ready, noted.", "Ready to move in, good to know."),
    "minor_repairs": _lines(
        "A little work, noted.", "Some touch ups, got it.", "A few fixes, understood."
    ),
    "major_repairs": _lines(
        "Thanks for being upfront about the repairs.", "Noted on the repairs."
    ),
}
_PRICE = _lines("{price}, noted.", "{price}, got it.", "Okay, {price}.")
_GENERIC = _lines("Thanks.", "Okay, thanks.")
_FRIENDLY = {
    "nice.": "nice!",
    "move.": "move!",
    "congrats.": "congrats!",
    "great.": "great!",
    "retiring.": "retiring!",
}


def acknowledge(
    *,
    text: str,
    reading: Reading,
    before: Slots,
    after: Slots,
    tone: Tone,
    seed: str,
    previous: str = "",
) -> str:
    """The acknowledgement of a message (empty when none fits)."""
    sombre = (
        reading.has(ActKind.LIFE_EVENT)
        or reading.has(ActKind.COMPLAINT)
        or after.motivation in SAD_MOTIVATIONS
    )
    lines, values = _lines_for(text, reading, before, after)
    usable = [line for line in lines if not (sombre and line.cheerful)]
    if not usable:
        return ""
    start = zlib.crc32(seed.encode()) % len(usable)
    for i in range(len(usable)):
        line = usable[(start + i) % len(usable)]
        said = _say(line, values, tone)
        if said and said not in previous:
            return said
    return ""


def _say(line: _Line, values: dict[str, str], tone: Tone) -> str:
    said = line.text
    for key, value in values.items():
        said = said.replace("{" + key + "}", value)
    if "{" in said:
        return ""
    said = said[0].upper() + said[1:]
    if tone == "friendly" and line.cheerful:
        for plain, warm in _FRIENDLY.items():
            if said.endswith(plain):
                said = said[: -len(plain)] + warm
    return said


def _lines_for(
    text: str, reading: Reading, before: Slots, after: Slots
) -> tuple[Sequence[_Line], dict[str, str]]:
    """The candidate lines for the most telling thing the message said."""
    event = next((a for a in reading.acts if a.kind is ActKind.LIFE_EVENT), None)
    new_motivation = after.motivation is not None and (
        after.motivation is not before.motivation or after.move_to != before.move_to
    )
    kind = event.life_event if event is not None else None
    if kind is None and new_motivation and after.motivation in SAD_MOTIVATIONS:
        kind = _LIFE_EVENT_OF[after.motivation]
    if kind in _SYMPATHY:
        said = event.evidence.text if event and event.evidence else ""
        relative = None
        if kind == "death":
            relative = _RELATIVE.search(said) or _RELATIVE.search(text)
        if relative is not None:
            who = relative.group(1).lower()
            lines = (
                _Line(f"I'm sorry about your {who}."),
                _Line(f"I'm so sorry about your {who}."),
            )
            return lines, {}
        return _SYMPATHY[kind], {}
    if new_motivation and after.motivation is not None:
        place = _place(after.move_to)
        if place and after.motivation is Motivation.RETIREMENT:
            return _RETIRE_PLACE, {"place": place}
        if place and after.motivation in {Motivation.RELOCATION, Motivation.FAMILY}:
            return _PLACE, {"place": place}
        return _MOTIVATION.get(after.motivation, _GENERIC), {}
    if after.timeline_ok is not None and after.timeline_ok != before.timeline_ok:
        span = span_words(after.timeline_days)
        if after.not_moving:
            return _NOT_MOVING, {}
        if after.timeline_ok:
            return (_TIMELINE_SPAN_OK if span else _TIMELINE_OK), {"span": span}
        return (_TIMELINE_SLOW if span else _TIMELINE_LATER), {"span": span}
    if after.condition is not None and after.condition is not before.condition:
        return _CONDITION[after.condition.value], {}
    if (
        after.price_low is not None
        and after.price_high is not None
        and (
            (after.price_low, after.price_high) != (before.price_low, before.price_high)
        )
    ):
        return _PRICE, {"price": price_words(after.price_low, after.price_high)}
    return (), {}


def _place(move_to: str | None) -> str:
    """A place as it can be echoed: plain letters, a few words, capitalized."""
    if not move_to or len(move_to) > 30 or not re.fullmatch(r"[A-Za-z .']+", move_to):
        return ""
    return " ".join(w if w.isupper() else w.capitalize() for w in move_to.split())


def price_words(low: int, high: int) -> str:
    """ "425k", "1.2M", "600k to 650k"."""
    if low == high:
        return format_price(low)
    return f"{format_price(low)} to {format_price(high)}"


def span_words(days: int | None) -> str:
    """ "3 weeks", "4 months", "2 years", "10 days"; empty when unknown."""
    if days is None or days <= 0:
        return ""
    for size, unit in ((365, "year"), (30, "month"), (7, "week")):
        if days >= max(size, 60 if unit == "month" else 0) and days % size == 0:
            n = days // size
            return f"{n} {unit}{'s' if n > 1 else ''}"
    if days > 60:
        n = round(days / 30)
        return f"about {n} months"
    return f"{days} days"
