"""Spanish words for the house's condition and amounts ("450 mil", "medio millón")."""

from __future__ import annotations

import re

from jorged.domain.reading.lexicon_es.words_es import Table

__all__ = ["AMOUNTS", "CONDITION"]

_HUNDREDS = {
    "cien": "one hundred",
    "ciento": "one hundred",
    "doscientos": "two hundred",
    "doscientas": "two hundred",
    "trescientos": "three hundred",
    "trescientas": "three hundred",
    "cuatrocientos": "four hundred",
    "cuatrocientas": "four hundred",
    "quinientos": "five hundred",
    "quinientas": "five hundred",
    "seiscientos": "six hundred",
    "seiscientas": "six hundred",
    "setecientos": "seven hundred",
    "setecientas": "seven hundred",
    "ochocientos": "eight hundred",
    "ochocientas": "eight hundred",
    "novecientos": "nine hundred",
    "novecientas": "nine hundred",
}
_MILLION_TENTHS = {
    "cien": "1",
    "ciento": "1",
    "doscientos": "2",
    "trescientos": "3",
    "cuatrocientos": "4",
    "quinientos": "5",
    "seiscientos": "6",
    "setecientos": "7",
    "ochocientos": "8",
    "novecientos": "9",
}
_TENS = {
    "diez": "ten",
    "once": "eleven",
    "doce": "twelve",
    "quince": "fifteen",
    "veinte": "twenty",
    "veinticinco": "twenty five",
    "treinta": "thirty",
    "cuarenta": "forty",
    "cincuenta": "fifty",
    "sesenta": "sixty",
    "setenta": "seventy",
    "ochenta": "eighty",
    "noventa": "ninety",
}
_UNITS = {
    "uno": "one",
    "dos": "two",
    "tres": "three",
    "cuatro": "four",
    "cinco": "five",
    "seis": "six",
    "siete": "seven",
    "ocho": "eight",
    "nueve": "nine",
}
#: The house's condition.
CONDITION: Table = (
    (r"\bno (?:esta|está|ta) (?:lista|ready)\b", "not move in ready"),
    (
        (
            r"\bnecesita todo nuevo\b|\b(?:el )?(?:techo|roof) (?:esta|está|ta) (?:mal"
            r"|malo|feo"
            r"|dañado|danado)\b|\bproblemas de (?:cimientos|cimentacion|fundacion)\b"
            r"|\b(?:hay que |para )?tumbarla\b|\bdestripar\w*\b|\bremodelacion"
            r" completa\b"
            r"|\bse quemo\b|\bdano de agua\b|\btrabajo pesado\b|\bcuartead[oa]\b"
            r"|\b(?:bien|muy) (?:jodida|amolada|fea|acabada|maltratada)\b|\bmucho que"
            r" arreglar\b"
            r"|\bno (?:esta|está) en buen(?:as|) (?:condiciones|estado)\b|\bfalta"
            r" mucho\b"
            r"|\b(?:para|hay que) remodelar\w*(?: toda| todo| completa)?\b"
            r"|\b(?:tiene|con) goteras\b"
            r"|\bhay que (?:cambiar|arreglar) (?:el techo|la plomeria|todo)\b"
        ),
        "needs a lot of work",
    ),
    (
        (
            r"\b(?:esta |está )?(?:en (?:muy )?(?:buen|buenas|perfectas|perfecto"
            r"|excelentes"
            r"|excelente) (?:condiciones|estado|condicion)|impecable|al cien"
            r"|super bien|bien bonita|como nueva|nuevecita)\b"
            r"|\b(?:esta|está|ta) (?:lista|ready)\b(?! para| pa | to)"
            r"|\bno (?:le )?(?:necesita|falta|ocupa) nada\b|\b(?:la )?(?:acabamos de"
            r" arreglar"
            r"|arreglamos) toda\b|\btodo (?:remodelado|actualizado|nuevo)\b"
        ),
        "move in ready",
    ),
    (r"\brecien pintad[oa]\b", "fresh paint"),
    (
        r"\b(?:la |se )?(?:construyeron|construimos|construyo|hicieron) en (?=\d{4})",
        "built in ",
    ),
    (
        (
            r"\b(?:arreglitos|unos arreglos|detallitos|manita de gato|le hace falta"
            r" car\w+"
            r"|un poco (?:vieja|viejita|cansada|gastada|descuidada|anticuada)"
            r"|(?:la cocina|el bano|los banos) (?:es|son) original\w*|cambiar unas \w+"
            r"|(?:le )?falta pintar\w*|(?:y )?pintar)\b"
        ),
        "needs some love",
    ),
    (
        (
            r"\blista (?:para|pa) (?:vivir|mudarse|entrar|habitar|estrenar)\b"
            r"|\bpara estrenar\b"
        ),
        "move in ready",
    ),
    (r"\b(?:como nueva|nuevecita)\b", "like new"),
    (r"\b(?:remodelad[oa]s?|renovad[oa]s?)\b", "remodeled"),
    (r"\bactualizad[oa]s?\b", "updated"),
    (
        (
            r"\b(?P<w>cocina|kitchen|banos?|techo|roof|pisos|alfombra|pintura|ventanas"
            r"|calentador|aire) nuev[oa]s?\b"
        ),
        r"new \g<w>",
    ),
    (r"\b(?:todo|toda) nuev[oa]\b", "like new"),
    (
        (
            r"\b(?:necesita|ocupa|requiere) (?:mucho trabajo|muchas reparaciones|mucha"
            r" reparacion|muchos arreglos)\b|\bmucho trabajo\b|\bmuchos arreglos\b"
        ),
        "needs a lot of work",
    ),
    (r"\b(?:techo)\b", "roof"),
    (r"\b(?:cimentacion|fundacion|cimientos)\b", "foundation"),
    (r"\bplomeria\b", "plumbing"),
    (r"\b(?:goter\w+|gotea|se gotea|gotean)\b", "leaks"),
    (r"\bmoho\b", "mold"),
    (r"\btermitas\b", "termites"),
    (r"\bpintura\b", "paint"),
    (r"\balfombras?\b", "carpet"),
    (r"\bpisos\b", "floors"),
    (r"\bcocina\b", "kitchen"),
    (r"\bbanos?\b", "bathroom"),
    (
        (
            r"(?<!estamos )(?<!somos )(?<!estoy )(?<!soy )(?<!mi )\b(?:anticuad[oa]s?"
            r"|viejit[oa]s?"
            r"|viej[oa]s?)\b"
        ),
        "dated",
    ),
    (r"\b(?:nada grave|nada serio|nada mayor|nada grande)\b", "nothing serious"),
    (r"\b(?:detalles|detallitos|cositas)\b", "minor stuff"),
    (r"\b(?:arreglos|reparaciones)\b", "repairs"),
    (r"\b(?:necesita|ocupa)\b", "needs"),
    (r"\bplanta baja\b", "ground floor"),
    (r"\bplanta alta\b", "upstairs"),
)

