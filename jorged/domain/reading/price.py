"""Reading the seller's price out of a text: asking price, amount owed, estimate.

The message is cut into pieces at sentence ends, commas and joining words ("so",
"but", "and" unless it joins a range), and each piece's figure is read by
`figures.read_figure`, then sorted by what the piece says about it:

- **owed**: a mortgage balance ("we still owe about 180 on it", "60 grand left"),
  kept as `owed`;
- **estimate**: a figure someone else gave ("Redfin has it at 640k", "appraised at
  575", "the county says 495"), kept as `estimate`, unless the seller adopts it
  ("Redfin says 640 and I'd take that", "zillow says 725, that's my price");
- **not a price at all**: what the seller paid, what a neighbour sold for, a price
  per square foot, a monthly payment, taxes, rent, a repair's cost, a street
  number ("123 Elm St", "890 Orange Grove"), a year;
- **asking**: anything else. "asking 600 but I'd go 560" gives the range from the
  floor to the ask.

A bare figure from 100 to 999 is in thousands at the price question, and
elsewhere when the piece names it as a price ("thinking 450 to 475", "420 is
fine") or holds nothing else ("needs paint. 525"). Numbers inside instructions to
the bot are masked before this runs.
"""

from __future__ import annotations

import re

import attrs

from jorged.domain.reading.amounts import PriceRange
from jorged.domain.reading.figures import read_figure, small_answer
from jorged.domain.reading.text import Text

__all__ = ["PriceReading", "read_price"]

