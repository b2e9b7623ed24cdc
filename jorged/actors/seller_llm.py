"""The LLM's reading of a turn, made by the seller actor before the pure step.

With an LLM configured, `TurnReader.read` reads each text the step will read
(`seller_reading.texts_to_read`) with the rules, and where they are unsure, with
the LLM too (`llm.reading.read_with_llm`); the grounded readings ride on the
`Inbound` into `step`, which merges them with its own rules reading. The texts of
a turn are read concurrently, all within `llm.timeout_s` (and a little grace for
the call's own bookkeeping); a call that fails, times out or raises leaves the
rules' reading to stand, so a turn is never lost to the LLM and waits at most
that long for it.

Each call made is handed to `on_call` (the tracker: tokens, latency, cost from
the tokens). Answers are kept in a small in-memory LRU by (text, context), so a
turn tried again (the quarantine's retries, a restarted seller actor replaying
the journal) does not pay for the same call twice; after a restart of the whole
process a replayed turn is read by the LLM again.
"""

from __future__ import annotations

import collections
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING

import attrs
import structlog
import trio

from jorged.domain import seller_io as sio
from jorged.domain.reading import Context, Reading
from jorged.domain.seller_models import ConversationState
from jorged.domain.seller_reading import texts_to_read

if TYPE_CHECKING:
    from jorged.llm.base import LlmCallRecord
    from jorged.llm.reading import ReadOutcome

__all__ = ["CACHE_SIZE", "GRACE_S", "ReadAgain", "TurnReader"]

log = structlog.get_logger()

#: Answers kept in memory (a grounded reading is a few hundred bytes).
CACHE_SIZE = 512
#: Past `llm.timeout_s`, how long a turn still waits for the call to wind up.
GRACE_S = 0.5

ReadAgain = Callable[[str, Context], Awaitable["ReadOutcome"]]


@attrs.define(kw_only=True, eq=False)
class TurnReader:
    """Reads a turn's unsure texts with the LLM (see the module docstring)."""

    read_again: ReadAgain
    timeout_s: float
    on_call: Callable[[LlmCallRecord], None] = lambda _c: None
    cache_size: int = CACHE_SIZE
    _cache: collections.OrderedDict[tuple[str, Context], Reading] = attrs.field(
        factory=collections.OrderedDict, init=False
    )
    calls: int = attrs.field(default=0, init=False)

    async def read(
        self, state: ConversationState | None, event: sio.Inbound, now: datetime
    ) -> sio.Inbound:
        """`event` with the LLM's readings of its unsure texts, if any."""
        found: dict[str, Reading] = {}
        with trio.move_on_after(self.timeout_s + GRACE_S):
            async with trio.open_nursery() as nursery:
                for text, context in texts_to_read(state, event, now):
                    nursery.start_soon(self._one, text, context, found)
        if not found:
            return event
        readings = tuple(
            sio.LlmReading(text=text, reading=found[text]) for text in sorted(found)
        )
        return attrs.evolve(event, llm_readings=readings)

    async def _one(
        self, text: str, context: Context, found: dict[str, Reading]
    ) -> None:
        key = (text, context)
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            found[text] = cached
            return
        try:
            outcome = await self.read_again(text, context)
        except Exception as exc:  # noqa: BLE001 (the rules' reading stands)
            log.warning("llm_reading_failed", error=f"{type(exc).__name__}: {exc}")
            return
        if outcome.call is not None:
            self.calls += 1
            self.on_call(outcome.call)
        if outcome.failure is not None:
            log.warning("llm_reading_unused", reason=outcome.failure)
        if outcome.llm is None:
            return
        found[text] = outcome.llm
        self._cache[key] = outcome.llm
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)
