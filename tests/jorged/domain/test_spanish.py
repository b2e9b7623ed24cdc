"""Spanish-speaking sellers: Jorge's texts in Spanish through the GSM-7 gate, the
acknowledgements in Spanish, and the conversation's language kept, followed and set."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import attrs
import pytest

from jorged.config import SellerConfig
from jorged.domain.conversation import templates as tpl
from jorged.domain.conversation import templates_es
from jorged.domain.conversation.acks import acknowledge, price_words, span_words
from jorged.domain.conversation.inputs import (
    Activate,
    Emit,
    Inbound,
    InboundMessage,
    SendSms,
    SetLanguage,
    TagsChanged,
)
from jorged.domain.conversation.reply_words import answer_text
from jorged.domain.conversation.state import ConversationState, Motivation, Slots
from jorged.domain.conversation.step import step
from jorged.domain.language import Language, LanguageSource
from jorged.domain.reading import Act, ActKind, QuestionKind, Reading
from jorged.domain.texting.compliance import (
    SMS_LIMIT,
    check_outbound,
    enforce_outbound,
    gsm7_fold,
    gsm7_length,
)
from jorged.store import codec

CFG = SellerConfig()
CID = "contact-es"
T0 = datetime(2026, 3, 3, 18, 0, tzinfo=UTC)
#: Long values, so every text is checked at its longest.
VALUES = {
    "agent_name": "Jorge",
    "business_name": "Jorge Sells Homes",
    "when": "mañana después de las 5 de la tarde",
    "price": "1.25 millones",
    "first": "el miércoles 30/12 a las 10:30am",
    "second": "el jueves 31/12 a las 12:30pm",
    "slot": "el miércoles 30/12 a las 10:30am",
}
NAME = "Maximiliana Josephine"


def _all_spanish_texts() -> list[tuple[str, str, int, str]]:
    out = []
    for key in tpl.KEYS:
        for tone in ("direct", "friendly"):
            for variant in range(tpl.variants(key, tone, Language.ES)):
                text = tpl.render(
                    key,
                    tone,
                    lang=Language.ES,
                    variant=variant,
                    first_name=NAME,
                    **VALUES,
                )
                out.append((key, tone, variant, text))
    return out


class TestGsm7Accents:
    def test_letters_gsm7_lacks_lose_their_accent_and_the_others_stay(self):
        """á í ó ú Á Í Ó Ú are not in GSM-7's basic set: a i o u; é ñ ü ¿ ¡ are."""
        assert gsm7_fold("á é í ó ú ñ ü ¿ ¡ Á É Í Ó Ú Ñ Ü") == (
            "a é i o u ñ ü ¿ ¡ A É I O U Ñ Ü"
        )

    def test_the_gate_sends_one_gsm7_segment_not_ucs2(self):
        """A Spanish text of 160 characters with accents goes out whole, folded."""
        text = ("¿Está lista la casa? " * 8)[:SMS_LIMIT].strip()
        assert "non GSM-7 characters: 'á'" in check_outbound(text)[0]
        sent = enforce_outbound(text, fallback="x")
        assert sent == gsm7_fold(text)
        assert check_outbound(sent) == ()
        assert gsm7_length(sent) == len(text) <= SMS_LIMIT

    def test_emoji_still_go_while_accents_are_folded(self):
        assert enforce_outbound("Gracias 😀 ¿Cuándo?", fallback="x") == (
            "Gracias ¿Cuando?"
        )

    def test_a_spanish_claim_to_be_automated_is_replaced(self):
        """The bot never volunteers in Spanish either that it is automated."""
        for text in (
            "Soy un asistente automatizado, ¿qué precio busca?",
            "Le contesta una inteligencia artificial.",
            "Esto es una respuesta automática.",
        ):
            assert enforce_outbound(text, fallback="Hola.") == "Hola.", text
        answer = answer_text(QuestionKind.BOT, CFG, Language.ES)
        sent = enforce_outbound(answer, fallback="Hola.", disclose=True)
        assert sent == gsm7_fold(answer)
        assert "automatizado" in sent


