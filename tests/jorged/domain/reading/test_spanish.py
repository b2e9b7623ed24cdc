"""Spanish and Spanglish are read with the same acts and slots as English.

The Spanish phrases are written as English in the normalized copy only: the
evidence is always the seller's own Spanish words, and an English message is
read as before.
"""

from __future__ import annotations

from datetime import date

import pytest

from jorged.domain.conversation.state import Condition, Motivation, Slot
from jorged.domain.reading import Context, read
from jorged.domain.reading.acts import ActKind, DismissalKind, QuestionKind
from jorged.domain.reading.text import Text

TODAY = date(2026, 3, 1)


def _read(text: str, asking: Slot | None = None, *, qualified: bool = False):
    context = Context(asking=asking, qualified=qualified, today=TODAY, language="es")
    return read(text, context)


def test_evidence_is_the_sellers_spanish_words() -> None:
    reading = _read("pedimos unos 450 mil dólares", Slot.PRICE)
    assert (reading.values.price_low, reading.values.price_high) == (450000, 450000)
    evidence = dict(reading.values.evidence)["price"]
    assert "450 mil" in evidence.text
    assert evidence.text in "pedimos unos 450 mil dólares"


def test_an_opt_out_keeps_its_spanish_evidence() -> None:
    reading = _read("por favor ya no me manden mensajes", Slot.MOTIVATION)
    assert reading.has(ActKind.OPT_OUT)
    evidence = reading.acts[0].evidence
    assert evidence is not None
    assert "manden" in evidence.text


@pytest.mark.parametrize(
    "text",
    [
        "alto",
        "BAJA",
        "para ya",
        "no me vuelvan a mandar nada",
        "favor de no contactarme",
        "dejen de llamarme",
        "quítenme de su lista",
        "se equivocaron de número",
    ],
)
def test_spanish_revocations_opt_out(text: str) -> None:
    assert _read(text, Slot.CONDITION).has(ActKind.OPT_OUT)


@pytest.mark.parametrize(
    ("text", "asking"),
    [
        ("el precio está muy alto por aquí", Slot.MOTIVATION),
        ("la recámara de planta baja necesita alfombra", Slot.CONDITION),
        ("es para mi hija", Slot.MOTIVATION),
        ("puedo bajar el precio un poco", Slot.PRICE),
        ("no me molesta que me escriban", Slot.MOTIVATION),
        ("el agente nunca me llamó", None),
        ("no me escriba el precio, mejor dígame la comisión", None),
        ("tuvimos que cancelar la hipoteca vieja", Slot.MOTIVATION),
    ],
)
def test_spanish_words_with_another_meaning_opt_nobody_out(
    text: str, asking: Slot | None
) -> None:
    reading = _read(text, asking)
    assert not reading.has(ActKind.OPT_OUT)
    assert not reading.has(ActKind.OPT_OUT_UNSURE)


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("sí", False),
        ("si seria un problema", False),
        ("no", True),
        ("nel", True),
        ("no hay bronca", True),
        ("sí, hagámoslo", True),
        ("simón, vamos", True),
        ("está bien", True),
    ],
)
def test_timeline_is_read_against_would_that_be_a_problem(text: str, ok: bool) -> None:
    assert _read(text, Slot.TIMELINE).values.timeline_ok is ok


@pytest.mark.parametrize(
    "text",
    [
        "no sé, tengo que hablarlo con mi esposo",
        "depende de si encontramos casa",
        "me corrieron del trabajo en agosto",
    ],
)
def test_hedges_and_past_events_fill_no_timeline(text: str) -> None:
    assert _read(text, Slot.TIMELINE).values.timeline_ok is None


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("450 mil", 450000, 450000),
        ("medio millón", 500000, 500000),
        ("un millón doscientos", 1200000, 1200000),
        ("entre 400 y 450", 400000, 450000),
        ("cuatrocientos cincuenta mil", 450000, 450000),
        ("tres cincuenta", 350000, 350000),
        ("4.5", 450000, 450000),
    ],
)
def test_spanish_prices(text: str, low: int, high: int) -> None:
    values = _read(text, Slot.PRICE).values
    assert (values.price_low, values.price_high) == (low, high)


