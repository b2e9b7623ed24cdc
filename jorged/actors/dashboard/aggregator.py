"""The aggregator actor: dashboard numbers and the conversation list, from memory.

The aggregator keeps a `ConversationIndex` (`jorged.actors.dashboard.index`) in step
with the store and answers the dashboard, the list and exports from it.

The dashboard is published: after the rebuild, after each batch of events and every
`PUBLISH_EVERY_S` (its figures are over the last 24 hours, so they move with time),
the aggregator's task computes it (about 0.1 ms at 100,000 conversations) and
replaces `snapshot`, a frozen `AggregatorSnapshot`. Readers (the API, the dashboard,
exports) read that, however many they are; they never reach into the index for it.

`Aggregator.run` subscribes to the events, reports started, rebuilds the index from
the store (`seller:state:*`, `lead:analysis:*`; `loading` until done), then
re-reads the record of each contact named by a `seller.*` or `lead.*` event. When
its subscription is dropped (it fell too far behind), it subscribes again and
rebuilds.

A record that makes indexing raise is tried again and set aside by the quarantine
after its third failure (`jorged.quarantine`); the index goes on without it, and a
start does not fail on it.
"""

from __future__ import annotations

import ctypes
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime
from typing import NoReturn, TypeVar

import attrs
import structlog
import trio

from jorged.actors.dashboard.index import ConversationIndex
from jorged.actors.event_bus import Subscription
from jorged.config import LeadsConfig
from jorged.domain.conversation.state import ConversationState
from jorged.domain.dashboard.facts import ConversationFacts, ConversationRow, facts_of
from jorged.domain.dashboard.query import ConversationQuery, QueryResult
from jorged.domain.dashboard.snapshot import DashboardSnapshot
from jorged.domain.leads.analysis import LeadAnalysis
from jorged.events import Event, EventKind
from jorged.exceptions import StoreError
from jorged.quarantine import InputRef, Quarantine, SetAside, guarded
from jorged.store.codec import loads
from jorged.store.store_protocol import Store

__all__ = [
    "LEAD_PREFIX",
    "PUBLISH_EVERY_S",
    "SELLER_PREFIX",
    "Aggregator",
    "AggregatorSnapshot",
    "AggregatorStatistics",
]

log = structlog.get_logger()

T = TypeVar("T")

SELLER_PREFIX = "seller:state:"
LEAD_PREFIX = "lead:analysis:"
#: Records decoded between two checkpoints while rebuilding (keeps the loop live).
REBUILD_CHUNK = 256
#: The longest a published dashboard goes unrenewed when no event comes.
PUBLISH_EVERY_S = 1.0


@attrs.frozen(kw_only=True)
class AggregatorSnapshot:
    """What the aggregator last published for readers."""

    #: Without `savings` (the tracker's figures; readers add them).
    dashboard: DashboardSnapshot
    #: True until the first rebuild is done (the index is empty, not zero).
    loading: bool


@attrs.frozen(kw_only=True)
class AggregatorStatistics:
    conversations: int
    leads: int
    rebuilds: int
    events: int
    refreshes: int
    unreadable: int
    resubscribes: int
    last_rebuild_s: float | None
    #: Events waiting in the aggregator's subscription.
    queued: int


