"""Reading the condition of the house out of a text (SPEC 1.3).

Structural words (roof, foundation, gut, "a lot of work") are major repairs,
cosmetic ones (paint, carpet, dated, "needs some love") minor, finished ones
(turnkey, updated, "redid the kitchen") move in ready. Work already done ("new
roof", "replaced the plumbing") counts as ready, work still needed ("needs a new
roof") as repairs, and negated trouble ("nothing serious", "no big repairs") as
minor. The texts read here are normalized copies (`text.Text.norm`).
"""

from __future__ import annotations

import re

from jorged.domain.seller_models import Condition, Slot

__all__ = ["HOUSE_TALK", "find_condition", "read_condition"]


def _any(patterns: str) -> re.Pattern[str]:
    return re.compile(patterns)


#: Words about the house: the sign that a text speaks to its condition.
HOUSE_TALK = re.compile(
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


#: Negated trouble reads as small: "nothing serious", "no big repairs" (SPEC 1.3).
_NEGATED_MAJOR = _any(
    r"\b(?:nothing|no|not|nothin|none|isnt|arent|without|never had|no real)"
    r" (?:\w+ )?(?:serious|major|big|huge|structural|crazy|too bad|bad|significant"
    r"|expensive)(?: \w+)?(?: (?:repairs|issues|problems|work|wrong|stuff|things))?"
)


def read_condition(text: str, *, asking: Slot | None) -> Condition | None:
    found = find_condition(text, asking=asking)
    return found[0] if found is not None else None


def find_condition(
    text: str, *, asking: Slot | None
) -> tuple[Condition, tuple[int, int]] | None:
    """The condition `text` (normalized) describes, and where."""
    text = _NEEDS_NEW.sub(lambda m: " needs" + " " * (len(m.group(0)) - 6), text)
    if m := _NEGATED_MAJOR.search(text):
        rest = text[: m.start()] + " " * (m.end() - m.start()) + text[m.end() :]
        if not _MAJOR.search(_READY_FIRST.sub(_blank, rest)):
            return Condition.MINOR_REPAIRS, (m.start(), m.end())
    ready_first = _READY_FIRST.search(text)
    rest = _READY_FIRST.sub(_blank, text)
    if m := _MAJOR.search(rest):
        return Condition.MAJOR_REPAIRS, (m.start(), m.end())
    if m := _MINOR.search(rest):
        return Condition.MINOR_REPAIRS, (m.start(), m.end())
    if ready_first:
        return Condition.MOVE_IN_READY, (ready_first.start(), ready_first.end())
    if m := _READY.search(rest):
        return Condition.MOVE_IN_READY, (m.start(), m.end())
    if asking is Slot.CONDITION and (m := _BARE_READY.match(text)):
        return Condition.MOVE_IN_READY, (m.start(), m.end())
    return None


def _blank(m: re.Match[str]) -> str:
    """The match as spaces, so positions in the text stay where they were."""
    return " " * len(m.group(0))
