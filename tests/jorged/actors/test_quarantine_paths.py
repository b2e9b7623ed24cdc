"""The 3-strikes rule on each replay path, through the daemon's own seller-side
wiring (`build_seller_side`) on a disk store with its real inbound journal."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import attrs
import pytest
import trio
import trio.testing

from jorged.actors.dashboard.aggregator import Aggregator
from jorged.actors.event_bus import EventsActor
from jorged.actors.outbox import outbox_actor as outbox_mod
from jorged.actors.outbox.items import PENDING_SET, OutboxStatus
from jorged.actors.seller.inbox import Deliver
from jorged.actors.seller.ingress import accept
from jorged.actors.seller.quarantine_paths import AggregatorPath
from jorged.actors.seller.scheduler import TimerKind
from jorged.app_seller import SellerSide, build_seller_side
from jorged.config import Config, EventsConfig, RedisConfig, StoreConfig
from jorged.domain.conversation import inputs as sio
from jorged.domain.conversation import step as domain
from jorged.events import Event, EventKind
from jorged.ghl.sandbox import SandboxGhl
from jorged.quarantine import Quarantine, QuarantinedItem
from jorged.store import codec
from jorged.store.durable import DurableStore, open_durable_store
from jorged.supervise import Supervisor
from tests.jorged.actors.test_seller_recovery import T0, replies, until, webhook


@attrs.define
class Side:
    side: SellerSide
    store: DurableStore
    quarantine: Quarantine
    events: list[Event]
    supervisor: Supervisor

    async def say(self, contact: str, text: str, n: int = 1) -> str:
        entry = webhook(contact, n, text)
        return await accept(self.side.service.ingress_inbox, entry)

    async def answered(self, contact: str) -> bool:
        return len(replies(await self.side.outbox.items(contact))) >= 1

    def held(self) -> tuple[QuarantinedItem, ...]:
        return self.quarantine.snapshot().items

    async def pending(self) -> list[int]:
        return [seq for seq, _ in await self.store.inbound.pending()]

    def restarts(self) -> int:
        return sum(s.restarts for s in self.supervisor.statuses())


@asynccontextmanager
async def open_side(
    tmp_path: Path, *, epoch: float = T0.timestamp()
) -> AsyncIterator[Side]:
    """The seller side with a quarantine, its actors supervised; cancelled on exit
    (opening it again on the same directory is a restart)."""
    cfg = Config(store=StoreConfig(dir=str(tmp_path)), redis=RedisConfig(enabled=False))
    events: list[Event] = []
    async with open_durable_store(cfg) as store, AsyncExitStack() as stack:
        quarantine = Quarantine(store=store, publish=events.append)
        await quarantine.load()
        side = await build_seller_side(
            cfg=cfg,
            store=store,
            ghl=SandboxGhl(),
            stack=stack,
            publish=events.append,
            on_reply=lambda _c, _s: None,
            on_lead_outcome=lambda _o: None,
            quarantine=quarantine,
        )
        supervisor = Supervisor(cfg=cfg.supervise)
        async with trio.open_nursery() as nursery:

            async def start(name: str, run: Callable[..., Awaitable[Any]]) -> None:
                await nursery.start(supervisor.supervise, name, run)

            await side.start(start)
            yield Side(side, store, quarantine, events, supervisor)
            nursery.cancel_scope.cancel()


def failing_turns(
    monkeypatch: pytest.MonkeyPatch, when: Callable[[Any], bool]
) -> list[Any]:
    """Make the seller's `step` raise for inputs `when` picks; the list gets each."""
    step = domain.step
    tried: list[Any] = []

    def poisoned(state: Any, event: Any, now: Any, cfg: Any) -> Any:
        if when(event):
            tried.append(event)
            msg = "year 10000 is out of range"
            raise OverflowError(msg)
        return step(state, event, now, cfg)

    monkeypatch.setattr(domain, "step", poisoned)
    return tried


def of(contact: str) -> Callable[[Any], bool]:
    return lambda event: getattr(event, "contact_id", None) == contact


