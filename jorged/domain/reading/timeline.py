"""Reading a seller's timeline and urgency out of a text (SPEC 1.3).

Timeline: a sale in 30 to 45 days is fine when the seller says so ("no that works",
"that wouldn't be a problem", "sooner is better") or names a span of at most 45 days;
it is not when they say it is ("too fast", "yes that would be a problem") or need
longer ("not before 6 months", "need until summer"). Spans are counted in days (a
week 7, a month 30, a year 365; "a couple" 2, "a few" 3); seasons start on March 20,
June 21, September 22 and December 21, and a month named alone means its first day.

Urgency comes from words ("asap", "no rush"), from a stated span (at most 45 days is
high, over 180 low, else medium) or from a pressing motivation (foreclosure and
financial distress are high, curious is low); otherwise it stays unknown.

The texts read here are normalized by `jorged.domain.extract` (lower case ASCII,
padded with a space at each end).
"""

from __future__ import annotations

import re
from datetime import date

from jorged.domain.seller_models import Motivation, Slot, Urgency

__all__ = [
    "TIMELINE_OK_MAX_DAYS",
    "TIME_TALK",
    "read_timeline",
    "read_urgency",
    "span_days",
]

#: The question offers a sale within 30 to 45 days; a stated span up to this is fine.
TIMELINE_OK_MAX_DAYS = 45
#: Over this many days a timeline reads as low urgency.
_LOW_URGENCY_DAYS = 180

_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "couple": 2, "couple of": 2, "few": 3, "a couple": 2, "a couple of": 2,
    "a few": 3, "several": 3, "fifteen": 15, "twenty": 20, "thirty": 30,
    "forty five": 45, "forty": 40, "sixty": 60, "ninety": 90,
}  # fmt: skip
_UNIT_DAYS = {"day": 1, "week": 7, "wk": 7, "month": 30, "mo": 30, "year": 365,
              "yr": 365}  # fmt: skip
_SPAN = re.compile(
    r"\b(?P<n>\d+(?:\.\d+)?|"
    + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
    + r")(?:\s?(?:-|to|or)\s?(?P<n2>\d+))?\s?(?P<unit>days?|weeks?|wks?|months?|mos?"
    r"|years?|yrs?)\b"
)
_HALF_YEAR = re.compile(r"\b(?:half a year|six months)\b")
_SEASONS = {"spring": (3, 20), "summer": (6, 21), "fall": (9, 22), "autumn": (9, 22),
            "winter": (12, 21)}  # fmt: skip
_MONTHS = {
    month: number
    for number, month in enumerate(
        (
            "january", "february", "march", "april", "may", "june", "july",
            "august", "september", "october", "november", "december",
        ),
        start=1,
    )
}  # fmt: skip
_PAST_AFTER = re.compile(
    r"^\s?(?:ago|old|now|already|straight|behind|late|past due|overdue|in a row)\b"
)
_PAST_BEFORE = re.compile(
    r"\b(?:for|been|lived|owned|had|built|over|past|last|since|almost|nearly|ago"
    r"|laid off|fired|lost|bought|purchased|moved in|got|was|were|did|happened"
    r"|passed|died|divorced|separated|behind|late|missed|refinanced|refi|remodeled"
    r"|renovated|redid|replaced|listed|married)(?: \w+){0,3} $"
)
_PAST_WHEN = re.compile(r"^\s?(?:ago|last year|of last year|\d{4})\b")
#: Words about time: one of the signs that a text speaks to the timeline.
TIME_TALK = re.compile(
    r"\b(?:days?|weeks?|months?|years?|soon|sooner|fast|quick|quickly|asap|timeline"
    r"|time|timing|until|till|before|after|hurry|rush|wait|ready|move out|whenever"
    r"|spring|summer|fall|winter|works|problem|issue|prob)\b"
)
_UNTIL = re.compile(
    r"\b(?P<prefix>until|till|til|before|after|by|in|through|thru|around|next|this)"
    r"\s+(?:the\s+)?(?:next\s+|this\s+)?(?P<when>spring|summer|fall|autumn|winter|"
    + "|".join(_MONTHS)
    + r"|end of (?:the|this) year|new year|next year)\b"
)


