"""Reading the condition of the house out of a text (SPEC 1.3).

Three kinds of words are found, each with its negation read:

- **major repairs**: a structural part with trouble ("the roof leaks", "plumbing
  is shot", "slab is cracked", "needs a new roof"), or words that are major on
  their own ("fixer", "gutted", "teardown", "a lot of work", "needs everything",
  "mold", "fire", "water damage", "not livable", "hoarder house");
- **minor repairs**: cosmetic work ("needs paint and carpet", "dated", "a bit
  tired", "wear and tear", "needs some love", "original kitchen");
- **move in ready**: finished work and good shape ("turnkey", "updated", "redid the
  kitchen", "like new", "built in 2021", "spotless, fresh paint inside", "you
  could move in tomorrow").

A structural part that is fine or was fixed ("roof's fine", "roof was done in
2015", "we already fixed the roof", "new roof") is no trouble; severity denied
("nothing serious", "no big repairs", "not a fixer") reads as minor; readiness
denied ("not move in ready") as minor. Then major wins over minor, minor over
ready ("move in ready but needs paint" is minor). A seller who disagrees with
someone ("my wife thinks it needs work, I don't") gives no reading.

The texts read here are normalized copies (`text.Text.norm`).
"""

from __future__ import annotations

import re

from jorged.domain.conversation.state import Condition, Slot

__all__ = ["HOUSE_TALK", "find_condition"]