def test_owed_and_estimate_are_not_the_asking_price() -> None:
    owed = _read("todavía debemos como 210 mil", Slot.PRICE).values
    assert owed.owed == 210000
    assert owed.price_low is None
    worth = _read("zillow dice que vale 615 mil", Slot.PRICE).values
    assert worth.estimate == 615000
    assert worth.price_low is None


@pytest.mark.parametrize(
    "text", ["vivo en el 1450 de la calle Olivo", "la compramos en 2012 por 300 mil"]
)
def test_numbers_that_are_not_prices(text: str) -> None:
    assert _read(text, Slot.PRICE).values.price_low is None


@pytest.mark.parametrize(
    ("text", "motivation"),
    [
        ("nos mudamos a Texas por el trabajo de mi esposo", Motivation.RELOCATION),
        ("ya me voy a jubilar", Motivation.RETIREMENT),
        ("la casa es muy grande para nosotros", Motivation.DOWNSIZING),
        ("ya me cansé de los inquilinos", Motivation.TIRED_LANDLORD),
        ("queremos estar cerca de los nietos", Motivation.FAMILY),
        ("nomás quiero saber cuánto vale", Motivation.CURIOUS),
    ],
)
def test_spanish_motivations(text: str, motivation: Motivation) -> None:
    assert _read(text, Slot.MOTIVATION).values.motivation is motivation


@pytest.mark.parametrize(
    ("text", "condition"),
    [
        ("está lista para vivir", Condition.MOVE_IN_READY),
        ("nada grave, solo pintura", Condition.MINOR_REPAIRS),
        ("necesita techo nuevo y mucho trabajo", Condition.MAJOR_REPAIRS),
        ("no está lista pero nada mayor", Condition.MINOR_REPAIRS),
        ("si, it's ready to move in", Condition.MOVE_IN_READY),
    ],
)
def test_spanish_condition_with_negation(text: str, condition: Condition) -> None:
    assert _read(text, Slot.CONDITION).values.condition is condition


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("quién habla?", QuestionKind.WHO),
        ("es un robot?", QuestionKind.BOT),
        ("de dónde sacaron mi número", QuestionKind.NUMBER),
        ("cuánto cobran?", QuestionKind.COMMISSION),
        ("cuánto me darían por la casa?", QuestionKind.OFFER),
    ],
)
def test_spanish_questions_back(text: str, kind: QuestionKind) -> None:
    acts = _read(text, Slot.MOTIVATION).acts
    assert [a.question for a in acts if a.kind is ActKind.QUESTION] == [kind]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("no estamos vendiendo", DismissalKind.NOT_SELLING),
        ("ya está listada con un agente", DismissalKind.LISTED),
        ("ya la vendimos", DismissalKind.SOLD),
        ("somos inquilinos", DismissalKind.RENTER),
    ],
)
def test_spanish_dismissals(text: str, kind: DismissalKind) -> None:
    acts = _read(text, Slot.MOTIVATION).acts
    assert [a.dismissal for a in acts if a.kind is ActKind.DISMISSAL] == [kind]


@pytest.mark.parametrize(
    ("text", "time"),
    [
        ("llámeme mañana en la tarde", "mañana en la tarde"),
        ("a partir de las 6 estoy libre, márqueme", "a partir de las 6"),
        ("hábleme el viernes a las 2", "viernes a las 2"),
    ],
)
def test_a_call_request_with_its_time_in_the_sellers_words(
    text: str, time: str
) -> None:
    reading = _read(text, Slot.TIMELINE)
    calls = [a for a in reading.acts if a.kind is ActKind.CALL_REQUEST]
    assert [a.call_time for a in calls] == [time]
    assert reading.values.timeline_ok is None


def test_a_correction_after_qualification() -> None:
    reading = _read("perdón, quise decir 480 mil", qualified=True)
    assert reading.has(ActKind.CORRECTION)
    assert reading.values.price_low == 480000


@pytest.mark.parametrize(
    ("text", "expanded"),
    [
        ("xq me escriben", "porque"),
        ("tmb tiene patio", "tambien"),
        ("q paso", "que"),
        ("ntp", "no te preocupes"),
    ],
)
def test_texting_abbreviations_are_written_out(text: str, expanded: str) -> None:
    assert expanded in Text.of(text).norm or "because" in Text.of(text).norm