#: Amounts: "450 mil", "medio millón", "un millón doscientos", spelled numbers.
_HUNDRED_VALUES = {word: int(tenth) * 100 for word, tenth in _MILLION_TENTHS.items()}
_TEN_VALUES = {
    "diez": 10,
    "veinte": 20,
    "veinticinco": 25,
    "treinta": 30,
    "cuarenta": 40,
    "cincuenta": 50,
    "sesenta": 60,
    "setenta": 70,
    "ochenta": 80,
    "noventa": 90,
}
_UNIT_VALUES = {
    "uno": 1,
    "dos": 2,
    "tres": 3,
    "cuatro": 4,
    "cinco": 5,
    "seis": 6,
    "siete": 7,
    "ocho": 8,
    "nueve": 9,
}
_H = "|".join(_HUNDRED_VALUES)
_T = "|".join(_TEN_VALUES)
_U = "|".join(_UNIT_VALUES)
#: "cuatrocientos setenta y cinco" → 475 (then "475 mil" → 475k).
_HUNDREDS_SPELLED = (
    rf"\b(?P<h>{_H})(?: (?P<t>{_T})(?: y (?P<u>{_U}))?"
    rf"| y (?P<u2>{_U})| (?P<u3>{_U}))?\b"
)


def _hundreds(m: re.Match[str]) -> str:
    units = m.group("u") or m.group("u2") or m.group("u3")
    value = _HUNDRED_VALUES[m.group("h")] + _TEN_VALUES.get(m.group("t") or "", 0)
    return str(value + _UNIT_VALUES.get(units or "", 0))


