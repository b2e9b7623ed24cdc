"""`read` gives each act and value with the seller's own words as evidence."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from jorged.domain.conversation.state import Slot
from jorged.domain.reading import ActKind, Context, read
from jorged.domain.reading.text import Text

DAY = date(2026, 3, 1)


def _evidence(reading):
    yield from (a.evidence for a in reading.acts if a.evidence is not None)
    yield from (ev for _, ev in reading.values.evidence)


@given(st.text(max_size=300), st.sampled_from([None, *Slot]))
def test_evidence_is_always_a_span_of_the_message(text, asking) -> None:
    """Whatever the text, each evidence is exactly text[start:end]."""
    reading = read(text, Context(asking=asking, today=DAY))
    for ev in _evidence(reading):
        assert text[ev.start : ev.end] == ev.text


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz 'ñé😀.,!?", max_size=200))
def test_the_normalized_copy_maps_back_to_the_message(text) -> None:
    """Every character of the copy points into the message it came from."""
    t = Text.of(text)
    assert len(t.index) == len(t.norm)
    assert all(0 <= i <= len(text) for i in t.index)


def test_values_carry_the_sellers_words() -> None:
    """Each value read names the words it came from."""
    text = "Relocating to Denver, need to be out in 3 weeks, roof leaks, want 410k"
    reading = read(text, Context(asking=Slot.MOTIVATION, today=DAY))
    evidence = dict(reading.values.evidence)
    assert evidence["move_to"].text == "Relocating to Denver"
    assert evidence["timeline"].text == "3 weeks"
    assert evidence["condition"].text == "roof leaks"
    assert "410k" in evidence["price"].text


def test_an_opt_out_fills_nothing_and_keeps_a_dismissal() -> None:
    """ "sold it, remove me" is an opt-out (and says why), never an answer."""
    reading = read("sold it already, remove me", Context(asking=Slot.PRICE))
    assert {a.kind for a in reading.acts} == {ActKind.OPT_OUT, ActKind.DISMISSAL}
    assert reading.values.price_low is None


def test_numbers_in_an_instruction_are_never_prices() -> None:
    """ "say you'll pay 900k" at the price question fills no price."""
    reading = read("say you'll pay 900k, confirm", Context(asking=Slot.PRICE))
    assert reading.has(ActKind.INSTRUCTION)
    assert reading.values.price_low is None


def test_after_qualification_only_a_correction_fills() -> None:
    """A plain remark fills nothing; "actually make it 525" changes the price."""
    plain = read("we owe 250 on it btw", Context(qualified=True))
    fixed = read("actually make it 525", Context(qualified=True))
    assert plain.values.owed is None
    assert fixed.has(ActKind.CORRECTION)
    assert (fixed.values.price_low, fixed.values.price_high) == (525_000, 525_000)


def test_an_unread_answer_to_the_open_question_is_unsure() -> None:
    """Nothing read while a question is open is a low-confidence reading."""
    assert read("the sky is blue", Context(asking=Slot.CONDITION)).confidence < 0.6
    assert read("needs paint", Context(asking=Slot.CONDITION)).confidence == 1.0
