"""Opt-out is hard to fool both ways: any reasonable revocation counts, a keyword
with another meaning does not, and what may be either waits for Jorge (SPEC 1.4)."""

from __future__ import annotations

import pytest

from jorged.domain.conversation.state import Slot
from jorged.domain.reading import ActKind, Context, read

OPT_OUTS = [
    "STOP",
    "Stop.",
    "stop texting me!!",
    "UNSUBSCRIBE ME",
    "Cancel please",
    "end",
    "opt-out",
    "Please stop sending me these messages",
    "i'm asking you to stop contacting me",
    "could you please stop",
    "you can stop now",
    "do NOT text me again",
    "never message this number again",
    "remove my number from your list",
    "delete my contact info",
    "I want to be taken off your list",
    "leave us alone",
    "wrong number, there's no Mike here",
    "f*** off",
    "screw off",
    "alto por favor",
    "no me escribas mas",
    "dejame en paz",
    "stahp",
    "I revoke consent to receive texts",
]
NOT_OPT_OUTS = [
    "quit my job in may, we're heading to Boise",
    "end of the month works for us",
    "stop by whenever, we're home",
    "the leak won't stop, roof needs replacing",
    "cancel the appraisal, we're selling as is",
    "we can't stop renting the other place yet",
    "revoke? why would I do that lol",
    "stop worrying, 30 days is fine",
    "para mi familia es importante vender rapido",
]
UNSURE = [
    "I'm good thanks",
    "pass",
    "not now",
    "k bye",
    "nah thanks",
    "enough is enough",
]


@pytest.mark.parametrize("text", OPT_OUTS)
def test_revocations_opt_out(text) -> None:
    """A keyword or a plain revocation in any words is an opt-out."""
    reading = read(text, Context(asking=Slot.MOTIVATION))
    assert reading.has(ActKind.OPT_OUT)
    assert reading.values.motivation is None


@pytest.mark.parametrize("text", NOT_OPT_OUTS)
def test_keywords_with_another_meaning_are_not_opt_outs(text) -> None:
    """A keyword used with another meaning opts nobody out."""
    reading = read(text, Context(asking=Slot.TIMELINE))
    assert not reading.has(ActKind.OPT_OUT)
    assert not reading.has(ActKind.OPT_OUT_UNSURE)


@pytest.mark.parametrize("text", UNSURE)
def test_brush_offs_are_unsure(text) -> None:
    """A brush-off that may revoke consent is unsure: Jorge decides."""
    reading = read(text, Context(asking=Slot.CONDITION))
    assert reading.has(ActKind.OPT_OUT_UNSURE)
    assert reading.confidence <= 0.5


def test_a_plain_no_answers_the_timeline_question() -> None:
    """ "no" to "would that pose a problem?" is an answer, not a brush-off."""
    reading = read("nope", Context(asking=Slot.TIMELINE))
    assert reading.acts == ()
    assert reading.values.timeline_ok is True


def test_start_and_help_are_their_own_acts() -> None:
    """START opts back in; HELP asks who this is and how to stop."""
    assert read("start", Context()).has(ActKind.OPT_IN)
    assert read("HELP", Context()).has(ActKind.HELP)
    assert not read("start at 450", Context(asking=Slot.PRICE)).has(ActKind.OPT_IN)
