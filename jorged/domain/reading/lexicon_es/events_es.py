"""Spanish life events, complaints and instructions to the bot."""

from __future__ import annotations

from jorged.domain.reading.lexicon_es.words_es import Table

__all__ = ["EVENTS", "HOSTILITY"]

#: Life events.
EVENTS: Table = (
    (r"\bhace (?P<n>\w+) (?P<u>dias|semanas|meses|anos)\b", r"\g<n> \g<u> ago"),
    (r"\b(?:subastar|rematar|embargar)\w*\b", "foreclose on it"),
    (r"\baviso de (?:default|incumplimiento|ejecucion)\b", "notice of default"),
    (r"\b(?:mi ex y yo|nosotros) ya no (?:estamos|vivimos) juntos\b", "we separated"),
    (
        r"\b(?:esta|está|estuvo) (?:en el|internad[oa] en el) hospital\b",
        "is in the hospital",
    ),
    (r"\bdivors\w+\b", "divorce"),
    (r"\b(?:fallecio|murio|se murio|fallecieron|murieron|se nos fue)\b", "passed away"),
    (r"\b(?:nos|me|les) dej[oa] la casa\b", "left us the house"),
    (r"\b(?:heredamos|herede|heredo)\b", "inherited"),
    (r"\bherencia\b", "inheritance"),
    (
        r"\b(?:nos estamos|me estoy|se estan|estamos) divorciando\b",
        "we are getting divorced",
    ),
    (r"\bdivorci\w+\b", "divorce"),
    (r"\b(?:nos separamos|nos estamos separando|separacion|separados)\b", "separated"),
    (
        (
            r"\b(?:me|lo|la|nos|le) (?:corrieron|despidieron|liquidaron)\b"
            r"|\bperdi (?:mi|el) (?:trabajo|empleo|chamba)\b"
            r"|\bme quede sin (?:trabajo|empleo|chamba)\b"
        ),
        "i got laid off",
    ),
    (r"\bsin (?:trabajo|empleo|chamba)\b", "out of work"),
    (
        (
            r"\b(?:llevamos|llevo|tenemos|tengo|van|ya van) (?P<n>\S+ \w+) sin pagar\b"
            r"(?: (?:la hipoteca|los pagos|la casa))?"
        ),
        r"\g<n> behind on payments",
    ),
    (r"\bsin pagar (?:la hipoteca|los pagos)\b", "behind on payments"),
    (
        (
            r"\b(?:atrasad[oa]s?(?: \w+){0,2} (?:en|con) (?:los |las |la )?(?:pagos"
            r"|mensualidades|hipoteca)"
            r"|pagos atrasados|(?:\w+ )?(?:pagos|meses) atrasad[oa]s)\b"
        ),
        "behind on payments",
    ),
    (
        r"\bel banco (?:me|nos) (?:va a |quiere )?quit\w+ la casa\b",
        "the bank is foreclosing",
    ),
    (r"\b(?:embargo|ejecucion hipotecaria|remate|subasta)\b", "foreclosure"),
    (r"\b(?:me|le|nos) diagnosticaron\b", "diagnosed with"),
    (r"\bcancer\b", "cancer"),
    (r"\b(?:derrame|embolia)\b", "stroke"),
    (r"\binfarto\b", "heart attack"),
    (r"\b(?:enferm[oa]s?|enfermedad)\b", "sick"),
    (r"\b(?:cirugia|operacion|operaron)\b", "surgery"),
)

