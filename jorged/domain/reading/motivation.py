"""Reading why a seller sells out of a text (SPEC 1.3).

The motivations are tried from the most specific to the most general, and the
first whose words appear wins: foreclosure ("behind on payments") before
financial distress ("money got tight"), an inheritance ("dad passed and left us
the house") before anything else, a new job elsewhere before a job loss ("laid off
here but found a job in texas" is relocation), caring for family before illness
("my mom is sick, moving to riverside to take care of her" is family), health
needs and retirement before a plain move ("retiring to arizona" is retirement),
and a plain move ("moving to texas") or curiosity last.

Some words count only where they are a reason to sell: an illness ("I've been
sick") at the motivation question or with what it asks of a house ("need a single
story"); tenants only with a landlord's trouble ("tenants trashed it"); curiosity
only as a reason ("just curious what it's worth", not "who knows what it's
worth"). A spouse's death is no inheritance. Things long past ("my divorce was
15 years ago"), negated ("not for work") or taken back ("I said downsizing but
really ...") are not read.

`Motivation.OTHER` is a stated reason that fits none of these ("the HOA is
insane, we want out"), read only at the motivation question; a shrug, a refusal,
a question or small talk is no motivation at all.

The texts read here are normalized copies (`text.Text.norm`).
"""

from __future__ import annotations

import re

from jorged.domain.conversation.state import Motivation, Slot

__all__ = ["find_motivation", "is_reason"]

