"""Spanish reasons to sell and timeline answers (against "¿sería un problema?")."""

from __future__ import annotations

from jorged.domain.reading.lexicon_es.words_es import Table

__all__ = ["MOTIVATION", "TIMELINE"]

#: Reasons to sell and destinations.
MOTIVATION: Table = (
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
        (
            r"\bno (?:puedo|podemos) (?:con|pagar) (?:los pagos|la hipoteca|las cuentas"
            r"|la mortgage|el mortgage|los biles|las biles|la casa)\b"
        ),
        "cant afford the payments",
    ),
    (r"\bdeudas\b", "debt"),
    (r"\bhipoteca\b", "mortgage"),
)

#: The timeline, answered against "¿sería un problema?".
TIMELINE: Table = (
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
            r"\b(?:primero|antes) (?:tengo|tenemos) que"
            r" (?:encontrar|conseguir|comprar)\b"
            r"|\b(?:hasta|cuando|en cuanto) (?:encontremos|consigamos|compremos)\b"
        ),
        "only if we find",
    ),
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
            r"\bcuanto antes(?: mejor)?\b"
            r"|\b(?:entre|mientras) mas (?:rapido|pronto) mejor\b|\blo (?:mas|antes)"
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
