"""Consent acts: opt-out, opt-out unsure, opt-in and HELP (SPEC 1.4).

Opt-out is read in three ways, and any of them is enough:

- **A keyword** (STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE, OPT OUT,
  OPTOUT, and the Spanish ALTO, PARA, BAJA, CANCELAR) that is the whole message,
  or starts it while the rest keeps that meaning ("Stop sending these", "CANCEL
  pls", "STOP. Not interested"). A keyword followed by words that give it another
  meaning is not one ("Quit my job last week", "End of June works", "stop by
  anytime"); a keyword followed by words that neither keep nor change its meaning
  is unsure.
- **A plain revocation in any words**, anywhere in the message: asking to stop or
  not to be texted ("pls stop", "ok you can quit messaging me", "don't text me"),
  to be left alone or removed ("leave me alone", "delete my info", "lose this
  number", "I want off this list"), a wrong number, a profane dismissal, or the
  same in Spanish ("no me escriba", "déjeme en paz"). A revocation said to be not
  meant ("you don't have to stop texting, I'm interested") is not one.
- **Unsure**: words that may revoke consent but may not ("make it stop",
  "enough", "I'll report this") give `opt_out_unsure`: the conversation waits for
  Jorge.
"""

from __future__ import annotations

import re

from jorged.domain.reading.acts import Act, ActKind
from jorged.domain.reading.text import Text

__all__ = ["read_consent"]

_KEYWORDS = r"stop|stopall|unsubscribe|unsub|cancel|end|quit|revoke|optout|opt out"
_ES_KEYWORDS = r"alto|para|baja|cancelar|parar|basta"
#: Words that may follow a keyword without changing it ("STOP pls", "quit it now").
_FILLER = (
    r"please|now|right now|thanks|thank you|thx|all|it|this|that|ok|okay|already"
    r"|asap|immediately|lol|seriously|yes|yeah|now please|man|dude|bro|sir|maam"
    r"|again|for real|fr|forever|permanently|ya|ya no|por favor|porfa|ahora|gracias"
    r"|texts?|messages?|texting|messaging|stop|now thanks|and|me|the texts"
    r"|these texts|these messages|thanks bye|bye|jorge|jesus|god|omg|pronto"
)
_ONLY_KEYWORD = re.compile(
    rf"^ (?:(?:{_KEYWORDS}|{_ES_KEYWORDS}) )+(?:(?:{_FILLER}) )*$"
)
_STARTS_KEYWORD = re.compile(rf"^ (?P<kw>{_KEYWORDS}|{_ES_KEYWORDS})\b(?P<rest>.*)$")
#: After a leading keyword: the rest keeps the keyword's meaning.
_KEEPS = re.compile(
    r"^ (?:(?:please|pls|just|now|all|the|these|your|ur|with|it|this|that|fucking"
    r"|freaking|effing|damn|f+ing|already|immediately) )*"
    r"(?:sending|send|texting|text|texts|messaging|messages?|contacting|contact"
    r"|calling|call|bothering|bother|spamming|spam|harassing|harass|hitting me up"
    r"|blowing up|reaching out|emailing|with the|it|this|that|now|all|me|my number"
    r"|us|asap|immediately|please|pls|bugging|pestering|hounding|subscription"
    r"|subscribe|de (?:mandar|enviar|escribir)|mensajes|los mensajes|por favor"
    r"|ya|no me|not interested|wrong number|remove|unsubscribe|leave|dont|do not"
    r"|i (?:dont|do not|am not|m not)|im not|no (?:thanks|thank you|more|longer)"
    r"|go away|get lost|fuck|f off|nobody|no one|ok|okay|lol|seriously)\b"
)
#: After a leading keyword: words that give it another meaning.
_CHANGES = re.compile(
    r"^ (?:by|in|over|at|on|up|of|off|the (?:bleeding|leak|water|noise|car|sale)"
    r"|my (?:job|work|meds|lease|plans|listing|contract|appointment)|our "
    r"|his |her |their |smoking|drinking|drugs|playing|worrying|stressing|it with"
    r"|date|result|goal|sign|light|watch|loss|time|before|after|until|when|unless"
    r"|if |mi |el |la |los |las |que |el |ser |mi casa|vender|tener|comprar|poder"
    r"|la casa|nosotros|mi familia|junio|julio|agosto|enero|the month|the year"
    r"|the week|this month|this year|of the|escrow|the listing|the contract"
    r"|the appointment|the showing|the deal|my subscription to)"
)
_SENTENCE_AFTER_KEYWORD = re.compile(rf"^\W*(?:{_KEYWORDS}|{_ES_KEYWORDS})\s*[.!,;\n]")

