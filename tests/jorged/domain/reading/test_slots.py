from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jorged.domain.conversation.state import Condition, Motivation, Slot, Urgency
from jorged.domain.reading import Context, SlotValues, read

NOW = datetime(2026, 3, 1, 17, 0, tzinfo=UTC)
ALL = tuple(Slot)
M = Motivation


def extract(text, open_slots, *, now, asking=None) -> SlotValues:
    """The slot values `read` finds in `text`."""
    context = Context(asking=asking, open_slots=tuple(open_slots), today=now.date())
    return read(text, context).values


def filled(values: SlotValues) -> tuple[Slot, ...]:
    found = {
        Slot.MOTIVATION: values.motivation is not None,
        Slot.TIMELINE: values.timeline_ok is not None,
        Slot.CONDITION: values.condition is not None,
        Slot.PRICE: values.price_low is not None,
    }
    return tuple(s for s in Slot if found[s])


MOTIVATION = [
    ("Job transfer to Austin", M.RELOCATION),
    ("got a new job in Dallas", M.RELOCATION),
    ("relocating for work", M.RELOCATION),
    ("moving to Phoenix for a new job", M.RELOCATION),
    ("we're moving out of state", M.RELOCATION),
    ("military PCS orders", M.RELOCATION),
    ("relocatin to texas 😅", M.RELOCATION),
    ("going through a divorce", M.DIVORCE),
    ("divorce", M.DIVORCE),
    ("me and my ex are splitting up", M.DIVORCE),
    ("we separated last year", M.DIVORCE),
    ("devorce 😞", M.DIVORCE),
    ("behind on payments", M.FORECLOSURE),
    ("can't afford the mortgage anymore", M.FINANCIAL_DISTRESS),
    ("lost my job", M.FINANCIAL_DISTRESS),
    ("money is tight", M.FINANCIAL_DISTRESS),
    ("got laid off", M.FINANCIAL_DISTRESS),
    ("facing foreclosure", M.FORECLOSURE),
    ("got a notice of default", M.FORECLOSURE),
    ("bank is taking the house", M.FORECLOSURE),
    ("trying to avoid a short sale", M.FORECLOSURE),
    ("inherited it from my dad", M.INHERITED),
    ("my mom passed away and left us the house", M.INHERITED),
    ("it's in probate", M.INHERITED),
    ("it was my late father's house", M.INHERITED),
    ("kids moved out, house is too big", M.DOWNSIZING),
    ("want to downsize", M.DOWNSIZING),
    ("looking for something smaller", M.DOWNSIZING),
    ("empty nest now", M.DOWNSIZING),
    ("need a bigger place", M.UPSIZING),
    ("growing family, need more room", M.UPSIZING),
    ("we outgrew it", M.UPSIZING),
    ("baby on the way!", M.UPSIZING),
    ("retiring next year", M.RETIREMENT),
    ("we're retiring to Florida", M.RETIREMENT),
    ("tired of dealing with tenants", M.TIRED_LANDLORD),
    ("it's a rental and I'm done being a landlord", M.TIRED_LANDLORD),
    ("want to be closer to my grandkids in Denver", M.FAMILY),
    ("family reasons", M.FAMILY),
    ("need to take care of my mom", M.FAMILY),
    ("health reasons", M.HEALTH),
    ("can't do the stairs anymore", M.HEALTH),
    ("medical stuff", M.HEALTH),
    ("Just curious what it's worth", M.CURIOUS),
    ("testing the market", M.CURIOUS),
    ("just curious 🤔", M.CURIOUS),
    ("want to see what I could get", M.CURIOUS),
    ("Honestly we just want a change of scenery", M.OTHER),
    ("We want to travel the country for a while", M.OTHER),
]
MOTIVATION_UNCLEAR = ["idk", "who is this?", "?", "hmm", "ok", "what", "lol", "maybe"]

TIMELINE = [
    ("no that works", True, None),
    ("that wouldn't be a problem", True, None),
    ("that wouldnt be a problem", True, None),
    ("That would not be a problem at all", True, None),
    ("sooner is better", True, None),
    ("the sooner the better", True, None),
    ("30 days would be perfect", True, 30),
    ("no problem", True, None),
    ("No prob 👍", True, None),
    ("np", True, None),
    ("no", True, None),
    ("Nope", True, None),
    ("nah", True, None),
    ("noo", True, None),
    ("No, it wouldn't", True, None),
    ("not at all", True, None),
    ("i guess that works", True, None),
    ("works for me", True, None),
    ("sounds good", True, None),
    ("asap", True, None),
    ("ready now", True, None),
    ("3 weeks", True, 21),
    ("need to be out in 2 weeks", True, 14),
    ("a month is fine", True, 30),
    ("too fast", False, None),
    ("way too soon", False, None),
    ("yes that would be a problem", False, None),
    ("thatd be a problem", False, None),
    ("it would be an issue", False, None),
    ("yes", False, None),
    ("yeah", False, None),
    ("yep", False, None),
    ("not before 6 months", False, 180),
    ("need until summer", False, 112),
    ("need till fall", False, 205),
    ("4 months", False, 120),
    ("more like 6 months", False, 180),
    ("in a year", False, 365),
    ("need more time", False, None),
    ("we need to find a place first", False, None),
    ("not ready yet", False, None),
    ("can't move that fast", False, None),
    ("no rush, maybe next year", False, 306),
    ("We're not moving", False, None),
    ("not going anywhere", False, None),
    ("a couple of months", False, 60),
    ("two months", False, 60),
]
TIMELINE_UNCLEAR = ["maybe", "idk", "what do you mean", "hmm", "who is this"]

