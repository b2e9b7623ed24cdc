"""Everything the seller bot says in Spanish, in both tones: the same keys, variants
and placeholders as the English texts of `jorged.domain.conversation.templates`.

Usted throughout, short, the Spanish of Southern California homeowners (no slang a
seller would not use with a stranger). The texts are written with their accents;
the compliance gate turns á í ó ú (which GSM-7 lacks) into a i o u and keeps é ñ ü
¿ ¡ (which it has), so every one of them goes out as one 160-character GSM-7 SMS
(checked by a test over every key, tone and variant).
"""

from __future__ import annotations

__all__ = ["OPT_OUT_CONFIRMATION", "QUESTIONS", "REASKS", "TEXTS"]

OPT_OUT_CONFIRMATION = (
    "Listo, su número fue dado de baja y ya no recibirá más mensajes. Responda "
    "START para reanudar."
)

# slot value -> (direct, friendly)
QUESTIONS = {
    "motivation": (
        "¿Qué le hace considerar vender, y a dónde se mudaría?",
        "Me gustaría saber qué le hace pensar en vender, ¿y a dónde se mudaría?",
    ),
    "timeline": (
        (
            "Si nuestro equipo vendiera su casa en los próximos 30 a 45 días, "
            "¿sería un problema para usted?"
        ),
        (
            "Si vendiéramos su casa en los próximos 30 a 45 días, ¿le causaría "
            "algún problema?"
        ),
    ),
    "condition": (
        (
            "¿Cómo describiría su casa, está lista para vivir o necesitaría algo de "
            "trabajo?"
        ),
        (
            "¿Cómo está la casa estos días, lista para vivir o le falta "
            "un poco de trabajo?"
        ),
    ),
    "price": (
        "¿En qué precio le interesaría vender?",
        "¿Qué precio haría que vender valga la pena para usted?",
    ),
}

REASKS = {
    "motivation": (
        "¿Cuál es la razón principal para vender, y a dónde se iría después?",
        "Nada más para entender, ¿qué le hace pensar en vender y a dónde se iría?",
    ),
    "timeline": (
        "¿Sería un problema vender en los próximos 30 a 45 días, sí o no?",
        (
            "No se preocupe, ¿vender en los próximos 30 a 45 días sería "
            "un problema, sí o no?"
        ),
    ),
    "condition": (
        "¿La casa está lista para vivir, o necesita reparaciones?",
        "¿Alguien podría mudarse de inmediato, o le faltan algunos arreglos?",
    ),
    "price": (
        "¿Qué cantidad necesitaría para vender? Un número aproximado está bien.",
        "Un aproximado está perfecto, ¿con cuánto le gustaría quedarse de la venta?",
    ),
}

