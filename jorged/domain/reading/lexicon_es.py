"""Spanish (and Spanglish) read through the same readers: a phrase lexicon.

Sellers write Spanish, English, and both in one message, so every message is read
in both languages. The normalized copy of a message (`Text.norm`) has its Spanish
phrases written as the English phrases the readers already know ("dame de baja"
→ "unsubscribe me", "quise decir" → "i meant", "450 mil" → "450 thousand",
"¿sería un problema?" answered "no hay bronca" → "no problem"), while the
evidence still points at the seller's own Spanish words.

Only phrases and words that are Spanish and not English are written out, so an
English message is untouched; a Spanish word with another meaning is written out
only in the phrase that gives it its meaning ("para" is "stop" only as a whole
message, "alto" and "baja" stay prices and floors, "llamar" is a call only as a
request). The tables are grouped by what they feed (consent, questions,
dismissals, calls, corrections, life events, complaints, instructions, motivation,
timeline, condition, amounts), and applied in order: abbreviations first, then
the longer phrases, then single words.
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["REWRITES", "Rewrite"]

#: The English words for a match: a template (groups allowed) or a function of it.
Rewrite = str | Callable[[re.Match[str]], str]

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
ABBREVIATIONS = (
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

#: Opt-outs, their unsure neighbours, wrong numbers.
CONSENT = (
    (r"\bbaja de (?:horas|sueldo|salario|pago|ingresos)\b", "cut in hours"),
    (
        (
            r"\b(?:ya )?(?:pueden|puede|puedes) (?:volver a )?(?:escribirme|mandarme"
            r"|enviarme"
            r"|textearme)(?: (?:mensajes|textos))?(?: (?:otra vez|de nuevo))?\b"
        ),
        "resubscribe",
    ),
    (
        (
            r"(?<!no )\b(?:quiero|queremos) (?:volver a )?recibir (?:sus |tus"
            r" )?(?:mensajes|textos)"
            r"(?: (?:otra vez|de nuevo))?\b"
        ),
        "resubscribe",
    ),
    (
        (
            r"\b(?:volver a activar|reactivar|activar otra vez|activar de nuevo)(?:"
            r" (?:los|sus))?"
            r"(?: (?:mensajes|textos))?\b"
        ),
        "resubscribe",
    ),
    (r"\bstart (?:de nuevo|otra vez)\b", "start again"),
    (r"\bme arrepenti,? (?=start\b)", "changed my mind. "),
    (r"^(?:necesito |quiero )?ayuda+\W*$", "help"),
    (r"^(?:mas )?informacion\W*$", "info"),
    (
        (
            r"^(?:ya )?(?:para|alto|baja|cancelar)(?: (?:ya|por favor|gracias|de una"
            r" vez))*$"
        ),
        "stop",
    ),
    (r"\bcancelar (?:la )?suscripcion\b", "unsubscribe"),
    # a contact verb negated or stopped, in any person: "favor de no volver a
    # contactarme", "no me sigan mandando", "dejen de buscarme"
    (
        (
            r"\b(?:ya )?(?:no|nunca)(?: (?:me|nos))?(?: (?:vuelva|vuelvan|vuelvas"
            r"|volver|sigan"
            r"|siga|sigas|seguir|quiero que me|queremos que nos|quiero que|queremos"
            r" que)"
            r"(?: a)?)?(?: (?:me|nos))? (?:escrib(?:a|an|as|ir|iendo)|(?:mand|envi"
            r"|contact"
            r"|texte|llam|molest|fastidi)(?:e|en|es|ar|ando)|(?:busqu|marqu)(?:e|en|es)"
            r"|buscar|marcar)(?:me|nos)?\b"
            r"(?! (?:el|la|los|las|lo|un|una|eso|esto|todavia|hasta|antes|hoy|ahorita"
            r"|despues|luego|mas tarde|en la|por la|a las|en ingles|en espanol|en"
            r" english"
            r"|tan temprano|tan tarde|de noche|en la noche)\b)"
            r"(?: (?:mas|nunca mas|nada|mensajes|textos|a este numero))*"
        ),
        "stop texting me",
    ),
    (
        (
            r"\b(?:ya )?(?:dejen|deje|deja|dejar|paren|pare|para|parale|basta) de"
            r" (?:escrib|mand"
            r"|envi|contact|texte|llam|molest|busc|marc|fastidi|chingar|fregar"
            r"|joder)\w*"
            r"(?: (?:con sus mensajes|mensajes|textos))?"
        ),
        "stop texting me",
    ),
    (
        (
            r"\b(?:saque|saquen|saca|sacar|quite|quiten|quita|quitar|borre|borren|borra"
            r"|borrar|elimine|eliminen|elimina|eliminar|remueva|remuevan)(?:me|nos|n"
            r"|nme"
            r"|nnos)? de (?:su|sus|tu|tus|la|las|esta|este|el|los) (?:lista|listas|base"
            r"|sistema|contactos|registro|registros|base de datos)\w*(?: de"
            r" (?:contactos"
            r"|datos|envios|mensajes))?"
        ),
        "take me off your list",
    ),
    (
        (
            r"\bse (?:equivoc\w+|confundi\w+) de (?:numero|persona|telefono)\b"
            r"|\b(?:numero|persona|telefono) equivocad[oa]\b"
        ),
        "wrong number",
    ),
    (r"\bquiero darme de baja\b", "unsubscribe me"),
    (r"\b(?:dame|denme|deme|darme|dar|me doy) de baja\b", "unsubscribe me"),
    (
        (
            r"\b(?:ya )?no (?:me|nos) (?:vuelva|vuelvan|vuelvas) a (?:escribir|mandar"
            r"|enviar|contactar|textear|llamar)\w*(?: (?:mensajes|textos|nada))?"
        ),
        "dont text me again",
    ),
    (r"\bno escriban\b", "dont text me"),
    (
        (
            r"\b(?:ya )?no (?:quiero|queremos|deseo) (?:recibir )?(?:mas )?(?:sus |tus"
            r" )?"
            r"(?:mensajes|textos|llamadas)(?: de ustedes)?\b"
        ),
        "dont want any more texts",
    ),
    (
        (
            r"\bno (?:quiero|queremos) que (?:me|nos) (?:contacten|escriban|manden"
            r"|llamen|molesten)\b"
        ),
        "stop texting me",
    ),
    (
        r"\b(?:favor de )?no (?:enviar|mandar|escribir) mas (?:mensajes|textos)\b",
        "stop texting me",
    ),
    (
        (
            r"\bcomo (?:le )?hago para que (?:ya )?no me (?:lleguen|manden|escriban)"
            r"(?: (?:sus|mas|los|estos))* ?(?:mensajes|textos)?"
        ),
        "how do i stop these texts",
    ),
    (r"\bcomo me salgo de (?:esta|la|su|tu) lista\b", "how do i get off this list"),
    (
        (
            r"\b(?:sacame|saqueme|saquenme|quitame|quiteme|quitenme|borrame|borreme"
            r"|borrenme|eliminame|elimineme|eliminenme) de (?:esta|la|su|tu) lista"
            r"(?: de contactos)?\b"
        ),
        "take me off your list",
    ),
    (
        (
            r"\b(?:borra|borre|borren|elimina|elimine|eliminen|quita|quite|quiten)"
            r" (?:mi numero|mis datos|mi informacion)\b(?: de (?:su|tu|la) lista)?"
        ),
        "delete my number",
    ),
    (
        (
            r"\b(?:ya )?(?:dejen|deja|deje|dejame|dejeme|dejenme|para|paren|pare"
            r"|parale)"
            r" de (?:chingar|molestar|fregar|joder|escribir\w*|mandar\w*|enviar\w*"
            r"|textear\w*)(?: con sus mensajes| mensajes)?"
        ),
        "stop texting me",
    ),
    (r"\b(?:dejame|dejeme|dejenme|dejanos|dejenos) en paz\b", "leave me alone"),
    (
        (
            r"\b(?:vete|vayase|vayanse|vallanse|valla) (?:a la|al) (?:verga|chingada"
            r"|mierda|carajo|fregada)\b|\bchinga tu madre\b"
        ),
        "fuck off",
    ),
    (r"\bno molest(?:e|en|es)? cabrones\b", "leave me alone"),
    (r"\bpinches spammers\b", "fuck off"),
    (r"\bbloquead[oa]\b", "blocked this number"),
    (
        (
            r"\b(?:tiene el|tienen el|es el|el) numero equivocado\b|\bnumero"
            r" equivocado\b"
            r"|\bse equivoc\w+ de numero\b"
        ),
        "wrong number",
    ),
    (r"\b(?:este )?no es el (?:numero|telefono) de \w+\b", "wrong number"),
    (r"\bno conozco a (?:ningun|ninguna|ningún) \w+\b", "dont know any jorge"),
    (r"\bno vive nadie con ese nombre\b", "nobody by that name here"),
    # brush-offs (unsure)
    (
        (
            r"^(?:ya(?: estuvo| fue| chole| basta| no| no quiero| fue suficiente)?"
            r"|basta|suficiente|olvidalo|no mas|ok ya)(?:[,.!]* adios)?[.!]*$"
        ),
        "im done",
    ),
    (r"^ya parale$", "im done"),
    (r"^ya me canse de esto$", "im done"),
    (r"^estoy bien(?:,? gracias)?$", "im good thanks"),
    (r"^ya no gracias$", "no thanks"),
    (r"^(?:nel|no)(?:,)? (?:bye|adios)$", "no bye"),
    (r"^no gracias(?: bye| adios)$", "no thanks bye"),
    (r"\badios\b", "bye"),
    (r"\bme puede escribir menos seguido\b", "text me less"),
)

#: Questions back.
QUESTIONS = (
    (
        (
            r"\b(?:solo|no mas|nomas) (?:quiero|queria|queremos) (?:ver|saber) (?:en"
            r" )?cuanto"
            r" (?:vale|me ofrecen|me darian|nos darian)\b"
        ),
        "just curious what its worth",
    ),
    (
        (
            r"\b(?:ver|saber) (?:en )?cuanto (?:me )?(?:ofrecen|darian|daria|vale"
            r"|valdria"
            r"|pagarian)\b"
        ),
        "what its worth",
    ),
    (r"\bcon quien tengo el gusto\b|\b(?:eres|es usted|es) jorge\b", "who is this"),
    (
        (
            r"\b(?:esto |es |eres |me contesta |contesta |me responde |responde )(?:un "
            r"|una )?"
            r"(?:bot|robot|automatico|automatizado|inteligencia artificial|ia|maquina"
            r"|grabacion|programa)\b"
        ),
        "is this a bot",
    ),
    (
        (
            r"\b(?:hablo|estoy hablando|estoy escribiendo|me escribe) con (?:un |una )?"
            r"(?:humano|persona|persona real|alguien real|alguien)\b"
        ),
        "am i talking to a real person",
    ),
    (
        (
            r"\b(?:de donde|como|donde) (?:tienen|tiene|sacaron|saco|consiguieron"
            r"|consiguio"
            r"|obtuvieron|obtuvo) (?:mis datos|mi informacion|mi info|mi contacto)\b"
        ),
        "how did you get my number",
    ),
    (
        (
            r"\bque porcentaje (?:cobran|cobra|se llevan|es)\b|\bcobran algo\b"
            r"|\bcuanto (?:es|seria) (?:su|la|tu) comision\b"
        ),
        "what do you charge",
    ),
    (
        (
            r"\b(?:usted |ustedes )?(?:cuanto|en cuanto) (?:cree|creen|piensa|piensan"
            r"|calcula)"
            r" (?:que )?(?:vale|valdria|se vende)\b|\bdigame cuanto vale\b"
        ),
        "what do you think its worth",
    ),
    (
        r"\ben cuanto se (?:venden|vendieron|estan vendiendo) las casas\b",
        "what do homes go for",
    ),
    (
        (
            r"\b(?:son|es) (?:una )?(?:compania|empresa|agencia) (?:real|de verdad"
            r"|legitima)\b"
        ),
        "is this legit",
    ),
    (
        r"\bcual es el proceso\b|\b(?:y )?ahora que (?:hacemos|sigue|hago)\b",
        "how does this work",
    ),
    (
        (
            r"\b(?:quien (?:habla|es|eres|es usted|me escribe|me habla|son|es este"
            r"|manda)|con quien hablo|de parte de quien|quien me esta escribiendo)\b"
        ),
        "who is this",
    ),
    (r"\bpara quien trabaja(?:s|n)?\b", "who do you work for"),
    (
        r"\b(?:de )?que (?:compania|empresa|agencia|oficina|inmobiliaria)\b",
        "which brokerage",
    ),
    (
        (
            r"\b(?:es|eres|esto es|es usted|son) (?:una persona|un robot|un bot|una"
            r" maquina"
            r"|humano|una persona real|real)\b"
        ),
        "are you a bot",
    ),
    (
        (
            r"\b(?:hablo|estoy hablando|estoy escribiendo) con (?:una maquina|un robot"
            r"|un bot|una persona(?: real)?|alguien real)\b"
        ),
        "am i talking to a bot",
    ),
    (
        (
            r"\b(?:de donde|como|donde) (?:saco|sacaron|sacan|consiguio|consiguieron"
            r"|obtuvo|obtuvieron|tiene|tienen|agarraron|saco usted) (?:mi|este)"
            r" (?:numero|telefono)\b"
        ),
        "how did you get my number",
    ),
    (
        (
            r"\bcuanto (?:cobra|cobran|cobras|es la comision|de comision|se llevan)\b"
            r"|\bcual es (?:su|la|tu) comision\b"
        ),
        "what is your commission",
    ),
    (
        (
            r"\bcuanto (?:me )?(?:darian|daria|darias|pagarian|pagaria|ofrecen|ofrece"
            r"|ofrecerian|ofreceria|pagan|dan)\b(?: por (?:ella|la casa|mi casa|la))?"
        ),
        "what would you pay for it",
    ),
    (r"\b(?:hagame|hazme|haganme|denme|deme) una oferta\b", "make me an offer"),
    (r"\bcuanto (?:vale|valdria|cuesta)\b", "what its worth"),
    (
        (
            r"\bcomo (?:funciona|trabaja|trabajan) (?:esto|eso|ustedes)?|\bcomo es el"
            r" proceso\b|\bque (?:sigue|pasa despues|tengo que hacer)\b"
        ),
        "how does this work",
    ),
    (
        r"\b(?:esto )?es (?:una )?estafa\b|\bes (?:legit|legitimo|en serio)\b",
        "is this a scam",
    ),
)

#: Dismissals.
DISMISSALS = (
    (r"\bnunca (?:la |lo )?(?:voy|vamos) a vender\b", "never going to sell"),
    (
        r"\bno (?:tenemos|tengo) (?:planes|pensado|intencion|intenciones) de vender\b",
        "no plans to sell",
    ),
    (r"\bno nos vamos a (?:mover|mudar|ir)\b", "we are not moving"),
    (r"\baqui nos quedamos\b|\bnos vamos a quedar aqui\b", "not selling"),
    (
        r"\b(?:ya )?(?:esta|está) (?:en venta|en el mercado|listada|anunciada) con\b",
        "its listed with",
    ),
    (
        (
            r"\bya (?:firmamos|firme) con (?:un|una|el|la) (?:realtor|agente"
            r"|corredor\w*)\b"
        ),
        "we signed with an agent",
    ),
    (
        r"\bes (?:agente|realtor) y (?:el|ella) la (?:esta|está) vendiendo\b",
        "is an agent, listed with an agent",
    ),
    (r"\b(?:la|lo) (?:vendi|vendimos|vendieron)\b", "we sold it"),
    (r"\bya no es (?:mia|nuestra|de nosotros)\b", "its not mine anymore"),
    (
        r"\b(?:ya )?(?:esta|está) en escrow(?: con (?:otro|un) comprador)?\b",
        "in escrow with a buyer",
    ),
    (
        r"\b(?:la|lo) (?:rento|rentamos|alquilo|alquilamos)(?: en| por)?\b",
        "we rent it for",
    ),
    (
        r"\b(?:la tengo|la tenemos|tengo una casa|tenemos una casa) rentada\b",
        "i rent it out",
    ),
    (
        (
            r"\b(?:aqui|aca) (?:rentamos|rento|alquilamos|alquilo)\b|\b(?:soy|somos)"
            r" inquilin[oa]s?\b|\b(?:rento|rentamos|alquilo|alquilamos)"
            r" (?:aqui|aca|esta casa)\b|\b(?:estoy|estamos) rentando\b"
            r"|\b(?:yo )?(?:solo|nomas|no mas) (?:rento|alquilo)\b"
        ),
        "i rent here",
    ),
    (
        (
            r"\bno (?:estamos|estoy|esta) (?:vendiendo|a la venta|en venta)\b"
            r"|\bno (?:vamos|voy|queremos|quiero|pensamos|pienso|planeamos) (?:a"
            r" )?vender\b"
            r"|\bno (?:la|lo) (?:vendo|vendemos|voy a vender|vamos a vender)\b"
            r"|\bno (?:se vende|esta a la venta)\b"
        ),
        "not selling",
    ),
    (
        r"\bno (?:me|nos) interesa\b|\bno (?:estoy|estamos) interesad[oa]s?\b",
        "not interested",
    ),
    (
        (
            r"\b(?:ya )?(?:esta|la tenemos|la tengo|la pusimos|la puse|la listamos"
            r"|la liste|esta listada|la tiene) (?:listada |en venta |a la venta )?con"
            r" (?:un|una|el|la|otro|otra|nuestro|nuestra|mi) (?:agente|realtor|corredor"
            r"|corredora|agencia)\b"
        ),
        "its listed with an agent",
    ),
    (
        r"\bya (?:tenemos|tengo) (?:un |una )?(?:agente|realtor|corredor)\b",
        "we already have an agent",
    ),
    (r"\bya se vendio\b|\bya vendimos\b", "we sold it already"),
    (
        r"\bno (?:soy|somos) (?:el|la|los) (?:dueno|duena|duenos|propietari\w+)\b",
        "im not the owner",
    ),
)

#: Call requests and the times they name.
CALLS = (
    (
        r"\b(?:puede|pueden|podria|podrian|puedes) (?:llamarme|marcarme|hablarme)\b",
        "can you call me",
    ),
    (r"\bcuando me va a (?:llamar|marcar|hablar) (?:jorge|el)\b", "have jorge call me"),
    (r"\bprefiero (?:hablar|vernos) en persona\b", "id rather meet in person"),
    (r"\bcuando (?:puede|pueden) venir\b", "when can you come by"),
    (
        r"\b(?:puede|pueden) pasar (?P<d>(?:el \w+ )?)a ver la casa\b",
        r"can you come see the house \g<d>",
    ),
    (
        r"\b(?:mejor )?(?:hablemos|platiquemos) por telefono\b|\bmejor por telefono\b",
        "lets talk on the phone",
    ),
    (r"\b(?:estoy|estamos) (?:libre|libres|disponible|disponibles)\b", "im free"),
    (r"\bpuedo (?:hablar|platicar)\b", "call me then"),
    (r"\bque me (?:llame|marque|hable)\b", "have him call me"),
    (
        (
            r"\b(?:le |yo le )?(?:hablo|llamo|marco) yo\b|\b(?:le )?(?:hablo|llamo"
            r"|marco) a jorge\b"
            r"|\b(?:me pasa|pasame|me da|deme|me das|me manda) (?:su|el) (?:numero"
            r"|telefono)\b"
        ),
        "ill call him, send me his number",
    ),
    (
        r"\bque (?:me )?(?:llame|marque|hable) (?:jorge|el)\b",
        "have jorge call me",
    ),
    (
        (
            r"\b(?:llameme|llamame|llamenme|marqueme|marcame|marquenme|hableme"
            r"|me (?:puede|pueden|podria|podrian|puedes) (?:llamar|marcar|hablar))\b"
        ),
        "call me",
    ),
    (
        r"\b(?:mejor )?(?:llame|marque)(?:n)?(?: (?:mejor|por favor))?\b(?= |$)",
        "call me",
    ),
    (r"\bprefiero (?:hablar|platicar) por telefono\b", "id rather talk on the phone"),
    (r"\b(?:es )?mas facil (?:hablar|platicar)\b", "easier to talk"),
    (
        r"\b(?:pase|pasen|venga|vengan) a ver la casa\b|\bpasar a ver la casa\b",
        "come see the house",
    ),
    (r"\b(?:en|por) la manana\b", "in the morning"),
    (r"\bmanana\b", "tomorrow"),
    (r"\b(?:en|por) la (?:tarde|tardecita)\b", "in the afternoon"),
    (r"\b(?:en|por) la noche\b", "at night"),
    (r"\bdespues de las\b", "after"),
    (r"\bantes de las\b", "before"),
    (r"\ba las\b", "at"),
    (r"\bhoy\b", "today"),
)

#: Corrections.
CORRECTIONS = (
    (
        (
            r"\b(?:perdon|perdone|disculpe|disculpa|perdona|sorry),? (?:quise decir"
            r"|queria decir|me equivoque|mejor dicho|no)\b"
        ),
        "sorry i meant",
    ),
    (r"\b(?:quise decir|queria decir|mejor dicho)\b", "i meant"),
    (r"\bme equivoque\b", "scratch that"),
    (
        r"\b(?:perdon|perdone|disculpe|disculpa|perdona|sorry),? (?:era|eran|es|son)\b",
        "sorry i meant",
    ),
    (
        r"\b(?:olvide|olvida|olvidese|olvidate de) lo que (?:le |te )?(?:dije|puse)\b",
        "forget what i said",
    ),
    (
        (
            r"\b(?:cambie|cambiamos) de (?:opinion|idea|parecer)\b|\bpensandolo (?:bien"
            r"|mejor)\b|\bahora resulta que\b|\ble menti\b|\bme falto un cero\b"
            r"|\b(?:oops|ups|uy) le (?:puse|escribi)\b|\bno,? espere\b"
            r"|\bel (?:precio|numero) que le di estaba mal\b|\blo de antes\b"
        ),
        "scratch that",
    ),
    (r"\b(?:antes )?le dije que\b", "correction i said"),
    (r"\ben realidad\b|\bla verdad es\b", "actually"),
    (
        (
            r"^(?:(?:oiga|bueno|pues|no|ok) )?mejor\b(?! (?:dicho|para|que nada))"
            r"|\by mejor\b(?! para)"
        ),
        "actually",
    ),
    (r"\bahora (?=quiero|queremos|necesit|son|es|pido)", "now "),
    (r"(?<=\d) no (?=\$?\d)", " not "),
    (
        (
            r"\bno (?:son |es )?(?P<a>\$?\d+[\w.]*(?: (?:mil|dias|semanas|meses))?),"
            r" (?:son |es |sino )?(?=\S)"
        ),
        r"not \g<a>, its ",
    ),
    (r"\bcorrijo\b|\bcorreccion\b", "correction"),
)

#: Life events.
EVENTS = (
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
            r"\b(?:atrasad[oa]s? (?:en|con) (?:los |las )?(?:pagos|mensualidades)"
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
HOSTILITY = (
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
    (r"\bya me (?:pregunto|preguntaron|pregunta)\b", "you already asked me"),
    (r"\bignora (?:tus|las|todas las|sus) instrucciones\b", "ignore your instructions"),
    (r"\bnueva regla\b", "new rule"),
    (r"\b(?:ofreceme|ofrezcame|ofrecerme)\b", "offer me"),
    (r"\b(?:di|diga|dime|digame) que\b", "say"),
)

#: Reasons to sell and destinations.
MOTIVATION = (
    (
        r"\b(?:ya )?no (?:puede|pueden) vivir sol[oa]s?\b",
        "needs us to take care of her",
    ),
    (
        (
            r"\b(?:dejeme|dejame|tengo que|necesito|primero tengo que) (?:consultarlo"
            r"|hablarlo"
            r"|platicarlo|preguntarle|checarlo|verlo|ver|consultar|hablar|platicar)"
            r" (?:con|que"
            r" dice)\b"
        ),
        "let me talk to",
    ),
    (r"\b(?:nos vamos|me voy|vamos) a (?:retirar|jubilar)\b", "we are retiring"),
    (r"\bprobando el mercado\b", "testing the market"),
    (
        (
            r"\b(?:la casa )?(?:era|fue) de (?:el|ella|mi|mis|nuestr[oa]s?)(?: \w+)?\b"
            r"|\bque en paz descanse\b|\bq ?e ?p ?d\b"
        ),
        "left us the house",
    ),
    (
        r"\b(?:a|para) cuidarl[oa]s?\b|\b(?:a|para) cuidar a (?:mi|mis) \w+\b",
        "to take care of them",
    ),
    (
        (
            r"\b(?:nos queremos ir|queremos irnos|irnos a vivir|vivir|nos vamos|me voy"
            r"|nos mudamos|vamos|irnos) con (?:ella|el|ellos"
            r"|ellas)\b|\bse (?:va|viene) a vivir con nosotros\b"
        ),
        "to be near family",
    ),
    (
        (
            r"\b(?:las )?cuentas del (?:hospital|doctor|medico)\b|\bgastos medicos\b"
            r"|\bbiles medicos\b"
        ),
        "medical bills",
    ),
    (
        (
            r"\b(?:la casa )?(?:es|esta|está) (?:muy |demasiado )?grande\b"
            r"|\bmuy grande (?:pa|para)\b"
        ),
        "too big for",
    ),
    (r"\b(?:ya )?(?:nos )?queda (?:chica|pequena|chiquita|apretada)\b", "outgrew it"),
    (r"\b(?:ya )?(?:nos )?queda (?:muy |demasiado )?grande\b", "too big for us"),
    (
        (
            r"\b(?:los )?(?:ninos|hijos|muchachos|chamacos) ya se (?:fueron|casaron)\b"
            r"|\bse (?:fueron|casaron) (?:los|mis) (?:ninos|hijos|muchachos)\b"
        ),
        "kids moved out",
    ),
    (
        (
            r"\b(?:ya )?no (?:aguanto|soporto|aguantamos|soportamos)"
            r"(?: a)?(?: (?:los|las|mis))?\b"
        ),
        "sick of the",
    ),
    (r"\b(?:irme|irnos) a vivir\b", "move"),
    (r"\balgo de un (?:piso|nivel|solo piso)\b", "something single story"),
    (
        r"\b(?:me|nos) (?:canse|cansamos|harte|hartamos) de(?: (?:los|las|mis))?\b",
        "sick of the",
    ),
    (
        (
            r"\b(?:cansad[oa]s?|hart[oa]s?) de (?:ser (?:dueno|duena|landlord|casero)"
            r"|rentarla"
            r"|rentar(?:la)?)\b"
        ),
        "sick of being a landlord",
    ),
    (
        (
            r"\b(?:necesitamos|necesito|ocupamos|ocupo) el dinero\b|\b(?:estamos|estoy)"
            r" batallando\b|\bno (?:nos |me )?alcanza(?: el dinero)?\b"
        ),
        "need the money",
    ),
    (
        r"\bya no (?:queremos|quiero) vivir (?:aqui|aca)\b",
        "we dont want to live here anymore",
    ),
    (
        r"\bpor eso (?:vendemos|vendo|la vendemos|queremos vender)\b",
        "thats why were selling",
    ),
    (r"\b(?:los|las) (?=neighbor|tenants|kids|grandkids)", "the "),
    (r"\bson muy\b", "are very"),
    (r"\btrafico\b", "traffic"),
    (r"\bcrimen\b", "crime"),
    (r"\bproblematic[oa]s\b", "problematic"),
    (r"\bno es (?:por|for) (?:el )?(?:trabajo|work)\b", "not for work"),
    (
        r"\bcon (?:la|mi|mis|nuestra) (?:familia|family|papas|padres)\b",
        "to be near family",
    ),
    (r"\bcomprar\b", "buy"),
    (r"\brancho\b", "ranch"),
    (r"\b(?:queremos|quiero)\b(?= (?:buy|sell|move|moving|a|un|una)\b)", "we want"),
    (r"\bun(?:a)?\b(?= (?:ranch|house|condo|place|job|transfer)\b)", "a"),
    (
        r"\b(?:otra sucursal|otra oficina|otra planta|otra base)\b",
        "a transfer for work",
    ),
    (r"\bmi jefe\b", "my boss"),
    (r"\b(?:me|nos) (?:tengo|tenemos) que ir\b", "have to move"),
    (r"\bpor (?:el )?trabajo\b", "for work"),
    (
        r"\bnos (?:vamos|mudamos|regresamos|cambiamos) (?:a|para|pa)\b",
        "we are moving to",
    ),
    (r"\bme (?:voy|mudo|regreso|cambio) (?:a|para|pa)\b", "im moving to"),
    (
        r"\b(?:mudamos|mudaremos|mudando|mudarnos|mudarme|mudar|mudemos|mudamos)\b",
        "moving",
    ),
    (
        (
            r"\b(?:me|lo|la|nos|le) (?:transfirieron|transfieren|cambiaron de base"
            r"|mandaron|mandan)\b"
        ),
        "transferred",
    ),
    (r"\b(?:transferencia|traslado)\b", "transfer"),
    (r"\b(?:trabajo|chamba|empleo)\b", "job"),
    (
        (
            r"\b(?:jubilar\w*|jubilo|jubilamos|jubilacion|jubilad[oa]s?|retirar\w*"
            r"|retiro|retiramos)\b"
        ),
        "retiring",
    ),
    (
        r"\b(?:muy grande|demasiado grande|mucha casa|mucho espacio) para\b",
        "too big for",
    ),
    (
        r"\b(?:algo mas (?:chico|chica|pequeno|pequena)|mas chiquita)\b",
        "something smaller",
    ),
    (
        (
            r"\b(?:algo mas grande|una casa mas grande|mas grande|mas espacio|no"
            r" cabemos"
            r"|mas recamaras|mas cuartos)\b"
        ),
        "need a bigger place",
    ),
    (r"\b(?:inquilinos|inquilino|rentadores)\b", "tenants"),
    (r"\b(?:me|nos) (?:canse|cansamos|hartamos|harte)\b", "fed up"),
    (r"\b(?:cansad[oa]s?|hart[oa]s?) de\b", "sick of"),
    (
        (
            r"\b(?:cerca de|junto a|(?:estar|vivir|irnos|ir) con) (?:mi|mis|la|los"
            r"|nuestra|nuestros) "
            r"(?=(?:familia|hijos|hijas|nietos|mama|papa|padres|hija|hijo)\b)"
        ),
        "near my ",
    ),
    (r"\bnietos\b", "grandkids"),
    (r"\b(?:hijos|ninos|chamacos)\b", "kids"),
    (r"\bhija\b", "daughter"),
    (r"\bhijas\b", "daughters"),
    (r"\bhijo\b", "son"),
    (r"\bfamilia\b", "family"),
    (r"\b(?:mama|madre|mami)\b", "mom"),
    (r"\b(?:papa|padre|papi|apa)\b", "dad"),
    (r"\bpadres\b", "parents"),
    (r"\b(?:esposo|marido)\b|\b(?<=mi )viejo\b", "husband"),
    (r"\b(?:esposa)\b|\b(?<=mi )(?:vieja|mujer)\b", "wife"),
    (r"\bsuegr[oa]\b", "in law"),
    (r"\bsalud\b", "health"),
    (r"\bescaleras\b", "stairs"),
    (
        (
            r"\b(?:por curiosidad|nomas (?:quiero|queria) saber|no mas (?:quiero"
            r"|queria)"
            r" saber|solo (?:quiero|queria) saber|pura curiosidad|curiosidad)\b"
        ),
        "just curious",
    ),
    (r"\bno (?:me|nos) alcanza\b|\bya no alcanzamos\b", "cant afford"),
    (
        r"\bno (?:puedo|podemos) (?:con|pagar) (?:los pagos|la hipoteca|las cuentas)\b",
        "cant afford the payments",
    ),
    (r"\bdeudas\b", "debt"),
    (r"\bhipoteca\b", "mortgage"),
)

#: The timeline, answered against "¿sería un problema?".
TIMELINE = (
    (
        (
            r"^(?:ok |pues |bueno )?(?:va|sale|okis|oki|ta bien|esta bien|perfecto"
            r"|ningun pedo"
            r"|vale|de acuerdo|orale|dale|andale|juega|va que va|ok va)\W*$"
        ),
        "that works",
    ),
    (
        r"^(?:si|simon|ci|sip)\W* (?:vamos|hagamoslo|va|dale|sale|orale|adelante)\b",
        "yes lets do it",
    ),
    (r"\bno (?:tenemos|tengo) (?:ningun )?problema\b", "no problem"),
    (r"\bpunto\b", "."),
    (r"\b(?:en )?un mes\b", "in 1 month"),
    (r"\b(?:en )?una semana\b", "in 1 week"),
    (r"\bel ano pasado\b", "last year"),
    (
        (
            r"\b(?:ya )?llevamos (?P<n>\S+) (?P<u>\w+) (?:queriendo|tratando de"
            r"|intentando)\b"
        ),
        r"we tried for \g<n> \g<u> to",
    ),
    (r"\bdespues de\b", "after"),
    (r"\bnos podemos salir\b|\bnos salimos\b|\bsalirnos\b", "we can move out"),
    (r"\bsi encontramos\b", "only if we find"),
    (
        (
            r"^(?:si|ci|simon|sip|sii+|claro que si|pues si)\b(?! (?:se|es|quieren"
            r"|quiere"
            r"|me|le|lo|la|nos|usted|ustedes|tu|encontramos|vendemos|vendo|hay|no|puedo"
            r"|podemos|ustedes)\b)"
        ),
        "yes",
    ),
    (r"^si (?:puedo|podemos)\b", "yes we can"),
    (r"\b(?:si )?seria (?:un )?problema\b", "that would be a problem"),
    (
        (
            r"\bno (?:seria|es|hay) (?:ningun |un )?problema\b|\bningun problema\b"
            r"|\bsin problema\b|\bno hay (?:bronca|pedo|clavo|problema|problemas)\b"
        ),
        "no problem",
    ),
    (r"^(?:nel|nop|nope|nel pastel|nanay|nones)\b", "no"),
    (r"\bpara nada\b", "not at all"),
    (
        r"\b(?:esta|estaria) (?:bien|perfecto)\b|\bme parece bien\b|\bde acuerdo\b",
        "that works",
    ),
    (r"\b(?:hagamoslo|hagale|dale|orale)\b", "lets do it"),
    (r"\b(?:muy|demasiado) (?:pronto|rapido)\b|\bmuy poco tiempo\b", "too fast"),
    (
        (
            r"\b(?:entre|mientras) mas (?:rapido|pronto) mejor\b|\blo (?:mas|antes)"
            r" pronto"
            r"(?: posible)?\b|\blo antes posible\b"
        ),
        "sooner is better",
    ),
    (r"\bmas tiempo\b", "more time"),
    (
        r"\b(?:necesito|necesitamos|ocupo|ocupamos|ocupariamos|necesitariamos)\b",
        "we need",
    ),
    (r"\b(?:tengo|tenemos) que (?:hablar|platicar)(?:lo)? con\b", "let me talk to"),
    (r"\bdepende\b", "depends"),
    (r"\bsolo si\b", "only if"),
    (r"\bcomo (?=\d)", "about "),
    (r"\b(?:dias)\b", "days"),
    (r"\bdia\b", "day"),
    (r"\bsemanas\b", "weeks"),
    (r"\bsemana\b", "week"),
    (r"\bmeses\b", "months"),
    (r"\bmes\b", "month"),
    (r"\banos\b", "years"),
    (r"\b(?:un|el) ano\b", "a year"),
    (
        r"^no se\b|\bno (?:se|sabemos|sabria)(?= (?:todavia|aun|que|como|cuando))\b",
        "dont know",
    ),
)

#: The house's condition.
CONDITION = (
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
    (r"\bgoter\w+\b", "leaks"),
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
AMOUNTS = (
    (r"\bmedio millon\b", "half a million"),
    (r"\b(?:un )?millon y medio\b", "1.5 million"),
    (
        r"\b(?:un )?millon (?P<h>" + "|".join(_MILLION_TENTHS) + r")(?: (?:mil|y))?\b",
        lambda m: f"1.{_MILLION_TENTHS[m.group('h')]} million",
    ),
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

#: General words the readers key on.
GENERAL = (
    (r"\bpor que\b(?= )", "why"),
    (r"\b(?:porque|ya que)\b", "because"),
    (r"\bpero\b", "but"),
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


def _compiled(
    table: tuple[tuple[str, Rewrite], ...],
) -> tuple[tuple[re.Pattern[str], Rewrite], ...]:
    return tuple((re.compile(pattern), repl) for pattern, repl in table)


#: Every rewrite, in the order it is applied.
REWRITES = _compiled(
    ABBREVIATIONS
    + CONSENT
    + QUESTIONS
    + DISMISSALS
    + CORRECTIONS
    + CALLS
    + EVENTS
    + HOSTILITY
    + CONDITION
    + AMOUNTS
    + MOTIVATION
    + TIMELINE
    + GENERAL
)