class TestSpanishTexts:
    @pytest.mark.parametrize(
        ("key", "tone", "variant", "text"),
        _all_spanish_texts(),
        ids=lambda v: v if isinstance(v, str) and len(v) < 30 else "",
    )
    def test_every_spanish_text_passes_the_gate_as_written(
        self, key: str, tone: str, variant: int, text: str
    ):
        """Each text needs no repair but the accent fold: one GSM-7 segment, no dash,
        no emoji, no claim to be a bot, usted form."""
        sent = enforce_outbound(text, fallback="x")
        assert sent == gsm7_fold(text)
        assert check_outbound(sent) == ()
        assert not re.search(
            r"\b(?:tú|tu casa|puedes|quieres|tienes)\b", text, re.IGNORECASE
        )

    def test_same_keys_variants_and_placeholders_as_english(self):
        for key in tpl.KEYS:
            for tone in ("direct", "friendly"):
                n = tpl.variants(key, tone)
                assert tpl.variants(key, tone, Language.ES) == n, key
                for v in range(n):
                    en = tpl.render(key, tone, variant=v)
                    es = tpl.render(key, tone, lang=Language.ES, variant=v)
                    assert set(re.findall(r"\{\w+\}", en)) == set(
                        re.findall(r"\{\w+\}", es)
                    ), (key, tone, v)
                    assert en != es

    @pytest.mark.parametrize("tone", ["direct", "friendly"])
    def test_every_spanish_answer_passes_the_gate(self, tone: str):
        cfg = attrs.evolve(CFG, tone=tone)
        for kind in QuestionKind:
            text = answer_text(kind, cfg, Language.ES)
            disclose = kind is QuestionKind.BOT
            assert check_outbound(gsm7_fold(text), disclose=disclose) == (), text
            assert text != answer_text(kind, cfg, Language.EN)

    def test_the_spanish_opt_out_confirmation_is_known_as_sent(self):
        """The outbox lets the confirmation out to an opted-out contact in Spanish."""
        sent = enforce_outbound(
            tpl.render("opt_out", "direct", lang=Language.ES), fallback="x"
        )
        assert sent in tpl.OPT_OUT_CONFIRMATIONS
        assert "START" in sent
        assert templates_es.OPT_OUT_CONFIRMATION != tpl.OPT_OUT_CONFIRMATION

    def test_calendar_slots_in_spanish(self):
        zone = ZoneInfo("America/Los_Angeles")
        now = datetime(2026, 3, 3, 17, 0, tzinfo=UTC)  # Tuesday 9am local
        at = now + timedelta(days=1, hours=1)
        assert tpl.format_slot(at, now=now, zone=zone, lang=Language.ES) == (
            "mañana a las 10am"
        )
        later = now + timedelta(days=2, hours=4)
        assert tpl.format_slot(later, now=now, zone=zone, lang=Language.ES) == (
            "el jueves a la 1pm"
        )


class TestSpanishAcknowledgements:
    def ack(self, after: Slots, reading: Reading | None = None, **kw) -> str:
        return acknowledge(
            text=kw.pop("text", ""),
            reading=reading or Reading(),
            before=Slots(),
            after=after,
            tone=kw.pop("tone", "direct"),
            seed=kw.pop("seed", "c:1"),
            lang=Language.ES,
            **kw,
        )

    def test_a_place_is_echoed_without_the_rest_of_the_sentence(self):
        said = self.ack(
            Slots(motivation=Motivation.RELOCATION, move_to="Phoenix por trabajo")
        )
        assert "Phoenix" in said
        assert "trabajo" not in said.lower()

    def test_sympathy_first_and_a_named_loss(self):
        """A death is met with sympathy, the relative named as the seller said it."""
        death = Reading(acts=(Act(kind=ActKind.LIFE_EVENT, life_event="death"),))
        said = self.ack(
            Slots(motivation=Motivation.INHERITED),
            death,
            text="mi mama fallecio y nos dejo la casa",
        )
        assert said in {"Lamento mucho lo de su madre.", "Siento mucho lo de su madre."}

    @pytest.mark.parametrize("seed", [f"c:{i}" for i in range(12)])
    def test_never_cheerful_after_bad_news(self, seed: str):
        complaint = Reading(acts=(Act(kind=ActKind.COMPLAINT),))
        for tone in ("direct", "friendly"):
            said = self.ack(
                Slots(motivation=Motivation.RELOCATION, move_to="Phoenix"),
                complaint,
                seed=seed,
                tone=tone,
            )
            assert not any(w in said.lower() for w in ("qué bien", "buen", "¡", "!"))

    def test_the_same_message_gets_the_same_words(self):
        slots = Slots(motivation=Motivation.RETIREMENT, move_to="Arizona")
        assert self.ack(slots, seed="x:3") == self.ack(slots, seed="x:3")

    def test_friendly_exclamations_open_in_spanish(self):
        """Every friendly exclamation has its opening mark."""
        for i in range(20):
            said = self.ack(
                Slots(motivation=Motivation.RELOCATION, move_to="Boise"),
                seed=f"s:{i}",
                tone="friendly",
            )
            assert said.count("!") == said.count("¡"), said

    def test_numbers_and_spans_in_spanish(self):
        assert price_words(450_000, 450_000, Language.ES) == "450 mil"
        assert price_words(400_000, 450_000, Language.ES) == "400 a 450 mil"
        assert price_words(1_200_000, 1_200_000, Language.ES) == "1.2 millones"
        assert span_words(21, Language.ES) == "3 semanas"
        assert span_words(365, Language.ES) == "1 año"
        assert span_words(150, Language.ES) == "5 meses"


