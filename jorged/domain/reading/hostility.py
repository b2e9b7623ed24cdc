"""Complaints and hostility that are not an opt-out.

About the texting ("why do you keep blowing up my phone", "this is the 4th text
this week", "texting at 10pm is not ok"), about being asked again ("you already
asked me that", "you're not listening"), insults ("lowball vultures", "this bot
is useless"), anger ("wtf", "😡"), and sarcasm that mocks the question ("sure, a
million bucks and a pony 🙄", "oh it's a palace, obviously"). Nothing is filled
from a complaint: the bot apologises and says who is texting.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from jorged.domain.reading.acts import Act, ActKind
from jorged.domain.reading.text import Text

__all__ = ["read_complaint"]

_YOU = r"(?:you|you guys|you all|you people|yall|realtors|agents|investors|people)"
_PATTERNS = (
    # the texting itself
    (
        r"\bwhy (?:do|does|are|would|did|the fuck|the hell|on earth)(?: \w+){0,3}"
        r" (?:keep|keeps|still|always|text|texting|get|getting|contact|contacting"
        r"|message|messaging|bother|bothering)\b"
    ),
    (
        r"\bblowing up my (?:phone|cell)\b|\bhow many (?:times|texts|messages)\b"
        r"|\bwhy (?:am i|do i|are we|do we|is my phone|does my phone) (?:\w+ )?"
        r"(?:getting|receiving|still)\b"
        r"|\b(?:text|texts|texting|message|messages|hear from you|these)(?: \w+){0,3}"
        r" every (?:single )?(?:day|morning|night|week)\b"
        r"|\b(?:second|third|fourth|fifth|tenth|\d+(?:st|nd|rd|th)) time (?:you|ive"
        r"|youve"
        r"|i)\b|\bsame (?:\w+ )?questions?\b|\b(?:are you|you) (?:even )?listening\b"
        r"|\b(?:second|third|fourth|fifth|\d+(?:st|nd|rd|th)?) (?:time|text|message)"
        r"(?: \w+){0,4} (?:today|this week|this morning|tonight)\b"
        r"|\b(?:you|you people|you guys|yall|you all) (?:never|dont|wont|just wont)"
        r" (?:give up|stop|quit|let up)\b"
    ),
    (
        r"\b(?:\d+|second|third|fourth|fifth|another|2nd|3rd|4th|5th|\d+th) (?:text"
        r"|message|one|time)s? (?:this|today|in a)\b|\b\d+ of (?:these|them|you)\b"
    ),
    (
        r"\b(?:another|more) (?:one of these|text|spam)\b|\b(?:ugh|oh|great|wow|jesus"
        r" fucking christ|lol|omg|yay|sigh|not)(?: \w+)?,? another (?:realtor|agent"
        r"|investor|flipper)\b|^ another (?:realtor|agent|investor|flipper)\b"
    ),
    r"\bevery (?:realtor|agent|investor|flipper)\b",
    r"\btext(?:ing)? (?:at|on) (?:\d|night|midnight|a sunday|sunday|this hour)",
    r"\bits \d+ ?(?:am|pm)\b(?: \w+)? \W*$|\bat this hour\b|\bever sleep\b",
    r"\bwho raised\b|\bnobody asked\b|\bno one asked\b",
    # being asked again
    (
        rf"\b{_YOU} (?:already|just) asked\b|\bi (?:literally |already "
        rf"|just )+(?:answered"
        r"|told|said|sent)\b|\bi (?:told|answered) you\b|\bi told you already\b"
        r"|\bi (?:sent|told|gave) you (?:\w+ ){0,2}already\b|\bnone of your business\b"
        r"|\balready answered\b|\bsame (?:question|thing)\b|\bread (?:up|my|what)\b"
        r"|\b(?:you|u)(?: \w+)? (?:didnt|did not|dont|do not|never) read\b"
        r"|\bnot listening\b"
        r"|\bdo you (?:even|ever) read\b|\btired of (?:these|your|the) (?:questions"
        r"|texts|messages)\b|\b(?:keep|keeps) asking\b"
        r"|(?<!cant )(?<!wont )(?<!dont )(?<!never )\bstop asking\b"
    ),
    # the sender
    (
        rf"\b{_YOU} (?:are|r|re) (?:so |like |all )?(?:relentless|ridiculous|annoying"
        r"|rude|creepy|pushy|vultures|cockroaches|sharks|leeches|clowns|hilarious"
        r"|a joke|the worst|unbelievable|shameless|parasites|predators)\b"
    ),
    (
        r"\b(?:relentless|ridiculous|annoying|rude|creepy|pushy|insulting|insult"
        r"|vultures?|cockroach(?:es)?|flipper|lowball(?:ers?)?|scammers?|spam(?:mers?)?"
        r"|harassment|harassing|predatory|useless|unbelievable|annoyed|obnoxious"
        r"|parasites?|leeches|clowns?|bloodsuckers|ghouls?|pathetic|disgusting|idiots?"
        r"|stupid|morons?|wtf|what the fuck|smh|shaking my head|jesus fucking christ"
        r"|bullshit|angry|eyeroll)\b"
    ),
    (
        r"\b(?:getting old|not cool|not ok|not okay|nice try|a joke|love that for me"
        r"|what a surprise|bill collector|way to be|much\?|seriously\W+again)\b"
    ),
    r"\b(?:is|are|was) (?:so )?(?:annoying|rude|ridiculous|creepy|insulting)\b",
    r"\bnever called\b|\b(?:kinda|kind of|so|really) (?:annoyed|upset|pissed|mad)\b",
    r"\bwhats wrong with\b|\bis wrong with (?:you|yall)\b",
    # sarcasm that mocks the question
    (
        r"\b(?:yeah|oh) sure,? (?:let me|ill|i will|just)\b|\bsure,? (?:a"
        r"|one) (?:million"
        r"|billion|gazillion)\b|\band a pony\b|\bobviously\.? (?:you|lol)|\bpalace\b"
    ),
    r"\bto a random (?:text|number|stranger)\b",
)
_COMPLAINT = re.compile("|".join(f"(?:{p})" for p in _PATTERNS))
_NOT_COMPLAINT = re.compile(
    r"\b(?:tired of (?:being a landlord|dealing with tenants|the commute|renting)"
    r"|sick of (?:tenants|the commute|the traffic)|crap(?:py)? (?:kitchen|roof"
    r"|condition|shape)|spam folder|lowball offers? from|the market is"
    r"|is (?:this|it|that) (?:a )?(?:spam|scam))\b"
)


def read_complaint(text: Text, masked: Sequence[tuple[int, int]] = ()) -> Act | None:
    """A complaint or hostility in the message, if any (none inside `masked`)."""
    norm = _NOT_COMPLAINT.sub(lambda m: " " * len(m.group(0)), text.norm)
    for start, end in masked:
        norm = norm[:start] + " " * (end - start) + norm[end:]
    m = _COMPLAINT.search(norm)
    if m is None:
        return None
    return Act(kind=ActKind.COMPLAINT, evidence=text.evidence_of(m), confidence=0.75)
