"""Recorded values keep the seller's words; owed and estimate beside the price; the
LLM's readings handed to the pure step (SPEC 1.3, 1.10)."""

from __future__ import annotations

from datetime import UTC, datetime

import orjson

from jorged.control.cli_format import show_conversation
from jorged.domain.conversation.inputs import (
    Inbound,
    InboundMessage,
    LlmReading,
    SendSms,
)
from jorged.domain.conversation.state import (
    Condition,
    ConversationState,
    Motivation,
    Slot,
)
from jorged.domain.conversation.step import conversation_view
from jorged.domain.conversation.turn_reading import texts_to_read
from jorged.domain.dashboard.facts import facts_of
from jorged.domain.reading import ActKind, Context
from jorged.domain.reading.acts import Act, Evidence, Reading, SlotValues
from jorged.exports.columns import COLUMNS, texts
from jorged.store import codec
from tests.jorged.domain.test_seller import CID, Chat


def qualified_with_words() -> Chat:
    chat = Chat()
    chat.start()
    chat.say("my mom passed and left us the house, none of us want it")
    chat.say("we're hoping to be out by spring")
    chat.say("honestly it needs a new roof and the kitchen is from the 70s")
    chat.say("we still owe about 180 on it and zillow says 520")
    chat.say("id want 495")
    return chat


class TestEvidenceKept:
    def test_every_recorded_value_keeps_the_words_it_was_read_from(self):
        chat = qualified_with_words()
        view = conversation_view(chat.state)
        assert view["slots_evidence"] == {
            "motivation": "mom passed and left us the house",
            "timeline": "by spring",
            "condition": "needs a new roof",
            "owed": "we still owe about 180 on it",
            "estimate": "zillow says 520",
            "price": "id want 495",
        }

    def test_the_words_are_the_sellers_own_not_a_normalized_copy(self):
        """Evidence is cut from the original text: case, typos and all."""
        chat = Chat()
        chat.start()
        chat.say("Job TRANSFER to Boise, gotta go")
        words = conversation_view(chat.state)["slots_evidence"]
        assert words["motivation"] in "Job TRANSFER to Boise, gotta go"
        assert "TRANSFER" in words["motivation"]

    def test_a_correction_replaces_the_words_of_the_value_it_changes(self):
        chat = qualified_with_words()
        chat.say("scratch that, 470 is my number")
        assert chat.state.slots.price_low == 470_000
        words = conversation_view(chat.state)["slots_evidence"]
        assert "470" in words["price"]
        assert words["condition"] == "needs a new roof"

    def test_jorgectl_prints_each_value_with_its_words(self):
        chat = qualified_with_words()
        printed = show_conversation(conversation_view(chat.state))
        assert 'price from "id want 495"' in printed
        assert 'owed from "we still owe about 180 on it"' in printed

    def test_a_view_without_evidence_still_prints(self):
        """An older daemon's view has no `slots_evidence`: printed without it."""
        chat = qualified_with_words()
        view = conversation_view(chat.state)
        del view["slots_evidence"]
        assert " from " not in show_conversation(view).split("\n\n")[0]


class TestOwedAndEstimate:
    def test_kept_beside_the_price_never_as_it(self):
        chat = Chat()
        chat.start()
        chat.say("divorce")
        chat.say("no problem")
        chat.say("needs paint")
        sms = chat.say("we owe 210 on it, redfin says 610")
        s = chat.state.slots
        assert (s.owed, s.estimate) == (210_000, 610_000)
        assert (s.price_low, s.price_high) == (None, None)
        assert chat.state.asking is Slot.PRICE
        assert [a for a in sms if isinstance(a, SendSms)], "the price is asked again"

    def test_shown_in_the_view_and_the_exports(self):
        chat = qualified_with_words()
        view = conversation_view(chat.state)
        assert (view["slots"]["owed"], view["slots"]["estimate"]) == (180_000, 520_000)
        row = facts_of(chat.state).row
        keys = [k for k, _ in COLUMNS]
        line = dict(zip(keys, texts(row), strict=True))
        assert (line["owed"], line["estimate"]) == ("180000", "520000")
        assert line["price_low"] == "495000"
        assert codec.to_jsonable(row)["owed"] == 180_000


class TestStoredBefore:
    def test_a_state_stored_without_evidence_owed_or_estimate_loads(self):
        """A conversation stored before these fields loads with them empty."""
        chat = qualified_with_words()
        doc = orjson.loads(codec.dumps(chat.state))
        for key in ("evidence", "owed", "estimate"):
            del doc["data"]["slots"][key]
        old = codec.loads(orjson.dumps(doc), ConversationState)
        assert old.slots.condition is Condition.MAJOR_REPAIRS
        assert (old.slots.owed, old.slots.estimate, old.slots.evidence) == (
            None,
            None,
            (),
        )
        assert conversation_view(old)["slots_evidence"] == {}

    def test_a_state_with_evidence_round_trips(self):
        chat = qualified_with_words()
        again = codec.loads(codec.dumps(chat.state), ConversationState)
        assert again == chat.state