@pytest.mark.parametrize(
    "text",
    [
        "the sale fell through last year",
        "my son is moving once we close",
        "come see the house anytime",
        "she lives in la jolla",
    ],
)
def test_english_is_not_rewritten(text: str) -> None:
    norm = Text.of(text).norm.strip()
    assert norm == text.lower()


@pytest.mark.parametrize(
    ("text", "asking", "kind"),
    [
        ("quién le dio mi número?", Slot.MOTIVATION, ActKind.QUESTION),
        ("tantas preguntas para qué?", Slot.MOTIVATION, ActKind.COMPLAINT),
        ("so many questions, jeez", Slot.CONDITION, ActKind.COMPLAINT),
        ("Este número no es de la dueña", None, ActKind.OPT_OUT),
        (
            "estamos atrasados tres meses con la hipoteca",
            Slot.MOTIVATION,
            ActKind.LIFE_EVENT,
        ),
    ],
)
def test_more_acts_in_other_words(
    text: str, asking: Slot | None, kind: ActKind
) -> None:
    assert _read(text, asking).has(kind)


def test_asking_but_would_take_is_a_range() -> None:
    values = _read("quiero 550 pero acepto 520", Slot.PRICE).values
    assert (values.price_low, values.price_high) == (520000, 550000)


def test_a_hedge_after_no_problem_fills_nothing() -> None:
    values = _read(
        "no es problema pero primero tengo que encontrar donde vivir", Slot.TIMELINE
    ).values
    assert values.timeline_ok is None


@pytest.mark.parametrize(
    ("text", "asking"),
    [
        ("Alto, como 700", Slot.PRICE),
        ("Baja California, ahí tenemos familia", Slot.MOTIVATION),
    ],
)
def test_alto_and_baja_as_high_or_a_place_are_no_opt_outs(
    text: str, asking: Slot
) -> None:
    reading = _read(text, asking)
    assert not reading.has(ActKind.OPT_OUT)
    assert not reading.has(ActKind.OPT_OUT_UNSURE)


def test_baja_california_is_a_destination() -> None:
    assert _read("nos vamos a Baja California", Slot.MOTIVATION).values.move_to == (
        "Baja California"
    )


@pytest.mark.parametrize(
    "text", ["ahorita no", "no gracias, estoy bien", "no thanks, I'm good"]
)
def test_brush_offs_in_either_language_are_unsure(text: str) -> None:
    assert _read(text, Slot.MOTIVATION).has(ActKind.OPT_OUT_UNSURE)


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("como cuatrocientos setenta y cinco", 475000, 475000),
        ("un millón doscientos cincuenta mil", 1250000, 1250000),
        ("entre cuatrocientos y cuatrocientos cincuenta", 400000, 450000),
        ("cuatro y medio", 450000, 450000),
        ("seis", 600000, 600000),
    ],
)
def test_spelled_spanish_prices(text: str, low: int, high: int) -> None:
    values = _read(text, Slot.PRICE).values
    assert (values.price_low, values.price_high) == (low, high)


@pytest.mark.parametrize(
    ("text", "motivation", "place"),
    [
        ("mi husband got a job en Houston", Motivation.RELOCATION, "Houston"),
        (
            "we want to sell porque ya no podemos pagar la mortgage",
            Motivation.FINANCIAL_DISTRESS,
            None,
        ),
    ],
)
def test_spanglish_reasons(
    text: str, motivation: Motivation, place: str | None
) -> None:
    values = _read(text, Slot.MOTIVATION).values
    assert values.motivation is motivation
    assert values.move_to == place


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("cómo funciona?", QuestionKind.PROCESS),
        ("y qué pasa si acepto?", QuestionKind.PROCESS),
        ("cuánto vale mi casa?", QuestionKind.OFFER),
        ("cuánto se lleva usted?", QuestionKind.COMMISSION),
        ("cómo sé que no es una estafa?", QuestionKind.LEGIT),
        ("cómo saben mi nombre?", QuestionKind.NUMBER),
    ],
)
def test_spanish_questions_get_their_kind_not_other(
    text: str, kind: QuestionKind
) -> None:
    acts = _read(text, Slot.CONDITION).acts
    assert [a.question for a in acts if a.kind is ActKind.QUESTION] == [kind]