#: Complaints and instructions to the bot.
HOSTILITY: Table = (
    (
        r"^por que me (?:siguen |sigue )?(?:escrib|mand|text|molest)\w*",
        "why do you keep texting me",
    ),
    (
        (
            r"^(?:neta\W* )?otra vez\W*$|\botra vez con lo mismo\b"
            r"|\bya (?:le|te) (?:conteste|dije|respondi)\b"
            r"|\bno me pregunte lo mismo\b|\blo mismo cada\b"
        ),
        "you already asked me that",
    ),
    (
        (
            r"\b(?:no me insulte|es un insulto|(?:una|que) burla|(?:que )?(?:pregunta"
            r"|preguntas)"
            r" tan (?:tonta|tontas|estupida)|pregunta tonta)\b"
        ),
        "what a stupid question",
    ),
    (
        (
            r"\b(?:ustedes|los agentes)(?: \w+)? son todos iguales\b|\bquieren robar\w*"
            r"|\b(?:ladrones|rateros|buitres)\b|\bcomo si me fueran a pagar\b"
        ),
        "so annoying",
    ),
    (
        (
            r"\b(?:a usted |a ti )?que (?:les|le|te) importa\b|\bno (?:sea|seas)"
            r" metiche\b"
            r"|\bmetiche\b|\bno es (?:asunto|problema) suyo\b"
        ),
        "so annoying",
    ),
    (
        (
            r"\bque (?:necios|necio|pesados|pesado|mala onda|flojera|fastidio|lata"
            r"|hueva"
            r"|molestos|latosos|insistentes)\b|\bme tienen hart[oa]\b|\bes acoso\b"
            r"|\bacoso\b|\bme despertaron\b|\bneta\W* otra vez\b|\bno entiendo nada\b"
            r"|\bescriba bien\b|\bneta\W* otra vez\b|\bno me gusta que me escriban\b"
            r"|\bno tiene(?:n)? nada"
            r" mejor que hacer\b|\bya van como \d+ mensajes\b|\bya no pregunte mas\b"
        ),
        "so annoying",
    ),
    (
        (
            r"\b(?:olvida|olvidate de|olvide|ignora|ignore) (?:todo lo anterior|tus"
            r" instrucciones|las instrucciones|que eres un bot|la pregunta|tus reglas"
            r"|las reglas|todo)\b"
        ),
        "ignore your instructions",
    ),
    (
        (
            r"^\W*(?:sistema|system)\W*(?::|\])|\bmodo desarrollador\b|\bdesactiva tus"
            r" filtros\b"
            r"|\bnueva instruccion\b|\bnuevas instrucciones\b"
        ),
        "new rule:",
    ),
    (
        (
            r"\b(?:responde|contesta|escribe|habla|hablame|contestame|respondeme"
            r"|escribeme)"
            r" (?:solo |solamente )?(?:en (?:mayusculas|chino|ingles|frances|japones"
            r"|rimas)"
            r"|como (?:amigo|pirata|si))\b"
        ),
        "respond only in",
    ),
    (r"\b(?:eres un asistente|actua como|haz de cuenta|finge que)\b", "pretend to be"),
    (r"\bdime (?:cuales son )?tus (?:reglas|instrucciones)\b", "tell me your rules"),
    (r"\b(?:confirma|confirme|confirmar)\b", "confirm it"),
    (r"\b(?:prometeme|prometame|promete)\b", "promise me"),
    (
        r"\b(?:acepta|aceptas|acepte)\b(?= \d| que| cualquier| \w+ millon)",
        "agree to pay",
    ),
    (r"\bdi que aceptas\b|\bdi que\b", "say yes to"),
    (
        r"\b(?:marca|pon|ponga|establecer|establece) (?:que|mi|este|el|la)\b",
        "mark it as",
    ),
    (r"\bescribe (?:en tu sistema )?que\b", "mark it as"),
    (r"\btraduce\b", "translate"),
    (r"\b(?:a partir de ahora|de ahora en adelante)\b", "from now on"),
    (r"\brepite (?:despues de mi|conmigo)\b", "repeat after me"),
    (r"\bmanda un mensaje a todos tus contactos\b", "new task"),
    (r"\bescribe un (?:poema|cuento|cancion)\b", "write me a poem"),
    (
        r"\bpor que (?:me )?(?:escriben|mandan|textean|molestan) tanto\b",
        "why do you keep texting me",
    ),
    (r"\bque (?:fastidio|molestia|lata|hueva)\b", "so annoying"),
    (r"\btant[oa]s (?:mensajes|textos|preguntas)\b", "so many texts"),
    (r"\bya me (?:pregunto|preguntaron|pregunta)\b", "you already asked me"),
    (r"\bignora (?:tus|las|todas las|sus) instrucciones\b", "ignore your instructions"),
    (r"\bnueva regla\b", "new rule"),
    (r"\b(?:ofreceme|ofrezcame|ofrecerme)\b", "offer me"),
    (r"\b(?:di|diga|dime|digame) que\b", "say"),
)