#: Words about the house: the sign that a text speaks to its condition.
HOUSE_TALK = re.compile(
    r"house|home|place|property|condo|kitchen|bath|roof|floor|condition|shape"
    r"|repair|fixer|turn ?key|move in|movein|paint|carpet|\bwork\b|remodel"
    r"|renovat|foundation|\bgut|mold|damage|cosmetic|\bdated|tlc|updated|upgraded"
    r"|livable|teardown|plumbing|electrical|wrecked|trashed|destroyed|wear and tear"
    r"|leak|tired|worn|perfect|fixer|rough|love|minor|major"
)
_PART = (
    r"(?:roof|roofs|foundation|foundations|fondation|foundaton|fundation|slab"
    r"|plumbing|electrical|electric|wiring"
    r"|hvac|ac|a c|furnace|sewer|septic|water heater|walls?|structure|framing"
    r"|subfloor|floor joists|pipes?|main line|chimney|beams?)"
)
_TROUBLE = (
    r"(?:leaks?|leaking|leaky|shot|bad|cracked|cracks?|cracking|issues|problems"
    r"|damaged?|caving|broken|rotted|rotten|rotting|gone|failing|sagging|shifting"
    r"|sinking|needs? (?:to be )?(?:replaced|replacing|redone|work|fixing|repair)"
    r"|collapsed|compromised|is done|went out|busted|original|dying|problems)"
)
_MAJOR = re.compile(
    rf"\b{_PART}\b(?:[ ,]+\w+){{0,3}}[ ,]+{_TROUBLE}\b|\b{_TROUBLE}(?: \w+){{0,3}}"
    rf" {_PART}\b|\bneeds?\s+(?:a\s+|an\s+)?(?:whole\s+|complete\s+|full\s+)?"
    rf"(?:new\s+)?{_PART}\b|\bfull repair\b|\bneeds?\s+everything\b"
    r"|\bfixer|\bgut(?:ted|ting)?\b|\btear ?down\b|\ba (?:lot|ton) of (?:work"
    r"|repairs)|\balot of work|\blots of work|\btons of work|\bmajor (?:work"
    r"|repairs|issues|problems)\b|\bneeds? (?:a new )?everything\b"
    r"|\bmold\b|\bfire\b|\bflood(?:ed|ing)?\b|\bwater damage|\btermites?\b"
    r"|\bstructural|\buninhabitable|\bcondemned|\bnot livable\b|\bunlivable"
    r"|\bwouldnt live in it\b|\brough shape\b|\bbad shape\b|\bits rough\b|\bfalling"
    r" apart|\bhoarder|\brehab\b|\bfull (?:remodel|rehab|renovation|cleanout)"
    r"|\bcomplete remodel|\bholes in (?:the )?walls\b"
    r"|\bcaving\b|\bits bad\b|\brotted\b|\bdoors wont close\b"
    r"|\bneeds a lot\b|\bhasnt been touched since\b|\b(?:a |total |complete )?"
    r"(?:disaster|wreck|money pit|dump)\b"
)
_MINOR = re.compile(
    r"\bpaint|\bcarpet|\bcosmetic|\bdated\b|\boutdated|\btired\b(?! of)|\bworn\b"
    r"|\bwear and"
    r" tear\b|\btouch ?ups?\b|\bsmall (?:things|stuff|repairs|fixes)\b|\blittle"
    r" (?:work|things|stuff|love)\b|\bsome (?:work|love|tlc|updating|repairs"
    r"|cleanup|clean up)\b|\bbit of work\b|\bneeds? (?:some )?love\b|\btlc\b"
    r"|\bminor\b|\bneeds? (?:some )?updat|\bneeds? to be updated|\bcould use (?:some )?"
    r"(?:updat|work|love|paint)|\boriginal (?:kitchen|bath|bathrooms?|\d+s|everything"
    r"|cabinets|counters)\b|\bkitchen is original\b|\bflooring\b|\bfloors are worn"
    r"|\bresurfac|\bdrywall\b|\bdripping\b|\bfaucet\b|\blandscaping\b|\byard (?:is a"
    r" mess|needs)|\bneeds? (?:some |a little )?work\b|\bfew (?:small )?(?:things"
    r"|repairs)\b|\bhandyman\b|\bcleanup\b|\bpintura\b|\bnecesita\b|\bfixtures\b"
    r"|\b(?:kitchen|bath\w*|cabinets|counters|floors|carpets?) (?:is|are) (?:all )?"
    r"original\b|\b(?:ok|okay|decent|fair|average) (?:condition|shape)\b"
    r"|\bneeds? replacing\b|\bneed updating\b|\bneeds?\s+(?:a\s+)?(?:new\s+)?(?:kitchen"
    r"|bathrooms?|baths?|appliances|cabinets|countertops|counters|windows|floors"
    r"|flooring|carpets?|fence|garage door|doors|water heater|fixtures)\b"
)
_READY = re.compile(
    r"\bmov(?:e|ing)[ -]?in[ -]?re?a?dy\b|\bready to move in\b|\bturn ?key\b"
    r"|\b(?:its|is|fully|completely|all|recently|newly|totally|been|was|everything)"
    r"(?: else)? updated\b|\bupdated (?:kitchen|bath\w*|floors|everything|throughout"
    r"|inside)\b"
    r"|^ updated\W*$|\bremodel(?:l)?ed\b|\brenovated\b|\bredid\b|\bredone\b|\blike new"
    r"|\bgreat (?:shape|condition)|\bgood (?:shape|condition)|\bexcellent (?:shape"
    r"|condition)|\bperfect (?:shape|condition)|\bmint\b|\bpristine\b|\bwell"
    r" (?:maintained|kept)|\bkept it up\b|\bupgraded\b|\bbeautiful\b|\bimmaculate"
    r"|\bspotless\b|\bfresh(?:ly)? paint(?:ed)?\b|\bnew construction\b|\bbuilt in"
    r" 20(?:1[5-9]|2\d)\b|\bonly \d+ (?:yrs|years) old\b|\bno (?:work|repairs)"
    r" needed\b|\b(?:doesnt|does not|dont|wont) need (?:any(?:thing)?|work|repairs)"
    r"|\bnothing (?:needs|needed|to fix)\b|\bcould move in (?:tomorrow|today|now)"
    r"|\btodo nuevo\b|\bits perfect\b|\bis perfect\b|\bno issues\b"
    r"|\b(?:brand )?new everything\b|\b(?:just )?flipped\b"
    r"|\b(?:new|newer|brand new|replaced the|just replaced|redid the|updated the"
    r"|fixed the|already fixed) (?:\w+ )?" + _PART + r"|\bno work\b"
)
#: A part named fine, done or fixed: no trouble.
_PART_FINE = re.compile(
    rf"\b{_PART}s?\b(?: \w+){{0,2}} (?:is |are |was |were |s )?(?:fine|good|solid|ok"
    r"|okay|great|new|newer|done|replaced|fixed|redone|updated|\d+ (?:yrs|years)"
    r" old)\b|\b(?:new|newer|brand new|replaced|fixed|redid|redone|updated|already"
    rf" fixed)(?: the)? (?:\w+ )?{_PART}\b"
)
#: Severity or a fixer denied: "nothing serious", "not a fixer".
_NOT_MAJOR = re.compile(
    r"\b(?:nothing|no|not|nothin|none|isnt|arent|without|never had|no real|not a"
    r"|wouldnt call it a|wouldnt say|not really a)(?: \w+)? (?:serious|major|big|huge"
    r"|structural|crazy|too bad|bad|significant|expensive|fixer|teardown)"
    r"(?: (?:repairs|issues|problems|work|wrong|stuff|things|either))?\b"
    r"|\bcosmetic fixer\b|\b(?:dont|do not|not) (?:\w+ ){0,4}expect\w* a fixer\b"
)
#: Trouble denied outright: no reading of its own.
_NO_TROUBLE = re.compile(
    r"\bno (?:problems|issues|leaks|damage)\b(?: (?:with|in) (?:the )?\w+)?"
)
_NOT_READY = re.compile(
    r"\b(?:not|isnt|wasnt|not really|wouldnt say) (?:\w+ )?(?:move[ -]?in[ -]?ready"
    r"|turn ?key|updated|ready)\b"
)
#: "needs a new roof" asks for the work: it is not a new roof.
_NEEDS_NEW = re.compile(
    r"\b(?:needs?|needing|need to (?:get|put in)|could use|will need|requires?)"
    r" (?:a |an |all )?(?:whole |complete |brand )?(?:new|newer|replacement"
    r"|replacing)\b"
)
#: Damage told as a story (by tenants, a storm): condition news, but at the
#: motivation question the reason, not an answer about the house.
_DAMAGED = re.compile(r"\b(?:destroyed|wrecked|trashed)\b")
_DISAGREES = re.compile(r"\b(?:thinks|says)\b.*\bi dont\b")
_BARE_READY = re.compile(
    r"^ (?:ready|its ready|ready to go|all good|good|great|perfect|excellent|solid"
    r"|its fine|fine|its good to go|good to go"
    r"|nice|its nice"
    r"|its good|its great|pretty good|very good)\W*$"
)


