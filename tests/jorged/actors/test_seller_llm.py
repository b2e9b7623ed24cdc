"""`TurnReader`: the LLM's reading of a turn, never at the turn's expense."""

from __future__ import annotations

import functools
from datetime import UTC, datetime

import trio

from jorged.actors.seller.llm_turns import GRACE_S, TurnReader
from jorged.config import LlmConfig
from jorged.domain.conversation.inputs import Inbound, InboundMessage
from jorged.domain.conversation.state import (
    Condition,
    ConversationState,
    Motivation,
    Slot,
    Slots,
    Stage,
)
from jorged.domain.reading import Context
from jorged.llm.reading import ReadOutcome, open_anthropic_reader, read_with_llm
from jorged.store import DictStore
from tests.fakes.anthropic_server import open_fake_anthropic

KEY = "sk-test-turn-reader"

AT = datetime(2026, 3, 3, 18, 0, tzinfo=UTC)
TURN = Inbound(
    contact_id="c-1",
    messages=(InboundMessage(message_id="m1", text="hmm idk", at=AT),),
)

#: A conversation at the condition question.
ASKING = ConversationState(
    contact_id="c-2",
    created_at=AT,
    updated_at=AT,
    stage=Stage.Q_CONDITION,
    asking=Slot.CONDITION,
    slots=Slots(motivation=Motivation.DIVORCE, timeline_ok=True),
)


async def test_a_reader_that_raises_leaves_the_turn_as_it_was() -> None:
    asked: list[str] = []

    async def broken(text: str, _context: Context) -> ReadOutcome:
        asked.append(text)
        msg = "grounding blew up"
        raise ValueError(msg)

    reader = TurnReader(read_again=broken, timeout_s=1.0)
    assert await reader.read(ASKING, TURN, AT) == TURN
    assert asked == ["hmm idk"]


async def test_a_reader_that_never_answers_is_left_at_the_timeout(
    autojump_clock: trio.abc.Clock,
) -> None:
    async def stuck(_text: str, _context: Context) -> ReadOutcome:
        await trio.sleep_forever()
        raise AssertionError

    reader = TurnReader(read_again=stuck, timeout_s=3.0)
    started = trio.current_time()
    assert await reader.read(ASKING, TURN, AT) == TURN
    assert trio.current_time() - started == 3.0 + GRACE_S


async def test_a_turn_replayed_after_a_restart_is_not_read_twice() -> None:
    """The answer is kept in the store: a new process reading the same turn (the
    journal's replay after a crash) makes no second call."""
    store = DictStore()
    text = "eh she's seen better days"
    at_condition = Inbound(
        contact_id="c-2",
        messages=(InboundMessage(message_id="m2", text=text, at=AT),),
    )
    with open_fake_anthropic(api_key=KEY) as fake:
        fake.answer_tool(
            {
                "acts": [],
                "values": {
                    "condition": {
                        "value": "minor_repairs",
                        "evidence": "seen better days",
                    }
                },
            }
        )
        cfg = LlmConfig(
            provider="anthropic", api_key=KEY, base_url=fake.url, timeout_s=5.0
        )
        readings = []
        for _process in range(2):
            async with open_anthropic_reader(cfg) as llm:
                reader = TurnReader(
                    read_again=functools.partial(read_with_llm, llm=llm),
                    timeout_s=cfg.timeout_s,
                    model=cfg.model,
                    store=store,
                )
                readings.append(await reader.read(ASKING, at_condition, AT))
        assert len(fake.requests) == 1
    first, again = readings
    assert first == again
    [kept] = first.llm_readings
    assert kept.text == text
    assert kept.reading.values.condition is Condition.MINOR_REPAIRS
