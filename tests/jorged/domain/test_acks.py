"""Acknowledgements say back what was read, vary with it, and replay the same."""

from __future__ import annotations

from bench.acks import play
from jorged.config import SellerConfig
from jorged.domain.conversation.acks import acknowledge, span_words
from jorged.domain.conversation.state import Motivation, Slots
from jorged.domain.reading import Act, ActKind, Evidence, Reading

CHEERFUL = ("great", "nice", "congrats", "love", "exciting", "!")


def test_demo_sellers_get_varied_acknowledgements_fitting_the_news() -> None:
    """Over the demo generator's sellers: no acknowledgement twice in a row in a
    conversation, none dominating, nothing cheerful after bad news, and the same
    conversations give the same texts."""
    counts, sad, replies, repeats = play(150, 3, SellerConfig())
    assert replies > 300
    assert repeats == 0
    total = sum(counts.values())
    assert len(counts) >= 30
    assert counts.most_common(1)[0][1] < 0.1 * total
    assert sad
    for text in sad:
        assert not any(w in text.lower() for w in CHEERFUL), text
        assert "sorry" in text.lower(), text
    assert play(150, 3, SellerConfig())[0] == counts


def test_a_named_loss_is_named_and_a_place_is_echoed() -> None:
    text = "grandma passed in may and the house came to us"
    death = Reading(
        acts=(Act(kind=ActKind.LIFE_EVENT, life_event="death",
                  evidence=Evidence(start=8, end=14, text="passed")),)
    )  # fmt: skip
    said = acknowledge(
        text=text, reading=death, before=Slots(), after=Slots(),
        tone="direct", seed="c1:2",
    )  # fmt: skip
    assert said in {"I'm sorry about your grandma.", "I'm so sorry about your grandma."}
    moved = Slots(motivation=Motivation.RELOCATION, move_to="el paso")
    said = acknowledge(
        text="", reading=Reading(), before=Slots(), after=moved,
        tone="direct", seed="c1:2",
    )  # fmt: skip
    assert "El Paso" in said


def test_the_previous_text_is_never_repeated() -> None:
    after = Slots(motivation=Motivation.DOWNSIZING)
    first = acknowledge(
        text="", reading=Reading(), before=Slots(), after=after, tone="direct", seed="x"
    )
    again = acknowledge(
        text="", reading=Reading(), before=Slots(), after=after, tone="direct",
        seed="x", previous=f"Hey. {first} If our team sold...",
    )  # fmt: skip
    assert first
    assert again
    assert again != first


def test_spans_in_words() -> None:
    assert [span_words(d) for d in (21, 30, 120, 730, 10, None)] == [
        "3 weeks", "30 days", "4 months", "2 years", "10 days", "",
    ]  # fmt: skip
