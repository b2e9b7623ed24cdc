"""Consent acts: opt-out, opt-out unsure, opt-in and HELP (SPEC 1.4).

Opt-out is read in three ways, and any of them is enough:

- **A keyword** (STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE, OPT OUT,
  OPTOUT, and the Spanish ALTO, PARA, BAJA, CANCELAR) that is the whole message,
  or starts it while the rest keeps that meaning ("Stop sending these", "CANCEL
  pls", "STOP. Not interested"). A keyword followed by words that give it another
  meaning is not one: a place or time ("stop by anytime", "End of June works"), a
  thing of the seller's ("Quit my job", "cancel my 3pm"), an activity ("quit
  worrying", "stop asking about price"), a keyword asked about ("Unsubscribe
  link? nah") or taken back ("cancel that idea"). A keyword followed by words that
  neither keep nor change its meaning is unsure.
- **A plain revocation in any words**, anywhere in the message: asking to stop or
  not to be texted ("pls stop", "ok you can quit messaging me", "I'd appreciate it
  if you didn't text me anymore"), to be left alone or removed ("leave me alone",
  "delete my info", "lose this number", "I want off this list"), withdrawing
  consent, a wrong number ("not the right person", "nobody by that name here"), a
  profane dismissal, or the same in Spanish ("no me escriba", "dejen de
  escribirme"). A revocation said not to be meant ("you don't have to stop
  texting") is none.
- **Unsure**: a whole message that brushes the bot off without saying to stop
  ("I'm good", "pass", "bye", "no gracias", "enough") gives `opt_out_unsure`: the
  conversation waits for Jorge.
"""

from __future__ import annotations

import re

from jorged.domain.conversation.state import Slot
from jorged.domain.reading.acts import Act, ActKind
from jorged.domain.reading.text import Text

__all__ = ["read_consent"]

_KEYWORDS = r"stop|stopall|unsubscribe|cancel|end|quit|revoke|optout|opt out"
_ES_KEYWORDS = r"alto|para|baja|cancelar|parar"
_ANY_KEYWORD = rf"(?:{_KEYWORDS}|{_ES_KEYWORDS})"
#: Words that may follow a keyword without changing it ("STOP pls", "quit it now").
_FILLER = (
    r"please|now|right now|thanks|thank you|all|it|this|that|ok|okay|already"
    r"|asap|immediately|lol|seriously|yes|yeah|man|dude|bro|sir|maam|again"
    r"|for real|fr|forever|permanently|ya|ya no|por favor|porfa|ahora|gracias"
    r"|texts?|messages?|texting|messaging|stop|and|me|the texts|these texts"
    r"|these messages|bye|jorge|jesus|god|omg|pronto|stopsign|period|fuck off"
    r"|consent|me please|me now|me from this|me from (?:this|your|the) list"
)
_ONLY_KEYWORD = re.compile(
    rf"^ (?:(?:{_ANY_KEYWORD}|remove|delete) )+(?:(?:{_FILLER}) )*$"
)
_STARTS_KEYWORD = re.compile(rf"^ (?P<kw>{_ANY_KEYWORD})\b(?P<rest>.*)$", re.DOTALL)
#: The verbs of contacting someone, as a revocation names them.
_CONTACT_VERB = (
    r"text|texting|texts|message|messages|messaging|contact|contacting|call"
    r"|calling|email|emailing|bother|bothering|harass|harassing|spam|spamming"
    r"|hit me up|hitting me up|reach out|reaching out|sms|hound|hounding|pester"
    r"|pestering|bug|bugging|send|sending|blow up|blowing up|write|writing|ping"
    r"|pinging|solicit|soliciting|hassle|hassling|texted|messaged|contacted"
)
#: After a leading keyword: the rest keeps the keyword's meaning.
_KEEPS = re.compile(
    r"^ (?:(?:please|just|now|all|the|these|your|with|it|this|that|fucking"
    r"|freaking|damn|already|immediately|ok|okay) )*"
    rf"(?:{_CONTACT_VERB}|with the|it|this|that|now|all|me|my number|us|asap"
    r"|immediately|please|subscription|subscribe|de (?:mandar|enviar|escribir)"
    r"|mensajes|los mensajes|por favor|ya|no me|not interested|wrong number|remove"
    r"|unsubscribe|leave|dont|do not|i (?:dont|do not|am not|m not)|im not"
    r"|no (?:thanks|thank you|more|longer)|go away|get lost|fuck|f off|nobody"
    r"|no one|ok|okay|lol|seriously|stfu|shut|stop|these|them|already)\b"
)
#: After a leading keyword: words that give it another meaning.
_CHANGES = re.compile(
    r"^ (?:by|in|over|at|on|up|of|off|to|for|from (?:the|that|this) (?:idea|thought"
    r"|notion|plan)|me if|(?:my|our|his|her|their|the|your|a|an|that) (?!number"
    r"|texts?|messages|spam|contact|calls|subscription|list|harassment|nonsense)\w+"
    r"|it with|date|result|goal|sign|light|watch|loss|time|before|after|until|when"
    r"|unless|if |mi |el |la |los |las |que |ser |vender|tener|comprar|poder"
    r"|nosotros|junio|julio|agosto|enero|escrow|listing|contract|appointment"
    r"|showing|deal|(?:that|this|it)\b[^a-z]*\$?\d|.*\b(?:i meant|instead|actually"
    r"|scratch that|make it|make that)\b)"
)
#: Weaker signs of another meaning, which a keyword in capitals overrides:
#: an activity ("quit worrying", "stop asking about price"), a statement.
_MAY_CHANGE = re.compile(
    r"^ (?:\w+ing\b(?<!texting)(?<!messaging)(?<!contacting)(?<!calling)"
    r"(?<!sending)(?<!bothering)(?<!spamming)(?<!harassing)(?<!emailing)"
    r"(?<!bugging)(?<!pestering)(?<!hounding)(?<!pinging)(?<!writing)"
    r"(?<!soliciting)(?<!hassling)|\w+s? (?:is|are|was|were)\b|counting|worrying)"
)
_KEYWORD_ASKED = re.compile(rf"^\W*{_ANY_KEYWORD}(?: \w+)?\s*\?", re.IGNORECASE)
_SENTENCE_AFTER_KEYWORD = re.compile(rf"^\W*{_ANY_KEYWORD}\s*[.!,;\n]", re.IGNORECASE)

