"""Questions back: who is this, is this a bot, how did you get my number, ...

Each kind has its own words; a question that fits none of them, and is not a
complaint dressed as a question ("why do you keep texting me?"), is `other` only
when it ends with a question mark and opens like a question. A question about
the house's worth asks for an offer ("what would you give me?"); it never gives
a price.
"""

from __future__ import annotations

import re

from jorged.domain.reading.acts import Act, ActKind, QuestionKind
from jorged.domain.reading.text import Text

__all__ = ["read_questions"]

_KINDS: tuple[tuple[QuestionKind, re.Pattern[str]], ...] = (
    (
        QuestionKind.BOT,
        re.compile(
            r"\b(?:are you|r you|is this|am i (?:talking|texting|speaking|chatting)"
            r" (?:to|with)|this is|is that|you|talking to|texting) (?:a |an |the )?"
            r"(?:real )?(?:bot|robot|ai|a\.i|computer|machine|automated|auto ?reply"
            r"|chat ?bot|chatgpt|program|recording|script)\b"
            r"|\b(?:real|actual|live) (?:person|human|people|agent)\b"
            r"|\bare you (?:human|a person|real|a human|a real|for real a person)\b"
            r"|\bis (?:this|that) (?:jorge )?(?:himself|a person|a human|real person)"
            r"|\bhuman or\b|\bor (?:a )?(?:bot|robot|ai)\b|^ (?:bot|robot|ai) \W*$"
            r"|\b(?:is|are) (?:this|these|you) (?:texts? )?automated\b"
        ),
    ),
    (
        QuestionKind.NUMBER,
        re.compile(
            r"\b(?:how|where|who|why)(?: \w+){0,2} (?:get|got|find|found|gave|give"
            r"|obtain|have|has|pull|buy|bought)(?: \w+){0,2} (?:my|this|our)"
            r" (?:number|phone|cell|info|information|contact|details|name|address"
            r"|digits)\b"
            r"|\bwho gave (?:you|u) (?:my|this)\b|\bhow do you have (?:my|this)\b"
            r"|\bwhere(?:d| did) (?:you|u) get\b|\bhow(?:d| did) (?:you|u) (?:get|find)"
        ),
    ),
    (
        QuestionKind.WHO,
        re.compile(
            r"\bwho(?:s| is| are| r| dis| this| the heck| tf| the hell)?"
            r" (?:this|you|that|dis|u|is this|texting|it)\b"
            r"|^ who \W*$|\bwhich (?:brokerage|company|agency|office|realty|firm)\b"
            r"|\bwhat (?:company|brokerage|agency|realty|firm|office)\b"
            r"|\bwho (?:do|are) (?:you|u) (?:work|with|for)\b|\bwhos texting\b"
            r"|\b(?:do i|should i) know (?:you|u)\b|\bwhat(?:s| is) (?:your|ur) name\b"
            r"|\bwho (?:am i|is) (?:talking|texting|speaking) (?:to|with)\b"
            r"|\bwho is jorge\b|\bwho(?:s| is) jorge\b|\bis this jorge\b"
        ),
    ),
    (
        QuestionKind.COMMISSION,
        re.compile(
            r"\bcommission|\b(?:your|ur|the) (?:fee|fees|cut|rate)\b|\bwhat (?:do"
            r"|would)"
            r" (?:you|u|yall|jorge) (?:charge|take)\b|\bhow much (?:do|would|does)"
            r" (?:you|u|it|jorge|yall) (?:charge|take|cost)\b|\bwhat (?:percent|%)"
            r"|\bfees?\b.*\?|\bhow much is (?:your|the) (?:fee|commission)\b"
            r"|\bwhat(?:s| is| are) (?:your|ur|the) (?:fee|fees|rate|cut|charge)"
        ),
    ),
    (
        QuestionKind.OFFER,
        re.compile(
            r"\bwhat (?:would|will|can|could|do) (?:you|u|yall|jorge|he) (?:pay|offer"
            r"|give)\b|\bhow much (?:would|will|can|could|do) (?:you|u|yall|jorge|he)"
            r" (?:pay|offer|give)\b|\bmake (?:me|us) an? (?:offer|cash offer)\b"
            r"|\bwhat(?:s| is|d| would| do you think)?(?: \w+){0,3} (?:it|house|home"
            r"|place|property|mine) (?:be )?worth\b|\bwhat (?:can|could) i get\b"
            r"|\bhow much (?:is|would|could|can) (?:it|my|the|i)\b.*\b(?:worth|get|sell"
            r"|go for)\b|\bwhats? (?:your|ur) offer\b|\bsend (?:me )?(?:an|your) offer"
            r"|\bwhat(?:s| is) (?:the|your|ur) (?:offer|number)\b|\bcash offer\b.*\?"
            r"|\bgive me (?:a|an|your) (?:number|offer|price)\b|\byou (?:tell me"
            r"|first)\b"
            r"|\bwhat do (?:you|u) think it(?:ll| will| would)? (?:sell|go) for\b"
        ),
    ),
    (
        QuestionKind.LEGIT,
        re.compile(
            r"\bis (?:this|that|it) (?:legit|real|a scam|legitimate|for real|spam)\b"
            r"|\bscam\b.*\?|\blegit\b.*\?|\bhow do i know (?:this|you|its|it)"
            r"|\bare (?:you|u) (?:legit|licensed|real estate licensed|a real agent)"
            r"|\blicense (?:number|#)|\bdre (?:number|#)|\b(?:dre|license)\b.*\?"
            r"|\bscam\b \W*$|^ legit \W*$"
        ),
    ),
    (
        QuestionKind.PROCESS,
        re.compile(
            r"\bhow (?:does|do|would|will) (?:this|it|that|the process|yall|you guys)"
            r" (?:work|go)\b|\bwhat(?:s| is| are)? (?:the )?(?:process|next steps?"
            r"|steps)\b|\bwhat happens (?:next|now|after)\b|\bhow long (?:does|would"
            r"|will) (?:it|this|the process|closing) take\b|\bwhat do (?:i|we) (?:need"
            r" to )?do next\b|\bdo (?:you|u|yall) (?:buy|purchase) (?:houses|homes)\b"
            r"|\bare (?:you|u) (?:an? )?(?:investor|agent|realtor|wholesaler|buyer)"
            r"|\bwhat(?:s| is) (?:this|it) (?:about|regarding|for)\b"
            r"|\bwhat do (?:you|u) (?:do|need|want)\b|\bhow (?:do|would) (?:we|i)"
            r" (?:start|proceed|get started)\b|\bwhat(?:s| is) in it for"
        ),
    ),
)
_QUESTION_OPENING = re.compile(
    r"^ (?:what|why|how|when|where|who|which|can|could|do|does|did|is|are|will"
    r"|would|should|whats|hows|wheres|whos|any|have|has|so|and|but|ok|also|wait)\b"
)
_RHETORICAL = re.compile(
    r"\bwhy (?:do|does|are|would|the|tf|the hell|the fuck)(?: \w+){0,3} (?:keep"
    r"|text|texting|bother|bothering|contact|contacting|message|messaging|spam)"
    r"|\bhow many times\b|\bwhat part of\b|\bdo you ever stop\b|\bwtf\b"
)


def read_questions(text: Text) -> list[Act]:
    """The questions back in the message, at most one of each kind."""
    acts: list[Act] = []
    seen: set[QuestionKind] = set()
    for kind, pattern in _KINDS:
        m = pattern.search(text.norm)
        if m is not None and kind not in seen:
            seen.add(kind)
            acts.append(
                Act(
                    kind=ActKind.QUESTION,
                    question=kind,
                    evidence=text.evidence_of(m),
                    confidence=0.9,
                )
            )
    if acts:
        return acts
    for clause in text.clauses():
        if (
            "?" in text.norm[clause.end : clause.end + 3]
            and _QUESTION_OPENING.match(clause.text)
            and not _RHETORICAL.search(clause.text)
        ):
            return [
                Act(
                    kind=ActKind.QUESTION,
                    question=QuestionKind.OTHER,
                    evidence=text.evidence(clause.start, clause.end),
                    confidence=0.6,
                )
            ]
    return acts