#: An asking price below this is not a home's (a repair, a payment, a typo).
_MIN_ASKING = 50_000


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
    r"[!?;\n]+|\.(?=\s|$)|,(?= |$)|\s-\s| (?:so|but|though|although|plus|while|if"
    r"|because|since|then|yet|cause|and)(?= )"
)
#: "between 600 and 650k" is one range: its "and" is written "to " before cutting.
_BETWEEN = re.compile(r"\b(?:between|from) \$?\d[\d,.]*k? (?P<and>and) (?=\$?\d)")
_OWED = re.compile(
    r"\b(?:owe|owed|owing|mortgage|loan|balance|payoff|pay ?off|paid off|lien|heloc"
    r"|left on|left to pay|\d+\w* (?:grand |k )?left|still have \$?\d\S* (?:on|left)"
    r"|on (?:it|the house|the loan|the mortgage) still)\b"
)
_ESTIMATE = re.compile(
    r"\b(?:zillow\w*|zestimate|redfin\w*|realtor ?\.?com|trulia|chase|apprais\w*"
    r"|estimat\w*"
    r"|assess\w*|county|tax (?:bill|value|assessor)|app|tool|website|online|the bank"
    r"|an agent|another agent|some agent|agents?|realtors?|broker|a cash buyer"
    r"|investors?|someone|somebody|they|he|she|my (?:cousin|brother|sister|friend"
    r"|dad|mom|neighbor|uncle|aunt)|comps?)\b.*\b(?:says?|said|told|has (?:it|us)"
    r"|had (?:it|us)|shows?|puts? it|thinks|valued?|estimate|at|is)\b"
    r"|\b(?:zestimate|estimate|appraisal|appraised|assessed|zillow\w*|redfin\w*"
    r"|realtor ?\.?com)\b"
)
#: Someone told the seller a figure: an estimate when a source is named anywhere.
_SAID = re.compile(r"\b(?:says|said|told (?:me|us)|thinks|figures)\b")
_SOURCE = re.compile(
    r"\b(?:realtor|agent|broker|appraiser|zillow\w*|redfin\w*|bank|lender|county"
    r"|investor|cash buyer|app|website)\b"
)
_ADOPTED = re.compile(
    r"\b(?:(?:i|we)(?:d| would| will|ll)? (?:take|accept|be happy with|go with|agree"
    r"|be good with|be fine with)(?: that| it)?|thats (?:what i want|about what|fair"
    r"|my (?:price|number)|the number|right)|sounds (?:right|fair|about right)"
    r"|(?:im|were|i am|we are) (?:good|fine|ok|happy|okay) with (?:that|it)"
    r"|(?:fine|good|ok|okay) (?:with|by) (?:me|us)|works for (?:me|us)|my number"
    r"|i agree)\b"
)
#: Someone else's sale: "the neighbors sold for 560", "my neighbor got 735".
_COMPS = re.compile(
    r"\b(?:sold|went|closed|listed|got|get|gotten)(?: it)? (?:for|at)\b|\bneighbors?"
    r" (?:got|sold|get)\b|\bnext door (?:sold|got|went)|\b(?:houses|homes) (?:here"
    r"|around|on my street|in my area) (?:go|sell|went|sold)\b"
)
_NOT_A_PRICE = re.compile(
    r"\b(?:paid|bought (?:it |the house )?(?:for|at)|purchased|we got it for|got it for"
    r"|per (?:sq|square|month|mo|year|foot)|a (?:sq|square) ?(?:ft|foot|feet)"
    r"|a foot|a month|sq ?ft|sqft|square f(?:ee|oo)t|psf|/ ?(?:sq|sf|ft|mo|month)"
    r"|monthly|payments? (?:is|are|of)|taxes|hoa|insurance|rent (?:is|for|it)"
    r"|rents? for|utilities|in (?:repairs|work)|costs? |cost me|to fix|to repair|quote"
    r"|spent|worth of(?: \w+){0,2} (?:repairs|work)|deposit|down payment|closing costs?"
    r"|salary|income|a year|per year|a week|in fees|fees (?:are|is|of|run))\b|%"
)
_FLOOR = re.compile(
    r"\b(?:would|could|can|might|will|d|ll)? ?(?:take|go|do|accept|settle|come down"
    r"|drop|consider|entertain)(?: as low as| down to| for| to)?\b|\bbottom line"
    r"|\blowest\b|\bat (?:the )?least\b|\bminimum\b|\bfloor\b|\bno less than\b"
)
_ASK = re.compile(r"\b(?:asking|ask|list(?:ing)? (?:it )?(?:at|for)|want|hoping)\b")
#: A bare figure named as a price outside the price question.
_NAMED_AS_PRICE = re.compile(
    r"\$|\b(?:k|grand|thousand|million|mil|price|want|wanting|asking|ask|thinking"
    r"|hoping|take|agreed|agree|is fine|would be (?:great|fine|good|nice|ideal)"
    r"|works|sounds|for mine|list|need|get|worth|sell (?:it )?for|number|firm|obo"
    r"|cash|deal|quiero|around|about)\b"
)
_STREET = re.compile(
    r"\b\d{2,6}(?: [nsew])?(?: (?!million|mil|thousand|grand|on|the|for|at|in|of|to"
    r"|and|is|k)[a-z]+\.?){1,3} (?:st|street|ave|avenue|rd|road|dr|drive|ln|lane"
    r"|blvd|boulevard|ct|cir|pl|pkwy|parkway|ter|terrace|trl|trail|hwy|highway"
    r"|pike)\b|\b(?:live|living|located"
    r"|house|home|property|address is|address) at \d{2,6}\b|\b(?:unit|apt|suite"
    r"|room|route|exit|lot|code|the) #?\d+\b(?! (?:to|or|and|range|k|grand"
    r"|thousand)\b)|\b\d{3}s? freeway\b"
)
#: A number before a capitalized name in the seller's text: "890 Orange Grove".
_NAMED_STREET = re.compile(
    r"(?<![\d$.,])\b\d{2,6}(?: [NSEW]\.?)? (?!(?:K|M|Million|Mil|Thousand|Grand"
    r"|January|February|March|April|May|June|July|August|September|October"
    r"|November|December|Jorge)\b)[A-Z][a-z]+"
)


