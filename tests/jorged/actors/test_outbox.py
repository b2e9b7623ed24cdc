"""The outbox: persisted before sent, sent once, never to an opted-out contact."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime, timedelta

import attrs
import pytest
import trio

from jorged.actors.outbox.items import (
    PENDING_SET,
    OutboxItem,
    OutboxMsg,
    OutboxStatus,
    item_key,
    plan_turn,
)
from jorged.actors.outbox.outbox_actor import Outbox, StoredFlags
from jorged.clock import TrioWallClock
from jorged.config import Config, GhlConfig
from jorged.domain.conversation import inputs as sio
from jorged.domain.conversation.state import (
    ConversationState,
    Direction,
    Flags,
    TranscriptEntry,
)
from jorged.domain.conversation.templates import OPT_OUT_CONFIRMATION
from jorged.events import Event, EventKind
from jorged.ghl import GhlClient, SandboxGhl
from jorged.store import codec
from jorged.store.memory import DictStore
from jorged.store.store_protocol import Put, WriteOp
from tests.fakes.ghl_server import FakeGhl, open_fake_ghl
from tests.jorged.actors.harness import enqueue, open_rig

T0 = datetime(2026, 3, 3, 18, 0, tzinfo=UTC)  # Tuesday 10:00 in Los Angeles
#: Live mode (a GHL token): the outbox calls the GhlApi it is given.
LIVE = Config(ghl=GhlConfig(token="t", location_id="loc"))
C = "seller-1"


def sms(text: str, *, bot: bool = False) -> sio.SendSms:
    return sio.SendSms(text=text, reply_to=None if bot else "m1", bot_initiated=bot)


def sent_texts(ghl: SandboxGhl, contact: str = C) -> list[str]:
    return [
        c.arg("message")
        for c in ghl.calls
        if c.operation == "send_sms" and c.contact_id == contact
    ]


@attrs.define
class SlowStateStore(DictStore):
    """A store whose conversation-state writes take a second (a slow Redis)."""

    async def put(self, key: str, data: bytes, *, ttl_s: float | None = None) -> None:
        if key.startswith("seller:state:"):
            await trio.sleep(1)
        await super().put(key, data, ttl_s=ttl_s)


async def put_state(store: DictStore, **flags: bool) -> None:
    state = ConversationState(
        contact_id=C, created_at=T0, updated_at=T0, flags=Flags(**flags), turn=3
    )
    await store.put(f"seller:state:{C}", codec.dumps(state))


class TestStoredFlags:
    def test_reads_the_turn_and_flags_of_a_stored_state(self) -> None:
        """The send-time view of a stored state agrees with decoding all of it."""
        state = ConversationState(
            contact_id=C,
            created_at=T0,
            updated_at=T0,
            flags=Flags(opted_out=True, paused=True),
            transcript=(TranscriptEntry(direction=Direction.IN, text="STOP", at=T0),),
            turn=7,
        )
        view = codec.loads(codec.dumps(state), StoredFlags)
        full = codec.loads(codec.dumps(state), ConversationState)
        assert (view.turn, view.flags) == (full.turn, full.flags) == (7, state.flags)


class TestIdempotence:
    async def test_replayed_turn_adds_nothing(self, autojump_clock):
        """Enqueuing the same turn twice stores and sends its actions once."""
        ghl = SandboxGhl()
        clock = TrioWallClock.start(epoch=T0.timestamp())
        async with open_rig(LIVE, clock=clock, ghl=ghl) as rig:
            actions = [sms("first"), sio.AddTags(tags=("Hot-Seller",)), sms("second")]
            added = await rig.enqueue(C, 4, actions)
            assert [i.id for i in added] == [f"{C}:00000004:0{k}" for k in range(3)]
            await rig.settle()
            assert await rig.enqueue(C, 4, actions) == []
            await rig.settle()
            assert sent_texts(ghl) == ["first", "second"]
            items = await rig.items(C)
            assert [i.status for i in items] == [OutboxStatus.SENT] * 3
            assert await rig.store.set_members(PENDING_SET) == frozenset()

    async def test_turn_replayed_after_a_crash_sends_once(self, autojump_clock):
        """A turn whose state was lost is replayed without a second reply."""
        ghl = SandboxGhl()
        clock = TrioWallClock.start(epoch=T0.timestamp())
        message = sio.InboundMessage(message_id="m-1", text="hello", at=T0)
        turn = sio.Inbound(contact_id=C, messages=(message,))
        async with open_rig(LIVE, clock=clock, ghl=ghl) as rig:
            await rig.deliver(turn)
            await rig.wait_until(T0 + timedelta(seconds=10))
            store = rig.store
        # The crash hit after the outbox stored the turn, before its state was.
        await store.delete(f"seller:state:{C}")
        async with open_rig(LIVE, clock=clock, ghl=ghl, store=store) as rig:
            await rig.deliver(turn)
            await rig.wait_until(T0 + timedelta(seconds=20))
            assert len(sent_texts(ghl)) == 1
            assert len(await rig.sms(C)) == 1
            state = await rig.state(C)
            assert [e.message_id for e in state.transcript][:1] == ["m-1"]

    async def test_pending_items_are_sent_after_a_restart(self, autojump_clock):
        """Items stored but not sent when the outbox stopped go out on its start."""
        ghl = SandboxGhl()
        store = DictStore()
        clock = TrioWallClock.start(epoch=T0.timestamp())
        _send, receive = trio.open_memory_channel[OutboxMsg](1)
        outbox = Outbox(
            cfg=LIVE,
            store=store,
            ghl=ghl,
            clock=clock,
            feedback=_ignore,
            publish=lambda _e: None,
            inbox=receive,
        )
        # Stored, and the `Queued` lost with the process that stored it.
        plan = await plan_turn(store, C, 1, [sms("stored while down")], now=T0)
        await store.write(plan.ops)
        assert sent_texts(ghl) == []
        async with trio.open_nursery() as nursery:
            await nursery.start(outbox.run)
            await trio.testing.wait_all_tasks_blocked()
            assert sent_texts(ghl) == ["stored while down"]
            nursery.cancel_scope.cancel()

    async def test_items_queued_twice_after_a_restart_go_out_once(self, autojump_clock):
        """A `Queued` for items the restarted outbox loaded from the store sends once."""
        ghl = SandboxGhl()
        store = DictStore()
        send, receive = trio.open_memory_channel[OutboxMsg](1)
        outbox = Outbox(
            cfg=LIVE,
            store=store,
            ghl=ghl,
            clock=TrioWallClock.start(epoch=T0.timestamp()),
            feedback=_ignore,
            publish=lambda _e: None,
            inbox=receive,
        )
        plan = await plan_turn(store, C, 1, [sms("one"), sms("two")], now=T0)
        await store.write(plan.ops)
        send.send_nowait(plan.queued)  # sent before the outbox restarted
        async with trio.open_nursery() as nursery:
            await nursery.start(outbox.run)
            await trio.testing.wait_all_tasks_blocked()
            nursery.cancel_scope.cancel()
        assert sent_texts(ghl) == ["one", "two"]
        assert outbox.statistics().sent == 2


@attrs.define
class WriteLog(DictStore):
    """A store that records the keys of each `write`."""

    writes: list[set[str]] = attrs.field(factory=list)

    async def write(self, ops: Sequence[WriteOp]) -> None:
        self.writes.append({op.key for op in ops if isinstance(op, Put)})
        await super().write(ops)


class TestOneWrite:
    async def test_a_turn_stores_its_items_with_its_state(self, autojump_clock):
        """The seller stores a turn's outbox items and its state in one write."""
        store = WriteLog()
        clock = TrioWallClock.start(epoch=T0.timestamp())
        async with open_rig(LIVE, clock=clock, store=store) as rig:
            await rig.say(C, "hello")
            await rig.wait_until(T0 + timedelta(seconds=10))
            (reply,) = await rig.sms(C)
        (turn,) = [keys for keys in store.writes if item_key(reply.id) in keys]
        assert f"seller:state:{C}" in turn