CONDITION = [
    ("needs paint and carpet", Condition.MINOR_REPAIRS),
    ("it's dated", Condition.MINOR_REPAIRS),
    ("just cosmetic stuff", Condition.MINOR_REPAIRS),
    ("needs some work", Condition.MINOR_REPAIRS),
    ("needs a little work", Condition.MINOR_REPAIRS),
    ("some TLC", Condition.MINOR_REPAIRS),
    ("new flooring would help", Condition.MINOR_REPAIRS),
    ("outdated kitchen", Condition.MINOR_REPAIRS),
    ("minor stuff 🛠️", Condition.MINOR_REPAIRS),
    ("could use some updating", Condition.MINOR_REPAIRS),
    ("roof leaks", Condition.MAJOR_REPAIRS),
    ("foundation issues", Condition.MAJOR_REPAIRS),
    ("fondation is cracked", Condition.MAJOR_REPAIRS),
    ("needs a lot of work", Condition.MAJOR_REPAIRS),
    ("needs alot of work", Condition.MAJOR_REPAIRS),
    ("fixer upper", Condition.MAJOR_REPAIRS),
    ("needs to be gutted", Condition.MAJOR_REPAIRS),
    ("water damage in the basement", Condition.MAJOR_REPAIRS),
    ("it's a teardown honestly", Condition.MAJOR_REPAIRS),
    ("move in ready", Condition.MOVE_IN_READY),
    ("move-in ready", Condition.MOVE_IN_READY),
    ("move in redy 🏠", Condition.MOVE_IN_READY),
    ("turnkey", Condition.MOVE_IN_READY),
    ("turn key", Condition.MOVE_IN_READY),
    ("updated", Condition.MOVE_IN_READY),
    ("we redid the kitchen", Condition.MOVE_IN_READY),
    ("new roof, everything else good", Condition.MOVE_IN_READY),
    ("it needs a new roof", Condition.MAJOR_REPAIRS),
    ("house needs a new roof and paint", Condition.MAJOR_REPAIRS),
    ("needs new carpet", Condition.MINOR_REPAIRS),
    ("we put in a new roof last year", Condition.MOVE_IN_READY),
    ("great shape", Condition.MOVE_IN_READY),
    ("remodeled in 2020", Condition.MOVE_IN_READY),
    ("no issues", Condition.MOVE_IN_READY),
    ("doesn't need any work", Condition.MOVE_IN_READY),
    ("ready", Condition.MOVE_IN_READY),
    ("good condition", Condition.MOVE_IN_READY),
    ("move in ready but needs paint", Condition.MINOR_REPAIRS),
]
CONDITION_UNCLEAR = ["idk", "what?", "hmm", "why do you ask"]

PRICE = [
    ("350", 350_000, 350_000),
    ("$425k", 425_000, 425_000),
    ("around 400 I guess", 400_000, 400_000),
    ("I think it's worth 350000", 350_000, 350_000),
    ("Whatever I owe, around 290k", 290_000, 290_000),
    ("between 600 and 650k", 600_000, 650_000),
    ("half a million", 500_000, 500_000),
    ("$1.2M", 1_200_000, 1_200_000),
    ("1.2 million", 1_200_000, 1_200_000),
    ("425,000", 425_000, 425_000),
    ("600 to 650 thousand", 600_000, 650_000),
    ("at least 500k", 500_000, 500_000),
    ("at leaat 500k 😅", 500_000, 500_000),
]
PRICE_UNCLEAR = ["What do you think it's worth?", "make me an offer", "not sure", "idk"]


class TestMotivation:
    @pytest.mark.parametrize(("text", "expected"), MOTIVATION)
    def test_reads_motivation(self, text, expected):
        """Each phrasing maps to its motivation when the motivation question is open."""
        assert (
            extract(text, ALL, now=NOW, asking=Slot.MOTIVATION).motivation is expected
        )

    @pytest.mark.parametrize("text", MOTIVATION_UNCLEAR)
    def test_unclear_is_unknown(self, text):
        """A shrug or a question is no motivation at all."""
        assert extract(text, ALL, now=NOW, asking=Slot.MOTIVATION).motivation is None

    @pytest.mark.parametrize(
        ("text", "place"),
        [
            ("Job transfer to Austin", "Austin"),
            ("moving to phoenix for a new job", "Phoenix"),
            ("we're retiring to Florida", "Florida"),
            ("relocating to San Diego next month", "San Diego"),
        ],
    )
    def test_move_to(self, text, place):
        """The place after "moving to" and the like is kept."""
        assert extract(text, ALL, now=NOW).move_to == place


