"""The events actor: masks, stores and fans out every `Event`.

Producers call `publish(event)`, which never blocks: when the inbox is full the event
is dropped and counted. For each event the actor masks phone numbers and emails in
its string values, appends it to the bounded stream `jorged:events` (the store falls
back to disk by itself), sets the stream id on it and hands it to every subscriber.

A subscriber reads from a bounded channel of `EventsConfig.subscriber_buffer` events.
One that falls that far behind is dropped (its channel closed, `Subscription.dropped`
set), so a stuck reader never slows the producers or the other readers.

The actor owns its inbox (both ends): a supervised restart keeps it, and `publish`
needs the send end to count what it drops.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from types import TracebackType
from typing import NoReturn, Self

import attrs
import structlog
import trio

from jorged.actors.mailbox import receive_batch
from jorged.config import EventsConfig
from jorged.events import Event
from jorged.exceptions import ActorError, Invalid, StoreError
from jorged.log import mask_pii
from jorged.store.codec import dumps, loads
from jorged.store.ids import format_id, parse_id
from jorged.store.store_protocol import Store

__all__ = [
    "INBOX_SIZE",
    "RECENT_MAX",
    "STREAM_KEY",
    "EventsActor",
    "EventsStatistics",
    "Subscription",
    "masked",
]

log = structlog.get_logger()

STREAM_KEY = "jorged:events"
#: Events waiting for the actor; a burst beyond this is dropped, not waited for.
INBOX_SIZE = 1024
#: The most events one `recent()` call returns.
RECENT_MAX = 1000
_DAY_MS = 86_400_000
#: The most events stored in one commit.
_BATCH = 256
#: Past the last stream id any store holds (SQLite integers are signed 64-bit).
MAX_STORED_ID = (2**63 - 1, 2**63 - 1)
_STREAM_ID = re.compile(r"[0-9]{1,20}(?:-[0-9]{1,20})?")


def masked(event: Event) -> Event:
    """`event` with phone numbers and emails masked in every string value."""
    data = {k: mask_pii(v) if isinstance(v, str) else v for k, v in event.data.items()}
    return attrs.evolve(event, data=data)


@attrs.define(eq=False)
class Subscription:
    """A reader's bounded view of the live events; use it with `with`.

    Iterate it (`async for event in sub`) or read `receive`. The iteration ends when
    the subscription is closed or dropped (`dropped` is then True).
    """

    receive: trio.MemoryReceiveChannel[Event]
    _send: trio.MemorySendChannel[Event]
    _on_close: Callable[[Subscription], None]
    dropped: bool = False
    closed: bool = False

    def close(self) -> None:
        self.closed = True
        self._on_close(self)
        self._send.close()
        self.receive.close()

    def offer(self, event: Event) -> bool:
        """Hand `event` over without waiting (the events actor's side).

        A full buffer drops the subscription and returns False.
        """
        if self.closed or self.dropped:
            return False
        try:
            self._send.send_nowait(event)
        except trio.WouldBlock:
            self.dropped = True
            self._send.close()
            return False
        except (trio.BrokenResourceError, trio.ClosedResourceError):
            self.closed = True
            return False
        return True

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __aiter__(self) -> trio.MemoryReceiveChannel[Event]:
        return self.receive


@attrs.frozen(kw_only=True)
class EventsStatistics:
    published: int
    stored: int
    store_failures: int
    producer_drops: int
    dropped_subscribers: int
    subscribers: int
    queued: int


@attrs.define(kw_only=True)
class EventsActor:
    cfg: EventsConfig
    store: Store
    inbox_size: int = INBOX_SIZE
    _send: trio.MemorySendChannel[Event] = attrs.field(init=False)
    _inbox: trio.MemoryReceiveChannel[Event] = attrs.field(init=False)
    _subscribers: set[Subscription] = attrs.field(factory=set, init=False)
    _published: int = attrs.field(default=0, init=False)
    _stored: int = attrs.field(default=0, init=False)
    _store_failures: int = attrs.field(default=0, init=False)
    _producer_drops: int = attrs.field(default=0, init=False)
    _dropped_subscribers: int = attrs.field(default=0, init=False)

    def __attrs_post_init__(self) -> None:
        self._send, self._inbox = trio.open_memory_channel[Event](self.inbox_size)

    def publish(self, event: Event) -> bool:
        """Queue `event` without waiting; False (and counted) when the inbox is full."""
        try:
            self._send.send_nowait(event)
        except trio.WouldBlock:
            self._producer_drops += 1
            return False
        return True

    def subscribe(self) -> Subscription:
        """A new reader of every event handled from now on."""
        send, receive = trio.open_memory_channel[Event](self.cfg.subscriber_buffer)
        sub = Subscription(receive, send, self._subscribers.discard)
        self._subscribers.add(sub)
        return sub

    async def recent(
        self, since: str | None = None, limit: int = 100, *, now: float | None = None
    ) -> list[Event]:
        """Stored events within the retention, oldest first.

        With `since` (a stream id), up to `limit` events after it; without, the last
        `limit` events. `now` (UNIX seconds) defaults to the wall clock.
        """
        if not 1 <= limit <= RECENT_MAX:
            raise Invalid(field="limit", problem=f"must be between 1 and {RECENT_MAX}")
        wall = time.time() if now is None else now
        cutoff = (int(wall * 1000) - self.cfg.retention_days * _DAY_MS, 0)
        if since is None:
            entries = await self.store.stream_tail(STREAM_KEY, count=limit)
        else:
            start = _start_after(since, cutoff)
            if start is None:
                return []
            entries = await self.store.stream_read(
                STREAM_KEY, after=format_id(start), limit=limit
            )
        return [
            event
            for entry_id, data in entries
            if parse_id(entry_id) >= cutoff and (event := _load(entry_id, data))
        ]

    def statistics(self) -> EventsStatistics:
        return EventsStatistics(
            published=self._published,
            stored=self._stored,
            store_failures=self._store_failures,
            producer_drops=self._producer_drops,
            dropped_subscribers=self._dropped_subscribers,
            subscribers=len(self._subscribers),
            queued=self._inbox.statistics().current_buffer_used,
        )

    async def run(
        self, *, task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED
    ) -> NoReturn:
        with structlog.contextvars.bound_contextvars(actor="events"):
            task_status.started()
            while True:
                try:
                    batch = await receive_batch(self._inbox, _BATCH)
                except trio.EndOfChannel:
                    break
                await self._handle(batch)
        raise ActorError(actor="events", reason="inbox closed")

    async def _handle(self, batch: list[Event]) -> None:
        """Store the events waiting (one commit for all), then hand them out."""
        events = [masked(event) for event in batch]
        try:
            ids = await self.store.stream_append_many(
                STREAM_KEY, [dumps(e) for e in events], maxlen=self.cfg.stream_maxlen
            )
        except StoreError as exc:
            # The live feed goes on without history; the store logs its own state.
            self._store_failures += len(events)
            log.warning(
                "event_not_stored",
                kinds=sorted({e.kind.value for e in events}),
                count=len(events),
                error=str(exc),
            )
        else:
            self._stored += len(events)
            events = [attrs.evolve(e, id=i) for e, i in zip(events, ids, strict=True)]
        for event in events:
            self._published += 1
            self._fan_out(event)
            # Let readers take it before the next: a reader that keeps up with
            # single events keeps up with a batch too.
            await trio.lowlevel.checkpoint()

    def _fan_out(self, event: Event) -> None:
        for sub in list(self._subscribers):
            if sub.offer(event):
                continue
            self._subscribers.discard(sub)
            if sub.dropped:
                self._dropped_subscribers += 1
                log.warning("subscriber_dropped", buffer=self.cfg.subscriber_buffer)


def _start_after(since: str, cutoff: tuple[int, int]) -> tuple[int, int] | None:
    """Where to read from after the stream id `since`; None when nothing can follow.

    `since` is `<ms>` or `<ms>-<n>`, each at most 20 digits (else a `Invalid`
    naming `since`). An id older than the retention (`0` included) starts at the
    oldest event kept; one at or past `MAX_STORED_ID` (no store holds such ids,
    SQLite's integers end there) has nothing after it.
    """
    if not _STREAM_ID.fullmatch(since):
        problem = f"a stream id looks like '<ms>-<n>' in digits, got {since[:40]!r}"
        raise Invalid(field="since", problem=problem)
    after = parse_id(since)
    if after >= MAX_STORED_ID:
        return None
    after = (after[0], min(after[1], MAX_STORED_ID[1]))
    # The cutoff's own millisecond is kept: start after everything before it.
    return max(after, (cutoff[0] - 1, MAX_STORED_ID[1]))


def _load(entry_id: str, data: bytes) -> Event | None:
    try:
        event = loads(data, Event)
    except StoreError as exc:
        log.warning("stored_event_unreadable", id=entry_id, error=str(exc))
        return None
    return attrs.evolve(event, id=entry_id)