async def _ignore(_item: sio.SellerInput) -> None:
    return None


class TestOptedOut:
    async def test_never_sent_to_an_opted_out_contact(self, autojump_clock):
        """An SMS for an opted-out contact is marked failed and never sent."""
        ghl = SandboxGhl()
        clock = TrioWallClock.start(epoch=T0.timestamp())
        async with open_rig(LIVE, clock=clock, ghl=ghl) as rig:
            await put_state(rig.store, opted_out=True)
            await rig.enqueue(C, 4, [sms("are you still there?")])
            await rig.enqueue(C, 5, [sms("a nudge", bot=True)])
            await rig.settle()
            assert sent_texts(ghl) == []
            items = await rig.items(C)
            assert [i.status for i in items] == [OutboxStatus.FAILED] * 2
            assert {i.error for i in items} == {"suppressed: the contact opted out"}

    async def test_the_confirmation_goes_out(self, autojump_clock):
        """The opt-out confirmation itself is sent to the contact that opted out."""
        ghl = SandboxGhl()
        clock = TrioWallClock.start(epoch=T0.timestamp())
        async with open_rig(LIVE, clock=clock, ghl=ghl) as rig:
            await put_state(rig.store, opted_out=True)
            await rig.enqueue(C, 4, [sms(OPT_OUT_CONFIRMATION)])
            await rig.settle()
            assert sent_texts(ghl) == [OPT_OUT_CONFIRMATION]

    async def test_stop_then_more_texts_get_nothing(self, autojump_clock):
        """After STOP through the actors, later texts are recorded and unanswered."""
        ghl = SandboxGhl()
        clock = TrioWallClock.start(epoch=T0.timestamp())
        async with open_rig(LIVE, clock=clock, ghl=ghl) as rig:
            await rig.say(C, "hello")
            await rig.wait_until(T0 + timedelta(minutes=1))
            await rig.say(C, "STOP")
            await rig.wait_until(T0 + timedelta(minutes=2))
            await rig.say(C, "wait, what was the question?")
            await rig.wait_until(T0 + timedelta(days=60))
            assert sent_texts(ghl)[1:] == [OPT_OUT_CONFIRMATION]
            dnd = [c for c in ghl.calls if c.operation == "update_contact"]
            assert dnd[-1].arg("dnd_sms") is True

    async def test_start_after_stop_is_confirmed(self, autojump_clock):
        """START is confirmed even when the opted-in state is written slowly."""
        ghl = SandboxGhl()
        clock = TrioWallClock.start(epoch=T0.timestamp())
        async with open_rig(LIVE, clock=clock, ghl=ghl, store=SlowStateStore()) as rig:
            await rig.say(C, "hello")
            await rig.wait_until(T0 + timedelta(minutes=1))
            await rig.say(C, "STOP")
            await rig.wait_until(T0 + timedelta(minutes=2))
            await rig.say(C, "START")
            await rig.wait_until(T0 + timedelta(minutes=3))
            texts = sent_texts(ghl)
            assert texts[1] == OPT_OUT_CONFIRMATION
            assert len(texts) == 3
            assert "STOP" in texts[2]


