"""`TurnReader`: the LLM's reading of a turn, never at the turn's expense."""

from __future__ import annotations

from datetime import UTC, datetime

import trio

from jorged.actors.seller_llm import GRACE_S, TurnReader
from jorged.domain.reading import Context
from jorged.domain.seller_io import Inbound, InboundMessage
from jorged.llm.reading import ReadOutcome

AT = datetime(2026, 3, 3, 18, 0, tzinfo=UTC)
TURN = Inbound(
    contact_id="c-1",
    messages=(InboundMessage(message_id="m1", text="hmm idk", at=AT),),
)


async def test_a_reader_that_raises_leaves_the_turn_as_it_was() -> None:
    async def broken(_text: str, _context: Context) -> ReadOutcome:
        msg = "grounding blew up"
        raise ValueError(msg)

    reader = TurnReader(read_again=broken, timeout_s=1.0)
    assert await reader.read(None, TURN, AT) == TURN


async def test_a_reader_that_never_answers_is_left_at_the_timeout(
    autojump_clock: trio.abc.Clock,
) -> None:
    async def stuck(_text: str, _context: Context) -> ReadOutcome:
        await trio.sleep_forever()
        raise AssertionError

    reader = TurnReader(read_again=stuck, timeout_s=3.0)
    started = trio.current_time()
    assert await reader.read(None, TURN, AT) == TURN
    assert trio.current_time() - started == 3.0 + GRACE_S
