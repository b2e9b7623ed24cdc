"""Pattern readers for lead text: timeline, service area and financing.

Pure functions over plain strings; `jorged.domain.leads.analysis` combines them
into a scored analysis. Each reader returns every reading it finds, in order of
appearance, so the caller can tell a clear answer from a contradictory one.

Timeline spans are counted in days with one month = 30 days and one year = 365 days,
"a few" = 3 and "a couple" = 2 (so "within a few weeks" = 21 days). Ranges ("2 to 3
months") count their upper end. Dates (seasons, months, the end of the year) count
the days from `now` to the date: spring starts March 20, summer June 21, fall
September 22, winter December 21; a month named alone means its first day. A span
said as a lower bound ("not for 6 months", "at least a year", "next year") is marked
`at_least`: the lead moves after it, not within it. Spans in the past ("2 years ago",
"been looking for 6 months") are not timelines.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from enum import StrEnum

import attrs

from jorged.domain.reading.amounts import SMALL_NUMBERS


class Financing(StrEnum):
    """How a lead pays, strongest first in `FINANCING_PRIORITY`."""

    CASH = "cash"
    PRE_APPROVED = "pre_approved"
    CONVENTIONAL = "conventional"
    FHA = "fha"
    VA = "va"
    NEEDS_FINANCING = "needs_financing"
    UNKNOWN = "unknown"


#: When a text names several ways of paying, the first of these wins.
FINANCING_PRIORITY = (
    Financing.CASH,
    Financing.PRE_APPROVED,
    Financing.VA,
    Financing.FHA,
    Financing.CONVENTIONAL,
    Financing.NEEDS_FINANCING,
)

DAYS_PER_WEEK = 7
DAYS_PER_MONTH = 30
DAYS_PER_YEAR = 365
#: "asap", "right away", "immediately": no wait at all.
ASAP_DAYS = 0

#: Season name -> (month, day) of its first day.
SEASON_STARTS = {
    "spring": (3, 20),
    "summer": (6, 21),
    "fall": (9, 22),
    "autumn": (9, 22),
    "winter": (12, 21),
}
_SEASON_ENDS = {
    "spring": (6, 20),
    "summer": (9, 21),
    "fall": (12, 20),
    "autumn": (12, 20),
    "winter": (3, 19),
}
_MONTHS = {
    name: i
    for i, name in enumerate(
        (
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ),
        start=1,
    )
}
_NUMBERS = {
    **{word: n for word, n in SMALL_NUMBERS.items() if n <= 12},
    "an": 1,
    "couple": 2,
    "few": 3,
}
_UNITS = {
    "day": 1,
    "week": DAYS_PER_WEEK,
    "wk": DAYS_PER_WEEK,
    "month": DAYS_PER_MONTH,
    "mo": DAYS_PER_MONTH,
    "year": DAYS_PER_YEAR,
    "yr": DAYS_PER_YEAR,
}


@attrs.frozen
class TimelineSpan:
    """A timeline read from text: within `days`, or after it when `at_least`."""

    days: int
    at_least: bool = False


_NUM = (
    r"(?:\d+(?:\.\d+)?|a couple(?: of)?|couple(?: of)?|a few|few|an?|"
    + "|".join(w for w in _NUMBERS if w not in {"a", "an", "couple", "few"})
    + ")"
)
_SPAN = re.compile(
    rf"\b(?P<num>{_NUM})(?:\s*(?:-|to|or)\s*(?P<num2>{_NUM}))?\s*"
    r"(?P<unit>days?|weeks?|wks?|months?|mos?|years?|yrs?)\b"
    r"(?P<after>\s+(?:ago|old)\b)?",
    re.IGNORECASE,
)
_PAST = re.compile(r"\b(?:been|last|past|lived|owned|had)\b", re.IGNORECASE)
_NEGATION = re.compile(
    r"\b(?:not|no|never|don'?t|doesn'?t|won'?t|isn'?t|aren'?t|can'?t)\b",
    re.IGNORECASE,
)
_LOWER_BOUND = re.compile(
    r"\b(?:at least|more than|over|after|no sooner than|not for another|"
    r"not for|not until|not before|not in the next)\s*$",
    re.IGNORECASE,
)
_ASAP = re.compile(
    r"\b(?:asap|a\.s\.a\.p|as soon as possible|right away|immediately|urgent(?:ly)?|"
    r"today|tomorrow|this week(?:end)?)\b",
    re.IGNORECASE,
)
_NEXT_WEEK = re.compile(r"\bnext week\b", re.IGNORECASE)
_THIS_MONTH = re.compile(
    r"\b(?:this month|end of (?:the|this) month|end of month)\b", re.IGNORECASE
)
_NEXT_MONTH = re.compile(r"\bnext month\b", re.IGNORECASE)
_YEAR_END = re.compile(
    r"\b(?:(?:the )?end of (?:the |this )?year|year'?s end|year end|this year|"
    r"before the new year)\b",
    re.IGNORECASE,
)
_NEXT_YEAR = re.compile(r"\b(?:next year|the new year)\b", re.IGNORECASE)
_SEASON = re.compile(
    r"\b(?P<which>this|next|by|in|until|till|before|around|early|late|the)\s+"
    r"(?:the\s+)?(?P<season>spring|summer|fall|autumn|winter)\b",
    re.IGNORECASE,
)
_MONTH = re.compile(
    r"\b(?:by|in|before|around|until|till|early|late|mid|end of)\s+"
    r"(?P<month>" + "|".join(_MONTHS) + r")\b",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(r"[.,;:!?\n]")
#: How many words before a phrase a negation may stand and still negate it.
NEGATION_WINDOW_WORDS = 5
_UPPER_BOUND = re.compile(r"\b(?:no|not) (?:later|more|longer) than\s*$", re.IGNORECASE)


def _number(word: str) -> float:
    cleaned = word.lower().removeprefix("a ").removesuffix(" of").strip()
    if cleaned in _NUMBERS:
        return _NUMBERS[cleaned]
    return float(cleaned)


def _clause_before(text: str, start: int) -> str:
    """The text from the start of the clause holding `start` up to `start`."""
    head = text[:start]
    breaks = list(_CLAUSE_BREAK.finditer(head))
    return head[breaks[-1].end() :] if breaks else head


def _negated(text: str, start: int) -> bool:
    """Whether a negation stands just before `start`, in the same clause."""
    clause = _clause_before(text, start)
    if _UPPER_BOUND.search(clause):
        return False
    near = " ".join(clause.split()[-NEGATION_WINDOW_WORDS:])
    return bool(_NEGATION.search(near))


def _days_until(now: datetime, target: date) -> int:
    return (target - now.date()).days


def _next_occurrence(now: datetime, month: int, day: int) -> date:
    """The next `month`/`day` on or after today."""
    this_year = date(now.year, month, day)
    return this_year if this_year >= now.date() else date(now.year + 1, month, day)


def _in_season(now: datetime, season: str) -> bool:
    start = date(now.year, *SEASON_STARTS[season])
    end = date(now.year, *_SEASON_ENDS[season])
    today = now.date()
    if start <= end:
        return start <= today <= end
    return today >= start or today <= end  # winter runs over the new year


def _month_end(year: int, month: int) -> date:
    if month == 12:
        return date(year, 12, 31)
    return date(year, month + 1, 1) - timedelta(days=1)


def _plain(text: str) -> str:
    """Typographic apostrophes as plain ones, so "don\u2019t" reads as "don't"."""
    return text.replace("\u2019", "'").replace("\u2018", "'")


def read_timelines(text: str, now: datetime) -> list[TimelineSpan]:
    """Every timeline stated in `text`, in order of appearance."""
    text = _plain(text)
    found: list[tuple[int, TimelineSpan]] = []
    for m in _SPAN.finditer(text):
        clause = _clause_before(text, m.start())
        if m.group("after") or _PAST.search(clause):
            continue
        upper = m.group("num2") or m.group("num")
        unit = m.group("unit").lower().rstrip("s")
        days = round(_number(upper) * _UNITS[unit])
        at_least = bool(_LOWER_BOUND.search(clause) or _negated(text, m.start()))
        found.append((m.start(), TimelineSpan(days, at_least=at_least)))
    dated: list[tuple[re.Pattern[str], int, bool]] = [
        (_NEXT_WEEK, 2 * DAYS_PER_WEEK, False),
        (_THIS_MONTH, _days_until(now, _month_end(now.year, now.month)), False),
        (_YEAR_END, _days_until(now, date(now.year, 12, 31)), False),
        (_NEXT_YEAR, _days_until(now, date(now.year + 1, 1, 1)), True),
    ]
    next_month = (now.year + now.month // 12, now.month % 12 + 1)
    dated.append((_NEXT_MONTH, _days_until(now, _month_end(*next_month)), False))
    for pattern, days, at_least in dated:
        found.extend(
            (m.start(), TimelineSpan(days, at_least=at_least))
            for m in pattern.finditer(text)
            if not _negated(text, m.start())
        )
    found.extend(
        (m.start(), TimelineSpan(ASAP_DAYS))
        for m in _ASAP.finditer(text)
        if not _negated(text, m.start())
    )
    for m in _SEASON.finditer(text):
        season = m.group("season").lower()
        which = m.group("which").lower()
        if which != "next" and _in_season(now, season):
            days = 0
        else:
            days = _days_until(now, _next_occurrence(now, *SEASON_STARTS[season]))
        found.append((m.start(), TimelineSpan(days)))
    for m in _MONTH.finditer(text):
        month = _MONTHS[m.group("month").lower()]
        days = (
            0
            if month == now.month
            else _days_until(now, _next_occurrence(now, month, 1))
        )
        found.append((m.start(), TimelineSpan(days)))
    return [span for _, span in sorted(found, key=lambda item: item[0])]


def area_pattern(area: str) -> re.Pattern[str]:
    """Whole-word, case-insensitive pattern for a service area name.

    "Ontario" matches "ontario," and "Ontario's", never "Ontarioville"; "Upland"
    never matches "Uplands"; the words of "Chino Hills" may be split by any spaces
    or a hyphen, and "Chino" alone is not "Chino Hills".
    """
    words = area.split()
    if not words:
        msg = "service area: must not be empty"
        raise ValueError(msg)
    body = r"[\s-]+".join(re.escape(w) for w in words)
    return re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE)


def read_areas(texts: Sequence[str], areas: Sequence[str]) -> list[str]:
    """The service areas named in `texts` (whole words), first named first, once."""
    patterns = [(area, area_pattern(area)) for area in areas]
    out: list[str] = []
    for text in texts:
        hits = sorted(
            (m.start(), area)
            for area, pattern in patterns
            for m in [pattern.search(text)]
            if m is not None
        )
        out.extend(area for _, area in hits if area not in out)
    return out


_FINANCING_PATTERNS: tuple[tuple[Financing, re.Pattern[str]], ...] = (
    (
        Financing.NEEDS_FINANCING,
        re.compile(
            r"\b(?:not|never|\w+n't|havent|hasnt|arent|isnt|wasnt|dont|"
            r"yet to be|need to get|need to be|getting|working on(?: getting)?)\s+"
            r"(?:\w+\s+){0,2}"
            r"(?:pre[\s-]?approved|pre[\s-]?qualified|pre[\s-]?approval)\b|"
            r"\bneed(?:s|ing)?\s+(?:a\s+|some\s+|help\s+(?:with|getting)\s+)?"
            r"(?:financing|a loan|loan|mortgage|lender|pre[\s-]?approval)\b|"
            r"\blooking for (?:a )?lender\b|\bno lender\b",
            re.IGNORECASE,
        ),
    ),
    (
        Financing.CASH,
        re.compile(
            r"\b(?:all[\s-]cash|cash (?:buyer|offer|purchase|deal)|"
            r"(?:pay(?:ing)?|buy(?:ing)?|in|with|have(?: the)?) cash)\b|"
            r"^\s*cash(?=\s*[,.;!]|\s*$)",
            re.IGNORECASE,
        ),
    ),
    (
        Financing.PRE_APPROVED,
        re.compile(
            r"\b(?:pre[\s-]?approved|pre[\s-]?qualified|pre[\s-]?approval letter|"
            r"already approved|approved for (?:a )?(?:loan|mortgage))\b",
            re.IGNORECASE,
        ),
    ),
    (
        Financing.VA,
        re.compile(
            r"\bva (?:loan|mortgage|financing|benefits?|approved)\b|\bv\.a\.|\bVA\b",
            re.IGNORECASE,
        ),
    ),
    (
        Financing.FHA,
        re.compile(r"\bFHA\b", re.IGNORECASE),
    ),
    (
        Financing.CONVENTIONAL,
        re.compile(
            r"\b(?:conventional|jumbo)(?: loan| mortgage| financing)?\b",
            re.IGNORECASE,
        ),
    ),
)
_VA_UPPER = re.compile(r"\bVA\b")
_NEGATED_CASH = re.compile(
    r"\b(?:not|no|n'?t|without)\s+(?:\w+\s+){0,2}cash\b", re.IGNORECASE
)


def read_financing(text: str) -> list[Financing]:
    """Every way of paying named in `text`, in order of appearance, once each.

    A negated readiness ("not pre-approved yet", "need to get pre-approved") is
    `needs_financing`, never `pre_approved`. A bare lowercase "va" (a name, a state
    abbreviation in an address) is not read as a VA loan unless followed by loan,
    mortgage, financing, benefits or approved.
    """
    text = _plain(text)
    hits: list[tuple[int, Financing]] = []
    needs_spans: list[tuple[int, int]] = []
    for kind, pattern in _FINANCING_PATTERNS:
        for m in pattern.finditer(text):
            if kind is Financing.NEEDS_FINANCING:
                if m.group().lower().startswith("need") and _negated(text, m.start()):
                    continue
                needs_spans.append(m.span())
            elif any(s <= m.start() < e for s, e in needs_spans):
                continue
            if kind is Financing.VA and not (
                _VA_UPPER.match(text, m.start()) or len(m.group()) > len("va")
            ):
                continue
            if kind is Financing.CASH and _NEGATED_CASH.search(
                text, max(0, m.start() - 30), m.end()
            ):
                continue
            hits.append((m.start(), kind))
    out: list[Financing] = []
    for _, kind in sorted(hits, key=lambda item: item[0]):
        if kind not in out:
            out.append(kind)
    return out
