"""Reading a home price out of free text, in dollars.

`parse_price` finds the figure a person names ("$425k", "1.2 million", "between 600
and 650k", "half a million", "350" when the talk is about price) and ignores numbers
that are something else: phone numbers, years ("built in 1995"), spans ("30 days",
"3 weeks"), zip codes, street numbers, bedroom and square-foot counts, clock times.
It never guesses: text without a stated figure gives None.

The result is a `PriceRange` whose `bound` says how to read it:

- ``"about"``: one figure was named; ``low == high``.
- ``"range"``: two figures ("600 to 650k"); ``low < high``.
- ``"at_most"``: an upper bound only ("under 500k", "up to 500k"); the stated figure
  is both ``low`` and ``high``, since nothing was said about a lower end.
- ``"at_least"``: a lower bound only ("at least 400k", "no less than 400k"); the
  stated figure is both ``low`` and ``high``.

When several unrelated figures appear, amounts owed ("I owe 200k") are dropped in
favour of the others, then a figure right after a wanting word ("want", "asking",
"worth", "get") wins, else the last one named.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

import attrs

__all__ = ["MAX_PRICE", "MIN_PRICE", "PriceRange", "parse_price"]

#: Figures outside this span (in dollars) are not read as home prices.
MIN_PRICE = 10_000
MAX_PRICE = 100_000_000

Bound = Literal["about", "range", "at_most", "at_least"]


@attrs.frozen(kw_only=True)
class PriceRange:
    """A price in whole dollars; see the module docstring for `bound`."""

    low: int
    high: int
    bound: Bound = "about"


@attrs.frozen
class _Figure:
    start: int
    end: int
    value: float
    multiplier: int  # 1 when no k / thousand / million was attached
    dollar: bool
    grouped: bool  # written with thousands separators ("425,000")
    bare_digits: int  # number of digits of a plain integer, else 0


#: Number words up to nineteen (lead timelines read them too).
SMALL_NUMBERS = {
    "a": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALE_WORDS = {"hundred": 100, "thousand": 1_000, "million": 1_000_000}

_NUMBER_WORD = "|".join([*SMALL_NUMBERS, *_TENS, *_SCALE_WORDS, "and"])
_WORD_RUN = re.compile(
    rf"\b(?:{_NUMBER_WORD})(?:[\s-]+(?:{_NUMBER_WORD}))*\b", re.IGNORECASE
)
_HALF_MILLION = re.compile(
    r"\b(?:a\s+|one\s+)?half\s+(?:of\s+)?(?:a\s+)?mil(?:l|lion|lie)?s?\b", re.IGNORECASE
)
_QUARTER_MILLION = re.compile(
    r"\b(?:a\s+|one\s+)?quarter\s+(?:of\s+)?(?:a\s+)?mill(?:ion)?s?\b", re.IGNORECASE
)
_MILLION_AND_HALF = re.compile(
    r"\b(?:a|one)\s+mill(?:ion)?\s+and\s+a\s+half\b", re.IGNORECASE
)

_AND_A_HALF = re.compile(
    r"\b(?P<n>\d+|one|two|three|four|five)\s+(?:(?P<scale1>million|mil|m)\s+)?"
    r"and\s+a\s+half(?:\s+(?P<scale2>million|mil))?\b",
    re.IGNORECASE,
)

_NUMBER = re.compile(
    r"(?P<dollar>\$\s?)?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"(?:\s?(?P<suffix>k|K|thousand|thou|grand|m|M|mm|MM|mil|mill|million|millions)"
    r"(?![a-zA-Z]))?"
    r"(?P<dollar_after>\s?\$)?"
)
_MULTIPLIERS = {
    "k": 1_000,
    "thousand": 1_000,
    "thou": 1_000,
    "grand": 1_000,
    "m": 1_000_000,
    "mm": 1_000_000,
    "mil": 1_000_000,
    "mill": 1_000_000,
    "million": 1_000_000,
    "millions": 1_000_000,
}

_PHONE = re.compile(
    r"(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\b\d{3}[\s.-])\d{3}[\s.-]\d{4}\b|\b\d{10,11}\b"
)
_CLOCK = re.compile(
    r"\b\d{1,2}:\d{2}\b|\b\d{1,2}\s?(?:am|pm|a\.m\.|p\.m\.)", re.IGNORECASE
)
_DATE = re.compile(r"\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b")

# A number followed by one of these is a count of something, not dollars.
_UNIT_AFTER = re.compile(
    r"^\s?-?\s?(?:days?|d\b|weeks?|wks?|months?|mos?|mths?|years?|yrs?|y/?o|hours?|"
    r"hrs?|minutes?|mins?|beds?|bedrooms?|br\b|bd\b|baths?|bathrooms?|ba\b|"
    r"sq|square|sqft|ft|feet|acres?|%|percent|stor(?:y|ies)|car|garage|kids|"
    r"children|people|times|miles?|mi\b|st\b|nd\b|rd\b|th\b|units?|doors?|"
    r"street|st\.|avenue|ave|road|drive|dr\b|lane|ln\b|blvd|boulevard|way\b|"
    r"court|ct\b|place|pl\b|circle|cir\b|parkway|pkwy|terrace|trail|"
    r"x\b|of them|offers?|houses|homes|properties|listings|calls|texts|"
    r"am\b|pm\b|o'?clock|degrees?|year|percent)",
    re.IGNORECASE,
)
_CONTEXT_BEFORE = re.compile(
    r"(?:#|\bapt\.?|\bunit|\blot|\bzip(?:\s?code)?|\bsuite|\bste\.?|\bbuilt(?:\s+in)?|"
    r"\bsince|\bback\s+in|\byear|\bcode|\bext\.?|\baddress(?:\s+is)?|"
    r"\blive\s+at|\broom|\bmodel|\bnumber)\s*$",
    re.IGNORECASE,
)
_DEBT_BEFORE = re.compile(
    r"\b(?:owe|owed|owing|mortgage|loan|balance|payoff|pay\s+off|paid|lien|"
    r"payments?|equity|taxes|hoa|rent(?:s|ed)?(?:\s+(?:for|at))?)\b[^.!?\d]{0,25}$",
    re.IGNORECASE,
)
_WANT_BEFORE = re.compile(
    r"\b(?:want|wants|wanting|asking|ask|get|take|need|worth|list|listed|price|"
    r"sell\s+(?:it\s+)?for|looking\s+for|hoping\s+for|hope\s+for|value|valued|"
    r"appraised|expect|expecting|would\s+be|around|about)\b[^.!?\d]{0,20}$",
    re.IGNORECASE,
)
_AT_MOST_BEFORE = re.compile(
    r"\b(?:under|below|up\s+to|upto|no\s+more\s+than|not\s+more\s+than|"
    r"less\s+than|at\s+most|max(?:imum)?|tops|within)\s*\$?\s*$",
    re.IGNORECASE,
)
_AT_LEAST_BEFORE = re.compile(
    r"\b(?:at\s+least|no\s+less\s+than|not\s+less\s+than|more\s+than|over|above|"
    r"minimum|min|north\s+of|upwards\s+of|starting\s+at)\s*\$?\s*$",
    re.IGNORECASE,
)
_AT_MOST_AFTER = re.compile(
    r"^\s*(?:max(?:imum)?|tops|or\s+less|at\s+most)\b", re.IGNORECASE
)
_AT_LEAST_AFTER = re.compile(
    r"^\s*(?:min(?:imum)?|or\s+more|at\s+least|or\s+better|\+|plus)(?:\b|$|\s)",
    re.IGNORECASE,
)
_RANGE_JOIN = re.compile(r"^\s*(?:-|to|or|and|~|through|thru|/)\s*$", re.IGNORECASE)
_BETWEEN_BEFORE = re.compile(
    r"\b(?:between|from|somewhere\s+between)\s*$", re.IGNORECASE
)


def parse_price(text: str, *, price_context: bool = True) -> PriceRange | None:
    """The price named in `text`, or None when no figure is stated.

    With `price_context` (the text answers a question about price), a plain
    number from 100 to 999 is read in thousands ("350" is 350,000). Without it,
    a figure needs a dollar sign, a k / thousand / million, thousands separators
    or at least six digits.
    """
    clean = _normalize(text)
    figures = _figures(clean, price_context=price_context)
    if not figures:
        return None
    ranges = _pair_ranges(clean, figures, price_context=price_context)
    return _choose(clean, ranges)


def _normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    text = "".join(ch if ch.isascii() else " " for ch in text)
    text = _AND_A_HALF.sub(_and_a_half, text)
    text = _MILLION_AND_HALF.sub(" 1500000 ", text)
    text = _HALF_MILLION.sub(" 500000 ", text)
    text = _QUARTER_MILLION.sub(" 250000 ", text)
    text = _PHONE.sub(" ", text)
    text = _CLOCK.sub(" ", text)
    text = _DATE.sub(" ", text)
    return _WORD_RUN.sub(_words_to_digits, text)


def _and_a_half(match: re.Match[str]) -> str:
    """ "1 million and a half", "one and a half million" -> "1.5M"."""
    if not (match.group("scale1") or match.group("scale2")):
        return match.group(0)
    n = match.group("n").lower()
    whole = int(n) if n.isdigit() else SMALL_NUMBERS[n]
    return f" {whole + 0.5}M "


def _words_to_digits(match: re.Match[str]) -> str:
    """Turn a run of number words into digits ("four hundred fifty thousand")."""
    words = [w for w in re.split(r"[\s-]+", match.group(0).lower()) if w != "and"]
    if not words or all(w == "a" for w in words):
        return match.group(0)
    if all(w in _SCALE_WORDS for w in words):
        return match.group(0)  # "1.2 million": the digits before carry the figure
    if len(words) == 1 and words[0] not in _TENS:
        return match.group(0)  # a lone "two" is not a figure worth rewriting
    if words[0] != "a":
        words = [w for w in words if w != "a"]
    else:
        words = [words[0], *(w for w in words[1:] if w != "a")]
    total, current = 0, 0
    for word in words:
        if word in SMALL_NUMBERS:
            current += SMALL_NUMBERS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        else:
            total += max(current, 1) * _SCALE_WORDS[word]
            current = 0
    value = total + current
    lead = " " if match.start() > 0 else ""
    return f"{lead}{value}"


def _figures(text: str, *, price_context: bool) -> list[_Figure]:
    out: list[_Figure] = []
    for m in _NUMBER.finditer(text):
        num = m.group("num")
        start, end = m.start(), m.end()
        if start > 0 and (text[start - 1].isalnum() or text[start - 1] in "#/"):
            continue  # part of a word or code ("A123", "#12")
        dashed = text[end : end + 2]
        if (
            len(dashed) == 2
            and dashed[0] in "-/"
            and dashed[1].isdigit()
            and not (_is_dash_range(text, end))
        ):
            continue  # "909-555" leftovers or dates; a dash range is joined later
        suffix = (m.group("suffix") or "").lower()
        multiplier = _MULTIPLIERS.get(suffix, 1)
        rest = text[end:]
        if not suffix and _UNIT_AFTER.match(rest):
            continue
        before = text[:start]
        dollar = bool(m.group("dollar") or m.group("dollar_after"))
        grouped = "," in num
        value = float(num.replace(",", ""))
        digits = len(num) if num.isdigit() else 0
        if not dollar and not suffix and _CONTEXT_BEFORE.search(before):
            continue
        out.append(
            _Figure(
                start=start,
                end=end,
                value=value,
                multiplier=multiplier,
                dollar=dollar,
                grouped=grouped,
                bare_digits=digits if not (dollar or suffix or grouped) else 0,
            )
        )
    # Keep only figures that can be dollars; ranges may still rescale a bare one.
    return [
        f
        for f in out
        if _dollars(f, price_context=price_context) is not None or _could_scale(f)
    ]


def _is_dash_range(text: str, end: int) -> bool:
    tail = re.match(
        r"-\s?\$?\d+(?:[.,]\d+)*\s?(?:k|m|thousand|million|grand)?",
        text[end:],
        re.IGNORECASE,
    )
    if tail is None:
        return False
    after = text[end + tail.end() :]
    return not re.match(r"^[-/]\d", after)


def _could_scale(fig: _Figure) -> bool:
    """A plain small number that the other end of a range may scale ("600-650k")."""
    return fig.multiplier == 1 and not fig.grouped and 0 < fig.value < 10_000


def _dollars(fig: _Figure, *, price_context: bool) -> int | None:
    if fig.multiplier > 1:
        value = fig.value * fig.multiplier
    elif fig.grouped or fig.dollar:
        value = fig.value
        if price_context and fig.dollar and not fig.grouped and 100 <= value < 1000:
            value *= 1000  # "$350" in a price answer means 350k
    elif fig.bare_digits == 5:
        return None  # a bare five-digit number is a zip code more often than a price
    elif fig.bare_digits >= 6 or (fig.bare_digits == 0 and fig.value >= 100_000):
        value = fig.value
    elif price_context and 100 <= fig.value < 1000:
        value = fig.value * 1000
    else:
        return None
    amount = round(value)
    if not MIN_PRICE <= amount <= MAX_PRICE:
        return None
    return amount


def _pair_ranges(
    text: str, figures: list[_Figure], *, price_context: bool
) -> list[tuple[_Figure, PriceRange]]:
    out: list[tuple[_Figure, PriceRange]] = []
    i = 0
    while i < len(figures):
        fig = figures[i]
        nxt = figures[i + 1] if i + 1 < len(figures) else None
        if nxt is not None:
            joined = _range(text, fig, nxt, price_context=price_context)
            if joined is not None:
                out.append((fig, joined))
                i += 2
                continue
        amount = _dollars(fig, price_context=price_context)
        if amount is not None:
            out.append(
                (fig, PriceRange(low=amount, high=amount, bound=_bound(text, fig)))
            )
        i += 1
    return out


def _range(
    text: str, first: _Figure, second: _Figure, *, price_context: bool
) -> PriceRange | None:
    between = text[first.end : second.start]
    if not _RANGE_JOIN.match(between):
        return None
    word = between.strip().lower()
    if word == "and" and not _BETWEEN_BEFORE.search(text[: first.start]):
        return None
    high = _dollars(second, price_context=price_context)
    if high is None:
        return None
    low: int | None = None
    if first.multiplier == 1 and not first.grouped and second.multiplier > 1:
        scaled = round(first.value * second.multiplier)
        if MIN_PRICE <= scaled <= high:
            low = scaled
    if low is None:
        low = _dollars(first, price_context=price_context)
    if low is None:
        return None
    low, high = min(low, high), max(low, high)
    if low == high:
        return PriceRange(low=low, high=high)
    return PriceRange(low=low, high=high, bound="range")


def _bound(text: str, fig: _Figure) -> Bound:
    before, after = text[: fig.start], text[fig.end :]
    if _AT_MOST_BEFORE.search(before) or _AT_MOST_AFTER.match(after):
        return "at_most"
    if _AT_LEAST_BEFORE.search(before) or _AT_LEAST_AFTER.match(after):
        return "at_least"
    return "about"


def _choose(text: str, ranges: list[tuple[_Figure, PriceRange]]) -> PriceRange | None:
    if not ranges:
        return None
    if len(ranges) == 1:
        return ranges[0][1]
    not_debt = [r for r in ranges if not _DEBT_BEFORE.search(text[: r[0].start])]
    pool = not_debt or ranges
    wanted = [r for r in pool if _WANT_BEFORE.search(text[: r[0].start])]
    return (wanted or pool)[-1][1]