class TestDeferred:
    async def test_opener_at_night_waits_for_eight(self, autojump_clock):
        """An activation at 23:00 sends its opener at 08:00 local."""
        night = datetime(2026, 3, 4, 7, 0, tzinfo=UTC)  # 23:00 in Los Angeles
        ghl = SandboxGhl()
        clock = TrioWallClock.start(epoch=night.timestamp())
        async with open_rig(LIVE, clock=clock, ghl=ghl) as rig:
            await rig.command(C, "start", sio.Activate(contact_id=C, source="manual"))
            await rig.wait_until(night + timedelta(hours=8, minutes=59))
            assert sent_texts(ghl) == []
            await rig.wait_until(night + timedelta(hours=9, minutes=1))
            (item,) = await rig.sms(C)
            assert item.sent_at == datetime(2026, 3, 4, 16, 0, tzinfo=UTC)
            assert len(sent_texts(ghl)) == 1

    async def test_paused_before_the_window_opens(self, autojump_clock):
        """An opener waiting for 08:00 is dropped when the contact is paused first."""
        night = datetime(2026, 3, 4, 7, 0, tzinfo=UTC)
        ghl = SandboxGhl()
        clock = TrioWallClock.start(epoch=night.timestamp())
        async with open_rig(LIVE, clock=clock, ghl=ghl) as rig:
            await rig.command(C, "start", sio.Activate(contact_id=C, source="manual"))
            await rig.wait_until(night + timedelta(minutes=30))
            await rig.command(C, "pause")
            await rig.wait_until(night + timedelta(hours=12))
            assert sent_texts(ghl) == []
            (item,) = await rig.sms(C)
            assert item.status is OutboxStatus.FAILED
            assert item.error == "suppressed: the conversation is paused"

    async def test_restart_of_a_paused_conversation_sends_its_opener(
        self, autojump_clock
    ):
        """Restarting a paused conversation by day sends the new opener at once."""
        ghl = SandboxGhl()
        clock = TrioWallClock.start(epoch=T0.timestamp())
        async with open_rig(LIVE, clock=clock, ghl=ghl, store=SlowStateStore()) as rig:
            await rig.command(C, "start", sio.Activate(contact_id=C, source="manual"))
            await rig.command(C, "pause")
            await rig.command(C, "restart")
            await rig.wait_until(T0 + timedelta(minutes=1))
            assert len(sent_texts(ghl)) == 2


