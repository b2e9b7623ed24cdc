"""Corrections: the seller changes an earlier answer ("scratch that, 475 is my
number", "sorry I meant 90 days"). The values in the message are read as usual;
the act says they replace what was said before, also after qualification.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from jorged.domain.reading.acts import Act, ActKind
from jorged.domain.reading.text import Text

__all__ = ["read_correction"]

_CORRECTION = re.compile(
    r"\b(?:scratch that|strike that|disregard (?:that|what i said|my last)|ignore"
    r" (?:that|what i said|my last)|forget (?:what i said|that|i said)|i meant"
    r"|meant to say|i mean(?= \d| it| its| the| more| less| we| i| like)"
    r"|correction|let me correct|to correct|i misspoke|i mis ?typed|typo|auto ?correct"
    r"|make (?:that|it) (?:\$?\d|more|less|closer|around|about)|change (?:that|it|my"
    r" answer|the price|my price)(?: to)?|change of plans?|on second thought"
    r"|actually (?:make|change|it(?:s| is| would be| will be)? (?:more|less|closer"
    r"|going to)|i (?:want|need|meant|said|think)|we (?:want|need|can|cant)|more"
    r" like|now|its been|thinking about it|no|wait|sorry)|wait (?:no|actually|i)"
    r"|sorry (?:i|it|that|not|make|wrong)|not \$?\d+k?,? (?:its|it is|more like|but)"
    r"|(?:i|we) changed (?:my|our) minds? (?:on|about) (?:the )?(?:price|timeline"
    r"|number|that)|(?:wife|husband|partner) (?:says|said|wants|thinks)"
    r"(?: (?:we|it|more|its|\$?\d))|after talking (?:to|with) (?:my|the)"
    r"|my bad|i said \$?\d+\w* (?:before|earlier|last time)|\d+k? instead\b"
    r"|instead of \$?\d|\bnot \$?\d+k?,? (?:but )?\$?\d)\b"
)


def read_correction(text: Text, masked: Sequence[tuple[int, int]] = ()) -> Act | None:
    """A correction of an earlier answer, if the message makes one."""
    norm = text.norm
    for start, end in masked:
        norm = norm[:start] + " " * (end - start) + norm[end:]
    m = _CORRECTION.search(norm)
    if m is None:
        return None
    return Act(kind=ActKind.CORRECTION, evidence=text.evidence_of(m), confidence=0.8)