def _million_and(m: re.Match[str]) -> str:
    """ "un millón doscientos cincuenta (mil)" → "1.25 million"."""
    extra = int(_hundreds(m))
    return f"{(1000 + extra) / 1000:g} million"


AMOUNTS: Table = (
    (r"\bmedio millon\b", "half a million"),
    (r"\b(?:un )?millon y medio\b", "1.5 million"),
    (r"\by medio\b", "and a half"),
    (r"\b(?:un )?millon " + _HUNDREDS_SPELLED + r"(?: mil)?", _million_and),
    (_HUNDREDS_SPELLED, _hundreds),
    (rf"^(?:como |unos )?(?P<u>{_U})\W*$", lambda m: str(_UNIT_VALUES[m.group("u")])),
    (r"\bun millon\b", "1 million"),
    (r"\bmillones\b", "million"),
    (r"\bmillon\b", "million"),
    (r"\bentre (?=\S+(?: \S+){0,3} y )", "between "),
    (r"(?P<a>\d|\bmil) y (?=\d)", r"\g<a> and "),
    (r"(?<=\d) o (?=\d)", " to "),
    (r"\b(?:a )?mediados de los (?P<n>\d{3})\b", r"mid \g<n>s"),
    (
        r"\b(?:a )?principios de los (?P<n>\d{3})\b|\blos bajos (?P<m>\d{3})\b",
        lambda m: f"low {m.group('n') or m.group('m')}s",
    ),
    (
        r"\b(?:a )?finales de los (?P<n>\d{3})\b|\blos altos (?P<m>\d{3})\b",
        lambda m: f"high {m.group('n') or m.group('m')}s",
    ),
    (
        r"(?P<a>\d|\bmil|\bmillion|\bmillon|\bk),? no (?=(?:un |son )?\$?\d|un millon)",
        r"\g<a> not ",
    ),
    (
        (
            r"\b(?:(?:me|nos|le) )?(?:dice|dijo|dicen|dijeron|calcula|calculo|estima"
            r"|estimo|me da|le da|da)"
            r" (?:que )?(?:la casa )?(?:vale |valdria )?(?=(?:como |unos |en )?\$?\d)"
        ),
        "says its worth ",
    ),
    (
        (
            r"\b(?:la|lo) (?:tasaron|valuaron|avaluaron|tiene valuada|tienen valuada"
            r"|tiene avaluada)(?: en)?\b|\b(?:la|lo) tiene(?: \w+)?,? (?:como )?en\b"
        ),
        "appraised it at",
    ),
    (
        r"\b(?:yo )?con (?P<n>\d+(?: mil)?) (?:estoy bien|me conformo)\b",
        r"id take \g<n>",
    ),
    (
        (
            r"\b(?:me parece bien(?: eso)?|(?:yo )?acepto eso|con eso estoy bien"
            r"|estoy bien con eso|me conformo con eso)\b"
        ),
        "id take that",
    ),
    (
        (
            r"\b(?:pero )?(?:aceptaria|aceptariamos|acepto|aceptamos|agarro"
            r"|tomaria)(?= \d)"
        ),
        "but id take",
    ),
    (r"\b(?:pero )?aceptaria\b", "but id take"),
    (r"\bdeuda(?: de la casa| de la hipoteca| del prestamo)?\b", "we owe"),
    (
        (
            r"\b(?:nos |le |me )?(?:quedan|faltan|falta)(?= (?:como |unos )?\d[^,.]*"
            r"(?:por pagar|al prestamo|a la hipoteca|de hipoteca)\b)"
        ),
        "we still owe",
    ),
    (r"\b(?:faltan|nos faltan|quedan)(?= (?:como |unos )?\d)", "we still owe"),
    (r"\b(?:la|lo) (?:pagamos|pague|pago|compramos|compre)\b", "we paid"),
    (
        r"\bse vendio (?:una|la de al lado|la del vecino|otra)(?: en| por)?\b",
        "a neighbor sold for",
    ),
    (r"\b(?:el|por|al) pie cuadrado\b", "per square foot"),
    (r"(?<=\d) a (?=\d)", " to "),
    (r"\b(?P<n>\d{2,3}) mil\b(?! millon)", r"\g<n>k"),
    (r"\b(?P<n>\d{2,3}[.,]\d+) mil\b(?! millon)", r"\g<n> thousand"),
    (
        r"\b(?P<w>(?:" + "|".join([*_HUNDREDS, *_TENS, *_UNITS]) + r")) mil\b",
        r"\g<w> thousand",
    ),
    (r"\b(?P<h>" + "|".join(_HUNDREDS) + r")\b", lambda m: _HUNDREDS[m.group("h")]),
    (
        r"\b(?P<t>" + "|".join(_TENS) + r") y (?P<u>" + "|".join(_UNITS) + r")\b",
        lambda m: f"{_TENS[m.group('t')]} {_UNITS[m.group('u')]}",
    ),
    (
        r"\b(?P<t>" + "|".join(t for t in _TENS if t != "once") + r")\b",
        lambda m: _TENS[m.group("t")],
    ),
    (
        r"\b(?P<u>" + "|".join(u for u in _UNITS if u not in {"dos", "seis"}) + r")\b",
        lambda m: _UNITS[m.group("u")],
    ),
    (
        (
            r"\b(?:dos)\b(?= (?:\w+ )?(?:days|weeks|months|years|meses|semanas|dias"
            r"|anos"
            r"|hundred|thousand|million|fifty|forty|thirty|twenty|sixty|seventy|eighty"
            r"|ninety|ten)\b)"
        ),
        "two",
    ),
    (r"\bseis\b", "six"),
    (r"\bdolares\b", "dollars"),
    (r"\b(?:pedimos|pido|pedir|pediria|pediriamos)\b", "asking"),
    (
        (
            r"\b(?:quiero|queremos|quisiera|quisieramos)\b(?= (?:\d|unos|como|one|two"
            r"|three|four|five|six|seven|eight|nine|half|about|between|no menos))"
        ),
        "i want",
    ),
    (r"\b(?:minimo|por lo menos|al menos|no menos de)\b", "at least"),
    (
        r"\b(?:unos|unas|alrededor de|mas o menos|aproximadamente|aprox)\b(?= \S)",
        "about",
    ),
    (
        (
            r"\b(?:todavia )?(?:debo|debemos|le debo|le debemos|debe|deben|adeudo"
            r"|adeudamos)\b"
        ),
        "we owe",
    ),
    (
        (
            r"\b(?:dice que vale|dice que la casa vale|la tiene en|la tiene|la valuo en"
            r"|la valuaron en)\b"
        ),
        "says its worth",
    ),
    (r"\b(?:avaluo|tasacion|valuacion)\b", "appraisal"),
    (r"\b(?:la|lo) (?:compramos|compre|compro) en (?=\d{4})", "we bought it in "),
    (r"\bvivo en el (?=\d)", "i live at "),
    (r"\b(?:renta|alquiler)\b", "rent"),
    (r"\bal mes\b", "a month"),
    (r"\bpies cuadrados\b", "square feet"),
    (r"\bpor pie\b", "per square foot"),
    (r"\bcodigo postal\b", "zip code"),
    (r"\bimpuestos\b", "taxes"),
    (r"\bvecin[oa]s?\b", "neighbor"),
    (r"\bvendio\b", "sold"),
)
