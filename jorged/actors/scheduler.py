"""The scheduler: persisted follow-up timers.

One timer per contact, in the sorted set `followups` (member `contact_id|index`,
score = due time in epoch seconds). When a timer fires it is handed to the seller as
`FollowupDue(index)`; the seller's answer (the next `ScheduleFollowup`, or
`CancelFollowups`) replaces it. A fired timer stays persisted until then, so a crash
in between fires it again after the restart, and the seller, which persisted the
index it handled, ignores a repeat: nothing is lost and nothing is sent twice.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import NoReturn

import attrs
import structlog
import trio

from jorged.clock import TrioWallClock
from jorged.domain.seller_io import FollowupDue
from jorged.store.base import Store

log = structlog.get_logger()

FOLLOWUPS = "followups"


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
                    await self._handle(msg)

    def _next_deadline(self) -> float:
        waiting = [due for _i, due, fired in self._timers.values() if not fired]
        if not waiting:
            return math.inf
        return min(waiting) - self.clock.offset

    async def _fire_due(self) -> None:
        now = self.clock.epoch()
        due = sorted(
            (due, contact_id, index)
            for contact_id, (index, due, fired) in self._timers.items()
            if not fired and due <= now
        )
        for _due, contact_id, index in due:
            self._timers[contact_id] = (index, _due, True)
            await self.fire(FollowupDue(contact_id=contact_id, index=index))

    async def _handle(self, msg: SchedulerMsg) -> None:
        match msg:
            case Schedule(contact_id=contact_id, index=index, due=due):
                old = self._timers.get(contact_id)
                if old is not None and old[0] != index:
                    await self.store.zset_remove(FOLLOWUPS, _member(contact_id, old[0]))
                await self.store.zset_add(
                    FOLLOWUPS, _member(contact_id, index), due.timestamp()
                )
                self._timers[contact_id] = (index, due.timestamp(), False)
            case Cancel(contact_id=contact_id):
                old = self._timers.pop(contact_id, None)
                if old is not None:
                    await self.store.zset_remove(FOLLOWUPS, _member(contact_id, old[0]))