class TestJournalEntries:
    async def test_a_turn_that_fails_3_times_is_set_aside(
        self, tmp_path, monkeypatch, autojump_clock
    ):
        """The poison message is tried 3 times and held; the others are answered,
        nothing restarts, and its journal entry is no longer pending."""
        tried = failing_turns(monkeypatch, of("bad"))
        async with open_side(tmp_path) as rig:
            for contact in ("a", "bad", "c"):
                assert await rig.say(contact, "hi, thinking of selling") == "accepted"
            await until(lambda: rig.answered("a"))
            await until(lambda: rig.answered("c"))
            await until(lambda: _true(rig.held()))
            assert len(tried) == 3
            (item,) = rig.held()
            assert (item.ref.source, item.ref.contact_id) == ("journal", "bad")
            assert item.error == "OverflowError: year 10000 is out of range"
            await until(lambda: _empty(rig.pending()))
            assert rig.restarts() == 0
            alerts = [e for e in rig.events if e.kind is EventKind.SYSTEM_ALERT]
            assert [(e.contact_id, e.data["level"]) for e in alerts] == [
                ("bad", "critical")
            ]

    async def test_held_entry_is_not_replayed_after_a_restart(
        self, tmp_path, monkeypatch, autojump_clock
    ):
        """After a restart the held entry stays held and is not tried again."""
        tried = failing_turns(monkeypatch, of("bad"))
        async with open_side(tmp_path) as rig:
            await rig.say("bad", "hi")
            await until(lambda: _true(rig.held()))
        async with open_side(tmp_path) as rig:
            await rig.say("a", "hi")
            await until(lambda: rig.answered("a"))
            assert len(tried) == 3
            assert len(rig.held()) == 1

    async def test_retry_after_the_fix_answers_it(
        self, tmp_path, monkeypatch, autojump_clock
    ):
        """Retried once the cause is gone, the message is answered, once."""
        failing_turns(monkeypatch, of("bad"))
        async with open_side(tmp_path) as rig:
            await rig.say("bad", "hi")
            await until(lambda: _true(rig.held()))
            monkeypatch.undo()
            await rig.quarantine.retry(rig.held()[0].id)
            await until(lambda: rig.answered("bad"))
            await until(lambda: _empty(rig.pending()))
            assert rig.held() == ()
            assert len(replies(await rig.side.outbox.items("bad"))) == 1

    async def test_drop_forgets_the_entry(self, tmp_path, monkeypatch, autojump_clock):
        """Dropped, the entry is done: not held, not pending, not replayed."""
        tried = failing_turns(monkeypatch, of("bad"))
        async with open_side(tmp_path) as rig:
            await rig.say("bad", "hi")
            await until(lambda: _true(rig.held()))
            await rig.quarantine.drop(rig.held()[0].id)
        async with open_side(tmp_path) as rig:
            assert rig.held() == ()
            assert await rig.pending() == []
        assert len(tried) == 3

    async def test_an_unreadable_entry_is_set_aside_at_replay(
        self, tmp_path, autojump_clock
    ):
        """A journal entry this version cannot read (a date no datetime holds,
        journaled by an older version) is held, not a crash loop."""
        async with open_side(tmp_path) as rig:
            await rig.store.inbound.append(_unreadable_entry("old"))
        async with open_side(tmp_path) as rig:
            await rig.say("a", "hi")
            await until(lambda: rig.answered("a"))
            (item,) = rig.held()
            assert (item.ref.source, item.ref.actor, item.attempts) == (
                "journal",
                "ingress",
                3,
            )
            assert item.error.startswith("StoreError: cannot load JournalEntry")
            await until(lambda: _empty(rig.pending()))
            assert rig.restarts() == 0

    async def test_a_batch_that_fails_sets_aside_only_the_poison(
        self, tmp_path, monkeypatch, autojump_clock
    ):
        """Two texts batched into one turn: only the one that fails is held."""

        def poison(event: Any) -> bool:
            return isinstance(event, sio.Inbound) and any(
                m.text == "poison" for m in event.messages
            )

        failing_turns(monkeypatch, poison)
        async with open_side(tmp_path) as rig:
            await rig.say("b", "hi there", n=1)
            await rig.say("b", "poison", n=2)
            await until(lambda: _true(rig.held()))
            await until(lambda: rig.answered("b"))
            (item,) = rig.held()
            assert "poison" in item.ref.summary
            state = await rig.side.service.conversation("b")
            assert [e.text for e in state.transcript if e.direction.value == "in"] == [
                "hi there"
            ]


class TestTimers:
    async def test_a_follow_up_that_fails_3_times_is_cancelled_and_held(
        self, tmp_path, monkeypatch, autojump_clock
    ):
        """A follow-up whose turn fails is held and its timer cancelled, so it does
        not fire again; retried, it is set due now."""
        tried = failing_turns(monkeypatch, lambda e: isinstance(e, sio.FollowupDue))
        async with open_side(tmp_path) as rig:
            await rig.say("a", "hi")
            await until(lambda: rig.answered("a"))
            await trio.sleep(timedelta(days=3).total_seconds())
            await until(lambda: _true(rig.held()))
            (item,) = rig.held()
            assert (item.ref.source, item.ref.key) == ("timer", "followup:0:a")
            await until(lambda: _no_timer(rig, "a"))
            assert len(tried) == 3
            monkeypatch.undo()
            await rig.quarantine.retry(item.id)
            await until(lambda: _nudged(rig, "a"))
            assert rig.held() == ()


class TestInputsFromNoJournal:
    async def test_held_whole_and_handed_back_on_retry(
        self, tmp_path, monkeypatch, autojump_clock
    ):
        """An input the seller gets from no journal (here a DND change) is held
        with the input itself, and retry hands that input back."""
        tried = failing_turns(monkeypatch, lambda e: isinstance(e, sio.DndChanged))
        async with open_side(tmp_path) as rig:
            await rig.say("a", "hi")
            await until(lambda: rig.answered("a"))
            dnd = sio.DndChanged(contact_id="a", dnd=True)
            await rig.side.service.seller_inbox.send(Deliver(input=dnd))
            await until(lambda: _true(rig.held()))
            (item,) = rig.held()
            assert (item.ref.source, item.ref.contact_id) == ("seller", "a")
            monkeypatch.undo()
            await rig.quarantine.retry(item.id)
            await until(lambda: _dnd(rig, "a"))
            assert len(tried) == 3
            assert rig.held() == ()