_CONTACT_VERB = (
    r"text|texting|texts|message|messages|messaging|contact|contacting|call"
    r"|calling|email|emailing|bother|bothering|harass|harassing|spam|spamming"
    r"|hit me up|hitting me up|reach out|reaching out|sms|hound|hounding|pester"
    r"|pestering|bug|bugging|send|sending|blow up|blowing up|write|writing|ping"
    r"|pinging|solicit|soliciting|hassle|hassling"
)
_REVOCATIONS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p)
    for p in (
        # stop / quit / no more + contacting
        (
            rf"\b(?:stop|quit|cease|end|enough|done with|no more|knock off|lay off)"
            rf"(?: \w+){{0,2}} (?:{_CONTACT_VERB})\b"
        ),
        (
            r"\b(?:stop|quit|enough|done) (?:with )?(?:the|these|your|all the"
            r"|all these)"
            r" (?:texts|messages|spam|calls|robo ?texts)\b"
        ),
        # don't text me
        (
            rf"\b(?:dont|do not|never|dont ever|do not ever|never ever|please dont"
            rf"|please do not) (?:\w+ )?(?:{_CONTACT_VERB})"
            r"(?: (?:me|us|this number|my number|this phone|my phone|here))"
        ),
        rf"\b(?:dont|do not|never) (?:{_CONTACT_VERB}) (?:\w+ )?(?:again|anymore|ever)",
        r"\b(?:never|dont|do not) (?:want to )?hear from (?:you|u|yall|your)",
        # leave me alone, go away, profane dismissals
        r"\bleave (?:me|us) (?:alone|be|the fuck alone|tf alone)",
        (
            r"\b(?:go away|get lost|buzz off|back off|bug off|kick rocks|take a hike"
            r"|get a life|beat it|scram|go pound sand|pound sand|drop dead)\b"
        ),
        r"\b(?:fuck|f|frick|freak|screw|piss|bugger|sod|fk|fck|fuk) (?:off|away)\b",
        r"\b(?:fuck|fuk|fck|screw) (?:you|u|yourself|yall|this|off|that|outta here)\b",
        (
            r"\b(?:go to hell|go fuck yourself|go f yourself|eat (?:shit|dirt)|stfu"
            r"|gtfo"
            r"|shut up|shut the fuck up|get the fuck|get tf|bite me|suck my|blow me"
            r"|up yours|piss off|pound salt)\b"
        ),
        # remove, delete, lose the number
        (
            r"\b(?:remove|delete|erase|take|drop|scrub|purge|strike) (?:me|us"
            r"|my (?:info"
            r"|information|number|name|data|details|contact|phone|cell)|this number"
            r"|this phone|me and my number)\b"
        ),
        (
            r"\b(?:lose|forget|delete|erase|burn|toss|trash) (?:my|this|the) (?:number"
            r"|info|contact|digits)\b"
        ),
        (
            r"\b(?:want|wanna|put me|get me|take me|i need to be|need to be|be taken)"
            r" off (?:this|your|the|ur|of|of this|of your|of the) ?(?:\w+ )?(?:list"
            r"|texts|contact list|texting list)\b"
        ),
        r"\boff (?:your|this|the|ur) (?:mailing |text |texting |contact |call )?list\b",
        r"\b(?:unsubscribe|unsub|opt me out|opt out|optout|revoke|revoking)\b",
        r"\b(?:do not|dont|no) (?:call|contact|text|solicit) list\b|\bdnc\b",
        # not wanted
        (
            r"\b(?:i dont|i do not|dont|do not) want (?:any |these |your |this |more "
            r"|to (?:get|receive|be (?:texted|contacted|messaged)))(?:\w+ ){0,2}"
            r"(?:texts|messages|calls|text messages|spam|solicitations|contacted"
            r"|texted)\b"
        ),
        (
            r"\b(?:no|dont send|do not send|dont want) (?:any )?more (?:texts|messages"
            r"|calls|contact)\b"
        ),
        (
            r"\b(?:not interested in|sick of|tired of|done with) (?:your|these|the"
            r"|this)"
            r" (?:texts|messages|spam|calls|harassment)\b"
        ),
        r"\b(?:blocking|blocked|block) (?:you|u|this number|your number|this|ur)\b",
        (
            r"\b(?:report|reporting|reported) (?:you|u|this|your number|this number)"
            r"(?: \w+){0,2} (?:spam|harassment|ftc|fcc|attorney general)\b"
        ),
        # wrong number
        r"\bwrong (?:number|person|num|guy|lady|house|phone|contact|name|owner|dude)\b",
        r"\bwrong #",
        r"\b(?:you|u) (?:have|got|must have|texted|reached|texting) (?:the )?wrong\b",
        r"\b(?:no one|nobody|noone) (?:here )?(?:by|named|with) that name\b",
        (
            r"\b(?:i dont|i do not|dont|never) (?:know|heard of) (?:a |any )?(?:\w+ )?"
            r"(?:who (?:that|this) is|anyone named|anybody named|that person)\b"
        ),
        r"\bthis is(?:nt| not) \w+s? (?:phone|number|cell)\b",
        (
            r"\b(?:i dont|i do not|dont) own (?:a |any |that |this )?(?:house|home"
            r"|property)\b(?!.*\b(?:rent|renting)\b)"
        ),
        # Spanish
        (
            r"\bno me (?:escriba|escribas|escriban|mande|mandes|manden|envie|envies"
            r"|envien|llame|llames|llamen|contacte|contactes|contacten|moleste"
            r"|molestes|molesten|vuelva|vuelvas|vuelvan)\b"
        ),
        (
            r"\b(?:deja|dejame|dejeme|dejenme|dejen|deje) (?:en paz|de (?:escribir"
            r"|mandar|enviar|molestar|llamar))\b"
        ),
        (
            r"\b(?:borr|elimin|quit|sac)(?:a|e|en|ame|eme|enme) (?:mi (?:numero|numbero"
            r"|informacion|info)|mis datos|de (?:la|su|tu) lista)\b"
        ),
        (
            r"\b(?:numero equivocado|equivocado de numero|se equivoco de numero"
            r"|equivocada|equivocado)\b"
        ),
        (
            r"\b(?:ya no|no) (?:quiero|deseo) (?:(?:mas|recibir|sus|tus) )*(?:mensajes"
            r"|textos|llamadas)\b"
        ),
        r"\b(?:dar|darme|denme|deme) de baja\b|\bde baja\b",
        r"\bno mas (?:mensajes|textos)\b",
    )
)
#: A revocation said not to be meant: "you don't have to stop texting".
_NOT_MEANT = re.compile(
    r"(?:\b(?:not saying|never said|didnt say|did not say|dont have to|dont need to"
    r"|do not have to|no need to|no reason to|not asking you to|dont want you to"
    r"|do not want you to|not trying to|wasnt trying to)(?: \w+){0,2}"
    r"|\b(?:dont|do not|never|please dont|wont|cant|didnt|not)) $"
)
_POLITE_STOP = re.compile(
    r"\b(?:please|just|i said|seriously|can you|could you|will you|would you"
    r"|kindly|so|you need to|u need to|you can|ok|okay|now|i asked you to|told you to"
    r"|again|yes|plz|pls|ugh|omg|bro|dude|man|lol)"
    r" (?P<kw>stop|quit|unsubscribe|cancel)(?! by| in| over| at| the| my| our"
    r"| his| her| worrying| stressing)\b"
)
_TRAILING_STOP = re.compile(
    r"(?:[.!?,;:\n]|\bnot interested|\bno thanks|\bno thank you|\bim good"
    r"|\bno)\s*(?P<kw>stop|unsubscribe|quit|cancel|alto|baja)\W*$"
)
_UNSURE = re.compile(
    r"\b(?:make it stop|enough already|enough|this is harassment|harassing me"
    r"|harassment|(?:ill|i will|gonna|going to) report|reporting|stop$|stop it"
    r"|stop please|whoever this is|dont bother|do not bother|not interested"
    r"|leave it|(?:im|i am|were|we are) done(?: with (?:you|this|these|it|yall))?"
    r"(?! \w)|quit it|cut it out"
    r"|knock it off|lay off)\b"
)
_OPT_IN = re.compile(
    r"^ (?:unstop|start|resume|subscribe|opt in|optin|resubscribe)"
    r"(?: (?:please|again|texting me|texting|messages|texts|back|now|ok|me|up))* $"
)
_HELP = re.compile(r"^ (?:help|info|ayuda|help me|info please|help please|more info) $")


