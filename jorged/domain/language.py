"""Which language a seller writes in: English or Spanish. Pure and deterministic.

`evidence(text)` weighs each word of a message: function words and common words
that belong to one language only ("que", "pero", "quiero", "tengo" / "the", "it's",
"would", "house"), Spanish spelling (ñ, ¿, ¡, an accented vowel) and Spanish verb
endings ("vendemos", "pensando"). Words both languages use ("no", "me", "a", "ok",
"sale") count for neither, and place names with Spanish words in them ("Las Vegas",
"San Bernardino", "El Paso") are left out, so an English message about moving to
Los Angeles stays English. The result names the words that counted, so a decision
can be explained.

`follow(text, current, settled=...)` is the conversation's language after a message:

- a conversation whose language nothing has confirmed yet takes the language with
  more evidence, once there is some (two points at least);
- a settled conversation switches only when the message is clearly in the other
  language: enough evidence for it and next to none for the current one. A mixed
  message ("si, it's ready to move in") keeps the language it found.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

import attrs

__all__ = ["Evidence", "Language", "LanguageSource", "evidence", "follow"]


class Language(StrEnum):
    EN = "en"
    ES = "es"


class LanguageSource(StrEnum):
    """Where a conversation's language comes from."""

    DEFAULT = "default"  # nothing said yet: English until a message says otherwise
    DETECTED = "detected"  # read from the seller's messages
    TAG = "tag"  # the contact's `Spanish` tag or language field in the CRM
    AGENT = "agent"  # set by Jorge (dashboard, API, CLI): never changed by detection


#: Points a message needs before it can set a language at all.
_MIN_POINTS = 2.0
#: A settled conversation switches on this many points for the other language...
_SWITCH_POINTS = 3.0
#: ...when the current language has at most this share of them.
_SWITCH_SHARE = 0.1

_STRONG = 2.0
_WEAK = 1.0

#: Words of one language only (their accented and unaccented spellings both).
_SPANISH_WORDS = (
    "que qué pero porque por para muy más mas como cómo cuando cuándo donde "
    "dónde está esta estoy estamos están estan es son somos soy fue era hay "
    "tengo tiene tenemos tienen quiero queremos quiere vender vendo vendemos "
    "venderla venderlo comprar casa casas hogar precio dinero mil millón millon "
    "gracias hola bueno buena buenas bien sí también tambien ahora todavía "
    "todavia nada nadie algo todo toda todos mucho mucha poco del los las una "
    "unos unas uno con sin sobre entre hasta desde nos les usted ustedes ella "
    "ellos nosotros yo él mi mis tu tus su sus mío mio nuestra nuestro años "
    "anos año meses mes semanas semana días dias necesita necesito necesitamos "
    "puede puedo podemos pueden favor señor señora esposo esposa hijos hijo "
    "hija mamá papá papa trabajo cuánto cuanto cuál cual quién quien ahorita "
    "pues sea listo lista arreglos reparaciones vivir llamar llame llámeme "
    "llameme mensajes mensaje escriba escriban gustaría gustaria pensando "
    "problema mudamos mudarnos mudar llamame llámame háblame hablame hablo "
    "hablar rato porfa xfa ando nomas nomás pintura alfombra techo cocina baño "
    "quise decir digamos mejor pregunto eso esto ese contesta contestar debo "
    "debemos pagos quieren hacer denme baja escribas escribir vuelva conozco "
    "ningún ningun número numero equivocado vete inglés ingles textee textees "
    "manden mande mandes textos dice creo apartamento unidad banco verdad da "
    "corrieron motivación motivacion condición condicion herencia confirmar "
    "desarrollador modo quítame quitame rento dueño gusta textear rápido rapido "
    "sería seria tiempo fueron acabada vende vendí vendi vendida vendimos "
    "rentamos agente hipoteca luego pronto enero febrero marzo abril mayo junio "
    "julio agosto septiembre octubre noviembre diciembre lunes martes miércoles "
    "miercoles jueves viernes sábado sabado domingo mañana manana hoy ayer "
    "noche tarde dos tres cuatro cinco seis siete ocho nueve diez cien cientos "
    "quinientos medio otro otra porfavor claro cierto oiga gusto nuevo nueva "
    "viejo vieja grande pequeña pequeño arreglar falta murió murio falleció "
    "fallecio divorcio trabajar jubilado jubilarme eres nop"
)
_ENGLISH_WORDS = (
    "the and you your is it it's its i'm im i'd id i've ive we we're our they "
    "they're their to of for with that that's this what what's would could "
    "should be been have has had just but so are was were will can do does did "
    "don't dont doesn't won't wont not need want house home sell selling sold "
    "move moving ready work price thanks thank yes yeah how who why when where "
    "there if or at on an all any about like get got know think some out up now "
    "only much more month months week weeks days year years problem fine good "
    "sure call text number please probably maybe around between by from he she "
    "his her my him them we'll you're let's lets which well really still too "
    "very after before because right then than here fix needs paint inside "
    "fresh remodeled upgraded everything new floors rent owned wish starting "
    "job going through divorce started took position messaging take off list "
    "never again sending these messages period seven hundred fifty thousand "
    "dollars one two three four five six eight nine ten point million market "
    "value guess bed bath beds baths square feet single story says way bedrooms "
    "texting whats commission rate possibly haven't haven found place yet "
    "monday tuesday wednesday thursday friday saturday sunday today tomorrow "
    "morning afternoon evening tonight kitchen roof repairs mortgage owe agent "
    "listed wife husband mom dad kids family plz pls txt txting thx ur stp "
    "nothing big already"
)


