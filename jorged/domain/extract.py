"""Reading a seller's answers out of a text message (SPEC 1.3). Pure, no I/O.

`extract(text, open_slots, now=..., asking=...)` tries every open slot on the text
and returns what it found; a slot it cannot read stays None (unknown is unknown,
never a default). `asking` is the slot of the last question, which gives short
answers their meaning: "no" to the timeline question ("would that pose a problem?")
means the timeline is fine, and a bare "350" to the price question is 350,000.

Timeline: a sale in 30 to 45 days is fine when the seller says so ("no that works",
"that wouldn't be a problem", "sooner is better") or names a span of at most 45 days;
it is not when they say it is ("too fast", "yes that would be a problem") or need
longer ("not before 6 months", "need until summer"). Spans are counted in days (a
week 7, a month 30, a year 365; "a couple" 2, "a few" 3); seasons start on March 20,
June 21, September 22 and December 21, and a month named alone means its first day.

Urgency comes from words ("asap", "no rush"), from a stated span (at most 45 days is
high, over 180 low, else medium) or from a pressing motivation (foreclosure and
financial distress are high, curious is low); otherwise it stays unknown.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from datetime import date, datetime

import attrs

from jorged.domain.price import PriceRange, parse_price
from jorged.domain.seller_models import Condition, Motivation, Slot, Urgency

__all__ = ["TIMELINE_OK_MAX_DAYS", "Extraction", "extract"]

#: The question offers a sale within 30 to 45 days; a stated span up to this is fine.
TIMELINE_OK_MAX_DAYS = 45
#: Over this many days a timeline reads as low urgency.
_LOW_URGENCY_DAYS = 180


@attrs.frozen(kw_only=True)
class Extraction:
    motivation: Motivation | None = None
    move_to: str | None = None
    urgency: Urgency | None = None
    timeline_ok: bool | None = None
    timeline_days: int | None = None
    not_moving: bool = False
    condition: Condition | None = None
    price: PriceRange | None = None

    @property
    def filled(self) -> tuple[Slot, ...]:
        """The slots this message answered, in question order."""
        found = {
            Slot.MOTIVATION: self.motivation is not None,
            Slot.TIMELINE: self.timeline_ok is not None,
            Slot.CONDITION: self.condition is not None,
            Slot.PRICE: self.price is not None,
        }
        return tuple(s for s in Slot if found[s])


def extract(
    text: str,
    open_slots: Collection[Slot],
    *,
    now: datetime,
    asking: Slot | None = None,
) -> Extraction:
    """What `text` says about each slot in `open_slots` (others are not read)."""
    clean = _normalize(text)
    motivation = move_to = None
    if Slot.MOTIVATION in open_slots:
        motivation = _motivation(clean, asking=asking)
        move_to = _move_to(text)
        if motivation is None and move_to is not None:
            motivation = Motivation.RELOCATION
    days = _span_days(clean, now.date())
    timeline_ok, not_moving = None, False
    if Slot.TIMELINE in open_slots and (
        asking is Slot.TIMELINE or days is not None or _TIME_TALK.search(clean)
    ):
        timeline_ok, not_moving = _timeline(clean, days, asking=asking)
    condition = None
    if Slot.CONDITION in open_slots and (
        asking is Slot.CONDITION or _HOUSE_TALK.search(clean)
    ):
        condition = _condition(clean, asking=asking)
    price = None
    if Slot.PRICE in open_slots:
        context = asking is Slot.PRICE or bool(_PRICE_WORDS.search(clean))
        price = parse_price(text, price_context=context)
    return Extraction(
        motivation=motivation,
        move_to=move_to,
        urgency=_urgency(clean, days, motivation),
        timeline_ok=timeline_ok,
        timeline_days=days if timeline_ok is not None else None,
        not_moving=not_moving,
        condition=condition,
        price=price,
    )


def _normalize(text: str) -> str:
    """Lower case ASCII words: emoji and symbols become spaces, apostrophes vanish."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.lower().replace("\u2019", "'").replace("'", "")
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    text = "".join(c if c.isascii() else " " for c in text)
    return " " + re.sub(r"\s+", " ", text).strip() + " "


