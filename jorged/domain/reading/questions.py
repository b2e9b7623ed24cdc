"""Questions back: who is this, is this a bot, how did you get my number, ...

Each kind has its own words, and is read anywhere in the message ("what do you
charge" needs no question mark). A question that fits none of them is `other`
when a clause is asked as a question (it ends with a question mark or opens like
one: "do you cover Corona", "can I stay in the house after selling"), unless it
is rhetorical or a complaint ("do you guys ever sleep", "why do you keep texting
me?"), a request for a call ("could Jorge call me?"), or the seller asking
themselves ("how would I describe it? perfect"). A question about the house's
worth asks for an offer; it never gives a price.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from jorged.domain.reading.acts import Act, ActKind, QuestionKind
from jorged.domain.reading.text import Text

__all__ = ["is_question_clause", "read_questions"]

_YOU = r"(?:you|you guys|you all|yall|jorge|he|your team|your company|they)"
_KINDS: tuple[tuple[QuestionKind, re.Pattern[str]], ...] = (
    (
        QuestionKind.BOT,
        re.compile(
            r"\b(?:are you|is this|am i (?:talking|texting|speaking|chatting)"
            r" (?:to|with)|is that|talking to|texting|like|sound like|are these"
            r" texts|is jorge typing this or|or|you|u) (?:a |an |the |with )?(?:real )?"
            r"(?:bot|robot|ai|a i|computer|machine|automated|auto ?reply|auto ?text"
            r"|chat ?bot|chatgpt|gpt|program|recording|script|automated system)\b"
            r"|\b(?:a |an )?(?:real|actual|live) (?:person|human|people|human being)\b"
            r"|\bare you (?:human|a person|real|a human|for real a person|a real"
            r" person)\b|\bis (?:this|that) (?:jorge )?(?:himself|a person|a human"
            r"|real person)\b|\bhuman or\b|^ (?:bot|robot|ai)\W*$"
            r"|\b(?:is|are) (?:this|these|you) (?:texts? )?(?:automated|an auto)"
            r"|\bwhos typing\b|\bis this jorge or\b"
        ),
    ),
    (
        QuestionKind.NUMBER,
        re.compile(
            r"\b(?:how|howd|where|whered|who|why|did)(?: \w+){0,3} (?:get|got|find"
            r"|found|gave"
            r"|give|obtain|have|has|pull|buy|bought|sell|sold)(?: \w+){0,2} (?:my"
            r"|this|our) (?:number|phone|cell|info|information|contact|details|name"
            r"|address|digits|#)"
            r"|\bwho gave (?:you|u) (?:my|this)\b|\bhow do you have (?:my|this)\b"
            r"|\bwhere(?:d| did| do) (?:you|u) (?:even |ever )?(?:get|find)\b|\bhow(?:d"
            r"| did) (?:you|u) (?:even |ever |guys )?(?:get|find)\b|\bhow do (?:you"
            r"|u) know (?:i|we|who|my|where)\b"
            r"|\bis my (?:number|info|name) on\b|\bdonde (?:sacaste|saco|consiguio"
            r"|consiguieron|obtuvo)\b|\bmy number on (?:a|some|your) list\b"
        ),
    ),
    (
        QuestionKind.WHO,
        re.compile(
            r"\bwho(?:s| is| r| the heck| the hell)? (?:this|that|texting|dis"
            r"|is this)\b|\bwho (?:are|r) (?:you|u)\b|^ (?:\w+ ){0,2}who\W*$"
            r"|\bwhich (?:brokerage"
            r"|company|agency|office|realty|firm|jorge|one are you)\b"
            r"|\bwhat (?:company|brokerage|agency|realty|firm|office)\b"
            r"|\b(?:your|the) (?:company|brokerage|agency) name\b"
            r"|\bwho (?:do|are) (?:you|u) (?:work|with|for)\b|\bwhos texting\b"
            r"|\b(?:do i|should i) know (?:you|u)\b|\bwhat(?:s| is) (?:your|ur) name\b"
            r"|\bwho (?:am i|is) (?:talking|texting|speaking) (?:to|with)\b"
            r"|\bwho(?:s| is) jorge\b|\bis this jorge\b|\bjorge who\b|\bquien (?:es"
            r"|eres|habla)\b|\bwho sent this\b|\bwho are (?:yall|you guys)\b"
        ),
    ),
    (
        QuestionKind.COMMISSION,
        re.compile(
            r"\bcommission|\byour (?:fee|fees|cut|rate|rates)\b|\bthe (?:fee|fees)\b"
            r"|\bwhat"
            rf" (?:do|would|does) {_YOU} (?:charge|take|make)\b|\bhow much (?:do|would"
            rf"|does|will) {_YOU} (?:charge|take|cost|make)\b|\bwhat (?:percent|%)"
            r"|\bhow much is (?:your|the) (?:fee|commission)\b|\bany fees\b"
            r"|\bwhat(?:s| is| are) (?:your|the) (?:fee|fees|rate|rates|cut|charge)"
            r"|\b(?:do|would) you charge\b|\bflat fee\b|\bis it \d+ ?(?:%|percent)"
            r"|\bdo (?:i|we) pay (?:you|jorge)\b|\bwho pays (?:you|jorge|the agent)\b"
            r"|\b\d(?:\.\d)? ?(?:%|percent)\b.*\?"
        ),
    ),
    (
        QuestionKind.OFFER,
        re.compile(
            rf"\bwhat (?:would|will|can|could|do) {_YOU} (?:pay|offer|give)\b"
            rf"|\bhow much (?:would|will|can|could|do) {_YOU} (?:pay|offer|give)\b"
            r"|\bmake (?:me|us) an? (?:offer|cash offer)\b|\bwhat (?:are|r) (?:you|u)"
            r" offering\b|\bwhat(?:s| is|d| would| do you think)?(?: \w+){0,3}"
            r" (?:it|house|home|place|property|mine) (?:be )?worth\b|\bwhat (?:can"
            r"|could|would) (?:i|we) get\b|\bhow much (?:can|could|would|will) (?:i|we)"
            r" get\b|\bhow much (?:is|would|could|can) (?:it|my|the|i)\b.*\b(?:worth"
            r"|get|sell|go for)\b|\b(?:your|ur) (?:best |final |cash )?offer\b"
            r"|\bsend (?:me )?(?:an|your)"
            r" offer|\bwhat(?:s| is) (?:the|your|ur) (?:offer|number)\b"
            r"|\bcash offer\b.*(?:\?|look like)|\bgive me (?:a|an|your) (?:number"
            r"|offer|price|ballpark|estimate)\b|\ba ballpark\b|\bwhat do (?:you|u)"
            r" think (?:it|its|itd|it would|it will|itll|we|i|my house)(?: \w+)?"
            r" (?:sell|go|get|be worth|worth)\b|\bvalue of (?:my|the|our) (?:home"
            r"|house|place|property)\b|\bwhat (?:do|are|would) (?:houses|homes"
            r"|places) (?:go|going|sell|selling)\b|\bhow much (?:for|is) a \d"
            r"|\bhow much (?:are|do) (?:houses|homes) (?:go|going|sell|selling)"
            r"|\bwhat(?:s| is) (?:it|my house|my home|mine) worth\b|\bworth\?"
            r"|\bwhat (?:would|will|does|do) (?:it|my house|my home"
            r"|the house) (?:appraise"
            r"|sell|go|list) (?:for|at)\b|\bwhats it appraise"
        ),
    ),
    (
        QuestionKind.LEGIT,
        re.compile(
            r"\bis (?:this|that|it) (?:legit|real|a scam|legitimate|for real|spam"
            r"|one of those)\b|\b(?:this|it|that|you|these texts|yall"
            r"|jorge)(?: \w+){0,4}"
            r" scams?\b|^ (?:\w+ )?(?:scam|legit)\b|\b(?:this|you|it|that|yall|jorge"
            r"|you guys) (?:is |are |r |re )?(?:\w+ )?legit\b|\blegit\?"
            r"|\bhow do i know (?:this|you|its|it)"
            r"|\bare (?:you|u) (?:actually |really )?(?:legit|licensed|a real"
            r" (?:realtor|agent))|\blicense (?:number|#)|\bdre\b|\bprove (?:it|you|that"
            r"|youre)\b|\breal or (?:fake|scam|not)\b|\bis this spam\b"
            r"|\b(?:es )?real o (?:es )?(?:scam|estafa|falso)\b|\bestafa\b"
            r"|\bwhats the catch\b|\btoo good to be true\b"
        ),
    ),
    (
        QuestionKind.PROCESS,
        re.compile(
            r"\bhow (?:this|it|the process) works\b|\bhow (?:can|could|would|will|do)"
            r" (?:you|yall|you guys|jorge) help\b|\bwhen (?:do|would|can|will) (?:we|i)"
            r" (?:start|begin|list|close|get started)\b"
            r"|\bhow (?:does|do|would|will) (?:this|it|that|the process|yall|you guys)"
            r" (?:work|go)\b|\bwhat(?:s| is| are)? (?:the )?(?:process|next steps?"
            r"|steps)\b|\bwhat happens (?:next|now|after|then)\b|\bwhats next\b"
            r"|\bwhat now\b|\bhow long (?:does|would|will|is) (?:it|this|the process"
            r"|closing|escrow|the sale)\b|\bhow long (?:would|will|does) (?:escrow"
            r"|closing|it) (?:be|take)\b|\bwhat do (?:i|we) (?:need to )?do next\b"
            rf"|\bdo {_YOU} (?:buy|purchase) (?:houses|homes|it)\b|\b(?:buy it"
            r"|cash sale) or (?:list|a listing)|\bare (?:you|u) (?:an? )?(?:investor"
            r"|wholesaler|cash buyer)|\bwhat(?:s| is) (?:this|it) (?:about|regarding"
            r"|for)\b|\bhow (?:do|would|can) (?:we|i) (?:start|proceed|get started"
            r"|begin)\b|\bdo (?:i|we) (?:need|have) to (?:fix|do|repair|clean|end"
            r"|cancel|pay|be there|move out|stage|make)\b|\b(?:handle|do) the"
            r" paperwork\b|\bshowings\b.*\?|\bdo (?:i|we) (?:have to|need to) do"
            r" showings\b|\bbefore selling\b.*\?|\b(?:when|what time|how long until"
            r"|how soon) (?:(?:will|does|is|would|can|until) )?(?:he|jorge|someone)"
            r"(?: \w+)? (?:call|calls|calling|reach out)\b"
        ),
    ),
)
_FILLERS = (
    r"^ (?:(?:sorry|wait|ok|okay|so|and|but|hi|hey|also|btw|lol|um|hmm|oh|just"
    r"|quick question|question|one more thing|real quick|and also),? )*"
)
#: Openings of a clause asked as a question, without its question mark.
_QUESTION_OPENING = re.compile(
    _FILLERS
    + r"(?:(?:do|does|did|can|could|would|will|is|are|am|should|shall|may|have|has"
    r"|was|were) (?:you|u|i|we|jorge|he|she|it|this|that|there|my|your|the|yall"
    r"|they|anyone|someone|anybody|somebody|y all)\b"
    r"|(?:what|where|which|how|when|why|who)(?: \w+){0,2} (?:do|does|did|is|are"
    r"|was|were|can|could|would|will|should|have|has)\b"
    r"|(?:quien|donde|cuanto|cuando)\b)"
)
#: Openings of a clause with a question mark.
_ASKED_OPENING = re.compile(
    _FILLERS
    + r"(?:what|whats|why|how|hows|when|where|wheres|which|who|whos|whom|do|does"
    r"|did|can|could|would|will|is|are|am|should|shall|may|have|has|any|quien"
    r"|donde|que|cuanto|como|cuando|puede|tiene|was|were|isnt|arent|wont|cant"
    r"|dont|doesnt|didnt)\b"
)
#: Rhetorical or self-answered questions, and complaints asked as questions.
_NOT_ASKED = re.compile(
    r"\b(?:do you (?:even|ever)|do you guys ever|why (?:are|do|does|did|would)"
    r" (?:you|u|yall|you guys|you people|they|i get)|who raised|how many times"
    r"|what part of|pushy much|how dare|are you (?:kidding|serious|joking)"
    r"|how would i|what would i|who knows|why would (?:that|it|i|we)|what else"
    r"|is that (?:so|right)|can you believe|guess what|you know what|how about"
    r"|what about|whats up|hows it going|how are you|how r you|hows your|what a\b"
    r"|question is|you know what|what the fuck|what the hell|whats wrong with"
    r"|what is wrong with|depends (?:on )?(?:who|what|how)|are you even|do you even)\b"
)
_CALL_ASK = re.compile(
    r"\b(?:can|could|would|will) (?:you|jorge|he|someone) (?:please )?(?:call|ring"
    r"|phone|give me a call)\b"
)


def is_question_clause(clause: str, asked: bool) -> bool:
    """Whether a clause (normalized, padded) is asked as a real question."""
    if _NOT_ASKED.search(clause) or _CALL_ASK.search(clause):
        return False
    pieces = [" " + p.strip() + " " for p in clause.split(",") if p.strip()]
    if asked:
        return any(_ASKED_OPENING.match(p) for p in pieces[-2:])
    return bool(_QUESTION_OPENING.match(pieces[0] if pieces else clause))


#: "redfin says it's worth 610k, is that about right?" asks what it is worth.
_ABOUT_RIGHT = re.compile(
    r"\bis (?:that|this|it) (?:about |even |really )?(?:right|accurate|realistic"
    r"|true|legit|fair)\b"
)
_WORTH = re.compile(r"\b(?:worth|value|valued|estimate|zestimate|appraised)\b")
#: The seller answers their own question: "who's jorge? oh wait, the realtor".
_SELF_ANSWERED = re.compile(r"\b(?:oh wait|nvm|never ?mind|nevermind|oh right|oh ok)\b")


def read_questions(text: Text, masked: Sequence[tuple[int, int]] = ()) -> list[Act]:
    """The questions back in the message, at most one of each kind.

    Nothing inside `masked` (an instruction to the bot) is a question.
    """
    acts: list[Act] = []
    for kind, pattern in _KINDS:
        for m in pattern.finditer(text.norm):
            if (
                _NOT_ASKED.search(_clause_of(text, m.start()))
                or _SELF_ANSWERED.search(text.norm, m.end())
                or any(start <= m.start() < end for start, end in masked)
            ):
                continue
            acts.append(
                Act(
                    kind=ActKind.QUESTION,
                    question=kind,
                    evidence=text.evidence_of(m),
                    confidence=0.9,
                )
            )
            break
    if acts:
        return acts
    right = _ABOUT_RIGHT.search(text.norm)
    if right is not None and _WORTH.search(text.norm, 0, right.start()):
        return [
            Act(
                kind=ActKind.QUESTION,
                question=QuestionKind.OFFER,
                evidence=text.evidence_of(right),
                confidence=0.8,
            )
        ]
    for clause in text.clauses():
        marked = "?" in text.norm[clause.end : clause.end + 3]
        if (
            is_question_clause(clause.text, marked)
            and not _SELF_ANSWERED.search(text.norm, clause.end)
            and not any(start <= clause.start < end for start, end in masked)
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


def _clause_of(text: Text, pos: int) -> str:
    for clause in text.clauses():
        if clause.start <= pos <= clause.end:
            return clause.text
    return " "
