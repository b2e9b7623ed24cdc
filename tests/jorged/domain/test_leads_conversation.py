"""The lead analysis follows the seller's conversation (SPEC 2): its class agrees
with the conversation's temperature, its reason with the conversation's timeline."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jorged.config import LeadsConfig
from jorged.domain.conversation.state import Temperature
from jorged.domain.leads.analysis import (
    LeadClass,
    LeadGaps,
    LeadInput,
    analyze,
    fill_gaps,
)
from jorged.domain.leads.from_seller import facts_of
from tests.jorged.domain.test_seller import CID, Chat

LEADS = LeadsConfig()


def lead_of(chat: Chat, *, phone: str = "") -> object:
    assert chat.state is not None
    first = next(e.text for e in chat.state.transcript if e.direction.value == "in")
    lead = LeadInput(
        contact_id=CID, phone=phone, messages=(first,), seller=facts_of(chat.state)
    )
    return analyze(lead, LEADS, chat.now)


def talk(*messages: str) -> Chat:
    chat = Chat()
    for text in messages:
        chat.say(text)
    return chat


HOT = (
    "we're relocating to boise for work",
    "no problem",
    "it's move in ready",
    "around 450k",
)


class TestTheClassFollowsTheConversation:
    def test_a_hot_conversation_is_a_hot_lead(self):
        chat = talk(*HOT)
        assert chat.state.temperature is Temperature.HOT
        a = lead_of(chat)
        assert a.classification is LeadClass.HOT
        assert a.score >= LEADS.hot_score
        assert "HOT in the conversation" in a.reason

    def test_a_warm_conversation_is_a_warm_lead(self):
        chat = talk(
            "we're relocating to boise for work",
            "yes that would be a problem, we need about 4 months",
            "it needs some work",
        )
        assert chat.state.temperature is Temperature.WARM
        a = lead_of(chat)
        assert a.classification is LeadClass.WARM
        assert LEADS.warm_score <= a.score < LEADS.hot_score
        assert "WARM in the conversation" in a.reason

    def test_a_curious_seller_is_a_cold_lead_whatever_the_signals(self):
        chat = talk("cash, Fontana, 400k, within 30 days. just curious what it's worth")
        assert chat.state.temperature is Temperature.COLD
        a = lead_of(chat, phone="+19095551234")
        assert a.classification is LeadClass.COLD
        assert a.score < LEADS.warm_score

    def test_an_undecided_conversation_leaves_the_score_alone(self):
        chat = talk("thinking about selling")
        a = lead_of(chat)
        assert a.conversation == ""
        assert "in the conversation" not in a.reason

    def test_the_llm_filling_gaps_keeps_the_class(self):
        a = lead_of(talk(*HOT))
        filled = fill_gaps(a, LeadGaps(area="Fontana"), LEADS)
        assert filled.classification is LeadClass.HOT
        assert filled.conversation == "hot"


class TestTheReasonFollowsTheTimeline:
    def test_a_timeline_that_works_is_not_moving_now(self):
        a = lead_of(talk("we're relocating to boise for work", "no problem"))
        assert "moving now" not in a.reason
        assert "a sale in 30 to 45 days works" in a.reason

    def test_a_timeline_never_told_is_unknown(self):
        """ "call me tomorrow" in the first message is no timeline once the
        timeline question went unanswered twice."""
        chat = talk(
            "we're relocating to boise for work. tomorrow works", "hmm", "dunno"
        )
        assert "timeline" in {s.value for s in chat.state.slots.unknown}
        a = lead_of(chat)
        assert "moving now" not in a.reason
        assert "timeline unknown" in a.reason

    def test_no_phone_is_no_phone(self):
        a = lead_of(talk(*HOT))
        assert a.has_phone is False
        assert lead_of(talk(*HOT), phone="(909) 555-1234").has_phone is True
        assert lead_of(talk(*HOT), phone="n/a").has_phone is False


ANSWERS = st.lists(
    st.sampled_from(
        [
            "we're relocating to boise for work",
            "just curious what it's worth",
            "divorce, need to sell",
            "no problem",
            "yes that would be a problem",
            "we need about 8 months",
            "not for a year",
            "it's move in ready",
            "needs a new roof",
            "around 450k",
            "no idea",
            "hmm",
            "cash, Fontana, 400k, within 30 days",
            "who is this",
        ]
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ANSWERS, st.sampled_from(["", "+19095551234"]))
def test_the_lead_class_is_the_conversation_temperature(answers, phone):
    chat = talk(*answers)
    assert chat.state is not None
    facts = facts_of(chat.state)
    a = lead_of(chat, phone=phone)
    if facts.decided:
        assert a.classification.value == chat.state.temperature.value, (answers, a)
    if chat.state.temperature is not Temperature.COLD:
        assert facts.decided
