"""Acknowledgements that say back what was read (SPEC 1.10). Pure.

`acknowledge` picks the few words that go before the next question, from what the
message said, most telling first: bad news gets sympathy ("I'm sorry about your
dad."), a reason to sell is named or its place echoed ("Phoenix, nice."), then the
timeline, the condition, the price. After bad news or a complaint nothing cheerful
is said for the rest of the conversation. Among the lines that fit, one is chosen by
a stable hash of the conversation and the turn, so a conversation replays the same,
and a line the previous text already said is never picked again (no line at all
is better than the same one twice in a row). A conversation in Spanish gets the
same choice among Spanish lines (`_ES`), by the same rules.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence

import attrs

from jorged.domain.conversation.state import Motivation, Slots
from jorged.domain.conversation.templates import Tone
from jorged.domain.language import Language
from jorged.domain.leads.analysis import format_price
from jorged.domain.reading.acts import ActKind, Reading

__all__ = ["SAD_MOTIVATIONS", "acknowledge", "price_words", "span_words"]

#: Reasons to sell that are bad news: no cheerful word after them.
SAD_MOTIVATIONS = frozenset(
    {
        Motivation.DIVORCE,
        Motivation.FINANCIAL_DISTRESS,
        Motivation.FORECLOSURE,
        Motivation.INHERITED,
        Motivation.HEALTH,
    }
)


@attrs.frozen
class _Line:
    text: str
    cheerful: bool = False


def _lines(*texts: str, cheerful: bool = False) -> tuple[_Line, ...]:
    return tuple(_Line(t, cheerful=cheerful) for t in texts)


_RELATIVE = re.compile(
    r"\b(mom|mother|dad|father|husband|wife|grandma|grandmother|grandpa"
    r"|grandfather|brother|sister|son|daughter|aunt|uncle|parents|partner)\b",
    re.IGNORECASE,
)
_LIFE_EVENT_OF = {
    Motivation.DIVORCE: "divorce",
    Motivation.FINANCIAL_DISTRESS: "job_loss",
    Motivation.FORECLOSURE: "foreclosure",
    Motivation.INHERITED: "death",
    Motivation.HEALTH: "illness",
}
_SYMPATHY = {
    "death": _lines(
        "I'm so sorry for your loss.",
        "I'm sorry for your loss, take all the time you need.",
    ),
    "divorce": _lines(
        "Sorry you're going through that.",
        "That's a lot to deal with, I'm sorry.",
    ),
    "job_loss": _lines(
        "Sorry to hear that, that's tough.",
        "I'm sorry, that's a hard spot to be in.",
    ),
    "foreclosure": _lines(
        "I'm sorry you're dealing with that.",
        "That's stressful, I'm sorry. Let's look at your options.",
    ),
    "illness": _lines(
        "I'm sorry to hear that, I hope things get better.",
        "Sorry to hear about the health issues.",
    ),
}
_MOTIVATION = {
    Motivation.RELOCATION: _lines("A move, understood.", "Relocating, got it."),
    Motivation.RETIREMENT: _lines("Congrats on retiring.", cheerful=True)
    + _lines("Retirement, understood."),
    Motivation.DOWNSIZING: _lines("Going smaller, got it.", "Downsizing, understood."),
    Motivation.UPSIZING: _lines("Needing more room, I hear you.")
    + _lines("A bigger place, nice.", cheerful=True),
    Motivation.TIRED_LANDLORD: _lines(
        "Being a landlord gets old, I hear you.", "Done with tenants, understood."
    ),
    Motivation.FAMILY: _lines("Family first, understood.", "For family, got it."),
    Motivation.CURIOUS: _lines(
        "Fair enough, no pressure at all.", "Curious is fine, no pressure."
    ),
    Motivation.OTHER: _lines("Thanks for explaining.", "Okay, that helps."),
}
_PLACE = (
    _Line("{place}, nice.", cheerful=True),
    _Line("{place}, exciting move.", cheerful=True),
    _Line("Moving to {place}, got it."),
    _Line("{place}, understood."),
)
_RETIRE_PLACE = (
    _Line("Retiring to {place}, congrats.", cheerful=True),
    _Line("{place} for retirement, understood."),
)
_TIMELINE_OK = _lines("Good, that timing works.", cheerful=True) + _lines(
    "Okay, the timing works.", "That timing works, noted."
)
_TIMELINE_SPAN_OK = _lines("{span} works, noted.", "Okay, {span} it is.")
_TIMELINE_SLOW = _lines(
    "No rush, {span} is noted.", "Understood, {span}.", "{span}, that's fine."
)
_TIMELINE_LATER = _lines("No rush, understood.", "Okay, you need more time.")
_NOT_MOVING = _lines("Understood, no plans to move yet.")
_CONDITION = {
    "move_in_ready": _lines(
        "Move in ready, great.", "Nice, move in ready.", cheerful=True
    )
    + _lines("Move in ready, noted.", "Ready to move in, good to know."),
    "minor_repairs": _lines(
        "A little work, noted.", "Some touch ups, got it.", "A few fixes, understood."
    ),
    "major_repairs": _lines(
        "Thanks for being upfront about the repairs.", "Noted on the repairs."
    ),
}
_PRICE = _lines("{price}, noted.", "{price}, got it.", "Okay, {price}.")
_GENERIC = _lines("Thanks.", "Okay, thanks.")
_FRIENDLY = {
    "nice.": "nice!",
    "move.": "move!",
    "congrats.": "congrats!",
    "great.": "great!",
    "retiring.": "retiring!",
}


@attrs.frozen(kw_only=True)
class _Voice:
    """The lines of one language."""

    sympathy: dict[str, tuple[_Line, ...]]
    relative: re.Pattern[str]
    relative_words: dict[str, str]
    loss: tuple[str, str]  # "I'm sorry about your {who}." and a second way
    motivation: dict[Motivation, tuple[_Line, ...]]
    place: tuple[_Line, ...]
    retire_place: tuple[_Line, ...]
    timeline_ok: tuple[_Line, ...]
    timeline_span_ok: tuple[_Line, ...]
    timeline_slow: tuple[_Line, ...]
    timeline_later: tuple[_Line, ...]
    not_moving: tuple[_Line, ...]
    condition: dict[str, tuple[_Line, ...]]
    price: tuple[_Line, ...]
    generic: tuple[_Line, ...]
    friendly: dict[str, str]


_EN = _Voice(
    sympathy=_SYMPATHY,
    relative=_RELATIVE,
    relative_words={},
    loss=("I'm sorry about your {who}.", "I'm so sorry about your {who}."),
    motivation=_MOTIVATION,
    place=_PLACE,
    retire_place=_RETIRE_PLACE,
    timeline_ok=_TIMELINE_OK,
    timeline_span_ok=_TIMELINE_SPAN_OK,
    timeline_slow=_TIMELINE_SLOW,
    timeline_later=_TIMELINE_LATER,
    not_moving=_NOT_MOVING,
    condition=_CONDITION,
    price=_PRICE,
    generic=_GENERIC,
    friendly=_FRIENDLY,
)

_ES = _Voice(
    sympathy={
        "death": _lines(
            "Lo siento mucho, mi más sentido pésame.",
            "Lamento mucho su pérdida, tómese el tiempo que necesite.",
        ),
        "divorce": _lines(
            "Siento mucho que esté pasando por eso.",
            "Es mucho con qué lidiar, lo siento.",
        ),
        "job_loss": _lines(
            "Siento oír eso, es una situación difícil.",
            "Lo siento, es un momento difícil.",
        ),
        "foreclosure": _lines(
            "Siento mucho que esté pasando por eso.",
            "Eso es muy estresante, lo siento. Veamos sus opciones.",
        ),
        "illness": _lines(
            "Siento mucho oír eso, espero que todo mejore.",
            "Lamento lo de su salud, espero que mejore pronto.",
        ),
    },
    relative=re.compile(
        r"\b(mam[aá]|madre|pap[aá]|padre|esposo|esposa|marido|abuela|abuelo"
        r"|hermano|hermana|hijo|hija|t[ií]a|t[ií]o|suegra|suegro|papás|papas)\b",
        re.IGNORECASE,
    ),
    relative_words={
        # Written without the accent GSM-7 lacks, "mamá" would go out as "mama".
        "mama": "madre",
        "mamá": "madre",
        "papa": "padre",
        "papá": "padre",
        "papas": "padres",
        "papás": "padres",
        "tia": "tía",
        "tio": "tío",
    },
    loss=("Lamento mucho lo de su {who}.", "Siento mucho lo de su {who}."),
    motivation={
        Motivation.RELOCATION: _lines(
            "Una mudanza, entendido.", "Por cambio, entendido."
        ),
        Motivation.RETIREMENT: _lines("Felicidades por su jubilación.", cheerful=True)
        + _lines("Jubilación, entendido."),
        Motivation.DOWNSIZING: _lines(
            "Algo más pequeño, entendido.", "Una casa más chica, entendido."
        ),
        Motivation.UPSIZING: _lines("Necesitan más espacio, le entiendo.")
        + _lines("Una casa más grande, qué bien.", cheerful=True),
        Motivation.TIRED_LANDLORD: _lines(
            "Ser casero cansa, le entiendo.", "Ya no quiere inquilinos, entendido."
        ),
        Motivation.FAMILY: _lines(
            "La familia primero, entendido.", "Por la familia, entendido."
        ),
        Motivation.CURIOUS: _lines(
            "Muy bien, sin ninguna presión.", "Con gusto, sin ninguna presión."
        ),
        Motivation.OTHER: _lines("Gracias por explicarme.", "Muy bien, eso me ayuda."),
    },
    place=(
        _Line("{place}, qué bien.", cheerful=True),
        _Line("{place}, buen cambio.", cheerful=True),
        _Line("Se muda a {place}, entendido."),
        _Line("{place}, entendido."),
    ),
    retire_place=(
        _Line("Jubilarse en {place}, felicidades.", cheerful=True),
        _Line("{place} para su jubilación, entendido."),
    ),
    timeline_ok=_lines("Muy bien, ese tiempo funciona.", cheerful=True)
    + _lines("Entendido, el tiempo funciona.", "Ese tiempo funciona, anotado."),
    timeline_span_ok=_lines("{span} funciona, anotado.", "Muy bien, {span}."),
    timeline_slow=_lines(
        "Sin prisa, {span}, anotado.", "Entendido, {span}.", "{span}, está bien."
    ),
    timeline_later=_lines("Sin prisa, entendido.", "Entendido, necesita más tiempo."),
    not_moving=_lines("Entendido, todavía no piensa mudarse."),
    condition={
        "move_in_ready": _lines(
            "Lista para vivir, excelente.", "Qué bien, lista para vivir.", cheerful=True
        )
        + _lines("Lista para vivir, anotado.", "Lista para mudarse, bueno saberlo."),
        "minor_repairs": _lines(
            "Un poco de trabajo, anotado.",
            "Unos retoques, entendido.",
            "Algunos arreglos, entendido.",
        ),
        "major_repairs": _lines(
            "Gracias por ser claro con las reparaciones.",
            "Anotado lo de las reparaciones.",
        ),
    },
    price=_lines("{price}, anotado.", "{price}, entendido.", "Muy bien, {price}."),
    generic=_lines("Gracias.", "Muy bien, gracias."),
    friendly={
        "qué bien.": "¡qué bien!",
        "buen cambio.": "¡buen cambio!",
        "felicidades.": "¡felicidades!",
        "excelente.": "¡excelente!",
        "Felicidades por su jubilación.": "¡Felicidades por su jubilación!",
        "Qué bien, lista para vivir.": "¡Qué bien, lista para vivir!",
        "Muy bien, ese tiempo funciona.": "¡Muy bien, ese tiempo funciona!",
    },
)


def acknowledge(
    *,
    text: str,
    reading: Reading,
    before: Slots,
    after: Slots,
    tone: Tone,
    seed: str,
    previous: str = "",
    lang: Language = Language.EN,
) -> str:
    """The acknowledgement of a message (empty when none fits)."""
    voice = _ES if lang is Language.ES else _EN
    sombre = (
        reading.has(ActKind.LIFE_EVENT)
        or reading.has(ActKind.COMPLAINT)
        or after.motivation in SAD_MOTIVATIONS
    )
    lines, values = _lines_for(text, reading, (before, after), voice, lang)
    usable = [line for line in lines if not (sombre and line.cheerful)]
    if not usable:
        return ""
    start = zlib.crc32(seed.encode()) % len(usable)
    for i in range(len(usable)):
        line = usable[(start + i) % len(usable)]
        said = _say(line, values, tone, voice)
        if said and said not in previous:
            return said
    return ""


def _say(line: _Line, values: dict[str, str], tone: Tone, voice: _Voice) -> str:
    said = line.text
    for key, value in values.items():
        said = said.replace("{" + key + "}", value)
    if "{" in said:
        return ""
    said = said[0].upper() + said[1:]
    if tone == "friendly" and line.cheerful:
        for plain, warm in voice.friendly.items():
            if said.endswith(plain):
                said = said[: -len(plain)] + warm
    return said


def _lines_for(
    text: str,
    reading: Reading,
    slots: tuple[Slots, Slots],
    voice: _Voice,
    lang: Language,
) -> tuple[Sequence[_Line], dict[str, str]]:
    """The candidate lines for the most telling thing the message said (`slots`:
    before and after the message)."""
    before, after = slots
    event = next((a for a in reading.acts if a.kind is ActKind.LIFE_EVENT), None)
    new_motivation = after.motivation is not None and (
        after.motivation is not before.motivation or after.move_to != before.move_to
    )
    kind = event.life_event if event is not None else None
    if kind is None and new_motivation and after.motivation in SAD_MOTIVATIONS:
        kind = _LIFE_EVENT_OF[after.motivation]
    if kind in voice.sympathy:
        said = event.evidence.text if event and event.evidence else ""
        relative = None
        if kind == "death":
            relative = voice.relative.search(said) or voice.relative.search(text)
        if relative is not None:
            who = relative.group(1).lower()
            who = voice.relative_words.get(who, who)
            lines = tuple(_Line(line.format(who=who)) for line in voice.loss)
            return lines, {}
        return voice.sympathy[kind], {}
    if new_motivation and after.motivation is not None:
        place = _place(after.move_to, lang)
        if place and after.motivation is Motivation.RETIREMENT:
            return voice.retire_place, {"place": place}
        if place and after.motivation in {Motivation.RELOCATION, Motivation.FAMILY}:
            return voice.place, {"place": place}
        return voice.motivation.get(after.motivation, voice.generic), {}
    if after.timeline_ok is not None and after.timeline_ok != before.timeline_ok:
        span = span_words(after.timeline_days, lang)
        if after.not_moving:
            return voice.not_moving, {}
        if after.timeline_ok:
            lines = voice.timeline_span_ok if span else voice.timeline_ok
            return lines, {"span": span}
        return (voice.timeline_slow if span else voice.timeline_later), {"span": span}
    if after.condition is not None and after.condition is not before.condition:
        return voice.condition[after.condition.value], {}
    if (
        after.price_low is not None
        and after.price_high is not None
        and (
            (after.price_low, after.price_high) != (before.price_low, before.price_high)
        )
    ):
        price = price_words(after.price_low, after.price_high, lang)
        return voice.price, {"price": price}
    return (), {}


#: Where a Spanish destination ends: "Phoenix por trabajo" is echoed as "Phoenix".
_PLACE_END_ES = re.compile(
    r"\s+(?:por|para|con|porque|y|en|de|del|al|que|cuando|ya|pronto)\b.*$",
    re.IGNORECASE,
)


def _place(move_to: str | None, lang: Language = Language.EN) -> str:
    """A place as it can be echoed: plain letters, a few words, capitalized."""
    if move_to and lang is Language.ES:
        move_to = _PLACE_END_ES.sub("", move_to)
    if not move_to or len(move_to) > 30 or not re.fullmatch(r"[A-Za-z .']+", move_to):
        return ""
    return " ".join(w if w.isupper() else w.capitalize() for w in move_to.split())


def price_words(low: int, high: int, lang: Language = Language.EN) -> str:
    """ "425k", "1.2M", "600k to 650k" ("425 mil", "1.2 millones", "600 a 650 mil")."""
    if lang is Language.ES:
        if low == high:
            return _price_es(low)
        if low < 1_000_000 and high < 1_000_000:
            return f"{_price_es(low).removesuffix(' mil')} a {_price_es(high)}"
        return f"{_price_es(low)} a {_price_es(high)}"
    if low == high:
        return format_price(low)
    return f"{format_price(low)} to {format_price(high)}"


def _price_es(amount: int) -> str:
    if amount >= 1_000_000:
        millions = f"{amount / 1_000_000:.2f}".rstrip("0").rstrip(".")
        return f"{millions} millón" if millions == "1" else f"{millions} millones"
    thousands = f"{amount / 1000:.1f}".rstrip("0").rstrip(".")
    return f"{thousands} mil"


_UNITS_ES = {
    "year": ("año", "años"),
    "month": ("mes", "meses"),
    "week": ("semana", "semanas"),
}


def span_words(days: int | None, lang: Language = Language.EN) -> str:
    """ "3 weeks", "4 months", "2 years", "10 days"; empty when unknown (in Spanish
    "3 semanas", "4 meses", "2 años", "10 días")."""
    if days is None or days <= 0:
        return ""
    spanish = lang is Language.ES
    for size, unit in ((365, "year"), (30, "month"), (7, "week")):
        if days >= max(size, 60 if unit == "month" else 0) and days % size == 0:
            n = days // size
            if spanish:
                return f"{n} {_UNITS_ES[unit][n > 1]}"
            return f"{n} {unit}{'s' if n > 1 else ''}"
    if days > 60:
        n = round(days / 30)
        return f"unos {n} meses" if spanish else f"about {n} months"
    return f"{days} días" if spanish else f"{days} days"
