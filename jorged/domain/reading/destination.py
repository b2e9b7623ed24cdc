"""Where the seller moves to (`move_to`), read from the seller's own words.

A place is read after words that name a move ("moving to phoenix", "relocating
to san diego", "PCS orders to germany", "nos vamos a mexico", "moving from 91701
to phoenix"), a job somewhere ("job offer in nashville", "took a new position in
portland", "stationed in san diego"), the next home ("a condo in upland",
"something bigger in eastvale"), or family there ("closer to my daughter in
sacramento", "all my family is in texas"). The seller's own house ("my house in
ontario", "her place in fontana") is no destination. The place ends at the first
word that is not part of a name ("phoenix anyway" is Phoenix), and a state after
a city is dropped ("reno nevada" is Reno).
"""

from __future__ import annotations

import re

__all__ = ["find_move_to"]

_PLACE = r"(?P<place>[A-Za-z][A-Za-z.']*(?:[ \t]+[A-Za-z][A-Za-z.']*){0,3})"
#: "going to" is followed by a verb far more often than by a place: a place
#: after it must be a known one or written with a capital.
_GOING = re.compile(
    r"\b(?:go|going|goin)(?:[ \t]+back)?[ \t]+to[ \t]+" + "_PLACE_", re.IGNORECASE
)
_TRIGGERS = (
    (
        r"\b(?:mov(?:e|ing|ed)|relocat\w*|transferr?\w*|head\w*|retir\w*"
        r"|downsiz\w*|upsiz\w*|orders|pcs|deployed|sending (?:me|us|him|her)|moving"
        r" (?:us|me|him|her)|back home|transfer)(?:[ \t]+(?:me|us|him|her|them))?"
        r"(?:[ \t]+(?:back|out|over|down|up|home|all the way))?[ \t]+to[ \t]+"
    ),
    r"\bfrom[ \t]+\S+(?:[ \t]+\S+)?[ \t]+to[ \t]+",
    r"\b(?:nos vamos|vamos|me voy|nos mudamos|mudamos)[ \t]+(?:a|pa|para)[ \t]+",
    r"\b(?:stationed|station|based|starting|start|started)[ \t]+(?:in|at)[ \t]+",
    r"\b(?:orders|pcs|pcsing)[ \t]+for[ \t]+",
    (
        r"\b(?:job|job offer|offer|new job|position|new position|program|residency"
        r"|promotion|gig|contract)(?:[ \t]+\w+){0,2}?[ \t]+(?:in|at)[ \t]+"
    ),
    (
        r"(?<!inherited )(?<!own )(?<!have )(?<!sell )(?<!selling )(?<!bought )"
        r"\b(?:a|an|something|new)(?:[ \t]+[\w+]+){0,2}[ \t]+(?:condo|place|community"
        r"|townhouse|townhome|apartment|house|home|ranch|cabin|lot|unit|bigger|smaller)"
        r"[ \t]+in[ \t]+"
    ),
    r"\bsomething(?:[ \t]+\w+)?[ \t]+in[ \t]+",
    (
        r"\b(?:closer|near|nearer|be with|live with|close)(?:[ \t]+to)?(?:[ \t]+(?:my"
        r"|our|the|his|her|their))?[ \t]+\w+[ \t]+in[ \t]+"
    ),
    r"\bfamily[ \t]+(?:is|lives|are)(?:[ \t]+(?:all|now|mostly))?[ \t]+in[ \t]+",
    r"\bwant[ \t]+to[ \t]+(?:be|live)[ \t]+in[ \t]+",
)
_GOING_PLACE = re.compile(_GOING.pattern.replace("_PLACE_", _PLACE), re.IGNORECASE)
_FOUND = tuple(re.compile(trigger + _PLACE, re.IGNORECASE) for trigger in _TRIGGERS)
#: A place named first, then the reason: "nashville, for my wifes job".
_LEADING = re.compile(
    r"^\W*" + _PLACE + r"\s*,\s*(?:for|bc|because|cause)\b.*\b(?:job|work|family)\b",
    re.IGNORECASE,
)