def span_days(text: str, today: date) -> int | None:
    """Days in the first span or date the text names, if any."""
    found = find_span(text, today)
    return found[0] if found is not None else None


def find_span(text: str, today: date) -> tuple[int, tuple[int, int]] | None:
    """Days in the first span or date the text names, and where it stands."""
    for m in _SPAN.finditer(text):
        if _PAST_AFTER.match(text[m.end() :]) or _PAST_BEFORE.search(text[: m.start()]):
            continue  # "20 years ago", "lived here for 20 years": not a timeline
        raw = m.group("n2") or m.group("n")
        count = float(raw) if raw[0].isdigit() else _NUMBER_WORDS[raw]
        unit = m.group("unit").rstrip("s")
        return round(count * _UNIT_DAYS[unit]), (m.start(), m.end())
    if h := _HALF_YEAR.search(text):
        return 182, (h.start(), h.end())
    for u in _UNTIL.finditer(text):
        if u.group("when") == "may" and u.group("prefix") in {"this", "next"}:
            continue  # "this may be", not the month
        if _PAST_BEFORE.search(text[: u.start()]) or _PAST_WHEN.match(text[u.end() :]):
            continue
        return _days_until(u.group("when"), today), (u.start(), u.end())
    if n := re.search(r"\bnext year\b", text):
        return _days_until("next year", today), (n.start(), n.end())
    return None


def _days_until(when: str, today: date) -> int:
    if when in _SEASONS:
        month, day = _SEASONS[when]
    elif when in _MONTHS:
        month, day = _MONTHS[when], 1
    elif when in {"new year", "next year"}:
        month, day = 1, 1
    else:  # the end of the year
        return (date(today.year, 12, 31) - today).days
    target = date(today.year, month, day)
    if target <= today:
        target = date(today.year + 1, month, day)
    return (target - today).days


_NOT_MOVING = re.compile(
    r"\b(?:not moving|not going anywhere|staying put|not selling|no plans to (?:move|"
    r"sell)|not planning (?:to|on) (?:move|moving|sell|selling)|dont plan (?:to|on) "
    r"(?:move|moving|sell|selling)|never selling)\b"
)
# Checked in order: the first that matches decides.
_TIMELINE_RULES: tuple[tuple[re.Pattern[str], bool], ...] = (
    (
        re.compile(
            r"\b(?:wouldnt|would not|wont|will not|shouldnt|should not|isnt|is not"
            r"|not|no|dont|doesnt) (?:\w+ ){0,2}(?:be )?(?:a |an |any )?"
            r"(?:problem|issue|prob)"
        ),
        True,
    ),
    (re.compile(r"\bno (?:problem|prob|issue|worries)|\bnp\b|\bnot at all\b"), True),
    (
        re.compile(
            r"\b(?:sooner|faster|quicker) (?:is|the) better|the sooner the better"
            r"|\basap\b|as soon as possible|ready (?:now|to go)|right away"
        ),
        True,
    ),
    (
        re.compile(
            r"\b(?:too|really|very) (?:fast|soon|quick|early)|not that (?:fast|soon"
            r"|quick)|(?:cant|cannot|can not|couldnt|wont be able to) (?:move|go|do it"
            r"|be out|get out|leave|pack|sell|do that|make it) (?:that|so|this)"
            r" (?:fast|quick|soon|quickly)|need more time"
            r"|not enough time|not ready|need (?:some )?time|not before|at least"
            r"|need until|need till|need til|\bafter\b|no way|cant do that"
            r"|not (?:that|so) (?:fast|soon)|need to find|have to find|take (?:my|our)"
            r" time|slow down|in no hurry|no rush"
        ),
        False,
    ),
    (
        re.compile(
            r"\b(?:would|will|might|could|that(?:d| would)?|it(?:d| would)?) (?:\w+ )?"
            r"(?:be|pose|cause) (?:a |an |some )?(?:problem|issue)"
        ),
        False,
    ),
    (
        re.compile(
            r"\b(?:that |it |this )?(?:works|would work|will work|could work|sounds"
            r" (?:good|great|perfect)|perfect|fine|doable|can do|could do|i can do"
            r"|lets do it|great|good with me|im good|im ok|im okay|all good"
            r"|no problem)\b"
        ),
        True,
    ),
)
_YES = re.compile(r"^ (?:yes|yeah|yea|ya|yep|yup|yess+|y|si|correct|it would|it will"
            r"|definitely|absolutely|for sure)\b")  # fmt: skip
