"""The LLM's reading of a turn, made by the seller actor before the pure step.

With an LLM configured, `TurnReader.read` reads each text the step will read
(`turn_reading.texts_to_read`) with the rules, and where they are unsure, with
the LLM too (`llm.reading.read_with_llm`); the grounded readings ride on the
`Inbound` into `step`, which merges them with its own rules reading. The texts of
a turn are read concurrently, all within `llm.timeout_s` (and a little grace for
the call's own bookkeeping); a call that fails, times out or raises leaves the
rules' reading to stand, so a turn is never lost to the LLM and waits at most
that long for it.

Each call made is handed to `on_call` (the tracker: tokens, latency, cost from
the tokens). Answers are kept by a hash of the whole input (model, text, context)
in a small in-memory LRU and, for `CACHE_TTL_S`, in the store, so a turn tried
again (the quarantine's retries, the journal replayed after a crash of the actor
or of the whole process) or the same unsure text read against the same question
does not pay for the same call twice. A failed call is not kept.
"""

from __future__ import annotations

import collections
import hashlib
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING

import attrs
import orjson
import structlog
import trio

from jorged.domain.conversation import inputs as sio
from jorged.domain.conversation.state import ConversationState
from jorged.domain.conversation.turn_reading import texts_to_read
from jorged.domain.reading import Context, Reading
from jorged.exceptions import StoreError
from jorged.store import codec
from jorged.store.store_protocol import Store

if TYPE_CHECKING:
    from jorged.llm.llm_protocol import LlmCallRecord
    from jorged.llm.reading import ReadOutcome

__all__ = [
    "CACHE_KEY_PREFIX",
    "CACHE_SIZE",
    "CACHE_TTL_S",
    "GRACE_S",
    "ReadAgain",
    "TurnReader",
    "cache_key",
]

log = structlog.get_logger()

#: Answers kept in memory (a grounded reading is a few hundred bytes).
CACHE_SIZE = 512
#: How long the store keeps an answer (a replay comes soon after a crash).
CACHE_TTL_S = 2 * 86_400.0
CACHE_KEY_PREFIX = "seller:llm_reading:"
#: Bumped when the prompt or the reading's shape changes.
PROMPT_VERSION = 1
#: Past `llm.timeout_s`, how long a turn still waits for the call to wind up.
GRACE_S = 0.5


def cache_key(model: str, text: str, context: Context) -> str:
    """The store key of the LLM's reading of `text` against `context`."""
    payload = orjson.dumps(
        {
            "v": PROMPT_VERSION,
            "model": model,
            "text": text,
            "context": codec.to_jsonable(context),
        },
        option=orjson.OPT_SORT_KEYS,
    )
    return CACHE_KEY_PREFIX + hashlib.sha256(payload).hexdigest()


ReadAgain = Callable[[str, Context], Awaitable["ReadOutcome"]]


@attrs.define(kw_only=True, eq=False)
class TurnReader:
    """Reads a turn's unsure texts with the LLM (see the module docstring)."""

    read_again: ReadAgain
    timeout_s: float
    model: str = ""
    on_call: Callable[[LlmCallRecord], None] = lambda _c: None
    #: Where answers are kept past a restart (None: in memory only).
    store: Store | None = None
    cache_size: int = CACHE_SIZE
    _cache: collections.OrderedDict[str, Reading] = attrs.field(
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
        key = cache_key(self.model, text, context)
        cached = await self._cached(key)
        if cached is not None:
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
        self._keep(key, outcome.llm)
        if self.store is not None:
            try:
                await self.store.put(key, codec.dumps(outcome.llm), ttl_s=CACHE_TTL_S)
            except StoreError as exc:
                log.warning("llm_reading_cache_unavailable", op="put", error=str(exc))

    async def _cached(self, key: str) -> Reading | None:
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        if self.store is None:
            return None
        try:
            data = await self.store.get(key)
            cached = None if data is None else codec.loads(data, Reading)
        except StoreError as exc:
            log.warning("llm_reading_cache_unavailable", op="get", error=str(exc))
            return None
        if cached is not None:
            self._keep(key, cached)
        return cached

    def _keep(self, key: str, reading: Reading) -> None:
        self._cache[key] = reading
        self._cache.move_to_end(key)
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)