_REVOCATIONS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p)
    for p in (
        # stop / quit / no more + contacting
        (
            r"\b(?:stop|quit|cease|end|enough|done with|no more|knock off|lay off)"
            rf"(?: \w+){{0,2}} (?:{_CONTACT_VERB})\b"
        ),
        (
            r"\b(?:stop|quit|enough|done|end) (?:with )?(?:the|these|your|all the"
            r"|all these|all your|those) (?:texts|messages|spam|calls|robo ?texts)\b"
        ),
        # don't text me
        (
            r"\b(?:dont|do not|never|dont ever|do not ever|never ever|please dont"
            rf"|please do not) (?:\w+ )?(?:{_CONTACT_VERB})"
            r"(?: (?:me|us|this number|my number|this phone|my phone|here))"
        ),
        rf"\b(?:dont|do not|never) (?:{_CONTACT_VERB}) (?:\w+ )?(?:again|anymore|ever)",
        (
            r"^ (?:please |pls )?(?:dont|do not|never) (?:text|message|contact|call"
            r"|email|sms|write|reach out)\W*$"
        ),
        (
            r"\b(?:didnt|did not|wouldnt|would not|stopped|quit) "
            rf"(?:{_CONTACT_VERB}) (?:me|us|this number)(?: \w+)? (?:anymore|again)\b"
        ),
        r"\b(?:never|dont|do not) (?:want to |wanna )?hear from (?:you|your)",
        (
            r"\b(?:no longer|dont|do not|never) (?:wish|want|care|like) to (?:receive"
            r"|get|be contacted|be texted|be messaged|hear)\b"
        ),
        (
            r"\b(?:dont|do not|never) consent\b|\b(?:withdraw|revoke|revoking)"
            r" (?:my |all )?(?:consent|permission)\b"
        ),
        (
            r"\b(?:no longer|not) (?:accepting|receiving|taking|wanting)"
            r" (?:your |these |any |more )?(?:texts|messages|calls)\b"
        ),
        r"\bmake (?:these|the|your|those|them|the texts)(?: \w+)? stop\b",
        r"\b(?:these|the|your) (?:texts|messages) (?:need to|have to|must) stop\b",
        r"\bcease and desist\b",
        # leave me alone, go away, profane dismissals
        r"\bleave (?:me|us) (?:the (?:fuck|hell|heck|f) )?(?:alone|be)\b",
        (
            r"\b(?:go away|get lost|buzz off|back off|bug off|kick rocks|take a hike"
            r"|beat it|scram|pound sand|drop dead)\b"
        ),
        r"\b(?:fuck|frick|freak|screw|piss|bugger|sod|f) (?:off|away)\b",
        r"\bfuck (?:you|yourself|this|off|that|outta here|out of here)\b",
        (
            r"\b(?:go to hell|go fuck yourself|go f yourself|eat (?:shit|dirt)"
            r"|shut the fuck up|get the fuck|bite me|up yours|piss off|screw you)\b"
        ),
        # remove, delete, lose the number
        (
            r"\b(?:remove|delete|erase|drop|scrub|purge|strike) (?:me|us|my "
            r"(?:info|information|number|name|data|details|contact|phone|cell)"
            r"|this number|this phone|me and my number)\b(?! (?:to|for|at|by|in) )"
            r"|\btake (?:me|us|my number|this number|my info|my name) off\b"
            r"|\b(?:please |pls |just |now )?remove(?: (?:me|us|it|this|number))?\W*$"
        ),
        (
            r"\b(?:my|this) (?:number|info|name|information|contact) (?:removed"
            r"|deleted|taken off|erased)\b"
        ),
        (
            r"\b(?:lose|forget|delete|erase|burn|toss|trash) (?:you ever had |about )?"
            r"(?:my|this|the) (?:number|info|contact|digits)\b"
        ),
        (
            r"\b(?:want|put me|get me|take me|need to be|be taken|get) off (?:this"
            r"|your|the|of|of this|of your|of the) ?(?:\w+ )?(?:list|texts"
            r"|contact list|texting list)\b"
        ),
        r"\boff (?:your|this|the) (?:mailing |text |texting |contact |call )?list\b",
        (
            r"\b(?:unsubscribe|opt me out|opt out|optout|revoke)\b(?! ?\?| from (?:the"
            r"|that|this) (?:idea|thought|notion)| link)"
        ),
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
        r"\b(?:blocking|blocked|block) (?:you|this number|your number|this)\b",
        # wrong number
        r"\bwrong (?:number|person|num|guy|lady|phone|contact|owner|dude|gal)\b",
        r"\bwrong #",
        r"\b(?:you|u) (?:have|got|must have|texted|reached|texting) (?:the )?wrong\b",
        r"\b(?:no one|nobody|noone) (?:here )?(?:by|named|with) that name\b",
        r"\bnot the (?:right|correct) (?:person|number|owner|house)\b",
        r"\bupdate your (?:records|list|contacts|database)\b",
        (
            r"\b(?:dont|do not) know (?:who (?:youre|you are) (?:looking for|trying"
            r"|after)|any (?:jorge|\w+ by that name))\b"
        ),
        r"\bthis is(?:nt| not) \w+s?(?: phone| number| cell)?,? wrong\b",
        r"\bno \w+ here\b(?=.*\bwrong\b)",
        # Spanish
        (
            r"\bno me (?:escrib(?:a|an|as|ir)|(?:mand|envi|llam|contact|molest|text"
            r"|mensaj)(?:e|en|es|ar|ee|een|ees)|vuelv(?:a|an|as))(?:me)?\b"
            r"(?! (?:el|la|los|las|lo|un|una|eso|esto|todavia|en ingles|tan)\b)"
        ),
        (
            r"\b(?:deja|dejame|dejeme|dejenme|dejen|deje) (?:en paz|de (?:escribir"
            r"|mandar|enviar|molestar|llamar|textear))"
        ),
        (
            r"\b(?:borr|elimin|quit|sac)(?:a|e|en|ame|eme|enme) (?:mi (?:numero"
            r"|informacion|info)|mis datos|de (?:la|su|tu) lista)\b"
        ),
        r"\b(?:numero equivocado|equivocado de numero|se equivoco de numero)\b",
        (
            r"\b(?:ya no|no) (?:quiero|deseo) (?:(?:mas|recibir|sus|tus) )*(?:mensajes"
            r"|textos|llamadas)\b"
        ),
        r"\b(?:dar|darme|denme|deme) de baja\b|\bno molest\w*",
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
    r"|kindly|so|you need to|you all need to|need to|you can|ok|okay|now|told you to"
    r"|asked you to|again|yes|ugh|omg|bro|dude|man|lol|no)"
    r" (?P<kw>stop|quit|unsubscribe)(?! by| in| over| at| the| my| our| his| her"
    r"| \w+ing)\b"
)
_TRAILING_STOP = re.compile(
    r"(?:[.!?,;:\n]|\bnot interested|\bno thanks|\bno thank you|\bim good|\bno"
    r"|\bfuck off)\s*(?P<kw>stop|unsubscribe|quit|cancel|alto|baja)\W*$"
)
#: A whole message that brushes the bot off without saying to stop.
_BRUSH_OFF = re.compile(
    r"^ (?:(?:ok|k|lol|nah|well|yeah|no|oh|um|uh|okay|so) )*(?:im good|were good"
    r"|we are good|im all set|all set|were all set|enough|enough already|no more"
    r"|done|were done|we are done|im done|i am done|bye|goodbye|bye bye|pass|ill pass"
    r"|i will pass|no gracias|basta|dont bother|please no|no(?: no)+|nope(?: nope)*"
    r"|not anymore|maybe stop|whatever|not today(?: satan)?|stopsign|no thanks"
    r"|no thank you|no way|nah|hard pass|not for me|im out|count me out|no|nope"
    r"|ya basta|no por ahora|adios|later|peace|peace out|cya|see ya|goodnight"
    r"|not now|enough is enough|not right now|not interested right now"
    r"|good night|take care)(?: (?:thanks|thank you|man|bro|dude|here|already|lol"
    r"|buddy|pal|sir|anyway|then|though|for now|bye|im good|were good|im all set"
    r"|all set))* $"
)
#: Brush-offs that are answers when the timeline question is open ("no" = fine).
_PLAIN_NO = re.compile(r"^ (?:no|nope|nah|no thanks|no thank you)(?: sir| maam)? $")
#: A bare "no" to any question is an answer (unclear but for the timeline), never
#: a sign of revoking consent.
_BARE_NO = re.compile(r"^ (?:no|nope|nah|no no|nope nope)(?: sir| maam)? $")
#: Words anywhere that may revoke consent but may not: Jorge decides.
_MAYBE = re.compile(
    r"\b(?:make (?:it|this) stop|take a hint|enough is enough|not the (?:one|person)"
    r" you (?:want|need|should)|(?:said|says|told me|wants me) to stop (?:answering"
    r"|replying|responding|talking)|delete (?:this|our|the) (?:conversation|thread"
    r"|chat|messages)|text(?:ing)? me less|less (?:often|texts)|fewer texts"
    r"|not so (?:often|much)|(?:ill|i will|going to|gonna) report|reporting (?:you"
    r"|this)|stop answering you)\b"
)
#: A revocation for a while only ("don't text me this week"): Jorge decides.
_FOR_A_WHILE = re.compile(
    r"\b(?:for (?:today|tonight|now|the (?:day|week|weekend|month|moment)|a (?:while"
    r"|bit|few days|week|couple))|this (?:week|weekend|month)|today|tonight|until"
    r"|till|til|while i|at work|right now|so (?:much|often|many))\b"
)
_OPT_IN = re.compile(
    r"^ (?:(?:yes|ok|okay|please|sure|yeah|yep) )*(?:unstop|start|resume|opt in"
    r"|optin|resubscribe|subscribe)(?: (?:please|again|texting me|texting|messages"
    r"|texts|back|now|ok|me|up|thumbsup|texts again|messages again))*"
    r"(?: (?:i|im|sorry|changed|want|thanks|thank)\b.*)? $"
)
_OPT_IN_ANYWHERE = re.compile(
    r"\bunstop\b|\bresubscribe\b|\bopt (?:me )?(?:back )?in\b|[.!] start\W*$"
)
_OPT_IN_AFTER = re.compile(r"^\W*(?:start|unstop|resume)\s*[.!,;\n]", re.IGNORECASE)
_HELP = re.compile(
    r"^ (?:help|info|ayuda|help me|more info|help info|info help)(?: please| pls"
    r"| plz)? $"
)


