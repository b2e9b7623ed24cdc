"""The first reply to a seller who texts first: one voice, and always a reply."""

from __future__ import annotations

import attrs
import pytest

from jorged.config import SellerConfig
from jorged.domain.conversation.inputs import NotifyAgent
from jorged.domain.conversation.reply_words import first_hello
from jorged.domain.language import Language
from tests.jorged.domain.test_seller import CFG, Chat, of

WHO_AND_BOT = [
    ("is this a bot?", "automated assistant"),
    ("who is this", "with Jorge Sells Homes"),
    ("quien es?", "Le escribe Jorge de Jorge Sells Homes"),
    ("es un robot?", "asistente automatizado"),
    ("is this legit?", "a local real estate team"),
]
CLAIMS = ("it's jorge.", "le escribe jorge.")


def _cfg(tone: str) -> SellerConfig:
    return attrs.evolve(CFG, tone=tone)


@pytest.mark.parametrize("tone", ["direct", "friendly"])
@pytest.mark.parametrize(("message", "answer"), WHO_AND_BOT)
def test_a_first_question_back_is_answered_without_the_opener(tone, message, answer):
    chat = Chat(_cfg(tone))
    chat.say(message)
    reply = " ".join(chat.sms)
    assert answer in reply
    assert not any(claim in reply.lower() for claim in CLAIMS), reply
    if "assistant" in answer or "asistente" in answer:
        assert "it's jorge" not in reply.lower()
        assert "le escribe jorge" not in reply.lower()


@pytest.mark.parametrize(
    ("tone", "lang", "answer", "hello"),
    [
        ("direct", Language.EN, "I'm Jorge's automated assistant.", "Hey Dana."),
        ("direct", Language.ES, "Le escribe Jorge de Jorge Sells Homes.", "Hola Dana."),
        ("friendly", Language.EN, "Hi! It's Jorge with Jorge Sells Homes.", ""),
        ("friendly", Language.ES, "¡Hola! Le escribe Jorge.", ""),
    ],
)
def test_the_first_hello_greets_by_name_only(tone, lang, answer, hello):
    """With an answer that says who writes: the name alone, or nothing when the
    answer greets already."""
    cfg = _cfg(tone)
    assert first_hello(cfg, first_name="Dana", lang=lang, answer=answer) == hello
    assert first_hello(cfg, first_name="", lang=lang, answer=answer) == ""
    assert first_hello(cfg, first_name="Dana", lang=lang) in {
        "Hey Dana, it's Jorge.",
        "Hola Dana, le escribe Jorge.",
    }


@pytest.mark.parametrize("tone", ["direct", "friendly"])
@pytest.mark.parametrize(
    ("message", "ack"),
    [
        (
            "maybe, depends. call me tomorrow after 5",
            "I'll let Jorge know you'd like a call tomorrow after 5.",
        ),
        (
            "quizás, depende. llámeme mañana después de las 5",
            "le aviso a Jorge que quiere una llamada mañana después de las 5.",
        ),
    ],
)
def test_a_call_request_as_the_first_message_is_acknowledged(tone, message, ack):
    """SPEC 1.10: acknowledge, alert Jorge, pause; the first message too."""
    chat = Chat(_cfg(tone))
    chat.say(message)
    assert len(chat.sms) == 1
    assert chat.sms[0].lower().endswith(ack.lower())
    assert "it's jorge" not in chat.sms[0].lower()
    assert chat.state is not None
    assert chat.state.flags.paused
    alerts = [n.text for n in of(chat.actions, NotifyAgent)]
    assert len(alerts) == 1
    assert "asked for a call" in alerts[0]
    chat.say("you there?")
    assert chat.sms == []