# key -> (direct variants, friendly variants)
TEXTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "dismiss.not_selling": (
        ("Entendido, gracias por avisarme. No le volveré a escribir sobre esto.",),
        ("Claro que entiendo, ¡gracias por avisarme! No le volveré a escribir.",),
    ),
    "dismiss.listed": (
        ("Entendido, lo dejo con su agente. Mucha suerte con la venta.",),
        ("Claro que entiendo, lo dejo con su agente. ¡Mucha suerte con la venta!",),
    ),
    "dismiss.sold": (
        ("Felicidades por la venta, gracias por avisarme.",),
        ("¡Felicidades por la venta! Gracias por avisarme.",),
    ),
    "dismiss.renter": (
        ("Gracias por avisarme, disculpe la molestia.",),
        ("Muchas gracias por avisarme, ¡disculpe la molestia!",),
    ),
    "call.when": (
        ("Claro, le aviso a {agent_name} que quiere una llamada {when}.",),
        ("¡Por supuesto! Le aviso a {agent_name} que quiere una llamada {when}.",),
    ),
    "call.any": (
        ("Claro, le aviso a {agent_name} que quiere una llamada.",),
        ("¡Por supuesto! Le aviso a {agent_name} que quiere una llamada.",),
    ),
    "complaint": (
        (
            (
                "Disculpe la molestia. Le escribe {agent_name} de {business_name}, "
                "sobre su casa. Responda STOP y no le escribo más."
            ),
        ),
        (
            (
                "Perdone la molestia. Le escribe {agent_name} de {business_name}, "
                "sobre su casa. Responda STOP y no le escribo más."
            ),
        ),
    ),
    "instruction": (
        ("No puedo acordar nada por mensaje, {agent_name} lo revisa personalmente.",),
        ("No puedo acordar nada por mensaje, {agent_name} lo revisa personalmente.",),
    ),
    "corrected": (
        ("Gracias, ya lo actualicé.", "Listo, actualizado."),
        ("¡Gracias, ya lo actualicé!", "¡Listo, actualizado!"),
    ),
    "corrected.price": (
        ("Gracias, lo actualicé a {price}.",),
        ("¡Gracias, lo actualicé a {price}!",),
    ),
    "close.hot": (
        (
            (
                "Gracias {first_name}, es todo lo que necesito. Le llamo hoy para ver "
                "los siguientes pasos."
            ),
        ),
        (
            (
                "Muchas gracias {first_name}, ¡esto me ayuda mucho! Le llamo hoy para "
                "ver los siguientes pasos."
            ),
        ),
    ),
    "close.warm": (
        (
            (
                "Gracias {first_name}, eso ayuda mucho. Voy a preparar unos números y "
                "le escribo pronto."
            ),
        ),
        (
            (
                "Muchas gracias {first_name}, ¡eso ayuda mucho! Voy a preparar unos "
                "números y le escribo pronto."
            ),
        ),
    ),
    "close.cold": (
        (
            (
                "Gracias {first_name}. Sin ninguna presión, escríbame cuando quiera si "
                "algo cambia."
            ),
        ),
        (
            (
                "¡Muchas gracias {first_name}! Sin ninguna presión, escríbame cuando "
                "quiera si cambian sus planes."
            ),
        ),
    ),
    "offer.two": (
        (
            (
                "Gracias {first_name}, es todo lo que necesito. ¿Le llamo {first} o "
                "{second}?"
            ),
        ),
        (
            (
                "¡Muchas gracias {first_name}, esto ayuda mucho! ¿Le llamo {first} o "
                "{second}?"
            ),
        ),
    ),
    "offer.two.short": (
        ("Tengo {first} o {second}, ¿cuál le queda mejor?",),
        ("Tengo {first} o {second}, ¿cuál le queda mejor?",),
    ),
    "offer.one": (
        (
            (
                "Gracias {first_name}, es todo lo que necesito. Tengo {first} para una "
                "llamada rápida, ¿le queda bien?"
            ),
        ),
        (
            (
                "Muchas gracias {first_name}, ¡esto ayuda mucho! Tengo {first} para "
                "una llamada rápida, ¿le queda bien?"
            ),
        ),
    ),
    "offer.one.short": (
        ("Tengo {first} para una llamada rápida, ¿le queda bien?",),
        ("Tengo {first} para una llamada rápida, ¿le queda bien?",),
    ),
    "offer.again": (
        ("¿Qué le queda mejor, {first} o {second}?",),
        ("¿Cuál le queda mejor, {first} o {second}?",),
    ),
    "offer.again.one": (
        ("¿Le queda bien {first} para una llamada rápida?",),
        ("¿Le quedaría bien {first} para una llamada rápida?",),
    ),
    "booked": (
        ("Listo, quedamos para {slot}. Le llamo a esa hora.",),
        ("¡Listo, quedamos para {slot}! Le llamo a esa hora.",),
    ),
    "booking_failed": (
        (
            (
                "Disculpe, ese horario se acaba de ocupar. Le llamo hoy para buscar un "
                "horario que le quede bien."
            ),
        ),
        (
            (
                "¡Disculpe, ese horario se acaba de ocupar! Le llamo hoy para buscar "
                "otro que le quede bien."
            ),
        ),
    ),
    "call_today": (
        ("No hay problema, le llamo hoy para buscar un horario que le quede bien.",),
        (
            (
                "¡No hay ningún problema! Le llamo hoy para buscar un "
                "horario que le quede bien."
            ),
        ),
    ),
    "help": (
        (
            (
                "{business_name}: mensajes de {agent_name} sobre la venta de su casa. "
                "Responda STOP para no recibir más."
            ),
        ),
        (
            (
                "{business_name}: mensajes de {agent_name} sobre la venta de su casa. "
                "Responda STOP para no recibir más."
            ),
        ),
    ),
    "opt_out": ((OPT_OUT_CONFIRMATION,), (OPT_OUT_CONFIRMATION,)),
    "opt_in": (
        (
            (
                "Volverá a recibir mensajes de {business_name}. Responda STOP para no "
                "recibir más."
            ),
        ),
        (
            (
                "Volverá a recibir mensajes de {business_name}. Responda STOP para no "
                "recibir más."
            ),
        ),
    ),
    "nudge.motivation": (
        (
            "Hola {first_name}, ¿sigue pensando en vender? ¿Qué le hace considerarlo?",
            (
                "Una pregunta {first_name}, ¿qué le hace pensar en vender, y a dónde "
                "se iría?"
            ),
            "Hola {first_name}, ¿sigue abierto a vender? ¿Cuál es el motivo?",
        ),
        (
            (
                "¡Hola {first_name}! ¿Sigue pensando en vender? Me gustaría saber qué "
                "le hace considerarlo."
            ),
            "Hola {first_name}, ¡espero que esté bien! ¿Qué le hace pensar en vender?",
            "Hola {first_name}, ¡solo quería saludar! ¿Sigue abierto a vender?",
        ),
    ),
    "nudge.timeline": (
        (
            (
                "Hola {first_name}, ¿sería un problema vender en los próximos 30 a 45 "
                "días?"
            ),
            (
                "Una pregunta {first_name}, si vendiéramos en 30 a 45 días, ¿sería un "
                "problema?"
            ),
            "Hola {first_name}, ¿vender en más o menos un mes sería un problema?",
        ),
        (
            (
                "¡Hola {first_name}! ¿Vender en los próximos 30 a 45 días le causaría "
                "algún problema?"
            ),
            (
                "Hola {first_name}, ¡espero que esté bien! ¿Una venta en 30 a 45 días "
                "sería un problema?"
            ),
            (
                "Hola {first_name}, ¡solo quería saludar! ¿Una venta rápida "
                "sería un problema?"
            ),
        ),
    ),
    "nudge.condition": (
        (
            (
                "Hola {first_name}, ¿la casa está lista para vivir o necesitaría algo "
                "de trabajo?"
            ),
            "Una pregunta {first_name}, ¿cómo está la casa, lista o necesita trabajo?",
            "Hola {first_name}, ¿la casa necesita reparaciones antes de vender?",
        ),
        (
            (
                "¡Hola {first_name}! ¿La casa está lista para vivir, o le falta un "
                "poco de trabajo?"
            ),
            "Hola {first_name}, ¡espero que esté bien! ¿Cómo está la casa estos días?",
            "Hola {first_name}, ¡solo quería saludar! ¿La casa necesita algún trabajo?",
        ),
    ),
    "nudge.price": (
        (
            "Hola {first_name}, ¿en qué precio le interesaría vender?",
            (
                "Una pregunta {first_name}, ¿qué cantidad necesitaría para vender? Un "
                "aproximado está bien."
            ),
            "Hola {first_name}, ¿con cuánto le gustaría quedarse de la venta?",
        ),
        (
            (
                "¡Hola {first_name}! ¿Qué precio haría que vender valga la "
                "pena para usted?"
            ),
            (
                "Hola {first_name}, ¡espero que esté bien! ¿Tiene un precio aproximado "
                "en mente?"
            ),
            "Hola {first_name}, ¡solo quería saludar! ¿Qué cantidad le funcionaría?",
        ),
    ),
    "nudge.hot": (
        (
            (
                "Hola {first_name}, ¿todavía quiere platicar sobre la venta? Con gusto "
                "le llamo hoy."
            ),
            "Hola {first_name}, ¿a qué hora le queda bien una llamada rápida?",
        ),
        (
            (
                "¡Hola {first_name}! ¿Todavía quiere platicar sobre la venta? Con "
                "gusto le llamo hoy."
            ),
            (
                "Hola {first_name}, ¡espero que esté bien! ¿A qué hora le queda bien "
                "una llamada rápida?"
            ),
        ),
    ),
    "nudge.warm": (
        (
            "Hola {first_name}, ¿sigue pensando en vender este año?",
            (
                "Hola {first_name}, las casas cerca de usted se están vendiendo. "
                "¿Quiere que revise sus números otra vez?"
            ),
            (
                "Hola {first_name}, ¿algún cambio en sus planes de vender? Aquí estoy "
                "cuando usted quiera."
            ),
        ),
        (
            (
                "¡Hola {first_name}! Solo quería saludar, ¿sigue pensando en "
                "vender este año?"
            ),
            (
                "Hola {first_name}, ¡espero que esté bien! ¿Quiere que le prepare "
                "números nuevos de su casa?"
            ),
            (
                "¡Hola {first_name}! ¿Algún cambio en sus planes? Aquí estoy cuando "
                "usted quiera."
            ),
        ),
    ),
    "nudge.cold": (
        (
            (
                "Hola {first_name}, solo quería saludar. ¿Ha cambiado algo en sus "
                "planes para la casa?"
            ),
            (
                "Hola {first_name}, si algún día quiere saber cuánto vale su casa, sin "
                "compromiso, escríbame."
            ),
            "Hola {first_name}, aquí sigo si piensa vender más adelante.",
        ),
        (
            (
                "¡Hola {first_name}! Solo quería saludar, ¿ha cambiado algo en sus "
                "planes?"
            ),
            (
                "Hola {first_name}, ¡espero que esté bien! Con gusto le digo cuánto "
                "vale su casa, sin costo."
            ),
            "¡Hola {first_name}! Aquí sigo si piensa vender más adelante.",
        ),
    ),
}
