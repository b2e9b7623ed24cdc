"""The scorer counts hits and misses the way the corpus contract says."""

from __future__ import annotations

from jorged.domain.conversation.state import Motivation, Slot
from jorged.domain.reading.acts import Act, ActKind, Context, Reading, SlotValues
from jorged.domain.reading.scoring import context_for, score
from tests.jorged.domain.reading.heldout import Held


def _reader(readings: dict[str, Reading]):
    def read(text: str, context: Context) -> Reading:
        return readings[text]

    return read


def test_acts_and_slots_are_counted_per_field() -> None:
    """A right act is a hit, a wrong slot value a false positive and a miss."""
    messages = [
        Held(source="a", text="stop", asked="none", acts=frozenset({ActKind.OPT_OUT})),
        Held(
            source="b",
            text="divorce",
            asked="motivation",
            motivation=Motivation.DIVORCE,
        ),
        Held(source="c", text="quit my job", asked="motivation"),
    ]
    readings = {
        "stop": Reading(acts=(Act(kind=ActKind.OPT_OUT),)),
        "divorce": Reading(values=SlotValues(motivation=Motivation.OTHER)),
        "quit my job": Reading(acts=(Act(kind=ActKind.OPT_OUT),)),
    }
    report = score(messages, _reader(readings))
    opt_out = next(r for r in report.acts if r.name == "opt_out")
    motivation = next(r for r in report.slots if r.name == "motivation")
    assert (opt_out.tp, opt_out.fp, opt_out.fn) == (1, 1, 0)
    assert report.false_opt_outs == 1
    assert (motivation.tp, motivation.fp, motivation.fn) == (0, 1, 1)
    assert any("false opt-outs" in f for f in report.failures())


def test_move_to_compares_without_case() -> None:
    """ "boise" read for "Boise" is a hit."""
    messages = [
        Held(
            source="a",
            text="x",
            asked="motivation",
            motivation=Motivation.RELOCATION,
            move_to="Boise",
        )
    ]
    reading = Reading(
        values=SlotValues(motivation=Motivation.RELOCATION, move_to="boise")
    )
    report = score(messages, _reader({"x": reading}))
    assert report.failures() == []


def test_context_follows_the_question_asked() -> None:
    """ "qualified" reads after qualification; a slot name is the question asked."""
    assert context_for("qualified").qualified
    assert context_for("price").asking is Slot.PRICE
    assert context_for("none").asking is None