_KIN = (
    r"(?:mom|moms|mother|mothers|dad|dads|father|fathers|parents?|grandma|grandmas"
    r"|grandmother|grandpa|grandpas|grandfather|grandparents?|aunt|aunts|uncle"
    r"|uncles|brother|brothers|sister|sisters|papa|mama|madre|padre|abuela|abuelo"
    r"|tia|tio|in laws?|father in law|mother in law|stepdad|stepmom|pops)"
)
_SPOUSE = r"(?:husband|wife|spouse|partner|hubby|wifey)"
_DEATH = r"(?:passed away|passed on|passed|died|fallecio|murio|is gone|are gone)"
_JOB = (
    r"(?:job|new job|job offer|offer|position|new position|transfer|promotion|work"
    r"|residency|program|contract|gig|assignment)"
)
#: A parent's death without the house named: a reason where asked, else news.
_KIN_DIED = re.compile(rf"\b{_KIN}\b(?: \w+){{0,3}} {_DEATH}")
#: Trouble with tenants: a landlord's reason where asked, else the condition.
_TENANT_TROUBLE = re.compile(
    r"\btenants? (?:never pay|dont pay|pay late|are late|trashed|destroyed|wrecked"
    r"|hasnt paid|havent paid|wont pay"
    r"|stopped paying|keep|are a|is a|nightmare|from hell)"
)
#: An illness: a reason at the motivation question, news at another.
_ILLNESS = re.compile(
    r"\b(?:cancer|chemo|diagnos\w*|stroke|heart attack|heart surgery|dementia"
    r"|alzheimers|parkinsons|dialysis|terminal|hospice|surgery|disabled"
    r"|disability|illness|sick|health|medical|copd)\b"
)
_ASKED_ONLY = (_ILLNESS, _KIN_DIED, _TENANT_TROUBLE)
_RULES: tuple[tuple[Motivation, re.Pattern[str]], ...] = (
    (
        Motivation.FORECLOSURE,
        re.compile(
            r"\bforeclos|notice of default|\bnod\b|bank is taking|auction|short sale"
            r"|trustee sale|behind on (?:the |my |our |house |mortgage )*(?:payments?"
            r"|mortgage|loan)|(?:payments?|months?) behind|fell behind|falling behind"
            r"|missed (?:\w+ )?(?:payments|mortgage)|stop(?:ped)? (?:making|paying)"
            r" (?:the )?(?:payments|mortgage)|default(?:ed)? on"
        ),
    ),
    (
        Motivation.INHERITED,
        re.compile(
            rf"\binherit|\bprobate\b|\bestate (?:of|sale)|(?:handling|settling|executor"
            rf" of) (?:the |his |her )?estate|\bexecutor\b|\blate {_KIN}\b"
            rf"|\b{_DEATH}\b.*\b(?:left|leaving)"
            r" (?:it|me|us|the house|the home|her house|his house|the place)\b"
            r"|\bleft (?:it|the house|the home|her house|his house|the place) to"
            r" (?:me|us)|\b(?:house|home|place) went to (?:me|us)|\b(?:left|leaving)"
            r" (?:me|us) (?:the|her|his) (?:house|home|place)|\bleft to (?:me|us)"
            rf"|\bin a trust\b|\bit was (?:my |our )?{_KIN}s? (?:house|home|place)"
            rf"|\bwas (?:his|hers)\b|\b{_KIN}\b(?: \w+){{0,5}} {_DEATH}\b.*\b(?:house"
            rf"|home|place)\b"
        ),
    ),
    (Motivation.INHERITED, _KIN_DIED),
    (
        Motivation.DIVORCE,
        re.compile(
            rf"\bdivorc|\bdevorce|\bseparat(?:ed|ing|ion)\b|\bsplitting up\b|\bsplit"
            rf" up\b|\bbreaking up\b|\bmy ex\b|\bex (?:wife|husband)\b|\b{_SPOUSE}"
            r" (?:left|walked out|moved out)\b"
        ),
    ),
    (
        Motivation.HEALTH,
        re.compile(
            r"\b(?:(?:cant|can not|cannot|hard to|struggle to|unable to) (?:do|climb"
            r"|handle|manage|get up|walk up) (?:the )?stairs|too many stairs|stairs are"
            r" too much|drier climate|warmer"
            r" climate|doctor (?:says|said|wants|told)|my knees|bad knees|knees are"
            r"|my back|bad back|my hips?|mobility|wheelchair|walker|assisted living"
            r"|nursing home|memory care|health reasons|my health|health (?:issues"
            r"|problems|is)|medical reasons)\b"
        ),
    ),
    (
        Motivation.FAMILY,
        re.compile(
            rf"\b(?:take care of|taking care of|care for|caring for|help (?:out )?with)"
            rf" (?:my |our )?(?:{_KIN}|her|him|them|family)\b|\b{_KIN} need"
            r" (?:help|us|care)\b|\bmoving in with\b|\blive with (?:my|our)\b"
        ),
    ),
    (
        Motivation.RELOCATION,
        re.compile(
            rf"\brelocat|\btransfer(?:red|ring)?\b|\b(?:got|found|took|accepted|have"
            rf"|starting|start|new|landed) (?:a |an |the )?{_JOB}\b(?= (?:in|at|with"
            r"|out|offer|over|there|across|back|up|down|\w+ in)\b)|\bjob offer\b"
            r"|\b(?:new|another) (?:job|position)\b|\bmilitary\b|\bpcs\b|\bstationed"
            r"|\b(?:military )?orders\b|\bwork is (?:sending|moving)"
            r"|(?:company|work|employer|job) (?:is )?(?:moving|sending|relocat)"
            r"|\b(?:for|because of) (?:my |our |his |her |the )?(?:\w+s )?(?:work|job"
            r"|career)\b|\bresidency\b"
        ),
    ),
    (
        Motivation.FINANCIAL_DISTRESS,
        re.compile(
            r"\b(?:cant|can not|cannot|couldnt|unable to) (?:afford|make|pay|keep up"
            r"(?! with (?:the |a )?(?:house|yard|upkeep|maintenance|place|stairs)))"
            r"|\bafford\b|\bbills\b|\bdebt|\blost (?:my|his|her|our) (?:job"
            r"|jobs|work|income)|\blaid off|\blayoffs?\b|\bfired(?! up)|\blet go\b"
            r"|\bunemploy|\bout of work\b|\bshut down\b|\bfinancial|\bmoney"
            r" (?:problems|issues|is tight|got tight|s tight)|\bmoneys tight\b"
            r"|\bbankrupt|\bneed (?:the )?(?:cash|money|equity)\b"
            r"|\bpull (?:the )?equity"
            r"|\btight on money|\bpayments? (?:are|is) too high|\bpayment (?:doubled"
            r"|went up|jumped)|\bhours (?:got )?cut\b|\bmedical bills\b|\barm adjust"
            r"|\b(?:taxes|insurance) (?:went|are|is) (?:up|crazy|insane|through)"
            r"|\bcant swing it\b|\b(?:mortgage|payment|rate) (?:went|shot|jumped) up\b"
        ),
    ),
    (Motivation.HEALTH, _ILLNESS),
    (Motivation.RETIREMENT, re.compile(r"\bretir")),
    (
        Motivation.TIRED_LANDLORD,
        re.compile(
            r"\blandlord|\brental (?:property|house|home|unit|in)\b"
            r"|\bmanag(?:e|ing) (?:the|my|our|a) rental"
            r"|\bselling the rental"
            r"|\bit(?:s| is)? a rental\b|\bas a rental\b|\bhave a rental\b|\brenting it"
            r" out\b|\bproperty (?:mgmt|management)\b|\btired of (?:the )?tenants\b"
            r"|\bdealing with (?:the )?tenants\b|\bsection 8\b|\binvestment property\b"
            r"|\b(?:tired|sick|done|fed up|over|through|finished) (?:of|with) (?:the "
            r"|my"
            r" |our |these |bad |problem |deadbeat )?(?:tenants?|renters?|being a"
            r" landlord|landlording|renting(?: it)?(?: out)?)\b"
        ),
    ),
    (Motivation.TIRED_LANDLORD, _TENANT_TROUBLE),
    (
        Motivation.DOWNSIZING,
        re.compile(
            r"\bdownsiz|\btoo (?:big|large|much house|much space)\b|\bsmaller\b"
            r"|\bempty nest|\bkids (?:are )?(?:grown|moved out|gone|left|moved)\b"
            r"|\blast kid moved out\b|\bjust me now\b|\brattling around\b|\bdont need"
            r" (?:\w+ )?(?:\d+|a \d|all (?:this|the)|that many|so many) (?:bedrooms?"
            r"|bed|space|rooms)|\b55 ?\+? (?:community|plus)|\bless (?:house|space"
            r"|upkeep)\b|\bthe yard is too much\b|\btoo much (?:work|upkeep|yard)\b"
        ),
    ),
    (
        Motivation.UPSIZING,
        re.compile(
            r"\bupsiz|\bbigger\b|\bmore (?:room|space|bedrooms)\b|\bgrowing family\b"
            r"|\bfamily is growing\b|\bgrowing out of\b|\boutgr[eo]w|\bbaby\b"
            r"|\b(?:were|we are|im|i am|wife is|shes|she is) expecting\b"
            r"|\bexpecting (?:a"
            r" baby|twins|our|another|baby)\b|\btwins\b|\btoo small\b|\bcramming\b"
            r"|\bisnt cutting it\b"
            r"|\bfamily of \d+ in\b|\bmore (?:land|acreage|property|yard)\b|\bbigger"
            r" (?:lot|yard)\b"
        ),
    ),
    (
        Motivation.FAMILY,
        re.compile(
            rf"\b(?:closer|near|nearer|be with|live near|close) (?:to )?(?:my |our |the"
            rf" |his |her |their )?(?:family|kids|grandkids|grandchildren|daughter|son"
            rf"|{_KIN}|them)"
            r"|\b(?:need|want|have) to be (?:closer|near)\b|\bfamily reasons\b"
            r"|\bfamily (?:is|lives) (?:in|out|back)\b|\bfamily"
            r" (?:situation|matters|stuff)\b|\bwant to be with them\b"
        ),
    ),
    (
        Motivation.RELOCATION,
        re.compile(
            r"\bmov(?:e|ing) (?:back |out |up |down |over )?to\b|\bmoving (?:out of"
            r"|back|across|home)\b|\bout of state\b|\bgoing back to\b"
            r"|\bheading (?:to|out)\b|\bnos vamos\b|\bwant out of (?:ca|california)\b"
            r"|\bmove (?:to|out of)\b"
        ),
    ),
    (
        Motivation.CURIOUS,
        re.compile(
            r"\bcurious\b|\btesting the market\b|\btest the market\b|\bjust (?:seeing"
            r"|looking|checking|exploring|wondering)\b|\bwhats out there\b|\bsee what"
            r" (?:it|i|we) (?:could|can|would|might) get\b|\b(?:want|like|wanted) (?:to"
            r" )?know(?:ing)? (?:the|its|what its|what it is|my) (?:value|worth|number)"
            r"|\bright price\b|\bjust want the value\b|\bonly (?:sell|selling) (?:for"
            r"|if)"
            r"|\bkeep(?:ing)? an eye on\b|\bjust (?:want|wanted|wanna) (?:to )?know\b"
        ),
    ),
)
#: "sick of tenants" is a landlord's reason, not an illness (read as "done of").
_SICK_OF_RENTING = re.compile(
    r"\bsick of (?=(?:the |my |our |these |bad )?(?:tenants?|renters?|being a landlord"
    r"|landlording|renting)\b)"
)
#: Words that look like a motivation's but are not: "my phone died", "sick of".
_NOT_A_REASON = re.compile(
    r"\b(?:phone died|battery died|sick of|sick and tired|dead end|market value"
    r"|my landlord|our landlord"
    r"|home value tool|value tool|real estate|estate (?:agent|attorney)|fired up"
    r"|the (?:baby|kids) (?:room|bedroom)|tenants? (?:moved|moving) out \d"
    r"|find a rental|rent back|rental (?:first|for us|until)|who knows what its"
    r" worth|what (?:its|it is|the house is) worth\?|(?:\w+ )?estate in\b"
    r"|move in (?:ready|tomorrow|today|now|condition)|(?:\w+ ){0,3}\d+ (?:years?"
    r"|months?) ago)"
)
#: Taken back or negated: "not for work", "I said downsizing but really".
_NOT_THIS = re.compile(
    r"\bnot (?:just |really |because of |for )?(?:\w+ing|relocation|work|divorce"
    r"|money|fun|the money|financial)\b(?: for \w+)?|\bi said \w+(?: \w+)? but\b"
)
_LONG_AGO = re.compile(
    r"\b(?:divorce|separation|\w+ died|\w+ passed)(?: was| happened)? (?:1\d|[2-9]\d"
    r"|many|so many) years ago\b"
)
#: A stated reason of some kind: what `other` needs besides fitting no motivation.
_REASON = re.compile(
    r"\b(?:want out|get out|out of (?:this|the) hoa|change of|tired of|sick of|done"
    r" with|over it|cant (?:stand|handle|take)|getting (?:married|older)|too far"
    r"|commute|neighborhood|neighbors|schools?|traffic|travel|new chapter|fresh start"
    r"|cash out|invest|buy (?:a|another|land)|build|van life|\brv\b|hoa|noise"
    r"|crime|unbearable|insane|awful|killing me|dying to|roosters?|freeway|gone"
    r" downhill|boat|a change|something new|new adventure|ready for)\b"
)
_NOT_REASON = re.compile(
    r"\b(?:idk|i dont know|dont know|not sure|no idea|rather not|personal|get into"
    r"|long story|complicated|none of your|let me think|think about it|havent decided"
    r"|lots of reasons|a lot of things|explain (?:when|later|on)|ask (?:her|him|my)"
    r"|hi|hello|hey|thanks|thank you|good morning)\b"
)


def find_motivation(
    text: str, *, asking: Slot | None
) -> tuple[Motivation, tuple[int, int]] | None:
    """The motivation `text` (normalized) states and where, the more specific first."""
    text = _SICK_OF_RENTING.sub(lambda m: "done" + m.group(0)[4:], text)
    text = _blank(_NOT_A_REASON, text)
    text = _blank(_LONG_AGO, text)
    text = _blank(_NOT_THIS, text)
    asked = asking in {Slot.MOTIVATION, None}
    for motivation, pattern in _RULES:
        m = pattern.search(text)
        if m is None:
            continue
        if pattern in _ASKED_ONLY and not asked:
            continue  # an illness at another question is news, not a reason
        return motivation, (m.start(), m.end())
    return None


def is_reason(text: str) -> bool:
    """A plain statement of a reason to sell, not a shrug, refusal or question."""
    words = re.findall(r"[a-z]+", text)
    return (
        len(words) >= 2 and not _NOT_REASON.search(text) and bool(_REASON.search(text))
    )


def _blank(pattern: re.Pattern[str], text: str) -> str:
    return pattern.sub(lambda m: " " * len(m.group(0)), text)
