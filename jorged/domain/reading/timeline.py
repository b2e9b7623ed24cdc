"""Reading a seller's timeline and urgency out of a text (SPEC 1.3).

The timeline question asks "If our team sold your home within the next 30 to 45
days, would that pose a problem for you?", so the answer is read against it:

- **Fine** (`timeline_ok` true): "no", "no problem", "that wouldn't be a problem",
  "shouldn't be", "not at all", "sooner is better", "asap", "ready when you are",
  "that works", "we're flexible", "yes let's do it" (a yes to the sale, not to the
  problem), a span of at most 45 days ("30 days would be perfect"), and at the
  timeline question a bare acknowledgement ("ok", "k", "👍").
- **Not fine** (false): "yes", "it would", "yes that would be a problem", "too
  fast", "that'd be tough", "we need more time", a span over 45 days ("not for two
  years at least", "more like 4 months"), "we're not moving".
- **Unknown**: a hedge is not a yes ("no, let me talk to my wife first", "it could
  work if we can rent back", "depends on the market", "yes and no"), nor is a
  time phrase about something else ("got laid off in August", "call after 5").

Away from the timeline question, only words about the sale's timing count ("we
gotta be out quick", "retiring to arizona but not for 6 months"); a "great" or a
"works" there is about something else ("great shape", "whatever works").

Urgency comes from words ("asap", "no rush"), from a stated span (at most 45 days is
high, over 180 low, else medium) or from a pressing motivation (foreclosure and
financial distress are high, curious is low); otherwise it stays unknown.

The texts read here are normalized copies (`text.Text.norm`).
"""

from __future__ import annotations

import re

from jorged.domain.conversation.state import Motivation, Slot, Urgency

__all__ = [
    "TIMELINE_OK_MAX_DAYS",
    "TIMING_TALK",
    "find_timeline",
    "read_urgency",
]

#: The question offers a sale within 30 to 45 days; a stated span up to this is fine.
TIMELINE_OK_MAX_DAYS = 45
#: Over this many days a timeline reads as low urgency.
_LOW_URGENCY_DAYS = 180

