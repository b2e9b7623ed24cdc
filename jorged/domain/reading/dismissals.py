"""Dismissals: not selling, listed with an agent, already sold, a renter.

A dismissal closes the conversation, so it is read only from plain statements
about the seller's own house; a negation of one ("not that we aren't selling",
"we're not listed yet") is none. A wrong number is an opt-out (see `consent`).
"""

from __future__ import annotations

import re

from jorged.domain.reading.acts import Act, ActKind, DismissalKind
from jorged.domain.reading.text import Text

__all__ = ["read_dismissal"]

_KINDS: tuple[tuple[DismissalKind, re.Pattern[str]], ...] = (
    (
        DismissalKind.SOLD,
        re.compile(
            r"\b(?:already |just |we |i |it |house |home |place )(?:sold|closed on)"
            r" (?:it|the house|the home|the place|already|last|a few|in|to|back|this"
            r"|yesterday|2|two|\w+ ago)\b|\b(?:it|house|home|place|property) (?:has "
            r"|was"
            r" |got |already )*sold\b|\bsold (?:it|the house|the home|the place"
            r"|my house)"
            r"\b|\bno longer (?:own|have) (?:it|the|that|this)\b|\bclosed escrow\b"
            r"|\bhouse is sold\b|\balready been sold\b|\bsold already\b"
        ),
    ),
    (
        DismissalKind.LISTED,
        re.compile(
            r"\b(?:listed|listing) (?:it )?(?:with|by|through|w) (?:an? |my |our )?"
            r"(?:\w+ ){0,2}(?:agent|realtor|broker|company|coldwell|keller|remax|re max"
            r"|century|compass|exp|redfin|berkshire|sothebys|\w+)\b"
            r"|\b(?:already|we) (?:have|got|signed with|hired|are working with|working"
            r" with|went with|use|picked) (?:an? |my |our )?(?:\w+ )?(?:agent|realtor"
            r"|realtor already|broker|listing agent)\b"
            r"|\b(?:my|our) (?:agent|realtor|broker|listing agent|sister in law is a"
            r" realtor|cousin is a realtor)(?! (?:quit|left|retired|died))\b"
            r"|\b(?:is|its|it is|already|currently|house is|home is) (?:already )?"
            r"(?:listed|on the market|on mls|in escrow|under contract|pending)\b"
            r"|\bsigned (?:a )?listing (?:agreement|contract)\b|\bunder contract\b"
            r"|\bin escrow\b|\bon the mls\b"
        ),
    ),
    (
        DismissalKind.RENTER,
        re.compile(
            r"\b(?:i|we) (?:just )?(?:rent|lease)(?: (?:here|this|the|it|from|it from|"
            r"this place|the house|the place))?\b(?! (?:it|them) out)"
            r"|\b(?:im|i am|were|we are) (?:just )?(?:a |the )?(?:renter|renters|tenant"
            r"|tenants|renting)\b(?! (?:it|out|to))|\b(?:i|we) (?:dont|do not|never)"
            r" own (?:this|the|that|it)\b|\bnot (?:the|a) (?:home ?owner|owner)\b"
            r"|\b(?:my|our) landlord\b|\bthe owner (?:is|lives)\b"
        ),
    ),
    (
        DismissalKind.NOT_SELLING,
        re.compile(
            r"\b(?:(?:im|i am|were|we are|we re|i|we|am|are) )?(?:not|never|no longer"
            r"|arent|aint|not even) (?:\w+ )?(?:selling|gonna sell|going to sell"
            r"|planning to sell|looking to sell|interested in selling|trying to sell"
            r"|wanting to sell|thinking (?:of|about) selling|looking to move)\b"
            r"|\bnot (?:for sale|on the market)\b|\bno (?:plans|intention|interest)"
            r" (?:to|of|in) (?:sell|selling|move|moving)\b|\b(?:dont|do not|never)"
            r" (?:want|plan|intend) to sell\b|\bwe love (?:it|our|this|the) (?:\w+ )?"
            r"(?:here|house|home|place)?|\bstaying put\b|\bnot interested\b"
            r"|\bhouse is not for sale\b|\bno thanks\b|\bno thank you\b|\bnot selling\b"
            r"|\bkeeping (?:it|the house|my house)\b|\bchanged (?:my|our) minds?\b"
            r"|\bdecided (?:not to|to stay|against)\b|\btook it off the market\b"
        ),
    ),
)
_NEGATED = re.compile(
    r"\b(?:not|never|isnt|arent|wasnt|no longer|if|unless) (?:\w+ )?$"
)


def read_dismissal(text: Text) -> Act | None:
    """The dismissal the message states, if any (the most final kind first)."""
    for kind, pattern in _KINDS:
        for m in pattern.finditer(text.norm):
            if kind is not DismissalKind.NOT_SELLING and _NEGATED.search(
                text.norm[: m.start()]
            ):
                continue
            return Act(
                kind=ActKind.DISMISSAL,
                dismissal=kind,
                evidence=text.evidence_of(m),
                confidence=0.85,
            )
    return None
