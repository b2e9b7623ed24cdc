"""Why a conversation waits for Jorge: the hold the policy records when it pauses
(SPEC 1.10, 5), cleared when Jorge resumes, restarts or stops the bot."""

from __future__ import annotations

import orjson
import pytest

from jorged.domain.conversation.inputs import Command, TagsChanged
from jorged.domain.conversation.state import ConversationState, Hold, HoldReason
from jorged.domain.dashboard.facts import facts_of
from jorged.store import codec
from tests.jorged.domain.test_seller import CFG, CID, Chat


def held(text: str) -> Chat:
    chat = Chat()
    chat.start()
    chat.say(text)
    return chat


class TestTheHold:
    def test_a_call_request_holds_with_the_time_and_the_words(self):
        chat = held(
            "can you have him call me tomorrow after 5, my cell is 909 555 1234"
        )
        assert chat.state.flags.paused
        assert chat.state.hold == Hold(
            reason=HoldReason.CALL_REQUEST,
            at=chat.now,
            call_time="tomorrow after 5",
            words="can you have him call me tomorrow after 5, my cell is ***-***-1234",
        )

    def test_an_unsure_opt_out_holds_with_the_words(self):
        chat = held("ok   whatever")
        assert chat.state.flags.paused
        assert chat.state.hold == Hold(
            reason=HoldReason.OPT_OUT_UNSURE, at=chat.now, words="ok whatever"
        )

    def test_a_pause_by_command_has_no_hold(self):
        chat = Chat()
        chat.start()
        chat.do(Command(contact_id=CID, command="pause"))
        assert chat.state.flags.paused
        assert chat.state.hold is None

    def test_a_pause_by_command_keeps_a_call_request(self):
        chat = held("have him call me saturday morning")
        chat.do(Command(contact_id=CID, command="pause"))
        assert chat.state.hold is not None
        assert chat.state.hold.call_time == "saturday morning"

    @pytest.mark.parametrize("command", ["resume", "restart", "stop"])
    def test_jorge_s_command_clears_it(self, command):
        chat = held("have him call me saturday morning")
        chat.do(Command(contact_id=CID, command=command))
        assert chat.state.hold is None

    def test_removing_the_pause_tag_clears_it(self):
        chat = held("ok whatever")
        chat.do(TagsChanged(contact_id=CID, added=(CFG.pause_tag,)))
        chat.do(TagsChanged(contact_id=CID, removed=(CFG.pause_tag,)))
        assert not chat.state.flags.paused
        assert chat.state.hold is None

    def test_a_stop_tag_clears_it(self):
        chat = held("have him call me saturday morning")
        chat.do(TagsChanged(contact_id=CID, added=(CFG.stop_tags[0],)))
        assert chat.state.flags.stopped
        assert chat.state.hold is None

    def test_an_opt_out_clears_it(self):
        chat = held("ok whatever")
        chat.say("STOP")
        assert chat.state.flags.opted_out
        assert chat.state.hold is None

    def test_the_list_row_carries_it(self):
        chat = held("have him call me saturday morning")
        assert facts_of(chat.state).row.hold == chat.state.hold


class TestStoredHold:
    def test_a_state_stored_before_holds_loads_without_one(self):
        chat = held("have him call me saturday morning")
        doc = orjson.loads(codec.dumps(chat.state))
        del doc["data"]["hold"]
        old = codec.loads(orjson.dumps(doc), ConversationState)
        assert old.hold is None
        assert old.flags.paused

    def test_a_hold_round_trips(self):
        chat = held("have him call me saturday morning")
        data = codec.dumps(chat.state)
        assert orjson.loads(data)["data"]["hold"]["reason"] == "call_request"
        assert codec.loads(data, ConversationState) == chat.state