class Chat:
    def __init__(self, cfg: SellerConfig = CFG) -> None:
        self.cfg = cfg
        self.state: ConversationState | None = None
        self.now = T0
        self.n = 0
        self.actions: tuple = ()

    def do(self, event) -> tuple:
        self.now += timedelta(minutes=1)
        self.state, self.actions = step(self.state, event, self.now, self.cfg)
        return self.actions

    def say(self, text: str) -> tuple:
        self.n += 1
        msg = InboundMessage(message_id=f"m{self.n}", text=text, at=self.now)
        return self.do(Inbound(contact_id=CID, messages=(msg,), first_name="Lupe"))

    @property
    def sms(self) -> list[str]:
        return [a.text for a in self.actions if isinstance(a, SendSms)]


class TestConversationLanguage:
    def test_the_spanish_tag_starts_the_conversation_in_spanish(self):
        chat = Chat()
        chat.do(
            TagsChanged(
                contact_id=CID,
                added=(CFG.activation_tag, CFG.spanish_tag),
                first_name="Lupe",
            )
        )
        assert chat.state is not None
        assert chat.state.language is Language.ES
        assert chat.state.language_source is LanguageSource.TAG
        assert chat.sms == [
            (
                "Hola Lupe, le escribe Jorge. ¿Qué le hace considerar vender, y a "
                "donde se mudaria?"
            )
        ]

    def test_a_first_message_in_spanish_is_answered_in_spanish(self):
        chat = Chat()
        chat.say("hola, quiero vender mi casa, nos mudamos a Texas")
        assert chat.state is not None
        assert chat.state.language is Language.ES
        assert chat.sms[0].startswith("Hola Lupe, le escribe Jorge.")
        emitted = [a for a in chat.actions if isinstance(a, Emit)]
        assert any(
            e.kind == "seller.language_changed" and e.data["language"] == "es"
            for e in emitted
        )

    def test_an_english_seller_stays_english(self):
        chat = Chat()
        chat.do(Activate(contact_id=CID, first_name="Dana"))
        chat.say("we're relocating to boise for work")
        assert chat.state is not None
        assert chat.state.language is Language.EN
        assert chat.state.language_source is LanguageSource.DETECTED
        assert "would that pose a problem" in chat.sms[0]

    def test_jorge_sets_the_language_and_detection_leaves_it(self):
        chat = Chat()
        chat.do(Activate(contact_id=CID, first_name="Lupe"))
        chat.do(SetLanguage(contact_id=CID, language=Language.ES))
        assert chat.state is not None
        assert chat.state.language_source is LanguageSource.AGENT
        chat.say("we are moving to phoenix for my job, that's why we sell")
        assert chat.state.language is Language.ES
        assert "¿sería un problema" in gsm7_fold(chat.sms[0]).replace("seria", "sería")

    def test_the_tag_removed_goes_back_to_english(self):
        chat = Chat()
        chat.do(
            TagsChanged(contact_id=CID, added=(CFG.activation_tag, CFG.spanish_tag))
        )
        chat.do(TagsChanged(contact_id=CID, removed=(CFG.spanish_tag,)))
        assert chat.state is not None
        assert chat.state.language is Language.EN

    def test_an_opt_out_in_spanish_is_confirmed_in_spanish(self):
        chat = Chat()
        chat.say("no me escriba mas por favor")
        assert chat.sms == [gsm7_fold(templates_es.OPT_OUT_CONFIRMATION)]

    def test_a_state_stored_before_languages_loads_as_english(self):
        """Old states have no language field: they load as English, detected by no
        one (the next Spanish message still switches them)."""
        chat = Chat()
        chat.do(Activate(contact_id=CID, first_name="Dana"))
        data = codec.to_jsonable(chat.state)
        del data["language"], data["language_source"]
        old = codec.from_jsonable(data, ConversationState)
        assert (old.language, old.language_source) == (
            Language.EN,
            LanguageSource.DEFAULT,
        )