class TestTimeline:
    @pytest.mark.parametrize(("text", "ok", "days"), TIMELINE)
    def test_reads_timeline(self, text, ok, days):
        """Negations, double negations, spans and dates give the timeline answer."""
        got = extract(text, ALL, now=NOW, asking=Slot.TIMELINE)
        assert (got.timeline_ok, got.timeline_days) == (ok, days)

    @pytest.mark.parametrize("text", TIMELINE_UNCLEAR)
    def test_unclear_is_unknown(self, text):
        """An unclear answer leaves the timeline unknown."""
        assert extract(text, ALL, now=NOW, asking=Slot.TIMELINE).timeline_ok is None

    def test_not_moving_flag(self):
        """ "Not moving" is marked so temperature can call it cold."""
        assert extract(
            "we're not moving", ALL, now=NOW, asking=Slot.TIMELINE
        ).not_moving

    def test_yes_means_problem_only_when_asked(self):
        """A bare "yes" answers the timeline question only when it was asked."""
        assert extract("yes", ALL, now=NOW, asking=Slot.PRICE).timeline_ok is None

    def test_years_lived_are_not_a_timeline(self):
        """How long someone has lived there is not when they want to move."""
        got = extract("lived here for 20 years, want to downsize", ALL, now=NOW)
        assert got.timeline_ok is None


class TestCondition:
    @pytest.mark.parametrize(("text", "expected"), CONDITION)
    def test_reads_condition(self, text, expected):
        """Cosmetic words are minor, structural ones major, finished ones ready."""
        assert extract(text, ALL, now=NOW, asking=Slot.CONDITION).condition is expected

    @pytest.mark.parametrize("text", CONDITION_UNCLEAR)
    def test_unclear_is_unknown(self, text):
        """An unclear answer leaves the condition unknown."""
        assert extract(text, ALL, now=NOW, asking=Slot.CONDITION).condition is None

    def test_unrelated_updated_is_not_condition(self):
        """ "Keep you updated" says nothing about the house."""
        assert extract("I'll keep you updated", ALL, now=NOW).condition is None


class TestPrice:
    @pytest.mark.parametrize(("text", "low", "high"), PRICE)
    def test_reads_price(self, text, low, high):
        """Price formats are read through the shared parser."""
        got = extract(text, ALL, now=NOW, asking=Slot.PRICE)
        assert (got.price_low, got.price_high) == (low, high)

    @pytest.mark.parametrize("text", PRICE_UNCLEAR)
    def test_no_price(self, text):
        """Asking for an offer or a value is no price."""
        assert extract(text, ALL, now=NOW, asking=Slot.PRICE).price_low is None

    def test_bare_number_needs_price_context(self):
        """A bare 350 outside a price question is not a price."""
        assert extract("350", ALL, now=NOW, asking=Slot.MOTIVATION).price_low is None


class TestSlotFilling:
    def test_everything_in_one_message(self):
        """One message can fill all four slots at once."""
        got = extract(
            "job transfer to Austin, need to sell in 3 weeks, house is move in ready "
            "and I want 410k",
            ALL,
            now=NOW,
        )
        assert filled(got) == ALL
        assert (got.motivation, got.move_to, got.timeline_days) == (
            M.RELOCATION,
            "Austin",
            21,
        )
        assert got.condition is Condition.MOVE_IN_READY
        assert got.price_low == 410_000
        assert got.urgency is Urgency.HIGH

    def test_closed_slots_are_not_read(self):
        """Only the open slots are tried."""
        got = extract("divorce, want 400k", (Slot.PRICE,), now=NOW)
        assert got.motivation is None
        assert filled(got) == (Slot.PRICE,)

    @pytest.mark.parametrize(
        ("text", "urgency"),
        [
            ("need to sell asap", Urgency.HIGH),
            ("no rush at all", Urgency.LOW),
            ("behind on payments", Urgency.HIGH),
            ("just curious", Urgency.LOW),
            ("divorce", None),
        ],
    )
    def test_urgency(self, text, urgency):
        """Urgency comes from words, spans or a pressing motivation, else unknown."""
        assert extract(text, ALL, now=NOW, asking=Slot.MOTIVATION).urgency is urgency

    @given(st.text(), st.sampled_from([None, *Slot]))
    def test_any_text_is_safe(self, text, asking):
        """Any text, emoji and unicode included, extracts without error."""
        extract(text, ALL, now=NOW, asking=asking)
