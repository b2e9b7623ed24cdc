"""Misreads found by the scripted conversations, each read right now.

A past event's date is no timeline; being done with renters is a landlord's
reason; "9 months not 3 weeks" corrects to the first span; a bare "no" to a
question is an answer, never a possible opt-out; another agent's worth is an
estimate, not a complaint about agents.
"""

from __future__ import annotations

from datetime import date

import pytest

from jorged.domain.conversation.state import Motivation, Slot
from jorged.domain.reading import Context, read
from jorged.domain.reading.acts import ActKind, QuestionKind

TODAY = date(2026, 3, 1)


def _read(text: str, asking: Slot | None = None, *, qualified: bool = False):
    context = Context(asking=asking, qualified=qualified, today=TODAY)
    return read(text, context)


@pytest.mark.parametrize(
    "text",
    [
        "I quit my job in march so we're moving to tucson",
        "left my position in april, we're heading to boise",
        "resigned in june and now we want to move closer to my parents",
    ],
)
def test_a_past_event_with_a_month_fills_no_timeline(text: str) -> None:
    values = _read(text, Slot.MOTIVATION).values
    assert values.timeline_ok is None
    assert values.timeline_days is None
    assert values.motivation is not None


def test_a_job_quit_is_no_timeline_but_the_move_is_read() -> None:
    values = _read(
        "I quit my job in march so we're moving to tucson", Slot.MOTIVATION
    ).values
    assert values.motivation is Motivation.RELOCATION
    assert values.move_to == "Tucson"


@pytest.mark.parametrize(
    "text",
    [
        "we're done with renters, sick of the headaches",
        "honestly I'm sick of tenants",
        "fed up with being a landlord",
        "through with renting it out",
    ],
)
def test_done_with_renters_is_a_tired_landlord(text: str) -> None:
    assert _read(text, Slot.MOTIVATION).values.motivation is Motivation.TIRED_LANDLORD


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("I meant 9 months not 3 weeks", 270),
        ("sorry, 90 days, not 30 days", 90),
        ("i meant 2 months instead of 6 weeks", 60),
    ],
)
def test_a_corrected_span_is_the_one_kept(text: str, days: int) -> None:
    reading = _read(text, qualified=True)
    assert reading.has(ActKind.CORRECTION)
    assert reading.values.timeline_days == days


@pytest.mark.parametrize(
    "asking", [Slot.MOTIVATION, Slot.CONDITION, Slot.PRICE, Slot.TIMELINE]
)
@pytest.mark.parametrize("text", ["no", "nope", "No.", "nah", "NOPE!"])
def test_a_bare_no_to_a_question_is_never_an_opt_out(text: str, asking: Slot) -> None:
    reading = _read(text, asking)
    assert not reading.has(ActKind.OPT_OUT_UNSURE)
    assert not reading.has(ActKind.OPT_OUT)


def test_a_bare_no_with_no_question_asked_may_still_be_a_brush_off() -> None:
    assert _read("no thanks", Slot.CONDITION).has(ActKind.OPT_OUT_UNSURE)


@pytest.mark.parametrize(
    "text",
    ["where did you even get my number", "where'd you even get my number?"],
)
def test_where_did_you_get_my_number_is_a_question_back(text: str) -> None:
    acts = _read(text, Slot.CONDITION).acts
    assert [a.question for a in acts if a.kind is ActKind.QUESTION] == [
        QuestionKind.NUMBER
    ]


def test_another_agents_worth_is_an_estimate_not_a_complaint() -> None:
    reading = _read("another agent said its worth 700", Slot.PRICE)
    assert not reading.has(ActKind.COMPLAINT)
    assert reading.values.estimate == 700000
    assert reading.values.price_low is None


def test_another_agent_texting_is_still_a_complaint() -> None:
    assert _read("ugh, another agent", Slot.MOTIVATION).has(ActKind.COMPLAINT)