@pytest.fixture(name="fake_ghl")
async def _fake_ghl() -> AsyncIterator[FakeGhl]:
    async with open_fake_ghl() as fake:
        fake.add_contact(C, firstName="Maria", phone="+19095550101")
        yield fake
    assert fake.internal_errors == []


class TestFailures:
    async def test_failed_call_is_marked_and_published(self, fake_ghl: FakeGhl):
        """A GHL call that fails marks its item failed and publishes ghl.call_failed."""
        cfg = Config(
            ghl=GhlConfig(
                token=fake_ghl.token,
                location_id=fake_ghl.location_id,
                base_url=fake_ghl.url,
                max_retries=0,
                timeout_s=5,
            )
        )
        events: list[Event] = []
        store = DictStore()
        async with GhlClient(cfg.ghl) as client, trio.open_nursery() as nursery:
            send, receive = trio.open_memory_channel[OutboxMsg](1)
            clock = TrioWallClock.start()
            outbox = Outbox(
                cfg=cfg,
                store=store,
                ghl=client,
                clock=clock,
                feedback=_ignore,
                publish=events.append,
                inbox=receive,
            )
            await nursery.start(outbox.run)
            fake_ghl.fail_next(1, 400)
            actions = [sio.AddTags(tags=("Hot-Seller",)), sms("hi")]
            await enqueue(C, 1, actions, store=store, outbox=send, clock=clock)

            async def settled() -> list[OutboxItem]:
                while True:
                    items = sorted(await outbox.items(C), key=lambda i: i.id)
                    if all(i.status is not OutboxStatus.PENDING for i in items):
                        return items
                    await trio.sleep(0.01)

            with trio.fail_after(10):
                tags, text = await settled()
                # Settled items leave the pending set soon after, in one write.
                while await store.set_members(PENDING_SET):
                    await trio.sleep(0.01)
            nursery.cancel_scope.cancel()
        assert tags.status is OutboxStatus.FAILED
        assert "HTTP 400" in tags.error
        assert tags.attempts == 1
        assert text.status is OutboxStatus.SENT
        assert [m["message"] for m in fake_ghl.messages] == ["hi"]
        (failed,) = [e for e in events if e.kind is EventKind.GHL_CALL_FAILED]
        assert failed.contact_id == C
        assert failed.data["status"] == 400
        assert failed.data["item"] == tags.id