def _weighed(words: str, weight: float) -> dict[str, float]:
    return dict.fromkeys(words.split(), weight)


_SPANISH = {
    **_weighed(_SPANISH_WORDS, _STRONG),
    **_weighed("el la lo le se de en y si q ni te ya", _WEAK),
}
_ENGLISH = {
    **_weighed(_ENGLISH_WORDS, _STRONG),
    **_weighed("in", _WEAK),
}

#: Place names with Spanish words in them: left out before the words are weighed.
_PLACES = re.compile(
    r"\b(?:los|las|el|la|del|de|san|santa|rancho|mira|alta|loma|palm|casa)\s+"
    r"(?:angeles|vegas|paso|verne|quinta|habra|mirada|puente|monte|cajon|centro|mar"
    r"|bernardino|diego|antonio|jose|francisco|fe|ana|clarita|barbara|rosa|monica"
    r"|cruz|maria|jacinto|dimas|gabriel|fernando|marcos|clemente|mateo|rafael"
    r"|cucamonga|mirage|loma|linda|springs|desert|grande|blanca|lomas|alamos)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[a-záéíóúñü']+")
_SPANISH_MARKS = re.compile(r"[ñ¿¡áéíóú]")
#: Spanish verb forms ("vendemos", "pensando", "mudarnos", "arreglarla").
_SPANISH_ENDINGS = re.compile(
    r"(?:amos|emos|imos|ando|iendo|arnos|erlo|arla|arlo|ción|cion|mente"
    r"|ado|ada|ido|ida)$"
)


@attrs.frozen
class Evidence:
    """The points a message gives each language, with the words that gave them."""

    spanish: float = 0.0
    english: float = 0.0
    spanish_words: tuple[str, ...] = ()
    english_words: tuple[str, ...] = ()

    def points(self, language: Language) -> float:
        return self.spanish if language is Language.ES else self.english

    @property
    def leaning(self) -> Language | None:
        """The language with more points, when it has enough to say (else None)."""
        best = max(self.spanish, self.english)
        if best < _MIN_POINTS or self.spanish == self.english:
            return None
        return Language.ES if self.spanish > self.english else Language.EN


def evidence(text: str) -> Evidence:
    """What a message says about its language (see the module docstring)."""
    text = unicodedata.normalize("NFC", text)
    marks = len(_SPANISH_MARKS.findall(text))
    text = _PLACES.sub(" ", text)
    es: list[str] = []
    en: list[str] = []
    es_points = float(min(marks, 3))
    en_points = 0.0
    for raw in _WORD.findall(text.lower().replace("\u2019", "'")):
        word = raw.strip("'")
        if not word:
            continue
        if word in _SPANISH:
            es.append(word)
            es_points += _SPANISH[word]
        elif word in _ENGLISH:
            en.append(word)
            en_points += _ENGLISH[word]
        elif len(word) > 4 and _SPANISH_ENDINGS.search(word):
            es.append(word)
            es_points += _WEAK
    return Evidence(
        spanish=es_points,
        english=en_points,
        spanish_words=tuple(es),
        english_words=tuple(en),
    )


def follow(text: str, current: Language, *, settled: bool) -> Language:
    """The conversation's language after the seller's message `text`."""
    found = evidence(text)
    other = Language.EN if current is Language.ES else Language.ES
    if not settled:
        return found.leaning or current
    new, old = found.points(other), found.points(current)
    if new >= _SWITCH_POINTS and old <= new * _SWITCH_SHARE:
        return other
    return current
