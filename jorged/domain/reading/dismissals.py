"""Dismissals: not selling, listed with an agent, already sold, a renter.

A dismissal closes the conversation, so it is read only from plain statements
about the seller's own house; a negation of one ("not that we aren't selling",
"we're not listed yet") is none. A wrong number is an opt-out (see `consent`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from jorged.domain.reading.acts import Act, ActKind, DismissalKind
from jorged.domain.reading.text import Text

__all__ = ["read_dismissal"]

_AGENT = (
    r"(?:agent|realtor|broker|brokerage|listing agent|coldwell(?: banker)?|keller"
    r"(?: williams)?|kw|remax|re max|re/max|century 21|century|compass|exp|redfin"
    r"|berkshire(?: hathaway)?|sothebys|someone|somebody|another agent|a company)"
)
_KINDS: tuple[tuple[DismissalKind, re.Pattern[str]], ...] = (
    (
        DismissalKind.SOLD,
        re.compile(
            r"\b(?:already|we|i|house|home|place|property) (?:already |just )?"
            r"(?:sold|closed on)(?! (?:for|at)\b)\b"
            r"|(?<!need )(?<!want )(?<!get )(?<!have )\b(?:it|house|home|place|property"
            r"|its|that house)(?: has| was| got| already| is| just)* sold\b(?! for)"
            r"|\bsold (?:it|the house|the home|the place|my house|that property|that"
            r" house|to (?:an?|my|the)|already)\b|^ sold\b|\bno longer (?:own|have)"
            r" (?:it|the|that|this)\b|\bclosed escrow\b|\balready been sold\b"
            r"|\bdont own it anymore\b|\b(?:it|escrow) closed (?:last|yesterday|this"
            r"|on)\b|\baccepted an offer\b|\bin escrow with (?:a|the) buyer\b"
        ),
    ),
    (
        DismissalKind.LISTED,
        re.compile(
            rf"\b(?:listed|listing it|on the market|in contract|under contract|signed"
            rf"|signing|working) (?:\w+ ){{0,3}}(?:with|by|through|w) (?:an? |my |our "
            rf"|another |the )?(?:\w+ ){{0,2}}{_AGENT}\b"
            rf"|\b(?:already|we|i) (?:have|got|signed with|hired|are working with"
            rf"|working with|went with|use|picked|ended up signing with) (?:an? |my "
            rf"|our |another )?(?:\w+ )?{_AGENT}\b"
            r"|\bis (?:my|our) (?:agent|realtor|broker|listing agent)\b"
            r"|\b(?:its|it is|already|currently|house is|home is|were"
            r"|we are) (?:already "
            r"|currently )?(?:listed|on the market|on mls|under contract|pending)\b"
            r"|\bsigned (?:a )?listing (?:agreement|contract)\b|\bunder contract\b"
            r"|\bon the mls\b|\bits listed\b|\bhave it listed\b"
        ),
    ),
    (
        DismissalKind.RENTER,
        re.compile(
            r"\b(?:i|we) (?:just )?(?:rent|lease)(?! (?:it|them|back|out)\b)(?: (?:here"
            r"|this|the|it|from|it from|this place|the house|the place|a room))?\b"
            r"|\b(?:im|i am|were|we are) (?:just )?(?:a |the )?(?:renter|renters"
            r"|tenant|tenants|renting)\b(?! (?:it|out|to))|^ tenant here\b"
            r"|\b(?:i|we) (?:dont|do not|never) own (?:this|the|that|it)\b"
            r"|\bnot (?:the|a) (?:home ?owner|owner)\b|\b(?:my|our) landlord\b"
            r"|\btalk to (?:the|my|our)"
            r" landlord\b|\bthe owner (?:is|lives)\b|\bneed the owner\b"
            r"|\bno soy (?:el|la) (?:dueno|duena|propietario)\b|\brento\b"
            r"|\bthis isnt my house\b"
        ),
    ),
    (
        DismissalKind.NOT_SELLING,
        re.compile(
            r"\b(?:not|never|no longer|arent|aint|not even) (?:\w+ )?(?:selling|gonna"
            r" sell|going to sell|planning to sell|looking to sell|interested in"
            r" selling|trying to sell|wanting to sell|thinking (?:of|about) selling"
            r"|ready to sell)\b|\b(?:not|isnt) (?:for sale|on the market)\b"
            r"|\bno (?:plans|intention|interest) (?:to|of|in) (?:sell|selling)\b"
            r"|\b(?:dont|do not|never) (?:want|plan|intend) to sell\b"
            r"|\bwe love (?:it|our|this|the) (?:\w+ )?(?:here|house|home|place)?"
            r"|\bstaying put\b|\bnot interested\b"
            r"|\b(?:keeping|keep) (?:the house|my house|the home|our house|our home"
            r"|the place)\b|\b(?:were|we are|im|i am) keeping it\b"
            r"|\bchanged (?:my|our) minds?\b(?! (?:about|on)\b)"
            r"|\bdecided (?:not to|to stay|against)\b|\btook it off the (?:market"
            r"|table)\b|\bconfused with someone\b|\bno vend\w+\b"
            r"|\bnot for sale\b|\bstays in the family\b|\bwere staying\b"
            r"|\bwe decided to stay\b"
        ),
    ),
)
_NEGATED = re.compile(
    r"\b(?:not|never|isnt|arent|wasnt|no longer|if|unless|cancel|cancelled|canceled"
    r"|when) (?:\w+ ){0,2}$"
)
_NOT_DISMISSAL = re.compile(
    r"\bjust (?:want to (?:see|know)|curious|wondering|like knowing|checking)"
    r"|\b(?:was|am|im|were) just curious\b|"
    r"\b(?:cancel(?:led|ed)? (?:the|my|our) listing|old agent|previous agent|fell"
    r" through|last agent|former agent|pulled it|expired|wrong (?:number|person))\b"
    r"|\bwrong #"
)


def read_dismissal(text: Text, masked: Sequence[tuple[int, int]] = ()) -> Act | None:
    """The dismissal the message states, if any (the most final kind first)."""
    norm = text.norm
    for start, end in masked:
        norm = norm[:start] + " " * (end - start) + norm[end:]
    if _NOT_DISMISSAL.search(norm):
        return None
    for kind, pattern in _KINDS:
        for m in pattern.finditer(norm):
            if kind is not DismissalKind.NOT_SELLING and _NEGATED.search(
                norm[: m.start()]
            ):
                continue
            return Act(
                kind=ActKind.DISMISSAL,
                dismissal=kind,
                evidence=text.evidence_of(m),
                confidence=0.85,
            )
    return None
