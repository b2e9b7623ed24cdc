"""Complaints and hostility that are not an opt-out.

"why do you keep blowing up my phone", "this is spam", "you people are vultures":
nothing is filled from them, and the bot apologises and says who is texting.
"""

from __future__ import annotations

import re

from jorged.domain.reading.acts import Act, ActKind
from jorged.domain.reading.text import Text

__all__ = ["read_complaint"]

_COMPLAINT = re.compile(
    r"\bwhy (?:do|does|are|would|the|tf|the hell|the fuck|on earth)(?: \w+){0,3}"
    r" (?:keep|keeps|still|always)\b|\bblowing up my (?:phone|cell)\b|\bhow many"
    r" (?:times|texts|messages)\b|\bwhat part of\b|\b(?:this|that|these|it|you)"
    r" (?:is|are|r) (?:spam|harassment|annoying|ridiculous|creepy|rude|intrusive"
    r"|a scam|scammers?|predatory|unprofessional|too much|getting old|obnoxious)\b"
    r"|\b(?:spam|spammer|spamming|scammer|scammers|vultures?|predators?|sharks?"
    r"|bloodsuckers|lowballers?|harassment|harassing|annoying|pestering)\b"
    r"|\bi (?:already )?(?:told|said|answered)(?: \w+){0,3} (?:already|before|last"
    r" time|twice)\b|\bi already (?:told|said|answered)\b|\bstop wasting my time\b"
    r"|\bwaste of (?:my )?time\b|\b(?:idiot|idiots|stupid|dumb|moron|morons|clown"
    r"|clowns|pathetic|useless|disgusting|shameless|liar|liars|jerk|jerks|losers?"
    r"|creep|creeps|ghouls?|parasites?|leeches|bs\b|bullshit|crap|wtf|ffs"
    r"|the hell|the fuck|fucking|freaking)\b|\bleave (?:us|me) alone\b"
    r"|\bget (?:a real job|a life)\b|\b(?:3|three|4|four|5|five|\d+)(?:rd|th)?"
    r" (?:text|message|time) (?:this|today)\b|\bevery (?:day|week|other day)\b"
    r"|\b(?:i|we) (?:get|got|receive) (?:so many|too many|a ton of|tons of)"
    r"|\bnot cool\b|\bseriously\?|\bthe audacity\b|\bhow dare\b|\bnone of your"
    r" business\b|\bmind your own\b|\bnosy\b|\bi dont appreciate\b|\bat this hour\b"
    r"|\bat (?:\d|midnight|night|this time)\b.*\?|\bits (?:\d+ ?(?:am|pm)|late)\b"
    r"|\bwho the (?:hell|fuck|heck)\b|\bleave (?:me|us) be\b"
)
_NOT_COMPLAINT = re.compile(
    r"\b(?:tired of (?:being a landlord|dealing with tenants|the commute)|sick of"
    r" (?:tenants|the commute)|crap(?:py)? (?:kitchen|roof|condition|shape))\b"
)


def read_complaint(text: Text) -> Act | None:
    """A complaint or hostility in the message, if any."""
    norm = _NOT_COMPLAINT.sub(lambda m: " " * len(m.group(0)), text.norm)
    m = _COMPLAINT.search(norm)
    if m is None:
        return None
    return Act(kind=ActKind.COMPLAINT, evidence=text.evidence_of(m), confidence=0.75)
