"""Reading the seller's price out of a text: asking price, amount owed, estimate.

The message is cut into pieces at sentence ends, commas and joining words ("and",
"but", "so"), and each piece's figure is read by `amounts.parse_price`, then
sorted by what the piece says about it:

- **owed**: a mortgage balance ("we still owe about 180 on it"), kept as `owed`;
- **estimate**: a figure someone else gave ("Redfin has it at 640k", "appraised
  at 600"), kept as `estimate`, unless the seller adopts it ("and I'd take that");
- **not a price at all**: what the seller paid, a price per square foot, a
  monthly payment, taxes, rent, a street number ("123 Elm St"), a year;
- **asking**: anything else. "asking 600 but I'd go 560" gives the range from
  the floor to the ask.

At the price question a small figure is in hundreds of thousands ("3.9" →
390,000, "three seventy five" → 375,000), and "low / mid / upper 400s" give
ranges. Numbers inside instructions to the bot are masked before this runs.
"""

from __future__ import annotations

import re

import attrs

from jorged.domain.reading.amounts import PriceRange, parse_price
from jorged.domain.reading.text import Text

__all__ = ["PriceReading", "read_price"]


@attrs.frozen(kw_only=True)
class PriceReading:
    """What the figures of a message are; each with (start, end) in the copy."""

    asking: PriceRange | None = None
    asking_at: tuple[int, int] | None = None
    owed: int | None = None
    owed_at: tuple[int, int] | None = None
    estimate: int | None = None
    estimate_at: tuple[int, int] | None = None