def read_consent(text: Text, asking: Slot | None = None) -> list[Act]:
    """The consent act of a message: opt-out, unsure, opt-in or HELP, if any."""
    found = _opt_out(text, asking)
    if found is not None:
        return [found]
    bare = _bare(text.norm)
    whole = text.evidence(1, len(text.norm) - 1)
    if (
        _OPT_IN.match(bare)
        or _OPT_IN_ANYWHERE.search(text.norm)
        or _OPT_IN_AFTER.match(text.original)
    ):
        return [Act(kind=ActKind.OPT_IN, evidence=whole)]
    if _HELP.match(bare):
        return [Act(kind=ActKind.HELP, evidence=whole)]
    return []


def _bare(norm: str) -> str:
    """The copy's words alone, punctuation dropped."""
    return " " + " ".join(re.findall(r"[a-z0-9]+", norm)) + " "


def _opt_out(text: Text, asking: Slot | None) -> Act | None:
    norm = text.norm
    bare = _bare(norm)
    whole = (1, len(norm) - 1)
    if _ONLY_KEYWORD.match(bare):
        return _out(text, *whole, 1.0)
    keyword_first = _keyword_first(text)
    if keyword_first is not None and keyword_first.kind is ActKind.OPT_OUT:
        return keyword_first
    if maybe := _MAYBE.search(norm):
        return _unsure(text, maybe.start(), maybe.end())
    for pattern in _REVOCATIONS:
        for m in pattern.finditer(norm):
            if _NOT_MEANT.search(norm[: m.start()]):
                continue
            if _FOR_A_WHILE.search(norm, m.end()):
                return _unsure(text, m.start(), m.end())
            return _out(text, m.start(), m.end(), 0.95)
    for m in _POLITE_STOP.finditer(norm):
        if not _NOT_MEANT.search(norm[: m.start()]):
            return _out(text, m.start(), m.end(), 0.9)
    if trailing := _TRAILING_STOP.search(norm):
        return _out(text, trailing.start("kw"), trailing.end("kw"), 0.9)
    if keyword_first is not None:
        return keyword_first
    if _BRUSH_OFF.match(bare) and not (
        (asking is Slot.TIMELINE and _PLAIN_NO.match(bare))
        or (asking is not None and _BARE_NO.match(bare))
    ):
        return Act(
            kind=ActKind.OPT_OUT_UNSURE,
            evidence=text.evidence(*whole),
            confidence=0.5,
        )
    return None