def read_consent(text: Text) -> list[Act]:
    """The consent acts of a message: at most one of opt-out / unsure, opt-in, HELP."""
    norm = text.norm
    found = _opt_out(text)
    if found is not None:
        return [found]
    if m := _OPT_IN.match(norm):
        return [Act(kind=ActKind.OPT_IN, evidence=text.evidence_of(m))]
    if m := _HELP.match(norm):
        return [Act(kind=ActKind.HELP, evidence=text.evidence_of(m))]
    return []


def _opt_out(text: Text) -> Act | None:
    norm = text.norm
    if _ONLY_KEYWORD.match(" " + " ".join(re.findall(r"[a-z0-9]+", norm)) + " "):
        return _out(text, 0, len(norm), 1.0)
    keyword_first = _keyword_first(text)
    if keyword_first is not None and keyword_first.kind is ActKind.OPT_OUT:
        return keyword_first
    for pattern in _REVOCATIONS:
        for m in pattern.finditer(norm):
            if _NOT_MEANT.search(norm[: m.start()]):
                continue
            return _out(text, m.start(), m.end(), 0.95)
    for m in _POLITE_STOP.finditer(norm):
        if not _NOT_MEANT.search(norm[: m.start()]):
            return _out(text, m.start(), m.end(), 0.9)
    if trailing := _TRAILING_STOP.search(norm):
        return _out(text, trailing.start("kw"), trailing.end("kw"), 0.9)
    if keyword_first is not None:
        return keyword_first
    if unsure := _UNSURE.search(norm):
        return Act(
            kind=ActKind.OPT_OUT_UNSURE,
            evidence=text.evidence_of(unsure),
            confidence=0.5,
        )
    return None


def _keyword_first(text: Text) -> Act | None:
    """A leading keyword: opt-out when the rest keeps its meaning, else unsure/None."""
    m = _STARTS_KEYWORD.match(text.norm)
    if m is None:
        return None
    rest = " " + m.group("rest").strip() + " "
    if _SENTENCE_AFTER_KEYWORD.match(text.original) and m.group("kw") != "end":
        return _out(text, m.start("kw"), m.end("kw"), 0.95)
    if _CHANGES.match(rest):
        return None
    if _KEEPS.match(rest):
        return _out(text, m.start("kw"), m.end("rest"), 0.95)
    if m.group("kw") in {"end", "para"}:
        return None  # common words with other meanings; a plain revocation still counts
    return Act(
        kind=ActKind.OPT_OUT_UNSURE,
        evidence=text.evidence(m.start("kw"), m.end("kw")),
        confidence=0.5,
    )


def _out(text: Text, start: int, end: int, confidence: float) -> Act:
    return Act(
        kind=ActKind.OPT_OUT,
        evidence=text.evidence(start, end),
        confidence=confidence,
    )