def _any(patterns: str) -> re.Pattern[str]:
    return re.compile(patterns)


# --- motivation -----------------------------------------------------------------------

_MOTIVATIONS: tuple[tuple[Motivation, re.Pattern[str]], ...] = (
    (
        Motivation.FORECLOSURE,
        _any(
            r"foreclos|notice of default|\bnod\b|bank is taking|auction|short sale"
            r"|pre ?foreclosure"
        ),
    ),
    (
        Motivation.DIVORCE,
        _any(
            r"divorc|devorce|separat|splitting up|\bmy ex\b|ex wife"
            r"|ex husband|breaking up"
        ),
    ),
    (
        Motivation.INHERITED,
        _any(
            r"inherit|passed away|passed on|\bdied\b|(?<!real )estate|probate"
            r"|late (?:mom|dad|mother|father|husband|wife|parents?|grandma|grandpa)"
        ),
    ),
    (
        Motivation.FINANCIAL_DISTRESS,
        _any(
            r"behind on|cant afford|can not afford|cannot afford|\bbills\b|\bdebt"
            r"|lost my job|laid off|financial|money (?:problems|issues|is tight)"
            r"|bankrupt|late on (?:the )?(?:mortgage|payments)|need (?:the )?cash"
            r"|tight on money|payments are too high"
        ),
    ),
    (
        Motivation.HEALTH,
        _any(
            r"health|medical|\bsick|illness|disab|the stairs|surgery|cancer"
            r"|assisted living|nursing home|wheelchair|mobility"
        ),
    ),
    (
        Motivation.RELOCATION,
        _any(
            r"relocat|transfer|new job|job offer|out of state|military|\bpcs\b"
            r"|moving for work|work is moving|job in|for work|moving out of"
            r"|moving across|moving to|move to|new position|got a job"
        ),
    ),
    (Motivation.RETIREMENT, _any(r"retir")),
    (
        Motivation.TIRED_LANDLORD,
        _any(
            r"tenant|rental|landlord|renters|rent it out|investment property"
            r"|rented out|section 8|being a landlord"
        ),
    ),
    (
        Motivation.DOWNSIZING,
        _any(
            r"downsiz|too big|smaller (?:place|home|house)|empty nest"
            r"|kids (?:moved|are gone|left)|dont need (?:the|all this) space"
            r"|too much house|too much space|something smaller|less space"
        ),
    ),
    (
        Motivation.UPSIZING,
        _any(
            r"upsiz|bigger (?:place|home|house|space)|more (?:room|space|bedrooms)"
            r"|growing family|baby on the way|outgrown|outgrew|too small"
            r"|something bigger|another kid|baby coming"
        ),
    ),
    (
        Motivation.FAMILY,
        _any(
            r"(?:closer|near|be with) (?:to )?(?:my |our )?(?:family|kids|parents"
            r"|mom|dad|daughter|son|grandkids|grandchildren)|family reasons"
            r"|take care of (?:my |our )?(?:mom|dad|parents|mother|father)"
            r"|family (?:situation|matters|stuff)"
        ),
    ),
    (
        Motivation.CURIOUS,
        _any(
            r"curious|testing the market|test the market|what (?:its|it is|it would"
            r"|itd|my house is|my home is|the house is|the home is) (?:be )?worth"
            r"|see what (?:it|i|we) (?:could|can|would) get|not really looking"
            r"|just looking|market value|just checking|just wondering|home value"
            r"|no plans|not planning to sell"
        ),
    ),
)
_DONT_KNOW = _any(
    r"^ (?:idk|i dont know|dont know|not sure|no idea|dunno|hmm+|huh|what|ok|okay|k"
    r"|yes|no|yeah|nope|maybe|\?+|lol|haha|sure) $"
)


def _motivation(text: str, *, asking: Slot | None) -> Motivation | None:
    for motivation, pattern in _MOTIVATIONS:
        if pattern.search(text):
            return motivation
    if asking is Slot.MOTIVATION and _is_statement(text):
        return Motivation.OTHER
    return None


