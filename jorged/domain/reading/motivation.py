"""Reading why a seller sells, and where they move to, out of a text (SPEC 1.3).

`read_motivation` tries the motivations from the most specific to the most general
(foreclosure first, relocation and curious last), and the first whose words appear
wins: "behind on payments, and we are moving to Texas" is foreclosure, "retiring
to Arizona" is retirement. A plain statement of a reason to the motivation question
that names none of them is `Motivation.OTHER`; a shrug ("idk", "maybe"), a
question, a complaint or a refusal stays unknown. `read_move_to` reads the place
named after "moving to", "transferred to" and the like, from the original text
so its capitals survive.

The texts read here are normalized copies (`text.Text.norm`), except for
`read_move_to`'s.
"""

from __future__ import annotations

import re

from jorged.domain.seller_models import Motivation, Slot

__all__ = [
    "find_motivation",
    "find_move_to",
    "is_reason",
    "read_motivation",
    "read_move_to",
]

_MOTIVATIONS: tuple[tuple[Motivation, re.Pattern[str]], ...] = (
    (
        Motivation.FORECLOSURE,
        re.compile(
            r"foreclos|notice of default|\bnod\b|bank is taking|auction|short sale"
            r"|pre ?foreclosure"
        ),
    ),
    (
        Motivation.INHERITED,
        re.compile(
            r"inherit|passed away|passed on|\bdied\b|(?<!real )estate|probate"
            r"|left (?:it|the house|the home|her house|his house|the place) to (?:me"
            r"|us)"
            r"|(?:house|home|place) went to (?:me|us)|fallecio|murio"
            r"|late (?:mom|dad|mother|father|husband|wife|parents?|grandma|grandpa)"
        ),
    ),
    (
        Motivation.DIVORCE,
        re.compile(
            r"divorc|devorce|separat|splitting up|\bmy ex\b|ex wife"
            r"|ex husband|breaking up"
        ),
    ),
    (
        Motivation.FINANCIAL_DISTRESS,
        re.compile(
            r"behind on|cant afford|can not afford|cannot afford|\bbills\b|\bdebt"
            r"|lost my job|laid off|financial|money (?:problems|issues|is tight)"
            r"|bankrupt|late on (?:the )?(?:mortgage|payments)|need (?:the )?cash"
            r"|tight on money|payments are too high"
        ),
    ),
    (
        Motivation.HEALTH,
        re.compile(
            r"health|medical|\bsick|illness|disab|the stairs|surgery|cancer"
            r"|assisted living|nursing home|wheelchair|mobility"
        ),
    ),
    (Motivation.RETIREMENT, re.compile(r"retir")),
    (
        Motivation.TIRED_LANDLORD,
        re.compile(
            r"tenant|rental|landlord|renters|rent it out|investment property"
            r"|rented out|section 8|being a landlord"
        ),
    ),
    (
        Motivation.DOWNSIZING,
        re.compile(
            r"downsiz|too big|smaller (?:place|home|house)|empty nest"
            r"|kids (?:moved|are gone|left)|dont need (?:the|all this) space"
            r"|too much house|too much space|something smaller|less space"
        ),
    ),
    (
        Motivation.UPSIZING,
        re.compile(
            r"upsiz|bigger (?:place|home|house|space)|more (?:room|space|bedrooms)"
            r"|growing family|baby on the way|outgrown|outgrew|too small"
            r"|something bigger|another kid|baby coming"
        ),
    ),
    (
        Motivation.FAMILY,
        re.compile(
            r"(?:closer|near|be with) (?:to )?(?:my |our )?(?:family|kids|parents"
            r"|mom|dad|daughter|son|grandkids|grandchildren)|family reasons"
            r"|take care of (?:my |our )?(?:mom|dad|parents|mother|father)"
            r"|family (?:situation|matters|stuff)"
        ),
    ),
    (
        Motivation.RELOCATION,
        re.compile(
            r"relocat|transfer|new job|job offer|out of state|military|\bpcs\b"
            r"|moving for work|work is moving|job in|for work|moving out of"
            r"|moving across|moving to|move to|new position|got a job"
        ),
    ),
    (
        Motivation.CURIOUS,
        re.compile(
            r"curious|testing the market|test the market|what (?:its|it is|it would"
            r"|itd|my house is|my home is|the house is|the home is) (?:be )?worth"
            r"|see what (?:it|i|we) (?:could|can|would) get|not really looking"
            r"|just looking|market value|just checking|just wondering|home value"
            r"|no plans|not planning to sell"
        ),
    ),
)
#: A stated reason of some kind: what `other` needs besides fitting no motivation.
_REASON = re.compile(
    r"\b(?:because|since|so (?:we|i)|(?:we|i) (?:want|wanna|need|have|got|are"
    r"|were|plan|decided|would like|d like|am|m)|(?:want|need|looking|hoping|ready"
    r"|time) to|were (?:going|getting|ready|thinking|looking)|im (?:going|getting"
    r"|ready|thinking|looking)|change of|tired of|done with|cant (?:keep|stand|handle"
    r"|take)|getting (?:married|older|too)|too (?:far|expensive|much)|commute"
    r"|neighborhood|neighbors|schools?|traffic|travel|new chapter|fresh start"
    r"|cash out|equity|invest|buy (?:a|another|land)|build|van life|rv)\b"
)
_NOT_REASON = re.compile(
    r"^ (?:idk|i dont know|dont know|not sure|no idea|dunno|hmm+|huh|what|ok|okay|k"
    r"|yes|no|yeah|nope|maybe|\?+|lol|haha|sure|none of your business|why)\W*$"
)


