"""The scheduler: persisted timers, two per contact at most.

- The follow-up timer, in the sorted set `followups` (member `contact_id|index`,
  score = due time in epoch seconds). When it fires it is handed to the seller as
  `FollowupDue(index)`; the seller's answer (the next `ScheduleFollowup`, or
  `CancelFollowups`) replaces it.
- The stall check, in `stall_checks` (member `contact_id`): when the conversation
  will have been quiet `seller.stall_hours`, handed to the seller as `StallCheck`;
  the seller then sets it again or drops it.

A fired timer stays persisted until the seller's answer, so a crash in between
fires it again after the restart, and the seller ignores a repeat: nothing is lost
and nothing is sent twice.

Timers wait in a heap by due time, so a message costs O(log n) however many
conversations are waiting: replaced and cancelled timers stay in the heap until
they surface (or the heap is compacted) and are skipped then. The messages waiting
in the inbox are handled together, their timer changes stored in one commit.
"""

from __future__ import annotations

import enum
import heapq
import math
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import NoReturn

import attrs
import structlog
import trio

from jorged.clock import TrioWallClock
from jorged.domain.conversation.inputs import FollowupDue, StallCheck
from jorged.store.store_protocol import Store, WriteOp, ZAdd, ZRemove

log = structlog.get_logger()

FOLLOWUPS = "followups"
STALLS = "stall_checks"
#: The heap is rebuilt from the live timers when it holds this many times as many.
COMPACT_RATIO = 2
COMPACT_MIN = 1024
#: At most this many inbox messages are handled per commit.
BATCH = 256


class TimerKind(enum.Enum):
    FOLLOWUP = "followup"
    STALL = "stall"


@attrs.frozen(kw_only=True)
class Schedule:
    contact_id: str
    due: datetime
    #: The follow-up's place in the cadence (0 for a stall check).
    index: int = 0
    kind: TimerKind = TimerKind.FOLLOWUP


@attrs.frozen(kw_only=True)
class Cancel:
    contact_id: str
    kind: TimerKind = TimerKind.FOLLOWUP


@attrs.frozen(kw_only=True)
class Refire:
    """Fire again every timer that fired and got no answer (the seller restarted)."""


SchedulerMsg = Schedule | Cancel | Refire
Fired = FollowupDue | StallCheck
#: (kind, contact) → (index, due epoch seconds, fired in this run)
_Timers = dict[tuple[TimerKind, str], tuple[int, float, bool]]


def _member(kind: TimerKind, contact_id: str, index: int) -> str:
    return f"{contact_id}|{index}" if kind is TimerKind.FOLLOWUP else contact_id


def _zset(kind: TimerKind) -> str:
    return FOLLOWUPS if kind is TimerKind.FOLLOWUP else STALLS


@attrs.define(kw_only=True)
class Scheduler:
    store: Store
    clock: TrioWallClock
    inbox: trio.MemoryReceiveChannel[SchedulerMsg]
    fire: Callable[[Fired], Awaitable[None]]
    _timers: _Timers = attrs.field(factory=dict, init=False)
    #: (due epoch seconds, kind, contact, index) of every timer set, stale ones too.
    _heap: list[tuple[float, str, str, int]] = attrs.field(factory=list, init=False)

    def pending(
        self, kind: TimerKind = TimerKind.FOLLOWUP
    ) -> dict[str, tuple[int, float]]:
        """The timers of `kind` not yet fired: contact → (index, due epoch s)."""
        return {
            c: (i, due)
            for (k, c), (i, due, fired) in self._timers.items()
            if k is kind and not fired
        }

    async def run(
        self, *, task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED
    ) -> NoReturn:
        self._timers.clear()
        for member, score in await self.store.zset_range(FOLLOWUPS, max_score=math.inf):
            contact_id, _, index = member.rpartition("|")
            self._timers[TimerKind.FOLLOWUP, contact_id] = (int(index), score, False)
        for member, score in await self.store.zset_range(STALLS, max_score=math.inf):
            self._timers[TimerKind.STALL, member] = (0, score, False)
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
            due, kind_value, contact_id, index = heapq.heappop(heap)
            kind = TimerKind(kind_value)
            if self._live(due, kind_value, contact_id, index):
                self._timers[kind, contact_id] = (index, due, True)
                fired: Fired
                if kind is TimerKind.FOLLOWUP:
                    fired = FollowupDue(contact_id=contact_id, index=index)
                else:
                    fired = StallCheck(contact_id=contact_id)
                await self.fire(fired)

    def _live(self, due: float, kind: str, contact_id: str, index: int) -> bool:
        """Whether a heap entry is the contact's timer, set and not yet fired."""
        return self._timers.get((TimerKind(kind), contact_id)) == (index, due, False)

    def _set(self, kind: TimerKind, contact_id: str, index: int, due: float) -> None:
        self._timers[kind, contact_id] = (index, due, False)
        heapq.heappush(self._heap, (due, kind.value, contact_id, index))
        if len(self._heap) > max(COMPACT_MIN, COMPACT_RATIO * len(self._timers)):
            self._compact()

    def _refire(self) -> None:
        fired = [(key, t) for key, t in self._timers.items() if t[2]]
        for (kind, contact_id), (index, due, _fired) in fired:
            self._set(kind, contact_id, index, due)

    def _compact(self) -> None:
        self._heap = [
            (due, kind.value, contact_id, index)
            for (kind, contact_id), (index, due, fired) in self._timers.items()
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
            if isinstance(msg, Refire):
                self._refire()
                continue
            kind, contact_id = msg.kind, msg.contact_id
            key = _zset(kind)
            if isinstance(msg, Schedule):
                old = self._timers.get((kind, contact_id))
                if old is not None and old[0] != msg.index:
                    ops.append(ZRemove(key, (_member(kind, contact_id, old[0]),)))
                member = _member(kind, contact_id, msg.index)
                ops.append(ZAdd(key, member, msg.due.timestamp()))
                self._set(kind, contact_id, msg.index, msg.due.timestamp())
            else:
                old = self._timers.pop((kind, contact_id), None)
                if old is not None:
                    ops.append(ZRemove(key, (_member(kind, contact_id, old[0]),)))
        if ops:
            await self.store.write(ops)
