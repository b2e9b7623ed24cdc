"""The language detector (`jorged.domain.language`), measured on the labeled corpora."""

from __future__ import annotations

import pytest

from jorged.domain.language import Language, evidence, follow
from tests.corpus.load import load_corpus

#: Messages of the English corpus that are written in Spanish (sellers who answer an
#: English text in Spanish): the detector must call them Spanish.
SPANISH_IN_ENGLISH_CORPUS = frozenset(
    {
        "hablame por favor, no me gusta textear",
        "no gracias, no vendemos",
        "yo no soy el dueño, rento",
        "no me escriba mas por favor",
        "ya no me mande mensajes",
        "no me mandes mensajes",
        "stop, no me escriba",
        "porfa ya no me textees",
        "quitame de tu lista",
        "donde sacaste mi numero?",
        "la casa está bien, solo necesita pintura",
        "sí, sería un problema, necesitamos más tiempo",
        "esto es real o es scam?",
        "no para nada, está bien",
        "si, es muy rapido",
    }
)
#: Messages in both languages at once: they keep whichever language the
#: conversation has.
MIXED = frozenset(
    {
        "necesita pintura, nothing big",
        "necesita mucho trabajo, the roof is bad",
        "ya los hijos se fueron, too much house",
        "1.2 to 1.3 mil",
        "la casa esta move in ready",
        "si, it's ready to move in",
        "needs a lot of work, esta bien acabada",
        "it's already listed, ya tengo realtor",
        "si, it would be a problem",
        "la casa no se vende, not for sale",
    }
)
FLOOR = 0.98


def _expected(text: str, corpus: Language) -> Language:
    return Language.ES if text in SPANISH_IN_ENGLISH_CORPUS else corpus


@pytest.mark.parametrize("lang", [Language.EN, Language.ES])
def test_messages_longer_than_three_words_are_told_apart(lang: Language) -> None:
    """At least 98 % of each corpus's messages of four words or more get their
    language (measured: English 1141 of 1143, Spanish 536 of 536)."""
    messages = [
        m
        for m in load_corpus(lang.value)
        if len(m.text.split()) > 3 and m.text not in MIXED
    ]
    right = sum(evidence(m.text).leaning is _expected(m.text, lang) for m in messages)
    assert len(messages) > 500
    assert right / len(messages) >= FLOOR, f"{right} of {len(messages)}"


def test_the_spanish_of_the_english_corpus_is_spanish() -> None:
    """A seller who answers an English text in Spanish is read as Spanish."""
    texts = {m.text for m in load_corpus("en")}
    assert texts >= SPANISH_IN_ENGLISH_CORPUS
    wrong = [
        t for t in SPANISH_IN_ENGLISH_CORPUS if evidence(t).leaning is not Language.ES
    ]
    assert wrong == []


@pytest.mark.parametrize("text", sorted(MIXED))
def test_a_mixed_message_keeps_the_conversation_language(text: str) -> None:
    """Spanish stays Spanish and English stays English through a mixed message."""
    assert follow(text, Language.ES, settled=True) is Language.ES
    assert follow(text, Language.EN, settled=True) is Language.EN


def test_a_seller_who_switches_is_followed() -> None:
    """A message clearly in the other language switches a settled conversation."""
    assert (
        follow(
            "sorry can we do this in english, my wife reads these",
            Language.ES,
            settled=True,
        )
        is Language.EN
    )
    assert follow(
        "mejor en español por favor, no hablo inglés", Language.EN, settled=True
    ) is (Language.ES)


def test_short_replies_say_nothing() -> None:
    """ "ok", a number or a name set no language: the conversation keeps its own."""
    for text in ("ok", "450", "Phoenix", "STOP STOP", "👍"):
        assert evidence(text).leaning is None
        assert follow(text, Language.ES, settled=False) is Language.ES
        assert follow(text, Language.EN, settled=False) is Language.EN


def test_place_names_are_not_spanish() -> None:
    """Las Vegas, San Bernardino and El Paso do not make an English message Spanish."""
    for text in (
        "moving to las vegas in the spring",
        "we're relocating to San Bernardino for my job",
        "taking a job in El Paso, need to sell fast",
    ):
        found = evidence(text)
        assert found.leaning is Language.EN, found
        assert not {"las", "san", "el"} & set(found.spanish_words)


def test_the_evidence_names_its_words() -> None:
    """A decision can be explained: the words that counted for each language."""
    found = evidence("quiero vender mi casa, it needs work")
    assert set(found.spanish_words) == {"quiero", "vender", "mi", "casa"}
    assert set(found.english_words) == {"it", "needs", "work"}
    assert found.spanish > found.english


def test_accents_and_spanish_punctuation_count() -> None:
    """¿ ¡ ñ and an accented vowel are Spanish evidence of their own."""
    assert evidence("¿Cuánto?").leaning is Language.ES
    assert evidence("señor").spanish > 0