def _keyword_first(text: Text) -> Act | None:
    """A leading keyword: opt-out when the rest keeps its meaning, else unsure/None."""
    m = _STARTS_KEYWORD.match(text.norm)
    if m is None or _KEYWORD_ASKED.match(text.original):
        return None
    rest = " " + m.group("rest").strip() + " "
    kw = m.group("kw")
    if _SENTENCE_AFTER_KEYWORD.match(text.original) and kw not in {"end", "para"}:
        return _out(text, m.start("kw"), m.end("kw"), 0.95)
    if _CHANGES.match(rest):
        return None
    shouted = text.original[text.index[m.start("kw")] :].startswith(kw.upper())
    if _MAY_CHANGE.match(rest) and not shouted:
        return None
    if shouted or _KEEPS.match(rest):
        return _out(text, m.start("kw"), m.end("rest"), 0.95)
    if kw in {"end", "para", "cancel", "quit"}:
        return None  # common words with other meanings; a plain revocation still counts
    return Act(
        kind=ActKind.OPT_OUT_UNSURE,
        evidence=text.evidence(m.start("kw"), m.end("kw")),
        confidence=0.5,
    )


def _unsure(text: Text, start: int, end: int) -> Act:
    return Act(
        kind=ActKind.OPT_OUT_UNSURE,
        evidence=text.evidence(start, end),
        confidence=0.5,
    )


def _out(text: Text, start: int, end: int, confidence: float) -> Act:
    return Act(
        kind=ActKind.OPT_OUT,
        evidence=text.evidence(start, end),
        confidence=confidence,
    )