class TestOutboxItems:
    async def test_an_item_that_fails_3_times_leaves_the_pending_set(
        self, tmp_path, monkeypatch, autojump_clock
    ):
        """The item is held and no longer pending; other contacts are sent to;
        dropped, it is marked failed."""
        perform = outbox_mod.Outbox._perform

        async def poisoned(self: Any, item: Any) -> Any:
            if item.contact_id == "bad":
                msg = "cannot encode the text"
                raise UnicodeError(msg)
            return await perform(self, item)

        monkeypatch.setattr(outbox_mod.Outbox, "_perform", poisoned)
        async with open_side(tmp_path) as rig:
            await rig.say("bad", "hi")
            await rig.say("a", "hi")
            await until(lambda: _sent(rig, "a"))
            await until(lambda: _true(rig.held()))
            # Virtual time may run on while the disk works: later nudges to "bad"
            # fail and are held too. The first held is the reply.
            item = rig.held()[0]
            assert {(i.ref.source, i.ref.contact_id) for i in rig.held()} == {
                ("outbox", "bad")
            }
            assert (item.ref.key, item.attempts) == ("bad:00000001:00", 3)
            await until(lambda: _not_pending(rig, item.ref.key))
            await rig.quarantine.drop(item.id)
            (stored,) = [
                i for i in await rig.side.outbox.items("bad") if i.id == item.ref.key
            ]
            assert (stored.status, stored.error) == (
                OutboxStatus.FAILED,
                "dropped from the quarantine",
            )


class TestAggregator:
    async def test_a_record_that_cannot_be_indexed_is_held(
        self, monkeypatch, autojump_clock
    ):
        """Indexing that fails 3 times holds the record; the rest is indexed."""
        from jorged.actors.dashboard import aggregator as agg_mod
        from jorged.store.memory import DictStore

        facts_of = agg_mod.facts_of

        def poisoned(state: Any) -> Any:
            if state.contact_id == "bad":
                raise KeyError("stage")
            return facts_of(state)

        monkeypatch.setattr(agg_mod, "facts_of", poisoned)
        store = DictStore()
        for contact in ("a", "bad"):
            state = domain.step(None, _hi(contact), T0, Config().seller)[0]
            await store.put(f"seller:state:{contact}", codec.dumps(state))
        events = EventsActor(cfg=EventsConfig(), store=store)
        quarantine = Quarantine(store=store, publish=lambda _e: None)
        aggregator = Aggregator(
            cfg=Config().leads,
            store=store,
            subscribe=events.subscribe,
            quarantine=quarantine,
        )
        quarantine.register(
            "aggregator", AggregatorPath(refresh=aggregator.refresh_key)
        )
        async with trio.open_nursery() as nursery:
            await nursery.start(events.run)
            await nursery.start(aggregator.run)
            while aggregator.loading:  # the index rebuilds behind the start
                await trio.sleep(0.01)
            assert aggregator.row("a") is not None
            (item,) = quarantine.snapshot().items
            assert (item.ref.key, item.attempts) == ("seller:state:bad", 3)
            monkeypatch.undo()
            await quarantine.retry(item.id)
            assert aggregator.row("bad") is not None
            nursery.cancel_scope.cancel()


def _hi(contact: str) -> sio.Inbound:
    message = sio.InboundMessage(message_id=f"{contact}-1", text="hi", at=T0)
    return sio.Inbound(contact_id=contact, messages=(message,))


def _unreadable_entry(contact: str) -> bytes:
    data = codec.dumps(webhook(contact, 1, "hi"))
    return data.replace(T0.isoformat().encode(), b"0001-01-01T00:00:00+14:00", 1)


async def _true(value: object) -> bool:
    return bool(value)


async def _empty(pending: Awaitable[list[int]]) -> bool:
    return not await pending


async def _nudged(rig: Side, contact: str) -> bool:
    items = await rig.side.outbox.items(contact)
    return any(
        isinstance(i.action, sio.SendSms) and i.action.bot_initiated for i in items
    )


async def _no_timer(rig: Side, contact: str) -> bool:
    return contact not in rig.side.scheduler.pending(TimerKind.FOLLOWUP)


async def _not_pending(rig: Side, ident: str) -> bool:
    return ident not in await rig.store.set_members(PENDING_SET)


async def _dnd(rig: Side, contact: str) -> bool:
    state = await rig.side.service.conversation(contact)
    return state is not None and state.flags.opted_out


async def _sent(rig: Side, contact: str) -> bool:
    items = await rig.side.outbox.items(contact)
    return any(i.status is not OutboxStatus.PENDING for i in items)