def find_condition(
    text: str, *, asking: Slot | None
) -> tuple[Condition, tuple[int, int]] | None:
    """The condition `text` (normalized) describes, and where."""
    if _DISAGREES.search(text):
        return None
    text = _NEEDS_NEW.sub(lambda m: "needs" + " " * (len(m.group(0)) - 5), text)
    minor_spans = _spans(_NOT_MAJOR, text) + _spans(_NOT_READY, text)
    fine = _spans(_PART_FINE, text)
    cleared = _blank(text, minor_spans + fine)
    found: tuple[Condition, re.Match[str] | None] | None = None
    if major := _MAJOR.search(_blank(cleared, _spans(_NO_TROUBLE, text))):
        found = Condition.MAJOR_REPAIRS, major
    elif asking is not Slot.MOTIVATION and (damage := _DAMAGED.search(cleared)):
        found = Condition.MAJOR_REPAIRS, damage
    elif minor := _MINOR.search(_blank(cleared, _spans(_READY, cleared, paint=True))):
        found = Condition.MINOR_REPAIRS, minor
    elif ready := _READY.search(cleared):
        found = Condition.MOVE_IN_READY, ready
    elif minor_spans:
        return Condition.MINOR_REPAIRS, minor_spans[0]
    elif fine:
        return Condition.MOVE_IN_READY, fine[0]
    elif asking is Slot.CONDITION:
        found = Condition.MOVE_IN_READY, _BARE_READY.match(text)
    if found is None or found[1] is None:
        return None
    return found[0], (found[1].start(), found[1].end())


def _spans(
    pattern: re.Pattern[str], text: str, *, paint: bool = False
) -> list[tuple[int, int]]:
    """Where `pattern` matches (only "fresh paint" and the like with `paint`)."""
    return [
        (m.start(), m.end())
        for m in pattern.finditer(text)
        if not paint or "paint" in m.group(0)
    ]


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with each span turned to spaces, so positions stay where they were."""
    for start, end in spans:
        text = text[:start] + " " * (end - start) + text[end:]
    return text
