"""An LLM's reading is kept only where the seller's words back it."""

from __future__ import annotations

from jorged.domain.conversation.state import Motivation, Slot
from jorged.domain.reading import ActKind, Context, read
from jorged.domain.reading.grounding import ground, merge

TEXT = "Honestly my Mom isnt doing well and I need to be near her in Tucson"


def test_values_and_acts_need_their_words_in_the_text() -> None:
    """Quoted words are found ignoring case and spacing; invented ones drop the value."""
    reading = ground(
        TEXT,
        {
            "acts": [
                {
                    "kind": "life_event",
                    "life_event": "illness",
                    "evidence": "isnt  doing well",
                },
                {"kind": "question", "question": "bot", "evidence": "are you a bot"},
                {"kind": "dance", "evidence": "Honestly"},
            ],
            "values": {
                "motivation": {"value": "family", "evidence": "near her"},
                "move_to": {"value": "Tucson", "evidence": "in tucson"},
                "price": {"low": 500000, "high": 500000, "evidence": "500k"},
                "condition": {"value": "perfect", "evidence": "Honestly"},
            },
        },
    )
    assert [a.kind for a in reading.acts] == [ActKind.LIFE_EVENT]
    assert reading.acts[0].evidence.text == "isnt doing well"
    assert (reading.values.motivation, reading.values.move_to) == (
        Motivation.FAMILY,
        "Tucson",
    )
    assert reading.values.price_low is None
    assert reading.values.condition is None


def test_a_malformed_answer_reads_as_nothing() -> None:
    """An answer of the wrong shape gives an empty, zero-confidence reading."""
    reading = ground(TEXT, {"acts": "all of them", "values": ["x"]})
    assert (reading.acts, reading.confidence) == ((), 0.0)


def test_merge_fills_what_the_rules_did_not_read() -> None:
    """The rules' values stand; the LLM's grounded ones fill the gaps."""
    rules = read("roof leaks. " + TEXT, Context(asking=Slot.MOTIVATION))
    llm = ground(
        TEXT,
        {"acts": [], "values": {"motivation": {"value": "health", "evidence": "Mom"}}},
    )
    merged = merge(rules, llm)
    assert merged.values.condition == rules.values.condition
    assert merged.values.motivation == (rules.values.motivation or Motivation.HEALTH)


def test_an_opt_out_from_either_reader_wins() -> None:
    """Opt-out from the LLM replaces a rules reading and fills nothing."""
    rules = read("needs paint", Context(asking=Slot.CONDITION))
    llm = ground(
        "needs paint", {"acts": [{"kind": "opt_out", "evidence": "needs paint"}]}
    )
    merged = merge(rules, llm)
    assert [a.kind for a in merged.acts] == [ActKind.OPT_OUT]
    assert merged.values.condition is None
