"""The figure of one piece of a message, in dollars, the way sellers say them.

On top of `amounts.parse_price` ("$425k", "1.2 million", "between 600 and
650k"), this reads the forms people text: "three seventy five" (375), "4 hundred",
"7 hundred k", "one point three million", "480 mil dólares" (Spanish thousands),
"400 maybe 420" (a range), "low / mid / upper 400s" (400-430k, 440-460k,
470-500k), and at the price question a bare small figure ("3.9" is 390,000, "3
and a half" 350,000, "5 to 5.3" 500-530k, "1.2" 1.2 million: under 2 it is
millions, else hundreds of thousands). A figure said not to be it ("500 not
450", "I said 460 before") is dropped.

The texts read here are normalized copies (`text.Text.norm`).
"""

from __future__ import annotations

import re

from jorged.domain.reading.amounts import PriceRange, parse_price

__all__ = ["read_figure", "small_answer"]

_DIGITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9,
}  # fmt: skip
_TENS = {
    "ten": 10, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_DIGIT_WORD = "|".join(_DIGITS)
_SPOKEN = re.compile(
    rf"\b(?P<h>{_DIGIT_WORD}) (?P<t>" + "|".join(_TENS) + r")"
    rf"(?:[ -](?P<u>{_DIGIT_WORD}))?\b(?! (?:thousand|k|grand|million|hundred))"
)
_HUNDRED = re.compile(r"\b(?P<n>\d) hundred(?: (?P<k>k|thousand|grand))?\b")
_POINT = re.compile(
    rf"\b(?P<a>{_DIGIT_WORD}|\d) point (?P<b>{_DIGIT_WORD}|\d+)(?= (?:million|mil|m)\b)"
)
_SPANISH_THOUSANDS = re.compile(r"\b(?P<n>\d{2,3}) mil (?:dolares|pesos)\b")
_MAYBE = re.compile(
    r"\b(?P<a>\d{3}) (?:maybe|or maybe|possibly|perhaps) (?P<b>\d{3})\b"
)
_NOT_IT = re.compile(
    r"\bnot \$?\d[\d,.]*k?\b|\bi (?:said|put|told you) \$?\d[\d,.]*k?(?: \w+)?"
    r" (?:before|earlier|last time|but)\b|\binstead of \$?\d[\d,.]*k?\b"
)
_DECADE = re.compile(
    r"\b(?:(?P<pos>low|lower|mid|middle|high|upper|hi)[ -]?)\$?(?P<n>\d{1,3})"
    r"(?:k|,000|000)?s\b|\b(?:in )?the (?P<n2>\d{3})(?:k|,000|000)?s\b"
)
_YEAR = re.compile(r"\b(?:19[5-9]\d|20[0-4]\d)\b")
_HALF = re.compile(rf"^\W*(?P<n>\d|{_DIGIT_WORD}) and (?:a )?half\W*$")
_SMALL = re.compile(
    r"^\W*(?:about |around |like |maybe |\$|i want |want |we want |ummm? |um |thinking"
    r" |were thinking |asking )?"
    r"(?P<n>\d(?:\.\d{1,2})?)(?P<b> ?(?:-|to) ?\d(?:\.\d{1,2})?)?(?: ?ish)?[\s.!?]*$"
)


def read_figure(piece: str, *, context: bool) -> PriceRange | None:
    """The figure of one piece (normalized), in dollars, or None."""
    if m := _DECADE.search(piece):
        return _decade(m)
    text = _NOT_IT.sub(" ", piece)
    text = _YEAR.sub(" ", text)
    text = _POINT.sub(_point, text)
    text = _HUNDRED.sub(_hundred, text)
    text = _SPANISH_THOUSANDS.sub(lambda m: m.group("n") + "000", text)
    text = _MAYBE.sub(lambda m: f"{m.group('a')} to {m.group('b')}", text)
    if context:
        text = _SPOKEN.sub(_spoken, text)
    return parse_price(text, price_context=context)


def small_answer(piece: str) -> PriceRange | None:
    """A bare small figure at the price question: "3.9", "3 and a half", "5 to 5.3"."""
    if m := _HALF.match(piece):
        raw = m.group("n")
        whole = int(raw) if raw.isdigit() else _DIGITS[raw]
        value = round((whole + 0.5) * 100_000)
        return PriceRange(low=value, high=value)
    if m := _SMALL.match(piece):
        low = _scaled(float(m.group("n")))
        high = low
        if m.group("b"):
            high = _scaled(float(re.sub(r"[^\d.]", "", m.group("b"))))
        if low is None or high is None:
            return None
        if low == high:
            return PriceRange(low=low, high=high)
        return PriceRange(low=min(low, high), high=max(low, high), bound="range")
    return None


def _scaled(number: float) -> int | None:
    """A small figure in dollars: under 2 in millions, else hundreds of thousands."""
    if not 1 <= number < 10:
        return None
    if number < 2:
        return round(number * 1_000_000)
    return round(number * 100_000)


def _decade(m: re.Match[str]) -> PriceRange | None:
    n = int(m.group("n") or m.group("n2"))
    if n < 100 or n > 999 or n % 10:
        return None
    base = n * 1000
    pos = m.group("pos")
    if pos in {"low", "lower"}:
        return PriceRange(low=base, high=base + 30_000, bound="range")
    if pos in {"mid", "middle"}:
        return PriceRange(low=base + 40_000, high=base + 60_000, bound="range")
    if pos in {"high", "upper", "hi"}:
        return PriceRange(low=base + 70_000, high=base + 100_000, bound="range")
    return PriceRange(low=base, high=base + 100_000, bound="range")


def _spoken(m: re.Match[str]) -> str:
    """ "three seventy five" -> "375"."""
    value = _DIGITS[m.group("h")] * 100 + _TENS[m.group("t")]
    if m.group("u"):
        value += _DIGITS[m.group("u")]
    return str(value)


def _hundred(m: re.Match[str]) -> str:
    """ "4 hundred" -> "400"; "7 hundred k" -> "700k"."""
    return m.group("n") + "00" + ("k" if m.group("k") else "")


def _point(m: re.Match[str]) -> str:
    """ "one point three" (million) -> "1.3"."""
    a, b = m.group("a"), m.group("b")
    whole = a if a.isdigit() else str(_DIGITS[a])
    part = b if b.isdigit() else str(_DIGITS[b])
    return f"{whole}.{part}"
