"""Spanish opt-outs, their unsure neighbours, opt-ins, HELP and wrong numbers."""

from __future__ import annotations

from jorged.domain.reading.lexicon_es.words_es import Table

__all__ = ["CONSENT"]

#: Opt-outs, their unsure neighbours, wrong numbers.
CONSENT: Table = (
    # "alto" and "baja" as high, low and a place are no keywords
    (r"\bbaja california\b", "lower california"),
    (r"^(?:alto|alta)\b(?=\W+(?:como |unos |de |en |pero |\$?\d))", "high"),
    (r"^(?:bajo|baja)\b(?=\W+(?:como |unos |de |en |pero |\$?\d))", "low"),
    (
        r"\b(?:este )?(?:numero|telefono) no es (?:de|del) (?:la |el )?\w+\b",
        "wrong number",
    ),
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
    (r"^(?:ahorita|ahora|por ahora|por el momento) no(?:,? gracias)?\W*$", "not now"),
    (r"^no gracias,? estoy bien\W*$", "no thanks im good"),
    (r"^(?:ya )?(?:dejeme|dejenme|dejame|dejanos)(?: ya)?\W*$", "leave me alone"),
    (r"^(?:nel|no)(?:,)? (?:bye|adios)$", "no bye"),
    (r"^no gracias(?: bye| adios)$", "no thanks bye"),
    (r"\badios\b", "bye"),
    (r"\bme puede escribir menos seguido\b", "text me less"),
)
