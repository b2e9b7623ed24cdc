"""The seller actor: per-contact order, the batch window, contacts in parallel."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import attrs
import pytest
import trio

from jorged.actors.seller.inbox import ContactTags, Deliver
from jorged.clock import TrioWallClock
from jorged.config import Config
from jorged.domain.conversation import inputs as sio
from jorged.domain.conversation.state import Stage
from jorged.events import EventKind
from jorged.exceptions import Conflict, NotFound
from tests.jorged.actors.harness import open_rig

T0 = datetime(2026, 3, 3, 18, 0, tzinfo=UTC)  # Tuesday 10:00 in Los Angeles
CFG = Config()  # batch window 2 s


def inbound(contact: str, message_id: str, text: str) -> sio.Inbound:
    message = sio.InboundMessage(message_id=message_id, text=text, at=T0)
    return sio.Inbound(contact_id=contact, messages=(message,))


class TestBatchWindow:
    async def test_burst_is_one_turn(self, autojump_clock):
        """Texts arriving within the window of each other get one reply, at its end."""
        clock = TrioWallClock.start(epoch=T0.timestamp())
        async with open_rig(CFG, clock=clock) as rig:
            for k, text in enumerate(("hi", "we're divorcing", "need to sell")):
                await rig.seller_inbox.send(
                    Deliver(input=inbound("c", f"m{k}", text), seqs=(k + 1,))
                )
                await trio.sleep(1.5 if k < 2 else 2.5)
            (reply,) = await rig.sms("c")
            assert "30 to 45 days" in reply.text
            state = await rig.state("c")
            assert [e.message_id for e in state.transcript[:3]] == ["m0", "m1", "m2"]
            assert state.turn == 1
            assert rig.done == [1, 2, 3]
            # Enqueued 2 s after the last text, which came 3 s after the first.
            assert reply.created_at == T0 + timedelta(seconds=5)

    async def test_texts_further_apart_are_two_turns(self, autojump_clock):
        """Texts more than the window apart are answered one by one."""
        clock = TrioWallClock.start(epoch=T0.timestamp())
        async with open_rig(CFG, clock=clock) as rig:
            await rig.deliver(inbound("c", "m1", "hi"))
            await trio.sleep(3)
            await rig.deliver(inbound("c", "m2", "divorce"))
            await trio.sleep(3)
            assert len(await rig.sms("c")) == 2
            assert (await rig.state("c")).turn == 2

    async def test_no_window(self, autojump_clock):
        """With a zero window each text is its own turn, answered at once."""
        cfg = attrs.evolve(CFG, seller=attrs.evolve(CFG.seller, batch_window_s=0))
        clock = TrioWallClock.start(epoch=T0.timestamp())
        async with open_rig(cfg, clock=clock) as rig:
            before = trio.current_time()
            await rig.deliver(inbound("c", "m1", "hi"))
            await rig.settle()
            assert trio.current_time() == before
            assert len(await rig.sms("c")) == 1


class TestOrderAndParallelism:
    async def test_one_contact_in_arrival_order(self, autojump_clock):
        """A contact's inputs are handled strictly in the order they arrived."""
        clock = TrioWallClock.start(epoch=T0.timestamp())
        async with open_rig(CFG, clock=clock) as rig:
            await rig.deliver(inbound("c", "m1", "hi"))
            await rig.command("c", "pause")
            await rig.deliver(inbound("c", "m2", "divorce"))
            await trio.sleep(5)
            state = await rig.state("c")
            assert state.flags.paused
            assert state.slots.motivation is None  # answered while paused
            assert [e.message_id for e in state.transcript if e.message_id] == [
                "m1",
                "m2",
            ]

    async def test_contacts_do_not_wait_for_each_other(self, autojump_clock):
        """A contact in its batch window does not hold up another one."""
        clock = TrioWallClock.start(epoch=T0.timestamp())
        async with open_rig(CFG, clock=clock) as rig:
            await rig.deliver(inbound("slow", "s1", "hi"))
            await trio.sleep(1)
            await rig.deliver(inbound("fast", "f1", "hi"))
            await trio.sleep(0.5)
            await rig.deliver(inbound("slow", "s2", "hello?"))
            await trio.sleep(1.6)  # t = 3.1
            assert len(await rig.sms("fast")) == 1
            assert await rig.sms("slow") == []  # its window restarted at 1.5 s
            await trio.sleep(0.5)
            assert len(await rig.sms("slow")) == 1

    async def test_reply_latency_leaves_out_the_window(self, autojump_clock):
        """The reply latency counts from the window's close, not the deliberate wait."""
        clock = TrioWallClock.start(epoch=T0.timestamp())
        async with open_rig(CFG, clock=clock) as rig:
            await rig.seller_inbox.send(
                Deliver(input=inbound("c", "m1", "hi"), received=trio.current_time())
            )
            await trio.sleep(5)
            assert rig.replies == [("c", 0.0)]

    async def test_reply_latency_of_a_burst(self, autojump_clock):
        """For a burst, the window closes 2 s after the last text, not the first."""
        clock = TrioWallClock.start(epoch=T0.timestamp())
        async with open_rig(CFG, clock=clock) as rig:
            for k in range(3):
                await rig.seller_inbox.send(
                    Deliver(
                        input=inbound("c", f"m{k}", "hi"), received=trio.current_time()
                    )
                )
                await trio.sleep(1.0)
            await trio.sleep(5)
            assert rig.replies == [("c", 0.0)]


class TestCommandsAndTags:
    async def test_start_twice_is_refused(self, autojump_clock):
        """Starting an active conversation is refused; an unknown one cannot pause."""
        clock = TrioWallClock.start(epoch=T0.timestamp())
        async with open_rig(CFG, clock=clock) as rig:
            state = await rig.command("c", "start", sio.Activate(contact_id="c"))
            assert state.stage is Stage.Q_MOTIVATION
            with pytest.raises(Conflict, match="already in qualification"):
                await rig.command("c", "start", sio.Activate(contact_id="c"))
            with pytest.raises(NotFound, match="no conversation with contact"):
                await rig.command("nobody", "pause")

    async def test_tag_updates_are_diffed(self, autojump_clock):
        """The activation tag starts, a repeat does nothing, a stop tag stops."""
        clock = TrioWallClock.start(epoch=T0.timestamp())
        async with open_rig(CFG, clock=clock) as rig:
            tags = ("Needs Qualifying",)
            await rig.deliver(ContactTags(contact_id="c", tags=tags, first_name="Ann"))
            await rig.deliver(ContactTags(contact_id="c", tags=tags, first_name="Ann"))
            await rig.deliver(ContactTags(contact_id="c", tags=(*tags, "Stop-Bot")))
            await rig.settle()
            (opener,) = await rig.sms("c")
            assert opener.text.startswith("Hey Ann, it's Jorge.")
            state = await rig.state("c")
            assert state.flags.stopped
            assert state.stop_reasons == ("Stop-Bot",)

    async def test_forget(self, autojump_clock):
        """Forgetting a contact removes its conversation, outbox and timers."""
        clock = TrioWallClock.start(epoch=T0.timestamp())
        async with open_rig(CFG, clock=clock) as rig:
            await rig.deliver(inbound("c", "m1", "hi"))
            await trio.sleep(3)
            assert await rig.command("c", "forget") is None
            await rig.settle()
            assert await rig.state("c") is None
            assert await rig.items("c") == []
            assert rig.scheduler.pending() == {}
            kinds = [e.kind for e in rig.events if e.contact_id == "c"]
            assert kinds[-1] is EventKind.SELLER_FORGOTTEN
