"""Call requests: the seller would rather talk, maybe at a given time.

"ring me", "easier to talk, call me", "have him call after 5 today", "I'm free
Saturday morning": the act keeps the time asked for, as the seller said it. A
refusal of calls ("don't call me, text only") is none.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from jorged.domain.reading.acts import Act, ActKind
from jorged.domain.reading.text import Text

__all__ = ["read_call"]

_CALL = re.compile(
    r"\b(?:call|ring|phone|buzz) (?:me|us|my cell|my phone|my wife|my husband|back"
    r"|then|anytime|after|before|tomorrow|today|tonight|this|in the|at|on|either way"
    r"|whenever|when you can|or facetime|or text)\b|^ (?:please |pls )?call\b"
    r"|\b(?:can|could|would|will|have|tell|ask) (?:you|u|he|jorge|him|someone"
    r"|somebody)(?: please)? (?:call|ring|phone)\b|\b(?:give|gimme) (?:me|us)"
    r" (?:a )?(?:call|ring|buzz)\b|\b(?:easier|better|rather|prefer) (?:to )?"
    r"(?:talk|speak|chat)\b|\b(?:talk|speak|chat) (?:on|over|by) (?:the )?phone\b"
    r"|\bphone call\b|\bvoice call\b|\b(?:lets|let us|can we|could we|we can"
    r"|we should) (?:talk|speak|chat|hop on (?:a )?(?:quick )?call)\b"
    r"|\bhave (?:him|jorge|someone) (?:call|reach out|give me a call)\b"
    r"|\b(?:im|i am|ill be) (?:free|available|around|off)\b|^ free (?:anytime"
    r"|after|before|on|all)\b|\bcall \d{3}\W?\d{3}\W?\d{4}\b|\bcallme\b"
    r"|\b(?:is there|whats|what is) (?:a |the |your )?(?:number|phone number) i can"
    r" call\b|\b(?:can|could|should|may) i (?:call|ring|phone) (?:you|jorge|him)\b"
    r"|\bill call\b|\b(?:jorge|he) (?:calls|rings) me\b|\bfor (?:a|the) (?:quick )?"
    r"call\b|\b(?:good|works|best) for me to talk\b|\b(?:like to|want to|wanna"
    r"|rather|need to|can i|could i|let me|lemme|prefer to|id like to) (?:speak|talk)"
    r" (?:with|to) (?:someone|somebody|a person|jorge|him|a human)(?: directly)?\b"
    r"|\b(?:hablame|llamame|llameme|marcame|marqueme)\b|\bhow about a call\b"
    r"|(?<!i )(?<!ill )(?<!im )(?<!we )(?<!well )(?<!never )(?<!dont )(?<!didnt )"
    r"(?<!did jorge )(?<!did he )(?<!did you )(?<!did someone )"
    r"\b(?:stop|come|swing|drop|pop) (?:by|over)\b(?! (?:the bank|the title|the office"
    r"|your office|the store))|\b(?:can|could) reach me\b|\breach me (?:at|on)\b"
    r"|\bcome (?:see|look at|check out) (?:it|the house|the place)\b"
    r"|\b(?:can|could|should) we meet\b|\bmeet (?:at|up|me|with)\b|\b(?:best|easiest"
    r"|better) (?:way )?to reach me\b|\breach me (?:mornings|afternoons|evenings"
    r"|after|before|anytime|any time|at|on)\b|\bphone (?:is|would be) (?:better"
    r"|easier|best)\b|\bby phone\b"
)
_NOT_A_REQUEST = re.compile(
    r"\b(?:call it|call that|you(?:d| would) call|already (?:talked|spoke)|talked to"
    r" (?:jorge|him) (?:on the phone|already)|not to call|phone calls from|got the"
    r" call|(?:he|jorge) called|missed (?:the|your) call(?! back))\b|\b(?:when|what"
    r" time|how long until|how soon) (?:will|does|is|would|can|until) (?:he|jorge"
    r"|someone|you)(?: \w+)? (?:call|calls|calling)\b"
)
_REFUSAL = re.compile(
    r"\b(?:dont|do not|never|no|not) (?:\w+ )?(?:call|ring|phone|calls)\b(?! (?:me )?"
    r"(?:after|before|until|till|at|on|tomorrow|today|tonight|this))"
)
_TIME = re.compile(
    r"\b(?:(?:after|before|around|at|by|from|between) )?\d{1,2}(?::\d{2})?"
    r" ?(?:am|pm|a\.m\.|p\.m\.|oclock)?(?: ?(?:-|to|and) ?\d{1,2}(?::\d{2})?"
    r" ?(?:am|pm)?)?(?: (?:today|tomorrow|tonight))?\b(?<! \d{3})"
    r"|\b(?:this |tomorrow |today |saturday |sunday |monday |tuesday |wednesday "
    r"|thursday |friday |next week |on the weekend |over the weekend )?(?:morning"
    r"|afternoon|evening|night|lunch|weekend|noon)\b"
    r"|\b(?:today|tomorrow|tonight|anytime|any time|this week|next week|now"
    r"|right now|asap|monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|mon|tue|tues|wed|thu|thurs|fri|sat|sun|weekday|weekdays|weekends)"
    r"(?: (?:morning|afternoon|evening|night|after \d{1,2}(?: ?[ap]m)?"
    r"|before \d{1,2}(?: ?[ap]m)?|at \d{1,2}(?::\d{2})?(?: ?[ap]m)?))?\b"
    r"|\bafter work\b|\bon my lunch\b|\bafter (?:school|dinner|lunch)\b"
)


def read_call(text: Text, masked: Sequence[tuple[int, int]] = ()) -> Act | None:
    """A request for a call, with the time asked for when one is named."""
    norm = text.norm
    for start, end in masked:
        norm = norm[:start] + " " * (end - start) + norm[end:]
    norm = _NOT_A_REQUEST.sub(lambda m: " " * len(m.group(0)), norm)
    m = _CALL.search(norm)
    if m is None or _REFUSAL.search(norm[max(0, m.start() - 12) : m.end()]):
        return None
    if re.match(
        r" *(?:me|him|you|u)? ?(?:a |an )?(?:bot|robot|liar|scam)", norm[m.end() :]
    ):
        return None
    window = norm[max(0, m.start() - 40) : m.end() + 60]
    offset = max(0, m.start() - 40)
    call_time = None
    times = [t for t in _TIME.finditer(window) if t.group(0).strip()]
    if times:
        t = max(times, key=lambda t: len(t.group(0)))
        call_time = text.evidence(offset + t.start(), offset + t.end()).text or None
    return Act(
        kind=ActKind.CALL_REQUEST,
        evidence=text.evidence_of(m),
        confidence=0.85,
        call_time=call_time,
    )