def _is_statement(text: str) -> bool:
    """A plain answer of a few words that is not a question or a shrug."""
    words = re.findall(r"[a-z]+", text)
    return len(words) >= 4 and "?" not in text and not _DONT_KNOW.match(text)


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


def _move_to(original: str) -> str | None:
    """The place named after "moving to" / "transfer to" and the like."""
    for m in _MOVE_TO.finditer(original):
        words: list[str] = []
        for word in m.group("place").split():
            if word.lower().strip(".'") in _PLACE_STOP:
                break
            words.append(word.strip(".'"))
        if words:
            place = " ".join(words)
            return place if any(c.isupper() for c in place) else place.title()
    return None


# --- timeline -------------------------------------------------------------------------

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
    + r")\s?(?:-|to|or)?\s?(?P<n2>\d+)?\s?(?P<unit>days?|weeks?|wks?|months?|mos?"
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
_PAST_AFTER = re.compile(r"^\s?(?:ago|old|now|already|straight)\b")
_PAST_BEFORE = re.compile(
    r"\b(?:for|been|lived|owned|had|built|over|past|last|since|almost|nearly)"
    r"(?: \w+){0,2} $"
)
_TIME_TALK = re.compile(
    r"\b(?:days?|weeks?|months?|years?|soon|sooner|fast|quick|quickly|asap|timeline"
    r"|time|timing|until|till|before|after|hurry|rush|wait|ready|move out|whenever"
    r"|spring|summer|fall|winter|works|problem|issue|prob)\b"
)
_HOUSE_TALK = re.compile(
    r"house|home|place|property|condo|kitchen|bath|roof|floor|condition|shape"
    r"|repair|fixer|turn ?key|move in|movein|paint|carpet|\bwork\b|remodel"
    r"|renovat|foundation|\bgut|mold|damage|cosmetic|\bdated|tlc"
)
_UNTIL = re.compile(
    r"\b(?P<prefix>until|till|til|before|after|by|in|through|thru|around|next|this)"
    r"\s+(?:the\s+)?(?:next\s+|this\s+)?(?P<when>spring|summer|fall|autumn|winter|"
    + "|".join(_MONTHS)
    + r"|end of (?:the|this) year|new year|next year)\b"
)


def _span_days(text: str, today: date) -> int | None:
    """Days in the first span or date the text names, if any."""
    for m in _SPAN.finditer(text):
        if _PAST_AFTER.match(text[m.end() :]) or _PAST_BEFORE.search(text[: m.start()]):
            continue  # "20 years ago", "lived here for 20 years": not a timeline
        raw = m.group("n2") or m.group("n")
        count = float(raw) if raw[0].isdigit() else _NUMBER_WORDS[raw]
        unit = m.group("unit").rstrip("s")
        return round(count * _UNIT_DAYS[unit])
    if _HALF_YEAR.search(text):
        return 182
    for u in _UNTIL.finditer(text):
        if u.group("when") == "may" and u.group("prefix") in {"this", "next"}:
            continue  # "this may be", not the month
        return _days_until(u.group("when"), today)
    if re.search(r"\bnext year\b", text):
        return _days_until("next year", today)
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


