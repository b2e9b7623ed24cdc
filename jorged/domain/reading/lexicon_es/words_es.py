"""Texting abbreviations, months, days and the general words of the Spanish lexicon."""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["ABBREVIATIONS", "GENERAL", "Rewrite", "Table"]

#: The English words for a match: a template (groups allowed) or a function of it.
Rewrite = str | Callable[[re.Match[str]], str]
#: A table of (pattern, rewrite) pairs.
Table = tuple[tuple[str, Rewrite], ...]

_MONTHS = {
    "enero": "january",
    "febrero": "february",
    "marzo": "march",
    "abril": "april",
    "mayo": "may",
    "junio": "june",
    "julio": "july",
    "agosto": "august",
    "septiembre": "september",
    "setiembre": "september",
    "octubre": "october",
    "noviembre": "november",
    "diciembre": "december",
}
_DAYS = {
    "lunes": "monday",
    "martes": "tuesday",
    "miercoles": "wednesday",
    "jueves": "thursday",
    "viernes": "friday",
    "sabado": "saturday",
    "domingo": "sunday",
}

#: Texting abbreviations (q, xq, pq, tmb, ntp, k, x, xfa, porfa, msj).
ABBREVIATIONS: Table = (
    (r"\b(?:xq|pq|pk|xk|porq|porke|xque|pork)\b", "porque"),
    (r"\b(?:tmb|tmbn|tambn|tb)\b", "tambien"),
    (r"\bntp\b", "no te preocupes"),
    (r"\b(?:xfa|xfavor|porfa|porfas|porfavor|plis)\b", "por favor"),
    (r"\bq\b", "que"),
    (r"\b(?P<w>lo|por|x|pa|ya|de|es|a|mas|y|que) k\b", r"\g<w> que"),
    (
        (
            r"^k (?=(?:onda|paso|bueno|quiere|quieres|tal|hago|hace|dice|es|le|me|te|se"
            r"|la|lo|el|ya|mas|tiene|va|vale|precio|no)\b)"
        ),
        "que ",
    ),
    (r"\bx (?=(?:favor|que|eso|el|la|lo|mes|ahora|lo menos|ciento)\b)", "por "),
    (r"\b(?:msj|msjs|mensajitos|msgs)\b", "mensajes"),
    (r"\b(?:kiero)\b", "quiero"),
    (r"\b(?:tel|cel|celular)\b", "telefono"),
    (r"\bpa(?= (?:que|la|el|los|las|mi|vivir|mudar\w*|vender|alla|aca)\b)", "para"),
    (r"\bnomas\b", "no mas"),
    (r"\bnombre\b(?= (?:no|nel|para nada)\b)", "no"),
)

#: General words the readers key on.
GENERAL: Table = (
    (r"\bpor que\b(?= )", "why"),
    (r"\b(?:porque|ya que)\b", "because"),
    (r"\bpero\b", "but"),
    (
        (
            r"\b(?P<w>job|work|house|home|condo|place|family|live|living|moving|move|moved"
            r"|transferred|stationed|offer) en\b"
        ),
        r"\g<w> in",
    ),
    (r"\bque es (?:agente|realtor|corredor)\b", "who is an agent"),
    (r"\b(?:otro|otra) (?:agente|realtor|corredor\w*)\b", "another agent"),
    (r"\b(?:agente|realtor|corredor\w*)\b", "agent"),
    (r"\bel banco\b", "the bank"),
    (
        r"\bsi no (?:la )?(?:vendemos|se vende|vendo|esta vendida)\b",
        "if it doesnt sell",
    ),
    (r"\by si\b", "what if"),
    (r"\bque pasa\b(?=\W*$)", "what happens then"),
    (r"\by\b", "and"),
    (r"\baunque\b", "though"),
    (r"\b(?:quiero|queremos|quisiera|quisieramos) vender\b", "want to sell"),
    (r"\b(?:vender|venderla|venderlo)\b", "sell"),
    (r"\b(?:vendiendo)\b", "selling"),
    (r"\bventa\b", "sale"),
    (r"\bla casa\b", "the house"),
    (r"\bmi casa\b", "my house"),
    (r"\bcasa\b", "house"),
    (r"\bgracias\b", "thanks"),
    (r"\bpor favor\b", "please"),
    (r"\bmes pasado\b", "last month"),
    (r"\b(?:otra vez|de nuevo)\b", "again"),
    (r"\bmuch[oa]s\b(?= (?:years|months|weeks|days|anos|meses)\b)", "many"),
    (r"\bquien sabe\b", "who knows"),
    (r"\b(?P<m>" + "|".join(_MONTHS) + r")\b", lambda m: _MONTHS[m.group("m")]),
    (r"\b(?P<d>" + "|".join(_DAYS) + r")\b", lambda m: _DAYS[m.group("d")]),
)
