"""The seller restarted after a crash loses nothing: the journal and the timers that
fired are passed on again, and every message is answered once."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import attrs
import pytest
import trio
import trio.testing

from jorged.actors.outbox.items import OutboxItem
from jorged.actors.seller.inbox import state_key
from jorged.actors.seller.ingress import JournalEntry, accept
from jorged.actors.seller.scheduler import FOLLOWUPS, Refire, Scheduler, SchedulerMsg
from jorged.app_seller import SellerSide, build_seller_side
from jorged.clock import TrioWallClock
from jorged.config import Config, RedisConfig, StoreConfig
from jorged.domain.conversation.inputs import FollowupDue, SellerInput, SendSms
from jorged.ghl import webhook_events as wh
from jorged.ghl.sandbox import SandboxGhl
from jorged.store.durable import DurableStore, open_durable_store
from jorged.store.memory import DictStore
from jorged.store.store_protocol import Put, WriteOp
from jorged.supervise import Supervisor

T0 = datetime(2026, 3, 3, 18, 0, tzinfo=UTC)  # 10:00 in Los Angeles
CFG = Config()


def crash_once(monkeypatch: pytest.MonkeyPatch, contact: str) -> list[str]:
    """Make the durable store raise once, on the first write of `contact`'s
    state; the list it returns gets the error's text when that has happened."""
    key = state_key(contact)
    write = DurableStore.write
    crashed: list[str] = []

    async def crashing(
        self: DurableStore, ops: Sequence[WriteOp], *, op: str = "write"
    ) -> None:
        if not crashed and any(isinstance(o, Put) and o.key == key for o in ops):
            crashed.append("the disk caught fire")
            raise RuntimeError(crashed[0])
        await write(self, ops, op=op)

    monkeypatch.setattr(DurableStore, "write", crashing)
    return crashed


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
    """The daemon's seller side (`build_seller_side`) on a disk-only store, its
    actors supervised as the daemon runs them."""

    side: SellerSide
    store: DurableStore
    supervisor: Supervisor

    async def say(self, contact: str, text: str) -> str:
        return await accept(self.side.service.ingress_inbox, webhook(contact, 1, text))

    async def settled(self, contacts: str) -> bool:
        """Every contact answered exactly once, and nothing left unhandled."""
        for contact in contacts:
            if len(replies(await self.side.outbox.items(contact))) != 1:
                return False
        return await self.store.inbound.pending() == []

    def restarts(self, actor: str) -> int:
        return next(s.restarts for s in self.supervisor.statuses() if s.name == actor)


@asynccontextmanager
async def supervised(tmp_path: Path) -> AsyncIterator[Supervised]:
    cfg = Config(store=StoreConfig(dir=str(tmp_path)), redis=RedisConfig(enabled=False))
    async with open_durable_store(cfg) as store, AsyncExitStack() as stack:
        side = await build_seller_side(
            cfg=cfg,
            store=store,
            ghl=SandboxGhl(),
            stack=stack,
            publish=lambda _e: None,
            on_reply=lambda _c, _s: None,
            on_lead_outcome=lambda _o: None,
        )
        supervisor = Supervisor(cfg=cfg.supervise)
        async with trio.open_nursery() as nursery:

            async def start(name: str, run: Callable[..., Awaitable[Any]]) -> None:
                await nursery.start(supervisor.supervise, name, run)

            await side.start(start)
            yield Supervised(side=side, store=store, supervisor=supervisor)
            nursery.cancel_scope.cancel()


async def test_a_crash_mid_turn_loses_no_message(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    autojump_clock: trio.testing.MockClock,
) -> None:
    """A turn crashes the seller; after its restart all three contacts are
    answered exactly once and the journal holds nothing unhandled."""
    crashed = crash_once(monkeypatch, "b")
    async with supervised(tmp_path) as rig:
        for contact in "abc":
            assert await rig.say(contact, "hi, thinking about selling") == "accepted"
        await until(lambda: rig.settled("abc"))
        assert crashed == ["the disk caught fire"]
        assert rig.restarts("seller") == 1


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