#: Words about the timing of the sale or the move: what a timeline needs away from
#: the timeline question.
TIMING_TALK = re.compile(
    r"\b(?:timeline|timing|time ?frame|that fast|that quick|so fast|so soon|too fast"
    r"|too soon|too quick|quick sale|fast sale|sell (?:it )?(?:fast|quick)|be out"
    r"|move out|moved out|asap|as soon as possible|sooner|faster|quicker|no rush"
    r"|in a rush|not in a hurry|in no hurry|hurry|right away|quick|fast|quickly"
    r"|not for|not until|not before|at least|minimum|away|within|by|until|till|til"
    r"|out in|ready to (?:move|sell)|a while|later|soon|problem|issue)\b"
)
_NOT_MOVING = re.compile(
    r"\b(?:not moving|arent moving|not going anywhere|staying put|no plans to (?:move"
    r"|sell)|not planning (?:to|on) (?:move|moving|sell|selling)|dont plan (?:to|on)"
    r" (?:move|moving|sell|selling)|never selling)\b(?! (?:for|until|till|before"
    r"|til|in) )"
)
#: Words about the house, not the timing: "move in ready".
_CONDITION_WORDS = re.compile(r"\bmov(?:e|ing)[ -]?in[ -]?re?a?dy\b")
#: A problem said not to be one: read before any "would be a problem".
_NO_PROBLEM = re.compile(
    r"\b(?:wouldnt|would not|wont|will not|shouldnt|should not|isnt|is not|not|no"
    r"|dont|doesnt|aint|never) (?:\w+ ){0,2}(?:be )?(?:a |an |any )?(?:problem|issue"
    r"|prob)s?\b|\bwhy would (?:that|it) be a (?:problem|issue)\b"
)
#: Said to be fine, in any words.
_FINE = re.compile(
    r"\bno (?:problem|prob|issue|worries)|\bnp\b|\bnot at all\b"
    r"|\b(?:sooner|faster|quicker) (?:is|the) better|\bthe (?:sooner|faster|quicker)"
    r" the better|\basap\b|\bas soon as possible\b|\bready (?:now|when you are"
    r"|whenever)\b|\bright away\b|\b(?:be|get|move) out (?:quick|fast|soon|asap)"
    r"|\b(?:done|out|sold|moving(?: \w+){0,2}|gone) (?:fast|quick|quickly|asap)\b"
    r"|\b(?:hoping"
    r"|prefer|want|like) (?:for )?(?:it )?(?:quick|fast)\b|\bshouldnt be\b"
    r"|\bit wouldnt\b|\bwouldnt be\b|\bno para nada\b|\bclaro que si\b|\besta bien\b"
    r"|\b(?:we|were|i|im) (?:are )?flexible\b|\bgo for it\b|\bwhenever (?:you"
    r" want|works|is fine|you are ready|youre ready)\b|^ (?:any ?time|whenever)\W*$"
)
#: Fine, when the talk is about the timeline: "that works", "perfect".
_AGREE = re.compile(
    r"\b(?:(?:that |it |this |which )?(?:works|would work|will work|could work|d work"
    r"|should work)|thatd work|itd work|ready to go|sounds (?:good|great|perfect)"
    r"|perfect|fine|doable|can do|could do"
    r"|lets do it|lets go|great|good with (?:me|us|that|it)|were good|im good|all good"
    r"|plenty|ok with (?:that|it|me|us)|okay with|(?:we|i) could do that|no issue)\b"
)
#: Said not to be fine.
_NOT_FINE = re.compile(
    r"\b(?:too|way too|really|very|a bit|kinda|kind of) (?:fast|soon|quick|early"
    r"|rushed)\b|\bnot that (?:fast|soon|quick)|\b(?:cant|cannot|can not|couldnt"
    r"|wont be able to) (?:move|go|do it|be out|get out|leave|pack|sell|do that|make"
    r" it|just up and)\b|\bneed (?:more|some) time\b|\bmore time than\b|\bnot enough"
    r" time\b|\bnot ready\b|\bneed time\b|\bnot before\b|\bmuch later\b|\bthatd be"
    r" (?:tough|hard|difficult|rough)\b|\b(?:tough|hard|difficult) (?:for us|timeline)"
    r"|\bmuy rapido\b|\bbuilding a house\b|\bmid (?:semester|school|year)\b"
    r"|\bnot (?:in a|in any) (?:rush|hurry)\b|\barent in a rush\b|\bno rush\b"
    r"|\bin no hurry\b|\btake (?:my|our) time\b|\bneed (?:a (?:bit|little) |a lot )?"
    r"longer\b"
)
#: No hurry: not fine at the timeline question, no answer away from it.
_GENTLE = re.compile(
    r"no rush|in no hurry|not in a (?:rush|hurry)|not in any (?:rush|hurry)"
    r"|arent in a rush|take (?:my|our) time"
)
#: Not fine unless hedged or after a "no": "we need to find a place first".
_SOFT_NOT_FINE = re.compile(
    r"\b(?:havent found|need (?:to|time to) (?:find|move out)|have to find)\b"
)
#: Said to be a problem: the answer "yes" to "would that pose a problem?".
_PROBLEM = re.compile(
    r"\b(?:would|will|might|could|that(?:d| would)?|it(?:d| would)?|yes|yeah|thatd"
    r"|itd) (?:\w+ )?(?:be|pose|cause) (?:a |an |some )?(?:problem|issue)|\byes"
    r" (?:problem|issue)|\b(?:it|that|yes|yeah|yea) (?:it )?(?:would|will)(?: be)? $"
    r"|^ (?:yes |yeah |yea )?it (?:would|will)(?: be)?(?: (?:a problem|an issue))?"
    r"(?= [,.!]| $|[,.!])"
)
#: A hedge is not a yes: "no, let me talk to my wife first", "it could work if".
_HEDGE = re.compile(
    r"\b(?:let me (?:talk|check|ask|think|see)|(?:have|need|got|would have) to (?:talk"
    r"|check|ask|think|see|discuss)|id have to (?:check|ask|think|talk|find)"
    r"|(?:talk|check) (?:to|with) (?:my|the)|only if|as long as|depends|depending"
    r"|if we (?:can )?(?:find|rent)|if i (?:can )?find|provided|assuming|not sure"
    r"|maybe|possibly|might|idk|dont know|think about it|ill think|need to think"
    r"|have to think|not yet sure|unless|ask me again|get back to you|yes and no"
    r"|find somewhere|no idea|good question|if we can|after i talk)\b"
)
#: A "yes" that agrees to the sale rather than to the problem: "yes, let's do it".
_YES_TO_SALE = re.compile(
    r"\b(?:lets do it|lets go|lets do this|im ready|were ready|ready to go|sounds good"
    r"|works for (?:me|us)|that works|go for it|sign me up|perfect|great|do it"
    r"|thats fine|is fine|fine by|claro)\b"
)
_YES = re.compile(
    r"^ (?:yes|yeah|yea|ya|yep|yup|yess+|y|si|correct|it would|it will|definitely"
    r"|absolutely|for sure|kinda|sort of)\b"
)
_NO = re.compile(
    r"^ (?:no|nope|nah|noo+|n|nop|not really|negative|naw|no no|nope nope)\b"
)
_ACK = re.compile(
    r"^ (?:ok|okay|k|kk|sure|sure thing|alright|aight|cool|thumbsup|yes sir|ok cool"
    r"|fine|thumbsup thumbsup)(?: (?:thumbsup|thanks|lol))* $"
)
_SHORT_NO = re.compile(r"\b(?:no|nah|nope|naw)\b")