@attrs.define(kw_only=True)
class Aggregator:
    """Keeps a `ConversationIndex` in step with the store, driven by events.

    `subscribe` is the events actor's `subscribe`. Readers read `snapshot` (the
    dashboard); the list's read methods are plain calls for the web, UI and control
    handlers on the same thread.
    """

    cfg: LeadsConfig
    store: Store
    subscribe: Callable[[], Subscription]
    quarantine: Quarantine | None = None
    #: The wall clock the published dashboard is computed at.
    now: Callable[[], datetime] = lambda: datetime.now(UTC)
    index: ConversationIndex = attrs.field(init=False)
    _snapshot: AggregatorSnapshot = attrs.field(init=False)
    _rebuilds: int = attrs.field(default=0, init=False)
    _events: int = attrs.field(default=0, init=False)
    _refreshes: int = attrs.field(default=0, init=False)
    _unreadable: int = attrs.field(default=0, init=False)
    _resubscribes: int = attrs.field(default=0, init=False)
    _last_rebuild_s: float | None = attrs.field(default=None, init=False)
    _loaded: trio.Event = attrs.field(factory=trio.Event, init=False)
    _sub: Subscription | None = attrs.field(default=None, init=False)

    def __attrs_post_init__(self) -> None:
        self.index = ConversationIndex(self.cfg)
        self._publish()

    @property
    def snapshot(self) -> AggregatorSnapshot:
        """The dashboard as last published (see the module docstring)."""
        return self._snapshot

    def _publish(self) -> None:
        self._snapshot = AggregatorSnapshot(
            dashboard=self.index.dashboard(self.now()), loading=self._rebuilds == 0
        )

    async def _publish_periodically(self) -> NoReturn:
        while True:
            await trio.sleep(PUBLISH_EVERY_S)
            self._publish()

    def query(self, params: ConversationQuery) -> QueryResult:
        return self.index.query(params)

    def row(self, contact_id: str) -> ConversationRow | None:
        return self.index.row(contact_id)

    def rows(self, params: ConversationQuery) -> Iterator[ConversationRow]:
        return self.index.rows(params)

    @property
    def loading(self) -> bool:
        """True until the first rebuild is done (the index is empty, not zero)."""
        return self._snapshot.loading

    async def wait_loaded(self) -> None:
        """Return once the first rebuild is done."""
        await self._loaded.wait()

    def statistics(self) -> AggregatorStatistics:
        return AggregatorStatistics(
            conversations=len(self.index),
            leads=self.index.lead_count,
            rebuilds=self._rebuilds,
            events=self._events,
            refreshes=self._refreshes,
            unreadable=self._unreadable,
            resubscribes=self._resubscribes,
            last_rebuild_s=self._last_rebuild_s,
            queued=0
            if self._sub is None
            else self._sub.receive.statistics().current_buffer_used,
        )

    async def run(
        self, *, task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED
    ) -> NoReturn:
        with structlog.contextvars.bound_contextvars(actor="aggregator"):
            async with trio.open_nursery() as nursery:
                nursery.start_soon(self._publish_periodically)
                while True:
                    with self.subscribe() as sub:
                        self._sub = sub
                        # Started before the rebuild: the daemon takes webhooks
                        # while the index loads (`loading` says so); events wait
                        # in `sub`.
                        task_status.started()
                        task_status = trio.TASK_STATUS_IGNORED
                        await self.rebuild()
                        await self._follow(sub)
                    self._resubscribes += 1
                    log.warning("aggregator_resubscribed", reason="events dropped")

    async def rebuild(self) -> None:
        """Read every conversation and lead analysis from the store, then swap."""
        began = trio.current_time()
        index = ConversationIndex(self.cfg)
        facts: list[ConversationFacts] = []
        async for key, data in self._consume(SELLER_PREFIX):
            if (state := self._decode(key, data, ConversationState)) is not None:
                try:
                    facts.append(facts_of(state))
                except Exception:  # noqa: BLE001 - the quarantine takes it from here
                    found = await self._facts(key, state)
                    if found is not None:
                        facts.append(found)
        # Leads first, so each conversation is indexed with its score at once.
        async for key, data in self._consume(LEAD_PREFIX):
            if (analysis := self._decode(key, data, LeadAnalysis)) is not None:
                index.put_lead(analysis)
        index.extend(facts)
        del facts
        self.index = index
        _release_free_heap()
        self._rebuilds += 1
        self._loaded.set()
        self._publish()
        self._last_rebuild_s = trio.current_time() - began
        log.info(
            "aggregator_rebuilt",
            conversations=len(index),
            seconds=round(self._last_rebuild_s, 3),
        )

    async def _consume(self, prefix: str) -> AsyncIterator[tuple[str, bytes]]:
        """The stored records under `prefix`, each let go of once taken.

        The scan holds every record at once (about 1.5 KB a conversation): letting
        each go as it is decoded frees that memory for the index being built,
        instead of leaving a heap of that size behind the index.
        """
        records = await self.store.scan(prefix)
        records.reverse()
        while records:
            yield records.pop()
            if len(records) % REBUILD_CHUNK == 0:
                await trio.lowlevel.checkpoint()

    async def _follow(self, sub: Subscription) -> None:
        """Apply events until the subscription ends (dropped or closed)."""
        async for event in sub:
            pending = set(_targets(event))
            while True:  # take what queued meanwhile: one read per contact
                try:
                    pending.update(_targets(sub.receive.receive_nowait()))
                except (trio.WouldBlock, trio.EndOfChannel):
                    break
            self._events += len(pending)
            for prefix, contact_id in pending:
                await guarded(
                    self.quarantine,
                    lambda: _record_ref(prefix + contact_id),  # noqa: B023
                    lambda: self.refresh(prefix, contact_id),  # noqa: B023
                )
            self._publish()

    async def _facts(
        self, key: str, state: ConversationState
    ) -> ConversationFacts | None:
        """`facts_of(state)` through the quarantine (None when set aside)."""

        async def facts() -> ConversationFacts:
            return facts_of(state)

        found = await guarded(self.quarantine, lambda: _record_ref(key), facts)
        return None if isinstance(found, SetAside) else found

    async def refresh_key(self, key: str) -> None:
        """Re-read the record stored at `key` (a retry from the quarantine)."""
        for prefix in (SELLER_PREFIX, LEAD_PREFIX):
            if key.startswith(prefix):
                await self.refresh(prefix, key.removeprefix(prefix))
        self._publish()

    async def refresh(self, prefix: str, contact_id: str) -> None:
        """Re-read one contact's record under `prefix` and update the index."""
        key = prefix + contact_id
        data = await self.store.get(key)
        self._refreshes += 1
        if prefix == SELLER_PREFIX:
            state = None if data is None else self._decode(key, data, ConversationState)
            if state is None:
                self.index.remove(contact_id)
            else:
                self.index.put(state)
        else:
            analysis = None if data is None else self._decode(key, data, LeadAnalysis)
            if analysis is None:
                self.index.remove_lead(contact_id)
            else:
                self.index.put_lead(analysis)

    def _decode(self, key: str, data: bytes, cls: type[T]) -> T | None:
        try:
            return loads(data, cls)
        except StoreError as exc:
            self._unreadable += 1
            log.warning("aggregator_record_unreadable", key=key, error=str(exc))
            return None