AT = datetime(2026, 3, 3, 18, 5, tzinfo=UTC)
VAGUE = "well the place has seen better days, dad built it in 74"


def inbound(*texts: str, llm: tuple[LlmReading, ...] = ()) -> Inbound:
    return Inbound(
        contact_id=CID,
        messages=tuple(
            InboundMessage(message_id=f"x{i}", text=t, at=AT)
            for i, t in enumerate(texts)
        ),
        llm_readings=llm,
    )


def at_condition() -> Chat:
    chat = Chat()
    chat.start()
    chat.say("divorce")
    chat.say("no problem")
    assert chat.state.asking is Slot.CONDITION
    return chat


def llm_condition(text: str, words: str) -> LlmReading:
    start = text.index(words)
    evidence = Evidence(start=start, end=start + len(words), text=words)
    return LlmReading(
        text=text,
        reading=Reading(
            values=SlotValues(
                condition=Condition.MAJOR_REPAIRS, evidence=(("condition", evidence),)
            ),
            confidence=0.8,
        ),
    )


class TestLlmReadingsInTheStep:
    def test_the_rules_alone_leave_a_vague_answer_unclear(self):
        chat = at_condition()
        chat.do(inbound(VAGUE))
        assert chat.state.slots.condition is None
        assert chat.state.unclear == 1

    def test_the_llm_reading_fills_the_slot_with_its_words(self):
        chat = at_condition()
        chat.do(inbound(VAGUE, llm=(llm_condition(VAGUE, "seen better days"),)))
        assert chat.state.slots.condition is Condition.MAJOR_REPAIRS
        assert chat.state.slots.words("condition") == "seen better days"
        assert chat.state.asking is Slot.PRICE

    def test_the_same_inputs_give_the_same_turn(self):
        """The step stays pure: the LLM's reading is an input like the text."""
        one, two = at_condition(), at_condition()
        llm = (llm_condition(VAGUE, "seen better days"),)
        assert one.do(inbound(VAGUE, llm=llm)) == two.do(inbound(VAGUE, llm=llm))
        assert one.state == two.state

    def test_an_opt_out_read_by_the_llm_alone_counts(self):
        chat = at_condition()
        text = "eh I'm good on all this"
        out = Act(
            kind=ActKind.OPT_OUT,
            evidence=Evidence(start=0, end=len(text), text=text),
            confidence=0.8,
        )
        chat.do(
            inbound(text, llm=(LlmReading(text=text, reading=Reading(acts=(out,))),))
        )
        assert chat.state.flags.opted_out

    def test_a_reading_of_another_text_is_not_used(self):
        chat = at_condition()
        chat.do(inbound(VAGUE, llm=(llm_condition("it has seen better days", "seen"),)))
        assert chat.state.slots.condition is None


class TestTextsToRead:
    def test_one_message_is_one_text_read_against_the_open_question(self):
        chat = at_condition()
        [(text, context)] = texts_to_read(chat.state, inbound(VAGUE), AT)
        assert text == VAGUE
        assert context == Context(
            asking=Slot.CONDITION,
            open_slots=(Slot.CONDITION, Slot.PRICE),
            today=AT.date(),
        )

    def test_a_batch_is_read_message_by_message_and_as_a_whole(self):
        chat = at_condition()
        read = texts_to_read(chat.state, inbound("HELP", "ugh", VAGUE), AT)
        assert [t for t, _ in read] == ["HELP", "ugh", VAGUE, "ugh\n" + VAGUE]

    def test_messages_already_in_the_transcript_are_not_read_again(self):
        chat = at_condition()
        chat.do(inbound(VAGUE))
        assert texts_to_read(chat.state, inbound(VAGUE), AT) == ()

    def test_a_first_message_is_read_with_every_slot_open(self):
        [(_, context)] = texts_to_read(None, inbound("who is this"), AT)
        assert context == Context(today=AT.date())


def test_a_motivation_given_by_a_life_event_keeps_the_events_words():
    """Nothing but the event says why: the reason and its words come from it."""
    chat = Chat()
    chat.start()
    chat.say("my husband passed away in june")
    slots = chat.state.slots
    assert slots.motivation is Motivation.INHERITED
    assert slots.words("motivation") == "passed away"