def find_timeline(
    text: str, days: int | None, *, asking: Slot | None, talk: bool = False
) -> tuple[bool | None, bool, tuple[int, int] | None]:
    """(timeline_ok, not_moving, where it was read) for a normalized text.

    `talk` reads the text as about the timeline even away from its question (a
    correction of it).
    """
    text = _CONDITION_WORDS.sub(lambda m: " " * len(m.group(0)), text)
    asked = asking is Slot.TIMELINE
    about = asked or talk or bool(TIMING_TALK.search(text))
    if m := _NOT_MOVING.search(text):
        return (False if asked else None), True, (m.start(), m.end())
    if not about and days is None:
        return None, False, None
    hedged = bool(_HEDGE.search(text))
    if m := _NO_PROBLEM.search(text):
        if days is not None and days > TIMELINE_OK_MAX_DAYS:
            return False, False, (m.start(), m.end())
        if not hedged:
            return True, False, (m.start(), m.end())
    if (m := _PROBLEM.search(text)) and (asked or talk or days is not None):
        return False, False, (m.start(), m.end())
    if m := _NOT_FINE.search(text):
        gentle = bool(_GENTLE.fullmatch(m.group(0).strip()))
        if not gentle:
            return False, False, (m.start(), m.end())
        if not (_FINE.search(text) or _AGREE.search(text)) and (
            asked or talk or days is not None
        ):
            return False, False, (m.start(), m.end())
    if (m := _SOFT_NOT_FINE.search(text)) and not hedged and not _NO.search(text):
        return False, False, (m.start(), m.end())
    fine = _FINE.search(text) or (_AGREE.search(text) if about else None)
    if fine is not None:
        if days is not None and days > TIMELINE_OK_MAX_DAYS:
            return (
                False,
                False,
                (fine.start(), fine.end()),
            )  # "no problem, but 6 months"
        if hedged and days is None:
            return None, False, None
        return True, False, (fine.start(), fine.end())
    if days is not None:
        if hedged and days <= TIMELINE_OK_MAX_DAYS:
            return None, False, None
        return days <= TIMELINE_OK_MAX_DAYS, False, None
    if not asked:
        return None, False, None
    return _short_answer(text, hedged=hedged)


def _short_answer(
    text: str, *, hedged: bool
) -> tuple[bool | None, bool, tuple[int, int] | None]:
    """A yes, a no or an acknowledgement to the timeline question."""
    if m := _NO.search(text):
        if hedged:
            return None, False, None
        return True, False, (m.start(), m.end())
    if m := _YES.search(text):
        if hedged:
            return None, False, None
        if _YES_TO_SALE.search(text):
            return True, False, (m.start(), m.end())
        return False, False, (m.start(), m.end())
    if m := _ACK.match(text):
        return True, False, (m.start(), m.end())
    if len(text.split()) <= 4 and (m := _SHORT_NO.search(text)) and not hedged:
        return True, False, (m.start(), m.end())
    return None, False, None


# --- urgency --------------------------------------------------------------------------

_HIGH = re.compile(
    r"\basap\b|as soon as possible|urgent|sell (?:it )?(?:fast|quick)|right away"
    r"|immediately|need to sell|have to sell|must sell|gotta sell|behind on|deadline"
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
