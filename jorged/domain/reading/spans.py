"""Spans of time a seller names, in days, when they are about what comes.

Spans are counted in days (a week 7, a month 30, a year 365; "a couple" 2, "a few"
3); seasons start on March 20, June 21, September 22 and December 21, a month named
alone means its first day, "next year" its first of January. A span that tells of
the past ("6 months ago", "lived here for 20 years", "retiring after 30 years
here", "3 months behind", "tenant hasn't paid in 4 months"), a clock time ("after
5"), or a pause to think ("give me 2 days to think") is none.

When several spans are named, the one the seller needs wins: after "more like",
"need", "at least", "not for", "not before", or before "minimum", "away", "out";
else the last one ("30 days is too fast, more like 4 months" is 120).

The texts read here are normalized copies (`text.Text.norm`).
"""

from __future__ import annotations

import re
from datetime import date

__all__ = ["Span", "find_span"]

Span = tuple[int, tuple[int, int]]

_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "couple": 2, "couple of": 2, "few": 3, "a couple": 2, "a couple of": 2,
    "a few": 3, "several": 3, "fifteen": 15, "twenty": 20, "thirty": 30,
    "forty five": 45, "forty": 40, "sixty": 60, "ninety": 90, "half a": 0.5,
}  # fmt: skip
_UNIT_DAYS = {"day": 1, "week": 7, "wk": 7, "month": 30, "mo": 30, "year": 365,
              "yr": 365}  # fmt: skip
_SPAN = re.compile(
    r"\b(?P<n>\d+(?:\.\d+)?|"
    + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
    + r")(?:\s?(?:-|to|or)\s?(?P<n2>\d+))?\s?(?P<unit>days?|weeks?|wks?|months?|mos?"
    r"|years?|yrs?)\b"
)
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
_UNTIL = re.compile(
    r"\b(?P<prefix>until|till|til|before|after|by|in|through|thru|around|next|this"
    r"|end of|not until)\s+(?:the\s+)?(?:next\s+|this\s+)?(?P<when>spring|summer"
    r"|fall|autumn|winter|"
    + "|".join(_MONTHS)
    + r"|end of (?:the|this) year|new year|next year|christmas|xmas|thanksgiving"
    r"|the holidays|holidays)\b"
)
_HOLIDAYS = {"christmas": (12, 25), "xmas": (12, 25), "thanksgiving": (11, 26),
             "the holidays": (12, 25), "holidays": (12, 25)}  # fmt: skip
_NEXT_YEAR = re.compile(r"\bnext year\b")
_NEXT_MONTH = re.compile(r"\bnext (month|week)\b")
#: After a span: it is in the past, or a count of something else.
_PAST_AFTER = re.compile(
    r"^ ?(?:ago|old|now|already|straight|behind|late|past due|overdue|in a row"
    r"|here|in this house|in the house|with (?:the|my|our|this)|of (?:marriage"
    r"|work|owning)|and (?:no|zero) offers|on the market|to think|to decide"
    r"|a week|per week|x a week|later)\b"
)
#: Before a span: it tells of the past or of something else.
_PAST_BEFORE = re.compile(
    r"\b(?:been|lived|owned|had|built|over the|past|last|since|almost|nearly|ago"
    r"|laid off|fired|lost|bought|purchased|moved in|happened|sold|went|closed"
    r"|retired|finished|started|graduated|got married|got divorced"
    r"|passed|died|divorced|separated|behind|late|missed|refinanced|refi|remodeled"
    r"|renovated|redid|replaced|listed|married|paid in|hasnt paid|havent paid"
    r"|deployed|started|surgery|after|for the past|for the last|lived here for"
    r"|here for|owned it for|had it for|think about it for|thinking about it for"
    r"|in escrow|on the market for)(?: \w+){0,3} $"
)
_PAST_WHEN = re.compile(r"^ ?(?:ago|last year|of last year|\d{4})\b")
#: A span the seller needs: "more like 4 months", "6 months minimum".
_NEEDED_BEFORE = re.compile(
    r"\b(?:more like|need|needs|at least|not for|not before|not until|minimum|about"
    r"|around|maybe|probably|closer to|like|prefer|rather)(?: \w+){0,2} $"
)
_NEEDED_AFTER = re.compile(r"^ ?(?:minimum|min|at least|away|out|from now)\b")


def find_span(text: str, today: date) -> Span | None:
    """Days in the span or date the text names as what comes, and where."""
    spans: list[tuple[int, tuple[int, int], bool]] = []
    for m in _SPAN.finditer(text):
        before, after = text[: m.start()], text[m.end() :]
        if _PAST_AFTER.match(after) or _PAST_BEFORE.search(before):
            continue
        raw = m.group("n2") or m.group("n")
        count = float(raw) if raw[0].isdigit() else _NUMBER_WORDS[raw]
        unit = m.group("unit").rstrip("s")
        needed = bool(_NEEDED_BEFORE.search(before) or _NEEDED_AFTER.match(after))
        spans.append((round(count * _UNIT_DAYS[unit]), (m.start(), m.end()), needed))
    if spans:
        wanted = [s for s in spans if s[2]] or spans
        days, where, _ = wanted[-1]
        return days, where
    for u in _UNTIL.finditer(text):
        if u.group("when") == "may" and u.group("prefix") in {"this", "next", "in"}:
            continue  # "this may be", not the month
        if _PAST_BEFORE.search(text[: u.start()]) or _PAST_WHEN.match(text[u.end() :]):
            continue
        days = _days_until(u.group("when"), today)
        if u.group("prefix") == "end of" and u.group("when") in _MONTHS:
            days += _month_length(u.group("when"), today) - 1
        return days, (u.start(), u.end())
    if n := _NEXT_MONTH.search(text):
        if n.group(1) == "week":
            return 7, (n.start(), n.end())
        following = date(today.year + today.month // 12, today.month % 12 + 1, 1)
        return (following - today).days, (n.start(), n.end())
    if n := _NEXT_YEAR.search(text):
        return _days_until("next year", today), (n.start(), n.end())
    return None


def _month_length(month: str, today: date) -> int:
    number = _MONTHS[month]
    year = today.year if date(today.year, number, 1) > today else today.year + 1
    following = date(year + number // 12, number % 12 + 1, 1)
    return (following - date(year, number, 1)).days


def _days_until(when: str, today: date) -> int:
    if when in _SEASONS:
        month, day = _SEASONS[when]
    elif when in _MONTHS:
        month, day = _MONTHS[when], 1
    elif when in {"new year", "next year"}:
        month, day = 1, 1
    elif when in _HOLIDAYS:
        month, day = _HOLIDAYS[when]
    else:  # the end of the year
        return (date(today.year, 12, 31) - today).days
    target = date(today.year, month, day)
    if target <= today:
        target = date(today.year + 1, month, day)
    return (target - today).days
