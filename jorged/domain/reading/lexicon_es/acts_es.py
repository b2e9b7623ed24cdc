"""Spanish questions back, dismissals, call requests and corrections."""

from __future__ import annotations

from jorged.domain.reading.lexicon_es.words_es import Table

__all__ = ["CALLS", "CORRECTIONS", "DISMISSALS", "QUESTIONS"]

#: Questions back.
QUESTIONS: Table = (
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
    (
        (
            r"\bcomo (?:sabe|saben|supo|supieron) (?:mi nombre y )?mi (?:numero|nombre"
            r"|telefono|direccion)\b"
        ),
        "how did you get my number",
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
            r"\b(?:(?:quien|como|donde) (?:le |les |te )?(?:dio|dieron|paso|pasaron)"
            r" (?:mi|este) (?:numero|telefono))\b"
            r"|\b(?:de donde|como|donde) (?:saco|sacaron|sacan|consiguio|consiguieron"
            r"|obtuvo|obtuvieron|tiene|tienen|agarraron|saco usted) (?:mi|este)"
            r" (?:numero|telefono)\b"
        ),
        "how did you get my number",
    ),
    (
        (
            r"\bcuanto (?:cobra|cobran|cobras|es la comision|de comision|se llevan"
            r"|se lleva|se queda|se quedan|ganan|gana)\b"
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
    (r"\bcuanto (?:vale|valdria|cuesta)\b", "what is it worth"),
    (
        (
            r"\bque pasa si\b|\bcomo (?:funciona|trabaja|trabajan)"
            r"(?: (?:esto|eso|ustedes))?|\bcomo es el proceso\b"
            r"|\bque (?:sigue|pasa despues|tengo que hacer)\b"
        ),
        "how does this work",
    ),
    (
        (
            r"\b(?:esto )?es (?:una |un )?(?:estafa|scam|fraude)\b"
            r"|\bes (?:legit|legitimo|en serio)\b"
            r"|\bcomo se que no es (?:una |un )?(?:estafa|scam|fraude)\b"
        ),
        "is this a scam",
    ),
)

#: Dismissals.
DISMISSALS: Table = (
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
        "i have a rental",
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
    (r"\bya no (?:vivo|vivimos) (?:ahi|alli|alla|en esa casa)\b", "we moved out"),
    (r"\b(?:ya )?(?:vendi|vendimos)(?= hace\b)", "we sold it"),
    (r"\bya se vendio\b|\bya vendimos\b", "we sold it already"),
    (
        r"\bno (?:soy|somos) (?:el|la|los) (?:dueno|duena|duenos|propietari\w+)\b",
        "im not the owner",
    ),
)

#: Call requests and the times they name.
CALLS: Table = (
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
    (
        (
            r"\b(?:quiero|quisiera|prefiero|necesito) (?:hablar|platicar)"
            r" (?:con jorge|con el|con alguien|con una persona)\b"
        ),
        "i want to talk to jorge",
    ),
    (r"\b(?:es )?mas facil (?:hablar|platicar)\b", "easier to talk"),
    (
        r"\b(?:pase|pasen|venga|vengan) a ver la casa\b|\bpasar a ver la casa\b",
        "come see the house",
    ),
    (r"\b(?:en|por) la manana\b", "morning"),
    (r"\bmanana\b", "tomorrow"),
    (r"\b(?:en|por) la (?:tarde|tardecita)\b", "afternoon"),
    (r"\b(?:en|por) la noche\b", "night"),
    (r"\b(?:despues de|a partir de) las\b", "after"),
    (r"\bantes de las\b", "before"),
    (r"\ba las\b", "at"),
    (r"\bhoy\b", "today"),
)

#: Corrections.
CORRECTIONS: Table = (
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
            r"\b(?:cambie|cambiamos) de (?:opinion|idea|parecer|planes)\b"
            r"|\bcambio de planes\b|\bpensandolo (?:bien"
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
            r"|\by mejor\b(?! para)|\bsiempre no\b"
            r"|\bmejor\b(?= (?:quiero|queremos|pido|pedimos|son|necesit))"
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
