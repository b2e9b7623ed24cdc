"""Everything the seller bot says, in Jorge's words, in two tones.

`render(key, tone, lang=..., variant=..., first_name=..., **values)` fills a template
in the conversation's language (the Spanish texts live in `templates_es`, with the
same keys, variants and placeholders). Keys with
several variants (nudges) pick one by `variant` modulo their count, so a caller that
passes a counter (the follow-up index) never repeats the previous text. The
acknowledgements before a question depend on what the seller said: they live in
`jorged.domain.conversation.acks`; the answers to questions back are configured
(`[seller.answers]`). A template names the contact only as `` {first_name}`` after
a word, so without a name the text still reads well ("Hey, it's Jorge."). The name
is the seller's own text, reduced by `jorged.domain.texting.sms_text.sms_name` first
(letters only, at most 20 characters; nothing left means no name).

Every text here passes the outbound rules of `jorged.domain.texting.compliance`
(checked by a test over every key, tone and variant).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from jorged.domain.conversation import templates_es as es
from jorged.domain.conversation.state import Slot, Temperature
from jorged.domain.language import Language
from jorged.domain.texting.compliance import gsm7_fold
from jorged.domain.texting.sms_text import sms_name

__all__ = [
    "KEYS",
    "OPT_OUT_CONFIRMATION",
    "OPT_OUT_CONFIRMATIONS",
    "Tone",
    "format_slot",
    "nudge_key",
    "opener",
    "question_key",
    "reask_key",
    "render",
    "variants",
]

Tone = Literal["direct", "friendly"]

OPT_OUT_CONFIRMATION = (
    "You're unsubscribed and won't get more texts. Reply START to resume."
)

_QUESTIONS = {
    Slot.MOTIVATION: (
        "What's got you considering wanting to sell, where would you move to?",
        (
            "I'd love to hear what has you thinking about selling, and where would you "
            "move to?"
        ),
    ),
    Slot.TIMELINE: (
        (
            "If our team sold your home within the next 30 to 45 days, would that pose "
            "a problem for you?"
        ),
        (
            "If our team sold your home in the next 30 to 45 days, would that cause "
            "any problems for you?"
        ),
    ),
    Slot.CONDITION: (
        (
            "How would you describe your home, would you say it's move in ready or "
            "would it need some work?"
        ),
        (
            "How's the house looking these days, is it move in ready or would it need "
            "a little work?"
        ),
    ),
    Slot.PRICE: (
        "What price would incentivize you to sell?",
        "What price would make selling worth it for you?",
    ),
}

_REASKS = {
    Slot.MOTIVATION: (
        (
            "What's the main reason you're thinking of selling, and where would you go "
            "next?"
        ),
        (
            "Just so I understand, what's making you think about selling, and where "
            "would you head?"
        ),
    ),
    Slot.TIMELINE: (
        "Would selling in the next 30 to 45 days be a problem for you, yes or no?",
        (
            "No worries, would a sale in the next 30 to 45 days be a problem for you, "
            "yes or no?"
        ),
    ),
    Slot.CONDITION: (
        "Is the house ready to move in, or does it need some repairs?",
        "Would a buyer be able to move right in, or does it need some fixing up?",
    ),
    Slot.PRICE: (
        "What number would you need to get to sell? A rough figure is fine.",
        "Ballpark is totally fine, what number would you want to walk away with?",
    ),
}

# key -> (direct variants, friendly variants)
_TEXTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "dismiss.not_selling": (
        ("Understood, thanks for letting me know. I won't text you about it again.",),
        (
            (
                "Totally understand, thanks for letting me know! I won't text you "
                "about it again."
            ),
        ),
    ),
    "dismiss.listed": (
        ("Understood, I'll leave you to your agent. Best of luck with the sale.",),
        ("Totally understand, I'll leave you to your agent. Best of luck!",),
    ),
    "dismiss.sold": (
        ("Congrats on the sale, thanks for letting me know.",),
        ("Congrats on the sale! Thanks for letting me know.",),
    ),
    "dismiss.renter": (
        ("Thanks for letting me know, sorry for the bother.",),
        ("Thanks so much for letting me know, sorry for the bother!",),
    ),
    "call.when": (
        ("Sure, I'll let {agent_name} know you'd like a call {when}.",),
        ("Of course! I'll let {agent_name} know you'd like a call {when}.",),
    ),
    "call.any": (
        ("Sure, I'll let {agent_name} know you'd like a call.",),
        ("Of course! I'll let {agent_name} know you'd like a call.",),
    ),
    "complaint": (
        (
            (
                "Sorry about that. It's {agent_name} with {business_name}, about "
                "your home. Reply STOP and I won't text again."
            ),
        ),
        (
            (
                "I'm sorry about that. It's {agent_name} with {business_name}, about "
                "your home. Reply STOP and I won't text again."
            ),
        ),
    ),
    "instruction": (
        ("I can't agree to anything by text, {agent_name} goes over that himself.",),
        ("I can't agree to anything by text, {agent_name} goes over that himself.",),
    ),
    "corrected": (
        ("Thanks, I've updated that.", "Okay, updated."),
        ("Thanks, I've updated that!", "Got it, updated!"),
    ),
    "corrected.price": (
        ("Thanks, I've updated it to {price}.",),
        ("Thanks, I've updated it to {price}!",),
    ),
    "close.hot": (
        (
            (
                "Thanks {first_name}, that's everything I need. I'll call you today to "
                "go over next steps."
            ),
        ),
        (
            (
                "Thank you {first_name}, this is really helpful! I'll give you a call "
                "today to go over next steps."
            ),
        ),
    ),
    "close.warm": (
        (
            (
                "Thanks {first_name}, that helps a lot. I'll put some numbers together "
                "and check back with you soon."
            ),
        ),
        (
            (
                "Thank you {first_name}, that helps a lot! I'll pull some numbers "
                "together and check back with you soon."
            ),
        ),
    ),
    "close.cold": (
        ("Thanks {first_name}. No pressure at all, text me anytime if things change.",),
        (
            (
                "Thank you {first_name}! No pressure at all, just text me anytime if "
                "your plans change."
            ),
        ),
    ),
    "offer.two": (
        (
            (
                "Thanks {first_name}, that's everything I need. I have {first} or "
                "{second}, which works better for a quick call?"
            ),
        ),
        (
            (
                "Thank you {first_name}, that's really helpful! I have {first} or "
                "{second} for a quick call, which works better?"
            ),
        ),
    ),
    "offer.two.short": (
        ("I have {first} or {second}, which works better?",),
        ("I have {first} or {second}, which works better?",),
    ),
    "offer.one": (
        (
            (
                "Thanks {first_name}, that's everything I need. I have {first} for a "
                "quick call, does that work?"
            ),
        ),
        (
            (
                "Thank you {first_name}, that's really helpful! I have {first} for a "
                "quick call, does that work?"
            ),
        ),
    ),
    "offer.one.short": (
        ("I have {first} for a quick call, does that work?",),
        ("I have {first} for a quick call, does that work?",),
    ),
    "offer.again": (
        ("Which works better for you, {first} or {second}?",),
        ("Which one works better for you, {first} or {second}?",),
    ),
    "offer.again.one": (
        ("Does {first} work for a quick call?",),
        ("Would {first} work for a quick call?",),
    ),
    "booked": (
        ("You're all set for {slot}. I'll call you then.",),
        ("You're all set for {slot}! I'll give you a call then.",),
    ),
    "booking_failed": (
        (
            (
                "That time just got taken, sorry. I'll call you today to find a time "
                "that works."
            ),
        ),
        (
            (
                "So sorry, that time just got taken! I'll call you today to find a "
                "time that works."
            ),
        ),
    ),
    "call_today": (
        ("No problem, I'll call you today to find a time that works.",),
        ("No problem at all! I'll call you today to find a time that works.",),
    ),
    "help": (
        (
            (
                "{business_name}: texts from {agent_name} about selling your home. "
                "Reply STOP to opt out."
            ),
        ),
        (
            (
                "{business_name}: texts from {agent_name} about selling your home. "
                "Reply STOP to opt out."
            ),
        ),
    ),
    "opt_out": ((OPT_OUT_CONFIRMATION,), (OPT_OUT_CONFIRMATION,)),
    "opt_in": (
        ("You're resubscribed to texts from {business_name}. Reply STOP to opt out.",),
        ("You're resubscribed to texts from {business_name}. Reply STOP to opt out.",),
    ),
    "nudge.motivation": (
        (
            (
                "Hey {first_name}, still thinking about selling? What's got you "
                "considering it?"
            ),
            (
                "Quick question {first_name}, what has you thinking about selling, and "
                "where would you go?"
            ),
            "Hi {first_name}, are you still open to selling? What's behind it?",
        ),
        (
            (
                "Hi {first_name}! Still thinking about selling? I'd love to hear what "
                "has you considering it."
            ),
            "Hey {first_name}, hope all is well! What has you thinking about selling?",
            "Hi {first_name}, just checking in! Are you still open to selling?",
        ),
    ),
    "nudge.timeline": (
        (
            (
                "Hey {first_name}, would selling in the next 30 to 45 days be a "
                "problem for you?"
            ),
            (
                "Quick one {first_name}, if we sold in 30 to 45 days, would that be a "
                "problem?"
            ),
            "Hi {first_name}, is a sale in the next month or so a problem for you?",
        ),
        (
            (
                "Hi {first_name}! Would selling in the next 30 to 45 days cause any "
                "problems for you?"
            ),
            (
                "Hey {first_name}, hope all is well! Would a 30 to 45 day sale be a "
                "problem?"
            ),
            "Hi {first_name}, just checking in! Would a quick sale be a problem?",
        ),
    ),
    "nudge.condition": (
        (
            "Hey {first_name}, is the house move in ready or would it need some work?",
            (
                "Quick one {first_name}, how's the condition of the house, ready or "
                "needs work?"
            ),
            "Hi {first_name}, does the house need any repairs before selling?",
        ),
        (
            (
                "Hi {first_name}! Is the house move in ready, or would it need a "
                "little work?"
            ),
            "Hey {first_name}, hope all is well! How's the house looking these days?",
            "Hi {first_name}, just checking in! Does the house need any work?",
        ),
    ),
    "nudge.price": (
        (
            "Hey {first_name}, what price would incentivize you to sell?",
            (
                "Quick one {first_name}, what number would you need to sell? Ballpark "
                "is fine."
            ),
            "Hi {first_name}, what would you want to walk away with from the sale?",
        ),
        (
            "Hi {first_name}! What price would make selling worth it for you?",
            "Hey {first_name}, hope all is well! Any ballpark on the price you'd want?",
            "Hi {first_name}, just checking in! What number would work for you?",
        ),
    ),
    "nudge.hot": (
        (
            "Hey {first_name}, still want to go over selling? Happy to call you today.",
            "Hi {first_name}, checking in. When's a good time for a quick call?",
        ),
        (
            "Hi {first_name}! Still want to go over selling? Happy to call you today.",
            "Hey {first_name}, hope all is well! When's a good time for a quick call?",
        ),
    ),
    "nudge.warm": (
        (
            "Hey {first_name}, checking in. Still thinking about selling this year?",
            (
                "Hi {first_name}, homes near you are moving. Want me to run your "
                "numbers again?"
            ),
            (
                "Hey {first_name}, any change in your plans to sell? I'm here when "
                "you're ready."
            ),
        ),
        (
            (
                "Hi {first_name}! Just checking in, still thinking about selling this "
                "year?"
            ),
            (
                "Hey {first_name}, hope all is well! Want me to run fresh numbers on "
                "your home?"
            ),
            (
                "Hi {first_name}! Any change in your plans? I'm here whenever you're "
                "ready."
            ),
        ),
    ),
    "nudge.cold": (
        (
            (
                "Hey {first_name}, just checking in. Has anything changed with your "
                "plans for the house?"
            ),
            (
                "Hi {first_name}, if you ever want a no pressure value on your home, "
                "just text me."
            ),
            (
                "Hey {first_name}, still around if you're thinking about selling down "
                "the road."
            ),
        ),
        (
            "Hi {first_name}! Just checking in, has anything changed with your plans?",
            (
                "Hey {first_name}, hope all is well! Happy to give you a free home "
                "value anytime."
            ),
            "Hi {first_name}! I'm still around if selling comes up down the road.",
        ),
    ),
}

for _slot in Slot:
    _TEXTS[f"question.{_slot.value}"] = (
        (_QUESTIONS[_slot][0],),
        (_QUESTIONS[_slot][1],),
    )
    _TEXTS[f"reask.{_slot.value}"] = ((_REASKS[_slot][0],), (_REASKS[_slot][1],))

_TEXTS_ES = dict(es.TEXTS)
for _slot in Slot:
    _TEXTS_ES[f"question.{_slot.value}"] = (
        (es.QUESTIONS[_slot.value][0],),
        (es.QUESTIONS[_slot.value][1],),
    )
    _TEXTS_ES[f"reask.{_slot.value}"] = (
        (es.REASKS[_slot.value][0],),
        (es.REASKS[_slot.value][1],),
    )

#: Every template key.
KEYS: tuple[str, ...] = tuple(sorted(_TEXTS))

#: The opt-out confirmation in every language, as the compliance gate sends it
#: (Spanish á í ó ú become a i o u: GSM-7 has no such letters).
OPT_OUT_CONFIRMATIONS = frozenset(
    {
        OPT_OUT_CONFIRMATION,
        es.OPT_OUT_CONFIRMATION,
        gsm7_fold(es.OPT_OUT_CONFIRMATION),
    }
)

_NAME = re.compile(r"\s*\{first_name\}")


def question_key(slot: Slot) -> str:
    return f"question.{slot.value}"


def reask_key(slot: Slot) -> str:
    return f"reask.{slot.value}"


def nudge_key(open_slot: Slot | None, temperature: Temperature) -> str:
    """The nudge for a seller: by the open question, else by temperature."""
    if open_slot is not None:
        return f"nudge.{open_slot.value}"
    return f"nudge.{temperature.value}"


def variants(key: str, tone: Tone, lang: Language = Language.EN) -> int:
    """How many variants a key has in a tone."""
    return len(_pick(key, tone, lang))


def render(
    key: str,
    tone: Tone,
    *,
    lang: Language = Language.EN,
    variant: int = 0,
    first_name: str = "",
    **values: str,
) -> str:
    """The text of a template, filled in; unknown keys raise KeyError."""
    options = _pick(key, tone, lang)
    text = options[variant % len(options)]
    return _fill(text, first_name, values)


def opener(template: str, *, first_name: str = "", agent_name: str = "") -> str:
    """The configured opener ("Hey {first_name}, it's Jorge."), with or without name."""
    return _fill(template, first_name, {"agent_name": agent_name})


_DAYS_ES = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")


def format_slot(
    at: datetime, *, now: datetime, zone: ZoneInfo, lang: Language = Language.EN
) -> str:
    """A calendar slot in prose, in the contact's zone: "Tuesday at 10am"
    ("el martes a las 10am" in Spanish)."""
    local = at.astimezone(zone)
    today = now.astimezone(zone).date()
    hour = local.hour % 12 or 12
    minutes = f":{local.minute:02d}" if local.minute else ""
    clock = f"{hour}{minutes}{'am' if local.hour < 12 else 'pm'}"
    if lang is Language.ES:
        at_clock = f"a la {clock}" if hour == 1 else f"a las {clock}"
        if local.date() == today:
            return f"hoy {at_clock}"
        if local.date() == today + timedelta(days=1):
            return f"mañana {at_clock}"
        day = _DAYS_ES[local.weekday()]
        if local.date() < today + timedelta(days=7):
            return f"el {day} {at_clock}"
        return f"el {day} {local.day}/{local.month} {at_clock}"
    if local.date() == today:
        day = "today"
    elif local.date() == today + timedelta(days=1):
        day = "tomorrow"
    elif local.date() < today + timedelta(days=7):
        day = local.strftime("%A")
    else:
        day = f"{local.strftime('%A')} {local.month}/{local.day}"
    return f"{day} at {clock}"


def _pick(key: str, tone: Tone, lang: Language) -> tuple[str, ...]:
    direct, friendly = (_TEXTS_ES if lang is Language.ES else _TEXTS)[key]
    return friendly if tone == "friendly" else direct


def _fill(text: str, first_name: str, values: dict[str, str]) -> str:
    name = sms_name(first_name)
    if name:
        text = text.replace("{first_name}", name)
    else:
        text = _NAME.sub("", text)
    for field, value in values.items():
        text = text.replace("{" + field + "}", value)
    return text