#: The events after which a stored record has changed, and the records to re-read.
#: A seller turn publishes its other events first and `seller.updated` once its
#: state is stored; forgetting a contact deletes its state and its lead analysis.
REFRESH_ON: dict[EventKind, tuple[str, ...]] = {
    EventKind.SELLER_UPDATED: (SELLER_PREFIX,),
    EventKind.SELLER_FORGOTTEN: (SELLER_PREFIX, LEAD_PREFIX),
    EventKind.LEAD_ANALYZED: (LEAD_PREFIX,),
}


def _record_ref(key: str) -> InputRef:
    return InputRef(
        source="aggregator",
        key=key,
        actor="aggregator",
        contact_id=key.removeprefix(SELLER_PREFIX).removeprefix(LEAD_PREFIX),
        summary=f"indexing {key}",
    )


def _release_free_heap() -> None:
    """Give the heap the rebuild left free back to the system (with glibc).

    A store scan is read in a worker thread, and glibc keeps the pages freed in
    that thread's arena (about 130 MB after 100,000 conversations) for later
    allocations instead of returning them; `malloc_trim` returns them. Without
    glibc's `malloc_trim` this does nothing. It takes about 10 ms at 100,000
    conversations, once per rebuild: called in place, not in a thread.
    """
    trim = getattr(ctypes.CDLL(None), "malloc_trim", None)
    if trim is not None:
        trim(0)


def _targets(event: Event) -> tuple[tuple[str, str], ...]:
    """The (prefix, contact) records to re-read after `event`."""
    contact_id = event.contact_id
    if contact_id is None:
        return ()
    return tuple((prefix, contact_id) for prefix in REFRESH_ON.get(event.kind, ()))