_NO = re.compile(r"^ (?:no|nope|nah|noo+|n|nop|not really|negative)\b")


#: A hedge is not a yes: "no, let me talk to my wife first", "only if we find a place".
_HEDGE = re.compile(
    r"\b(?:let me (?:talk|check|ask|think|see)|(?:have|need|got) to (?:talk|check|ask"
    r"|think|see|discuss)|(?:talk|check) (?:to|with) (?:my|the)|only if|as long as"
    r"|depends|depending|if we (?:can )?find|if i (?:can )?find|provided|assuming"
    r"|not sure|maybe|possibly|might|idk|dont know|think about it|ill think"
    r"|need to think|have to think|would have to think|not yet sure|unless)\b"
)


def read_timeline(
    text: str, days: int | None, *, asking: Slot | None
) -> tuple[bool | None, bool]:
    """(timeline_ok, not_moving) for the text."""
    ok, not_moving, _ = find_timeline(text, days, asking=asking)
    return ok, not_moving


def find_timeline(
    text: str, days: int | None, *, asking: Slot | None
) -> tuple[bool | None, bool, tuple[int, int] | None]:
    """(timeline_ok, not_moving, where it was read) for the text."""
    if m := _NOT_MOVING.search(text):
        return False, True, (m.start(), m.end())
    hedged = _HEDGE.search(text)
    for pattern, value in _TIMELINE_RULES:
        if m := pattern.search(text):
            if value and days is not None and days > TIMELINE_OK_MAX_DAYS:
                return (
                    False,
                    False,
                    (m.start(), m.end()),
                )  # "no problem, but in 6 months"
            if value and hedged and days is None:
                return None, False, None
            return value, False, (m.start(), m.end())
    if days is not None:
        return days <= TIMELINE_OK_MAX_DAYS, False, None
    if asking is Slot.TIMELINE:
        if m := _NO.search(text):
            if hedged:
                return None, False, None
            return True, False, (m.start(), m.end())
        if m := _YES.search(text):
            if _YES_LETS_GO.search(text):
                return True, False, (m.start(), m.end())
            return False, False, (m.start(), m.end())
    return None, False, None


#: A "yes" that agrees to the sale rather than to the problem: "yes, let's do it".
_YES_LETS_GO = re.compile(
    r"\b(?:lets do it|lets go|lets do this|im ready|were ready|ready to go|sounds good"
    r"|works for (?:me|us)|that works|go for it|sign me up|perfect|great|do it)\b"
)


# --- urgency --------------------------------------------------------------------------

_HIGH = re.compile(
    r"\basap\b|as soon as possible|urgent|sell (?:it )?(?:fast|quick)|right away"
    r"|immediately"
    r"|need to sell|have to sell|must sell|gotta sell|behind on|deadline"
    r"|sooner the better|sooner is better"
)
_LOW = re.compile(
    r"no rush|not in a (?:rush|hurry)|in no hurry|eventually|someday|some day"
    r"|few years|next year|whenever|no hurry|down the road|not sure when"
)


def read_urgency(
    text: str, days: int | None, motivation: Motivation | None
) -> Urgency | None:
    if _HIGH.search(text):
        return Urgency.HIGH
    if _LOW.search(text) or _NOT_MOVING.search(text):
        return Urgency.LOW
    if days is not None:
        if days <= TIMELINE_OK_MAX_DAYS:
            return Urgency.HIGH
        return Urgency.LOW if days > _LOW_URGENCY_DAYS else Urgency.MEDIUM
    if motivation in {Motivation.FORECLOSURE, Motivation.FINANCIAL_DISTRESS}:
        return Urgency.HIGH
    if motivation is Motivation.CURIOUS:
        return Urgency.LOW
    return None