def _words(text: str) -> list[str]:
    return text.split()


_STOP = frozenset(
    _words("""a an the my our his her their your be sell get buy do see live rent for
    and
    need so because bc cause in next soon by with once after before when if but or
    to this that it its is are was were somewhere someplace where anyway asap quick
    quickly btw baby comma period now too then lol haha we i im you they he she
    there here area cheaper lower where from within around about like just maybe
    probably hopefully eventually already finally together soonish for camp start
    starting work job family end early late this that these those fall spring summer
    winter january february march april june july august september october november
    december next month year week weeks months years days day pretty really very
    all some kids wife husband mom dad daughter son parents grandkids it's with
    ready try have make take keep look wait put stay start ask talk think pay help
    give let come move stop leave figure deal check pack close list show find
    sign started tomorrow today tonight retirar vivir mudar vender anymore again
    there then cancel""")
)
_STATES = frozenset(
    _words("""alabama alaska arizona arkansas california colorado connecticut delaware
    florida georgia hawaii idaho illinois indiana iowa kansas kentucky louisiana
    maine maryland massachusetts michigan minnesota mississippi missouri montana
    nebraska nevada ohio oklahoma oregon pennsylvania tennessee texas utah vermont
    virginia washington wisconsin wyoming""")
) | {
    "new hampshire",
    "new jersey",
    "new mexico",
    "new york",
    "north carolina",
    "north dakota",
    "rhode island",
    "south carolina",
    "south dakota",
    "west virginia",
}
_CITIES = frozenset(
    _words("""phoenix austin dallas houston denver boise seattle portland nashville reno
    vegas tucson sacramento chicago atlanta charlotte raleigh tampa orlando miami
    jacksonville spokane albuquerque tulsa omaha scottsdale mesa henderson fresno
    temecula riverside hemet corona upland ontario fontana eastvale chino menifee
    murrieta redlands yucaipa beaumont banning victorville hesperia apple valley
    san diego san antonio los angeles la el paso salt lake city colorado springs
    oklahoma city kansas city st louis mexico canada germany japan guadalajara
    tijuana""")
)


def find_move_to(original: str) -> tuple[str, tuple[int, int]] | None:
    """The place the seller moves to and where it stands in `original`."""
    candidates = []
    for pattern in _FOUND:
        for m in pattern.finditer(original):
            found = _place(m)
            if found is not None:
                candidates.append(found)
                break
    if candidates:
        return min(candidates, key=lambda c: c[1][0])
    for m in _GOING_PLACE.finditer(original):
        found = _place(m)
        if found is not None and (
            found[0].lower() in _STATES | _CITIES or m.group("place")[:1].isupper()
        ):
            return found
    lead = _LEADING.match(original)
    if lead is not None:
        found = _place(lead)
        if found is not None and found[0].lower() in _STATES | _CITIES:
            return found
    return None


def _place(m: re.Match[str]) -> tuple[str, tuple[int, int]] | None:
    words: list[str] = []
    end = m.start("place")
    for word in re.finditer(r"\S+", m.group("place")):
        bare = word.group(0).strip(".'")
        if bare.lower() in _STOP or not bare.isalpha():
            break
        words.append(bare)
        end = m.start("place") + word.end()
    if not words:
        return None
    words = _drop_state(words)
    place = " ".join(w if any(c.isupper() for c in w) else w.title() for w in words)
    return place, (m.start(), end)


def _drop_state(words: list[str]) -> list[str]:
    """ "reno nevada" -> "reno"; "north carolina" and "new york" stay whole."""
    lower = [w.lower() for w in words]
    for size in (2, 1):
        if len(words) > size and " ".join(lower[-size:]) in _STATES:
            head = " ".join(lower[:-size])
            if head not in _STATES:
                return words[:-size]
    return words
