"""The seller side as the daemon wires it (`app_seller.wire_seller_side`), in memory.

`open_rig` builds the side with the daemon's own wiring on a `DictStore` with a
`SandboxGhl` (or any `GhlApi`) and a `TrioWallClock`, and starts the outbox,
scheduler and seller actors, for trio tests under `autojump_clock`. Cancelling the
rig and opening another on the same store and clock is a restart.
"""

from __future__ import annotations

import itertools
import tempfile
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import attrs
import trio

from jorged.actors.mailbox import ask
from jorged.actors.outbox.items import OutboxItem, OutboxMsg, plan_turn
from jorged.actors.outbox.outbox_actor import Outbox
from jorged.actors.seller import inbox as seller_mod
from jorged.actors.seller.inbox import Deliver, Request, SellerMsg
from jorged.actors.seller.scheduler import Scheduler
from jorged.actors.seller.seller_actor import Seller
from jorged.app_seller import wire_seller_side
from jorged.clock import TrioWallClock
from jorged.config import Config
from jorged.domain.conversation import inputs as sio
from jorged.domain.conversation.state import ConversationState
from jorged.events import Event
from jorged.ghl.api import GhlApi, check_slot_range
from jorged.ghl.sandbox import SandboxGhl
from jorged.store import codec
from jorged.store.journal import InboundJournal
from jorged.store.memory import DictStore

_ids = itertools.count(1)


@attrs.define
class CalendarGhl(SandboxGhl):
    """The sandbox with a calendar: it offers `free` slots and records bookings."""

    free: list[datetime] = attrs.field(factory=list)
    booked: list[tuple[str, datetime]] = attrs.field(factory=list)

    async def free_slots(
        self, calendar_id: str, start: datetime, end: datetime, timezone: str
    ) -> list[datetime]:
        check_slot_range(start, end)
        taken = {slot for _c, slot in self.booked}
        return [s for s in sorted(self.free) if start <= s < end and s not in taken]

    async def book_appointment(
        self,
        calendar_id: str,
        contact_id: str,
        start: datetime,
        *,
        end: datetime | None = None,
        title: str = "",
    ) -> str:
        self.booked.append((contact_id, start))
        return f"appt-{len(self.booked)}"


@attrs.define
class Rig:
    """The running actors and what they published."""

    cfg: Config
    store: DictStore
    ghl: GhlApi
    clock: TrioWallClock
    events: list[Event]
    seller_inbox: trio.MemorySendChannel[SellerMsg]
    outbox_inbox: trio.MemorySendChannel[OutboxMsg]
    outbox: Outbox
    scheduler: Scheduler
    seller: Seller
    #: Journal sequence numbers the seller marked done, in order.
    done: list[int]
    #: (contact, seconds from arrival to reply enqueued) from `on_reply`.
    replies: list[tuple[str, float]]

    async def say(self, contact_id: str, *texts: str) -> list[str]:
        """Deliver one inbound turn (as ingress does); the message ids."""
        now = self.clock.now()
        messages = tuple(
            sio.InboundMessage(message_id=f"m{next(_ids)}", text=t, at=now)
            for t in texts
        )
        await self.deliver(sio.Inbound(contact_id=contact_id, messages=messages))
        return [m.message_id for m in messages]

    async def deliver(self, item: sio.SellerInput | seller_mod.ContactTags) -> None:
        await self.seller_inbox.send(Deliver(input=item))

    async def command(
        self,
        contact_id: str,
        command: seller_mod.CommandName,
        activate: sio.Activate | None = None,
    ) -> Any:
        return await ask(
            self.seller_inbox,
            lambda r: Request(
                contact_id=contact_id, command=command, activate=activate, reply=r
            ),
            actor="seller",
        )

    async def enqueue(
        self, contact_id: str, turn: int, actions: Sequence[sio.SellerAction]
    ) -> list[OutboxItem]:
        """Store a turn's outbox items as the seller does, then tell the outbox."""
        return await enqueue(
            contact_id,
            turn,
            actions,
            store=self.store,
            outbox=self.outbox_inbox,
            clock=self.clock,
        )

    async def state(self, contact_id: str) -> ConversationState | None:
        data = await self.store.get(seller_mod.state_key(contact_id))
        return None if data is None else codec.loads(data, ConversationState)

    async def items(self, contact_id: str) -> list[OutboxItem]:
        return sorted(await self.outbox.items(contact_id), key=lambda i: i.id)

    async def sms(self, contact_id: str) -> list[OutboxItem]:
        return [i for i in await self.items(contact_id) if i.kind == "sms"]

    async def settle(self) -> None:
        """Let every actor finish what it can do without time passing."""
        await trio.testing.wait_all_tasks_blocked()

    async def wait_until(self, at: datetime) -> None:
        """Let (virtual) time run until wall time `at`, then settle."""
        await trio.sleep_until(self.clock.trio_time(at))
        await self.settle()