_NOT_MOVING = _any(
    r"\b(?:not moving|not going anywhere|staying put|not selling|no plans to (?:move|"
    r"sell)|not planning (?:to|on) (?:move|moving|sell|selling)|dont plan (?:to|on) "
    r"(?:move|moving|sell|selling)|never selling)\b"
)
# Checked in order: the first that matches decides.
_TIMELINE_RULES: tuple[tuple[re.Pattern[str], bool], ...] = (
    (
        _any(
            r"\b(?:wouldnt|would not|wont|will not|shouldnt|should not|isnt|is not"
            r"|not|no|dont|doesnt) (?:\w+ ){0,2}(?:be )?(?:a |an |any )?"
            r"(?:problem|issue|prob)"
        ),
        True,
    ),
    (_any(r"\bno (?:problem|prob|issue|worries)|\bnp\b|\bnot at all\b"), True),
    (
        _any(
            r"\b(?:sooner|faster|quicker) (?:is|the) better|the sooner the better"
            r"|\basap\b|as soon as possible|ready (?:now|to go)|right away"
        ),
        True,
    ),
    (
        _any(
            r"\b(?:too|really|very) (?:fast|soon|quick|early)|not that (?:fast|soon"
            r"|quick)|cant (?:move|go|do it) that (?:fast|quick|soon)|need more time"
            r"|not enough time|not ready|need (?:some )?time|not before|at least"
            r"|need until|need till|need til|\bafter\b|no way|cant do that"
            r"|not (?:that|so) (?:fast|soon)|need to find|have to find|take (?:my|our)"
            r" time|slow down|in no hurry|no rush"
        ),
        False,
    ),
    (
        _any(
            r"\b(?:would|will|might|could|that(?:d| would)?|it(?:d| would)?) (?:\w+ )?"
            r"(?:be|pose|cause) (?:a |an |some )?(?:problem|issue)"
        ),
        False,
    ),
    (
        _any(
            r"\b(?:that |it |this )?(?:works|would work|will work|could work|sounds"
            r" (?:good|great|perfect)|perfect|fine|doable|can do|could do|i can do"
            r"|lets do it|great|good with me|im good|im ok|im okay|all good"
            r"|no problem)\b"
        ),
        True,
    ),
)
_YES = _any(r"^ (?:yes|yeah|yea|ya|yep|yup|yess+|y|si|correct|it would|it will"
            r"|definitely|absolutely|for sure)\b")  # fmt: skip
_NO = _any(r"^ (?:no|nope|nah|noo+|n|nop|not really|negative)\b")


def _timeline(
    text: str, days: int | None, *, asking: Slot | None
) -> tuple[bool | None, bool]:
    """(timeline_ok, not_moving) for the text."""
    if _NOT_MOVING.search(text):
        return False, True
    for pattern, value in _TIMELINE_RULES:
        if pattern.search(text):
            if value and days is not None and days > TIMELINE_OK_MAX_DAYS:
                return False, False  # "no problem, but in 6 months"
            return value, False
    if days is not None:
        return days <= TIMELINE_OK_MAX_DAYS, False
    if asking is Slot.TIMELINE:
        if _NO.search(text):
            return True, False
        if _YES.search(text):
            return False, False
    return None, False


# --- condition ------------------------------------------------------------------------

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


def _condition(text: str, *, asking: Slot | None) -> Condition | None:
    text = _NEEDS_NEW.sub(" needs ", text)
    ready_first = bool(_READY_FIRST.search(text))
    rest = _READY_FIRST.sub(" ", text)
    if _MAJOR.search(rest):
        return Condition.MAJOR_REPAIRS
    if _MINOR.search(rest):
        return Condition.MINOR_REPAIRS
    if ready_first or _READY.search(rest):
        return Condition.MOVE_IN_READY
    if asking is Slot.CONDITION and _BARE_READY.match(text):
        return Condition.MOVE_IN_READY
    return None


# --- urgency and price context --------------------------------------------------------

_HIGH = _any(
    r"\basap\b|as soon as possible|urgent|sell (?:it )?(?:fast|quick)|right away"
    r"|immediately"
    r"|need to sell|have to sell|must sell|gotta sell|behind on|deadline"
    r"|sooner the better|sooner is better"
)
_LOW = _any(
    r"no rush|not in a (?:rush|hurry)|in no hurry|eventually|someday|some day"
    r"|few years|next year|whenever|no hurry|down the road|not sure when"
)
_PRICE_WORDS = _any(
    r"\$|\bprice|\bwant\b|\bworth|\basking|\bask\b|\bsell (?:it )?for|\bvalue"
    r"|\boffer|\blist|\bnumber|\bthousand|\bgrand|\bmillion|\bmil\b|\bhoping"
    r"|\bwalk away|\bnet\b|\bget for|\btake for"
)


def _urgency(
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
