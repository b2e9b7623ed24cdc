"""The policy: what happens with a reading, decided before any word is chosen."""

from __future__ import annotations

from datetime import UTC, datetime

import attrs
import pytest

from jorged.domain.conversation.policy import Route, decide
from jorged.domain.conversation.state import (
    ConversationState,
    Flags,
    Motivation,
    Slot,
    Slots,
    Stage,
)
from jorged.domain.reading import Act, ActKind, DismissalKind, QuestionKind, Reading
from jorged.domain.reading.acts import SlotValues

NOW = datetime(2026, 3, 3, 18, tzinfo=UTC)
ASKING_TIMELINE = ConversationState(
    contact_id="c",
    created_at=NOW,
    updated_at=NOW,
    stage=Stage.Q_TIMELINE,
    asking=Slot.TIMELINE,
    slots=Slots(motivation=Motivation.DIVORCE),
)


def acts(*kinds: ActKind, **more: object) -> Reading:
    return Reading(acts=tuple(Act(kind=k, **more) for k in kinds))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("consent", "route"),
    [
        ([acts(ActKind.OPT_OUT)], Route.OPT_OUT),
        ([acts(ActKind.OPT_OUT_UNSURE)], Route.HOLD),
        ([acts(ActKind.OPT_OUT), acts(ActKind.OPT_IN)], Route.QUALIFY),
        ([acts(ActKind.OPT_OUT_UNSURE), acts(ActKind.OPT_OUT)], Route.OPT_OUT),
    ],
)
def test_consent_comes_first(consent: list[Reading], route: Route) -> None:
    assert decide(ASKING_TIMELINE, consent, consent[-1]).route is route


def test_an_opted_out_contact_is_heard_only_opting_back_in() -> None:
    out = attrs.evolve(ASKING_TIMELINE, flags=Flags(opted_out=True))
    answer = Reading(values=SlotValues(timeline_ok=True))
    assert decide(out, [answer], answer).route is Route.IGNORE
    assert decide(out, [acts(ActKind.OPT_OUT)], None).route is Route.IGNORE
    assert decide(out, [acts(ActKind.OPT_IN)], None).route is Route.OPT_IN


def test_paused_records_only() -> None:
    paused = attrs.evolve(ASKING_TIMELINE, flags=Flags(paused=True))
    answer = Reading(values=SlotValues(timeline_ok=True))
    assert decide(paused, [answer], answer).route is Route.RECORD


def test_what_is_not_an_answer_fills_nothing() -> None:
    """A dismissal, a complaint or an instruction never fills a slot, whatever
    values came with it; a call request keeps them."""
    values = SlotValues(timeline_ok=True, price_low=3_000_000, price_high=3_000_000)
    for kind, route in [
        (ActKind.DISMISSAL, Route.DISMISS),
        (ActKind.COMPLAINT, Route.COMPLAINT),
        (ActKind.INSTRUCTION, Route.QUALIFY),
    ]:
        reading = Reading(acts=(Act(kind=kind),), values=values)
        d = decide(ASKING_TIMELINE, [reading], reading)
        assert d.route is route
        assert d.values == SlotValues()
        assert not d.unclear
    call = Reading(acts=(Act(kind=ActKind.CALL_REQUEST, call_time="after 5"),), values=values)
    d = decide(ASKING_TIMELINE, [call], call)
    assert (d.route, d.call_time, d.values.timeline_ok) == (Route.CALL, "after 5", True)


def test_a_listed_seller_is_dismissed_as_listed() -> None:
    r = acts(ActKind.DISMISSAL, dismissal=DismissalKind.LISTED)
    assert decide(ASKING_TIMELINE, [r], r).dismissal is DismissalKind.LISTED


def test_answers_fill_open_slots_only_unless_corrected() -> None:
    again = Reading(values=SlotValues(motivation=Motivation.RELOCATION, timeline_ok=True))
    d = decide(ASKING_TIMELINE, [again], again)
    assert (d.values.motivation, d.values.timeline_ok, d.unclear) == (None, True, False)
    fixed = attrs.evolve(again, acts=(Act(kind=ActKind.CORRECTION),))
    d = decide(ASKING_TIMELINE, [fixed], fixed)
    assert (d.values.motivation, d.correction) == (Motivation.RELOCATION, True)


def test_nothing_read_is_unclear_but_a_question_back_is_not() -> None:
    empty = Reading()
    assert decide(ASKING_TIMELINE, [empty], empty).unclear
    asked = acts(ActKind.QUESTION, question=QuestionKind.BOT)
    d = decide(ASKING_TIMELINE, [asked], asked)
    assert (d.question, d.unclear) == (QuestionKind.BOT, False)


def test_after_qualification_only_corrections_count() -> None:
    done = attrs.evolve(ASKING_TIMELINE, stage=Stage.QUALIFIED, asking=None,
                        slots=Slots(motivation=Motivation.DIVORCE, timeline_ok=True))  # fmt: skip
    plain = Reading(values=SlotValues(timeline_ok=False, timeline_days=120))
    d = decide(done, [plain], plain)
    assert (d.route, d.values, d.correction) == (Route.QUALIFIED, SlotValues(), False)
    fixed = attrs.evolve(plain, acts=(Act(kind=ActKind.CORRECTION),))
    d = decide(done, [fixed], fixed)
    assert (d.correction, d.values.timeline_days) == (True, 120)


def test_a_life_event_gives_the_motivation_when_none_was_read() -> None:
    fresh = attrs.evolve(ASKING_TIMELINE, slots=Slots(), asking=Slot.MOTIVATION)
    r = acts(ActKind.LIFE_EVENT, life_event="death")
    assert decide(fresh, [r], r).values.motivation is Motivation.INHERITED
