"""The scheduler: persisted follow-up timers.

One timer per contact, in the sorted set `followups` (member `contact_id|index`,
score = due time in epoch seconds). When a timer fires it is handed to the seller as
`FollowupDue(index)`; the seller's answer (the next `ScheduleFollowup`, or
`CancelFollowups`) replaces it. A fired timer stays persisted until then, so a crash
in between fires it again after the restart, and the seller, which persisted the
index it handled, ignores a repeat: nothing is lost and nothing is sent twice.

Timers wait in a heap by due time, so a message costs O(log n) however many
conversations are in their cadence: replaced and cancelled timers stay in the heap
until they surface (or the heap is compacted) and are skipped then. The messages
waiting in the inbox are handled together, their timer changes stored in one commit.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import NoReturn

import attrs
import structlog
import trio

from jorged.clock import TrioWallClock
from jorged.domain.seller_io import FollowupDue
from jorged.store.base import Store, WriteOp, ZAdd, ZRemove

log = structlog.get_logger()

FOLLOWUPS = "followups"
#: The heap is rebuilt from the live timers when it holds this many times as many.
COMPACT_RATIO = 2
COMPACT_MIN = 1024
#: At most this many inbox messages are handled per commit.
BATCH = 256


@attrs.frozen(kw_only=True)
class Schedule:
    contact_id: str
    index: int
    due: datetime


@attrs.frozen(kw_only=True)
class Cancel:
    contact_id: str


SchedulerMsg = Schedule | Cancel


def _member(contact_id: str, index: int) -> str:
    return f"{contact_id}|{index}"


@attrs.define(kw_only=True)
class Scheduler:
    store: Store
    clock: TrioWallClock
    inbox: trio.MemoryReceiveChannel[SchedulerMsg]
    fire: Callable[[FollowupDue], Awaitable[None]]
    #: contact → (index, due epoch seconds, fired in this run)
    _timers: dict[str, tuple[int, float, bool]] = attrs.field(factory=dict, init=False)
    #: (due epoch seconds, contact, index) of every timer set; stale ones included.
    _heap: list[tuple[float, str, int]] = attrs.field(factory=list, init=False)

    def pending(self) -> dict[str, tuple[int, float]]:
        """The timers not yet fired: contact → (index, due epoch seconds)."""
        return {c: (i, due) for c, (i, due, fired) in self._timers.items() if not fired}

    async def run(
        self, *, task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED
    ) -> NoReturn:
        self._timers.clear()
        for member, score in await self.store.zset_range(FOLLOWUPS, max_score=math.inf):
            contact_id, _, index = member.rpartition("|")
            self._timers[contact_id] = (int(index), score, False)
        self._compact()
        with structlog.contextvars.bound_contextvars(actor="scheduler"):
            task_status.started()
            while True:
                await self._fire_due()
                msg: SchedulerMsg | None = None
                # Only the wait is bounded by the next due time: a message being
                # handled when a timer falls due is finished, never cut short.
                with trio.move_on_at(self._next_deadline()):
                    msg = await self.inbox.receive()
                if msg is not None:
                    await self._handle([msg, *self._waiting()])

    def _waiting(self) -> list[SchedulerMsg]:
        more: list[SchedulerMsg] = []
        while len(more) < BATCH - 1:
            try:
                more.append(self.inbox.receive_nowait())
            except trio.WouldBlock:
                break
        return more

    def _next_deadline(self) -> float:
        heap = self._heap
        while heap and not self._live(*heap[0]):
            heapq.heappop(heap)
        if not heap:
            return math.inf
        return heap[0][0] - self.clock.offset

    async def _fire_due(self) -> None:
        now = self.clock.epoch()
        heap = self._heap
        while heap and heap[0][0] <= now:
            due, contact_id, index = heapq.heappop(heap)
            if self._live(due, contact_id, index):
                self._timers[contact_id] = (index, due, True)
                await self.fire(FollowupDue(contact_id=contact_id, index=index))

    def _live(self, due: float, contact_id: str, index: int) -> bool:
        """Whether a heap entry is the contact's timer, set and not yet fired."""
        return self._timers.get(contact_id) == (index, due, False)

    def _set(self, contact_id: str, index: int, due: float) -> None:
        self._timers[contact_id] = (index, due, False)
        heapq.heappush(self._heap, (due, contact_id, index))
        if len(self._heap) > max(COMPACT_MIN, COMPACT_RATIO * len(self._timers)):
            self._compact()

    def _compact(self) -> None:
        self._heap = [
            (due, contact_id, index)
            for contact_id, (index, due, fired) in self._timers.items()
            if not fired
        ]
        heapq.heapify(self._heap)

    async def _handle(self, msgs: list[SchedulerMsg]) -> None:
        """Apply the messages in order; store their changes in one commit.

        The timers in memory change first: if the commit fails, the actor restarts
        and reads them back from the store.
        """
        ops: list[WriteOp] = []
        for msg in msgs:
            match msg:
                case Schedule(contact_id=contact_id, index=index, due=due):
                    old = self._timers.get(contact_id)
                    if old is not None and old[0] != index:
                        ops.append(ZRemove(FOLLOWUPS, (_member(contact_id, old[0]),)))
                    member = _member(contact_id, index)
                    ops.append(ZAdd(FOLLOWUPS, member, due.timestamp()))
                    self._set(contact_id, index, due.timestamp())
                case Cancel(contact_id=contact_id):
                    old = self._timers.pop(contact_id, None)
                    if old is not None:
                        ops.append(ZRemove(FOLLOWUPS, (_member(contact_id, old[0]),)))
        if ops:
            await self.store.write(ops)
