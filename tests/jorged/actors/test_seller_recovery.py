"""The seller restarted after a crash loses nothing: the journal and the timers that
fired are passed on again, and every message is answered once."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import attrs
import trio
import trio.testing

from jorged.actors.ingress import Accept, Ingress, JournalEntry, accept
from jorged.actors.outbox import Outbox
from jorged.actors.outbox_items import OutboxItem
from jorged.actors.scheduler import FOLLOWUPS, Refire, Scheduler, SchedulerMsg
from jorged.actors.seller import Seller
from jorged.actors.seller_messages import Deliver, SellerMsg, state_key
from jorged.clock import TrioWallClock
from jorged.config import Config
from jorged.domain.seller_io import FollowupDue, SellerInput, SendSms
from jorged.ghl import webhooks as wh
from jorged.ghl.sandbox import SandboxGhl
from jorged.store.base import Put, WriteOp
from jorged.store.journal import InboundJournal, open_inbound_journal
from jorged.store.memory import DictStore
from jorged.supervise import Supervisor

T0 = datetime(2026, 3, 3, 18, 0, tzinfo=UTC)  # 10:00 in Los Angeles
CFG = Config()


@attrs.define
class CrashingStore(DictStore):
    """Raises once, on the first write of `contact`'s conversation state."""

    contact: str = ""
    crashed: bool = False

    async def write(self, ops: Sequence[WriteOp]) -> None:
        key = state_key(self.contact)
        if not self.crashed and any(isinstance(o, Put) and o.key == key for o in ops):
            self.crashed = True
            msg = "the disk caught fire"
            raise RuntimeError(msg)
        await super().write(ops)


def webhook(contact: str, n: int, text: str) -> JournalEntry:
    event = wh.InboundMessage(
        location_id="loc",
        dedupe_key=f"message:{contact}-{n}",
        auth="loopback",
        contact_id=contact,
        message_type="SMS",
        date_added=T0,
        body=text,
        message_id=f"{contact}-{n}",
    )
    return JournalEntry(received_at=T0, event=event)


def replies(items: list[OutboxItem]) -> list[OutboxItem]:
    """The texts answering a message (not follow-ups: days may pass meanwhile)."""
    return [
        i for i in items if isinstance(i.action, SendSms) and not i.action.bot_initiated
    ]


async def until(check: Callable[[], Awaitable[bool]], *, give_up_s: float = 30) -> None:
    """Let virtual time pass a second at a time until `check()` holds.

    The journal works in threads, which virtual time does not wait for: the bound
    is on real time (a test that hangs fails), never a wait for something to happen.
    """
    deadline = time.monotonic() + give_up_s
    while not await check():
        if time.monotonic() > deadline:
            msg = f"still not so after {give_up_s} s"
            raise AssertionError(msg)
        await trio.sleep(1)


@attrs.define
class Supervised:
    """Ingress on a real journal, seller (supervised, as app.py runs it), outbox
    and scheduler on `store`."""

    ingress_inbox: trio.MemorySendChannel[Accept]
    journal: InboundJournal
    outbox: Outbox
    supervisor: Supervisor

    async def settled(self, contacts: str) -> bool:
        """Every contact answered exactly once, and nothing left unhandled."""
        for contact in contacts:
            if len(replies(await self.outbox.items(contact))) != 1:
                return False
        return await self.journal.pending() == []

    def seller_status(self) -> tuple[str, int]:
        (status,) = self.supervisor.statuses()
        return status.state, status.restarts


@asynccontextmanager
async def supervised(tmp_path: Path, store: DictStore) -> AsyncIterator[Supervised]:
    clock = TrioWallClock.start(epoch=T0.timestamp())
    seller_send, seller_recv = trio.open_memory_channel[SellerMsg](1024)
    ingress_send, ingress_recv = trio.open_memory_channel[Accept](64)
    sched_send, sched_recv = trio.open_memory_channel[SchedulerMsg](1024)

    async def to_seller(item: SellerInput) -> None:
        await seller_send.send(Deliver(input=item))

    async with open_inbound_journal(tmp_path / "inbound.db") as journal:
        outbox = Outbox(
            cfg=CFG,
            store=store,
            ghl=SandboxGhl(),
            clock=clock,
            feedback=to_seller,
            publish=lambda _e: None,
        )
        seller = Seller(
            cfg=CFG,
            store=store,
            clock=clock,
            outbox=outbox,
            inbox=seller_recv,
            schedule=sched_send.send,
            publish=lambda _e: None,
            mark_done=journal.mark_done_many,
        )
        ingress = Ingress(
            cfg=CFG,
            journal=journal,
            clock=clock,
            inbox=ingress_recv,
            deliver=seller_send.send,
        )
        scheduler = Scheduler(
            store=store, clock=clock, inbox=sched_recv, fire=to_seller
        )

        async def recover() -> None:
            await sched_send.send(Refire())
            await ingress.replay()

        seller.recover = recover
        supervisor = Supervisor(cfg=CFG.supervise)
        async with trio.open_nursery() as nursery:
            for actor in (outbox, scheduler, ingress):
                await nursery.start(actor.run)
            await nursery.start(supervisor.supervise, "seller", seller.run)
            yield Supervised(
                ingress_inbox=ingress_send,
                journal=journal,
                outbox=outbox,
                supervisor=supervisor,
            )
            nursery.cancel_scope.cancel()


async def test_a_crash_mid_turn_loses_no_message(
    tmp_path: Path, autojump_clock: trio.testing.MockClock
) -> None:
    """A turn crashes the seller; after its restart all three contacts are
    answered exactly once and the journal holds nothing unhandled."""
    store = CrashingStore(contact="b")
    async with supervised(tmp_path, store) as rig:
        for contact in "abc":
            entry = webhook(contact, 1, "hi, thinking about selling")
            assert await accept(rig.ingress_inbox, entry) == "accepted"
        await until(lambda: rig.settled("abc"))
        assert store.crashed
        assert rig.seller_status() == ("running", 1)


async def test_a_timer_fired_into_a_crash_fires_again(
    autojump_clock: trio.testing.MockClock,
) -> None:
    """`Refire` hands on again a follow-up that fired and got no answer."""
    clock = TrioWallClock.start(epoch=T0.timestamp())
    fired: list[FollowupDue] = []

    async def fire(item: SellerInput) -> None:
        assert isinstance(item, FollowupDue)
        fired.append(item)

    store = DictStore()
    await store.zset_add(FOLLOWUPS, "c|2", T0.timestamp() + 5)
    send, recv = trio.open_memory_channel[SchedulerMsg](8)
    scheduler = Scheduler(store=store, clock=clock, inbox=recv, fire=fire)
    async with trio.open_nursery() as nursery:
        await nursery.start(scheduler.run)
        await trio.sleep(10)
        assert [(f.contact_id, f.index) for f in fired] == [("c", 2)]
        await send.send(Refire())
        await trio.sleep(1)
        assert [(f.contact_id, f.index) for f in fired] == [("c", 2), ("c", 2)]
        nursery.cancel_scope.cancel()