def read_price(
    text: Text, *, at_price_question: bool, masked: list[tuple[int, int]]
) -> PriceReading:
    """The asking price, the amount owed and an estimate the message names."""
    norm = _blank_spans(text.norm, [*masked, *_named_streets(text)])
    norm = _STREET.sub(_blank, norm)
    if at_price_question and (only := small_answer(norm)) is not None:
        return PriceReading(asking=only, asking_at=(1, len(norm) - 1))
    asks: list[tuple[PriceRange, tuple[int, int], bool, bool]] = []
    owed = estimate = None
    owed_at = estimate_at = None
    pieces = _pieces(norm)
    for start, end in pieces:
        piece = " " + _BETWEEN.sub(_to, norm[start:end]).strip() + " "
        if _NOT_A_PRICE.search(piece) or _COMPS.search(piece):
            continue
        owing = bool(_OWED.search(piece))
        estimated = bool(
            _ESTIMATE.search(piece) or (_SAID.search(piece) and _SOURCE.search(norm))
        ) and not _ADOPTED.search(piece)
        named = (
            at_price_question
            or owing
            or estimated
            or _named(piece, alone=len(pieces) == 1)
        )
        found = read_figure(piece, context=named)
        if found is None and _NAMED_AS_PRICE.search(piece) and not owing | estimated:
            found = small_answer(piece)
        if found is None:
            continue
        if owing:
            if owed is None:
                owed, owed_at = found.high, (start, end)
        elif estimated:
            if estimate is None:
                estimate, estimate_at = found.high, (start, end)
        elif found.low >= _MIN_ASKING:
            floor = bool(_FLOOR.search(piece))
            asks.append((found, (start, end), floor, bool(_ASK.search(piece))))
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


def _named(piece: str, *, alone: bool) -> bool:
    """A bare figure outside the price question counts when named as a price.

    A piece of one or two words beside other pieces ("needs paint. 525") names
    one too; a message that is only a figure ("350") does not.
    """
    words = re.findall(r"[a-z]+", piece)
    return bool(_NAMED_AS_PRICE.search(piece)) or (len(words) <= 2 and not alone)


def _named_streets(text: Text) -> list[tuple[int, int]]:
    """Spans of the copy under street numbers written before a capitalized name."""
    out = []
    for m in _NAMED_STREET.finditer(text.original):
        start = next(
            (i for i in range(1, len(text.index) - 1) if text.index[i] >= m.start()),
            None,
        )
        if start is not None:
            out.append((start, start + len(m.group(0).split(" ")[0])))
    return out


def _blank_spans(norm: str, spans: list[tuple[int, int]]) -> str:
    for start, end in spans:
        norm = norm[:start] + " " * (end - start) + norm[end:]
    return norm


def _to(m: re.Match[str]) -> str:
    return m.group(0).replace(" and ", " to  ")


def _blank(m: re.Match[str]) -> str:
    return " " * len(m.group(0))


def _pieces(norm: str) -> list[tuple[int, int]]:
    norm = _BETWEEN.sub(lambda m: m.group(0).replace(" and ", " to  "), norm)
    out: list[tuple[int, int]] = []
    pos = 0
    for m in [*_PIECE_END.finditer(norm), None]:
        stop = len(norm) if m is None else m.start()
        if norm[pos:stop].strip():
            out.append((pos, stop))
        if m is not None:
            pos = m.end()
    return out


def _combine(
    asks: list[tuple[PriceRange, tuple[int, int], bool, bool]],
) -> tuple[PriceRange | None, tuple[int, int] | None]:
    """One asking price from the pieces: the floor to the ask, else the last ask."""
    if not asks:
        return None, None
    floors = [a for a in asks if a[2]]
    tops = [a for a in asks if not a[2]]
    if floors and tops:
        low = min(f[0].low for f in floors)
        high = max(t[0].high for t in tops)
        if low < high:
            where = (min(a[1][0] for a in asks), max(a[1][1] for a in asks))
            return PriceRange(low=low, high=high, bound="range"), where
    wanted = [a for a in asks if a[3]]
    chosen = (wanted or asks)[-1]
    return chosen[0], chosen[1]