async def enqueue(
    contact_id: str,
    turn: int,
    actions: Sequence[sio.SellerAction],
    *,
    store: DictStore,
    outbox: trio.MemorySendChannel[OutboxMsg],
    clock: TrioWallClock,
) -> list[OutboxItem]:
    """Store a turn's outbox items alone, then send `Queued`; the items added."""
    plan = await plan_turn(store, contact_id, turn, actions, now=clock.now())
    await store.write(plan.ops)
    if plan.queue:
        await outbox.send(plan.queued)
    return list(plan.items)


def sent_bot_texts(items: Sequence[OutboxItem]) -> list[OutboxItem]:
    """The bot-initiated texts that went out (sandboxed or sent)."""
    return [
        i
        for i in items
        if i.kind == "sms"
        and i.action.bot_initiated  # type: ignore[union-attr]
        and i.status.value in {"sent", "sandboxed"}
    ]


@asynccontextmanager
async def open_rig(
    cfg: Config,
    *,
    clock: TrioWallClock,
    store: DictStore | None = None,
    ghl: GhlApi | None = None,
    events: list[Event] | None = None,
) -> AsyncIterator[Rig]:
    """The daemon's own wiring (`app_seller.wire_seller_side`) on a `DictStore`,
    with the outbox, scheduler and seller running; cancelled on exit.

    Webhooks are not used here (the ingress and the leads actor are built, not
    run; the journal is a throwaway file); `done` records what the seller marks
    handled, `replies` what `on_reply` hears."""
    store = DictStore() if store is None else store
    ghl = SandboxGhl() if ghl is None else ghl
    events = [] if events is None else events
    done: list[int] = []

    async def mark_done(seqs: Sequence[int]) -> None:
        done.extend(seqs)

    replies: list[tuple[str, float]] = []
    with tempfile.TemporaryDirectory(prefix="rig-") as directory:
        journal = InboundJournal.open(Path(directory) / "inbound.sqlite3")
        try:
            side = wire_seller_side(
                cfg=cfg,
                store=store,
                journal=journal,
                ghl=ghl,
                clock=clock,
                publish=events.append,
                on_reply=lambda c, s: replies.append((c, s)),
                on_lead_outcome=lambda _o: None,
                mark_done=mark_done,
            )
            async with trio.open_nursery() as nursery:
                for actor in (side.outbox, side.scheduler, side.seller):
                    await nursery.start(actor.run)
                yield Rig(
                    cfg=cfg,
                    store=store,
                    ghl=ghl,
                    clock=clock,
                    events=events,
                    seller_inbox=side.service.seller_inbox,
                    outbox_inbox=side.outbox_inbox,
                    outbox=side.outbox,
                    scheduler=side.scheduler,
                    seller=side.seller,
                    done=done,
                    replies=replies,
                )
                nursery.cancel_scope.cancel()
        finally:
            journal.close()