_PIECE_END = re.compile(
    r"[!?;\n]+|\.(?!\d)|,(?= |$)| (?:and|but|so|though|although|plus|while|or|if"
    r"|because|since|then|yet)(?= )(?! ?\$?\d)"
)
_OWED = re.compile(
    r"\b(?:owe|owed|owing|mortgage|loan|balance|payoff|pay ?off|lien|heloc|left on"
    r"|still have (?:about |around )?\$?\d\S* (?:on|left)|we have \$?\d\S* left"
    r"|(?:on|left on) (?:it|the house|the loan|the mortgage)$)\b"
)
_ESTIMATE = re.compile(
    r"\b(?:zillow|zestimate|redfin|realtor ?com|trulia|apprais\w*|estimat\w*|comps?"
    r"|neighbors?|next door|down the street|across the street|assess\w*|tax value"
    r"|online|the bank|an agent|another agent|other agent|some agent|my agent|agents"
    r"|realtors?|they said|he said|she said|says its|says it is|said its|said it"
    r"|valued? (?:it )?at|value (?:is|it|at)|had it at|has it at|has us at|puts it"
    r"|shows?|listed (?:it )?for|on the market for|sold for|went for|houses (?:here"
    r"|around)|homes (?:here|around)|similar|across)\b"
)
_ADOPTED = re.compile(
    r"\b(?:(?:i|we)(?:d| would| will|ll)? (?:take|accept|be happy with|go with|want"
    r"|agree|be good with|be fine with|do)|thats (?:what|about what|fair|my number"
    r"|right|the number)|sounds (?:right|fair|about right)|im good with|works for"
    r"|id want|agree|my number|same)\b"
)
_NOT_A_PRICE = re.compile(
    r"\b(?:paid|bought (?:it )?(?:for|at)|purchased|we got it for|got it for"
    r"|per (?:sq|square|month|mo|year)|a (?:sq|square) ?(?:ft|foot|feet)|a month"
    r"|sq ?ft|sqft|psf|/ ?(?:sq|sf|ft|mo|month)|monthly|payments? (?:is|are|of)"
    r"|taxes|hoa|insurance|rent (?:is|for|it)|rents? for|utilities|in (?:repairs"
    r"|work)|cost(?:s)? (?:about|around|me)|to fix|to repair|quote|spent|worth of"
    r"(?: \w+){0,2} (?:repairs|work)|deposit|down payment|closing costs?)\b"
)
_FLOOR = re.compile(
    r"\b(?:would|could|can|might|will|d|ll)? ?(?:take|go|do|accept|settle|come down"
    r"|drop|consider|entertain)(?: as low as| down to| for| to)?\b|\bbottom line"
    r"|\blowest\b|\bat (?:the )?least\b|\bminimum\b|\bfloor\b|\bno less than\b"
)
_ASK = re.compile(r"\b(?:asking|ask|list(?:ing)? (?:it )?(?:at|for)|want|hoping)\b")
_STREET = re.compile(
    r"\b\d{1,6}(?: [a-z]+\.?){1,3} (?:st|street|ave|avenue|rd|road|dr|drive|ln|lane"
    r"|blvd|boulevard|way|ct|court|cir|circle|pl|place|pkwy|parkway|ter|terrace"
    r"|trl|trail|hwy|highway|loop|pike|row|sq)\b|\b(?:at|on|address is|live at)"
    r" \d{2,6}(?= [a-z])"
)
_YEAR = re.compile(r"\b(?:19[5-9]\d|20[0-4]\d)\b")
_DECADE_RANGE = re.compile(
    r"\b(?:(?P<pos>low|lower|mid|middle|high|upper|hi) ?)(?:\$)?(?P<n>\d{1,3})"
    r"(?:k|,000|000)?(?:s|'s)\b|\b(?:in )?the (?P<n2>\d{1,3})(?:k|,000|000)?s\b"
)
_DIGITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9,
}  # fmt: skip
_TENS = {
    "ten": 10, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_SPOKEN = re.compile(
    r"\b(?P<h>" + "|".join(_DIGITS) + r") (?P<t>" + "|".join(_TENS) + r")"
    r"(?:[ -](?P<u>" + "|".join(_DIGITS) + r"))?\b(?! (?:thousand|k|grand|million))"
)
_HALF = re.compile(r"^\W*(?P<n>\d|" + "|".join(_DIGITS) + r") and (?:a )?half\W*$")
_SMALL = re.compile(
    r"^\W*(?:about |around |like |maybe |\$)?(?P<n>\d(?:\.\d{1,2})?)\W*$"
)
_PRICE_WORDS = re.compile(
    r"\$|\bprice|\bwant\b|\bworth|\basking|\bask\b|\bsell (?:it )?for|\bvalue"
    r"|\boffer|\blist|\bnumber|\bthousand|\bgrand|\bmillion|\bmil\b|\bhoping"
    r"|\bwalk away|\bnet\b|\bget for|\btake for|\bowe|\bmortgage|\bzillow|\bredfin"
    r"|\bapprais|\bestimat|\btake\b|\bget\b"
)


def read_price(
    text: Text, *, at_price_question: bool, masked: list[tuple[int, int]]
) -> PriceReading:
    """The asking price, the amount owed and an estimate the message names."""
    norm = _mask(text.norm, masked)
    norm = _STREET.sub(_blank, norm)
    context = at_price_question or bool(_PRICE_WORDS.search(norm))
    asks: list[tuple[PriceRange, tuple[int, int], bool, bool]] = []
    owed = estimate = None
    owed_at = estimate_at = None
    if at_price_question and (only := _small_answer(norm)) is not None:
        return PriceReading(asking=only, asking_at=(1, len(norm) - 1))
    for start, end in _pieces(norm):
        piece = norm[start:end]
        found = _figure(piece, context=context)
        if found is None:
            continue
        if _NOT_A_PRICE.search(piece):
            continue
        if _OWED.search(piece):
            if owed is None:
                owed, owed_at = found.high, (start, end)
            continue
        if _ESTIMATE.search(piece) and not _ADOPTED.search(piece):
            if estimate is None:
                estimate, estimate_at = found.high, (start, end)
            continue
        asks.append(
            (found, (start, end), bool(_FLOOR.search(piece)), bool(_ASK.search(piece)))
        )
    asking, asking_at = _combine(asks)
    if asking is None and estimate is not None and _ADOPTED.search(norm):
        asking, asking_at = PriceRange(low=estimate, high=estimate), estimate_at
        estimate, estimate_at = None, None
    return PriceReading(
        asking=asking,
        asking_at=asking_at,
        owed=owed,
        owed_at=owed_at,
        estimate=estimate,
        estimate_at=estimate_at,
    )


def _mask(norm: str, spans: list[tuple[int, int]]) -> str:
    for start, end in spans:
        norm = norm[:start] + " " * (end - start) + norm[end:]
    return norm


def _blank(m: re.Match[str]) -> str:
    return " " * len(m.group(0))


def _pieces(norm: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    pos = 0
    for m in [*_PIECE_END.finditer(norm), None]:
        stop = len(norm) if m is None else m.start()
        if norm[pos:stop].strip():
            out.append((pos, stop))
        if m is not None:
            pos = m.end()
    return out


def _figure(piece: str, *, context: bool) -> PriceRange | None:
    """The figure of one piece, read from the seller's own words."""
    if m := _DECADE_RANGE.search(piece):
        return _decade(m)
    spoken = _SPOKEN.sub(_spoken, piece) if context else piece
    spoken = _YEAR.sub(" ", spoken)
    return parse_price(spoken, price_context=context)


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


def _small_answer(norm: str) -> PriceRange | None:
    """A bare small figure at the price question: "3.9", "3 and a half"."""
    if m := _HALF.match(norm):
        raw = m.group("n")
        whole = int(raw) if raw.isdigit() else _DIGITS[raw]
        value = round((whole + 0.5) * 100_000)
        return PriceRange(low=value, high=value)
    if m := _SMALL.match(norm):
        number = float(m.group("n"))
        if 1 <= number < 10:
            value = round(number * 100_000)
            return PriceRange(low=value, high=value)
    return None


def _combine(
    asks: list[tuple[PriceRange, tuple[int, int], bool, bool]],
) -> tuple[PriceRange | None, tuple[int, int] | None]:
    """One asking price from the pieces: the floor to the ask, else the last ask."""
    if not asks:
        return None, None
    floors = [a for a in asks if a[2] and not a[3]]
    tops = [a for a in asks if not (a[2] and not a[3])]
    if floors and tops:
        low = min(f[0].low for f in floors)
        high = max(t[0].high for t in tops)
        if low < high:
            where = (min(a[1][0] for a in asks), max(a[1][1] for a in asks))
            return PriceRange(low=low, high=high, bound="range"), where
    wanted = [a for a in asks if a[3]]
    chosen = (wanted or asks)[-1]
    return chosen[0], chosen[1]