def read_motivation(text: str, *, asking: Slot | None) -> Motivation | None:
    """The motivation named in `text` (normalized), the more specific first."""
    found = find_motivation(text)
    if found is not None:
        return found[0]
    if asking is Slot.MOTIVATION and is_reason(text):
        return Motivation.OTHER
    return None


def find_motivation(text: str) -> tuple[Motivation, tuple[int, int]] | None:
    """The motivation named in `text` and where, the more specific first."""
    for motivation, pattern in _MOTIVATIONS:
        m = pattern.search(text)
        if m is not None:
            return motivation, (m.start(), m.end())
    return None


def is_reason(text: str) -> bool:
    """A plain statement of a reason to sell, not a question or a shrug."""
    words = re.findall(r"[a-z]+", text)
    return (
        len(words) >= 3
        and "?" not in text
        and not _NOT_REASON.match(text)
        and bool(_REASON.search(text))
    )


_PLACE_STOP = frozenset(
    {
        "a",
        "an",
        "the",
        "my",
        "our",
        "be",
        "sell",
        "get",
        "buy",
        "do",
        "see",
        "live",
        "rent",
        "for",
        "and",
        "need",
        "so",
        "because",
        "in",
        "next",
        "soon",
        "by",
        "with",
        "once",
        "after",
        "before",
        "when",
        "if",
        "but",
        "or",
        "to",
        "this",
        "that",
        "it",
        "its",
        "is",
        "are",
        "was",
        "somewhere",
        "someplace",
        "where",
    }
)
_MOVE_TO = re.compile(
    r"\b(?:move|moving|moved|relocat\w*|transfer\w*|going|go|head\w*|retir\w*)"
    r"\s+(?:back\s+|out\s+|over\s+|down\s+|up\s+)?to\s+"
    r"(?P<place>[A-Za-z][A-Za-z.']*(?:\s+[A-Za-z][A-Za-z.']*){0,3})",
    re.IGNORECASE,
)


def read_move_to(original: str) -> str | None:
    """The place named after "moving to" / "transfer to" and the like."""
    found = find_move_to(original)
    return found[0] if found is not None else None


def find_move_to(original: str) -> tuple[str, tuple[int, int]] | None:
    """The place named after "moving to" and the like, and where it stands."""
    for m in _MOVE_TO.finditer(original):
        words: list[str] = []
        end = m.start("place")
        for word in re.finditer(r"\S+", m.group("place")):
            bare = word.group(0).strip(".'")
            if bare.lower() in _PLACE_STOP:
                break
            words.append(bare)
            end = m.start("place") + word.end()
        if words:
            place = " ".join(words)
            place = place if any(c.isupper() for c in place) else place.title()
            return place, (m.start(), end)
    return None
