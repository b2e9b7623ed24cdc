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
    r"|meant to say|i mean(?= \d| it| its| the| more| less| we| i| like| no)"
    r"|correction|let me correct|correct myself|to correct|i misspoke|i mis ?typed"
    r"|typo|auto ?correct|misread|mixed up|i was wrong|wasnt honest|wasnt totally"
    r" honest|made it sound|the real reason|to be clear|let me (?:revise|change"
    r"|update|fix)|revise|fix my (?:last )?answer|go back|hold on|no wait|wait no"
    r"|like i said(?=.*\bnot\b)|not \w+ like i said|i said \w+ but|make (?:that|it)"
    r" (?:\$?\d|more|less|closer|around|about)|change (?:that|it|my answer|the price"
    r"|my price)(?: to)?|updating (?:the|my) (?:price|timeline|answer)|change of"
    r" plans?|on second thought|nvm on|never ?mind on|actually (?:make|change|it(?:s"
    r"| is| would be| will be)? (?:more|less|closer|going to)|i (?:want|need|meant"
    r"|said|think)|we (?:want|need|can|cant|could)|more like|now|its been|thinking"
    r" about it|no|wait|sorry)|wait (?:no|actually|i)|sorry (?:i|it|that|not|make"
    r"|wrong)|not \$?\d+k?,? (?:its|it is|more like|but)|(?:(?:i|we) )?changed (?:my"
    r"|our)"
    r" minds? (?:on|about) (?:the )?(?:price|timeline|number|that)|after talking"
    r" (?:to|with) (?:my|the)|my bad|i said \$?\d+\w* (?:before|earlier|last time)"
    r"|\d+k? instead\b|instead of \$?\d|let(?:s| us) say \$?\d[\w,.]* instead)\b"
    r"|\b\$?\d[\d,.]*k?(?: (?:days|weeks|months|thousand|million))?,? not \$?\d"
    r"|\b\w+ing,? not (?:\w+ing|relocation|for work|just)\b|\bnot for work\b"
)
#: After qualification, a new value said as news is a correction too.
_QUALIFIED = re.compile(
    r"\b(?:actually|now|instead|update|updated|updating|anymore|after all|to be clear"
    r"|let(?:s| us) say|more realistic|correction)\b"
)


def read_correction(
    text: Text, masked: Sequence[tuple[int, int]] = (), *, qualified: bool = False
) -> Act | None:
    """A correction of an earlier answer, if the message makes one.

    After qualification (`qualified`) words like "actually" or "now" are enough;
    the caller keeps the act only when the message gives a value too.
    """
    norm = text.norm
    for start, end in masked:
        norm = norm[:start] + " " * (end - start) + norm[end:]
    m = _CORRECTION.search(norm)
    if m is None and qualified:
        m = _QUALIFIED.search(norm)
    if m is None:
        return None
    return Act(kind=ActKind.CORRECTION, evidence=text.evidence_of(m), confidence=0.8)
