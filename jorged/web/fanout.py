"""One subscription to the daemon's live events, shared by every open page.

Each page following the feed used to hold its own subscription and cross into trio
for every batch: with a few dozen pages open on a busy daemon that is thousands of
bridge hops a second, each a trio task and a loop wake-up. Here one pump crosses
once per batch and hands the batch (the frozen events themselves, shared by every
page) to every page on the asyncio side. A page that falls `PAGE_BACKLOG` batches
behind is let go (its stream ends), as the events actor lets go of a slow
subscriber; the others go on.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Callable

import attrs
import structlog
import trio

from jorged.actors.event_bus import Subscription
from jorged.actors.mailbox import receive_batch
from jorged.bridge import TrioGuest
from jorged.events import Event
from jorged.exceptions import ActorError

log = structlog.get_logger()

#: How a subscription read through the bridge ends: the events actor closed or
#: dropped it (EndOfChannel), it was closed here (ClosedResourceError), or trio
#: is no longer running (ActorError). Anything else is a bug and is raised.
SUBSCRIPTION_ENDED = (trio.EndOfChannel, trio.ClosedResourceError, ActorError)

#: Events taken from trio in one hop.
BATCH = 500
#: Batches a page may have waiting before it is let go.
PAGE_BACKLOG = 256


@attrs.define(eq=False)
class _Page:
    batches: deque[list[Event]] = attrs.field(factory=deque)
    wake: asyncio.Event = attrs.field(factory=asyncio.Event)
    ended: bool = False

    def end(self) -> None:
        self.ended = True
        self.wake.set()


@attrs.define(kw_only=True)
class EventFanOut:
    """The live events for every open page, from one subscription."""

    guest: TrioGuest
    subscribe: Callable[[], Subscription]
    #: True once the daemon stops: the pump and every page's stream end.
    stopping: Callable[[], bool]
    _pages: set[_Page] = attrs.field(factory=set, init=False)
    _pump: asyncio.Task[None] | None = attrs.field(default=None, init=False)
    #: Pages let go for falling behind.
    dropped: int = attrs.field(default=0, init=False)

    @property
    def pages(self) -> int:
        return len(self._pages)

    async def follow(self) -> AsyncIterator[Event]:
        """The events from now on, until the page closes this or falls behind."""
        page = _Page()
        self._pages.add(page)
        if self._pump is None:
            self._pump = asyncio.get_running_loop().create_task(self._run())
        try:
            while True:
                while page.batches:
                    for event in page.batches.popleft():
                        yield event
                if page.ended:
                    return
                page.wake.clear()
                await page.wake.wait()
        finally:
            self._pages.discard(page)

    async def _run(self) -> None:
        sub = self.subscribe()
        try:
            while self._pages and not self.stopping():
                try:
                    events = await self.guest.run(receive_batch, sub.receive, BATCH)
                except SUBSCRIPTION_ENDED:
                    return  # dropped for falling behind, closed, or trio stopped
                except Exception:
                    log.exception("event_fanout_failed", pages=len(self._pages))
                    raise
                self._hand_out(events)
        finally:
            # No await from the last check to here: a page joining now finds no
            # pump and starts one.
            sub.close()
            self._pump = None
            for page in self._pages:
                page.end()

    def _hand_out(self, batch: list[Event]) -> None:
        for page in list(self._pages):
            if len(page.batches) >= PAGE_BACKLOG:
                self._pages.discard(page)
                self.dropped += 1
                page.end()
                continue
            page.batches.append(batch)
            page.wake.set()
