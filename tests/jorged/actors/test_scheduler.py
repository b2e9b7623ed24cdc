"""Follow-up cadence through the real actors on virtual time (SPEC 1.8).

The outbox, scheduler and seller run as app.py wires them, on a `DictStore` and a
sandbox GHL, under trio's `autojump_clock`: months pass in milliseconds.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import attrs
import trio
import trio.testing
from hypothesis import given, settings
from hypothesis import strategies as st

from jorged.actors.outbox.items import OutboxItem
from jorged.actors.seller.inbox import ACTIVE_SET, state_key
from jorged.actors.seller.scheduler import (
    COMPACT_MIN,
    FOLLOWUPS,
    STALLS,
    Cancel,
    Schedule,
    Scheduler,
    SchedulerMsg,
    TimerKind,
)
from jorged.actors.seller.seller_actor import STALL_CHECKS_SET
from jorged.clock import TrioWallClock
from jorged.config import Config, GhlConfig, SellerConfig
from jorged.domain.conversation.inputs import Activate, FollowupDue
from jorged.domain.conversation.step import step
from jorged.events import EventKind
from jorged.store.codec import dumps
from jorged.store.memory import DictStore
from tests.jorged.actors.harness import CalendarGhl, Rig, open_rig, sent_bot_texts

LA = ZoneInfo("America/Los_Angeles")
#: Tuesday 3 March 2026, 10:00 in Los Angeles (daylight saving starts on the 8th).
T0 = datetime(2026, 3, 3, 18, 0, tzinfo=UTC)
CADENCE_DAYS = [2, 5, 8, 11, 14, 17, 20, 23, 26, 29] + [
    29 + 14 * k for k in range(1, 11)
]
CFG = Config()
C = "seller-1"


def local(day: int, seconds: float = 0) -> datetime:
    """Day `day` of the cadence at 10:00 in Los Angeles (plus `seconds`), in UTC."""
    wall = T0.astimezone(LA) + timedelta(days=day, seconds=seconds)
    return wall.astimezone(UTC)


def local_days(items: list[OutboxItem], start: datetime) -> list[int]:
    """Days between `start` and each item's send time, on the Los Angeles calendar."""
    first = start.astimezone(LA).date()
    return [(i.sent_at.astimezone(LA).date() - first).days for i in items]


async def nudges(rig: Rig) -> list[OutboxItem]:
    return sent_bot_texts(await rig.items(C))


class TestCadence:
    async def test_days_then_every_fourteen_at_most_ten(self, autojump_clock):
        """A silent seller is nudged on days 2..29, then every 14 days, 10 times."""
        clock = TrioWallClock.start(epoch=T0.timestamp())
        async with open_rig(CFG, clock=clock) as rig:
            await rig.say(C, "hi, thinking about selling")
            await rig.wait_until(T0 + timedelta(days=400))
            sent = await nudges(rig)
            assert local_days(sent, T0) == CADENCE_DAYS
            # The same local time of day across the daylight-saving change.
            assert {i.sent_at.astimezone(LA).hour for i in sent} == {10}
            assert len({i.text for i in sent[:3]}) == 3  # the variants rotate
            assert await rig.store.zset_range(FOLLOWUPS, max_score=float("inf")) == []

    async def test_quiet_hours(self, autojump_clock):
        """A seller who last wrote at 22:30 is answered at once, nudged from 08:00."""
        late = datetime(2026, 3, 4, 6, 30, tzinfo=UTC)  # 22:30 on the 3rd in LA
        clock = TrioWallClock.start(epoch=late.timestamp())
        async with open_rig(CFG, clock=clock) as rig:
            await rig.say(C, "hi")
            await rig.wait_until(late + timedelta(seconds=30))
            (reply,) = await rig.sms(C)
            assert reply.sent_at is not None
            assert reply.sent_at - late < timedelta(seconds=5)
            await rig.wait_until(late + timedelta(days=30))
            sent = await nudges(rig)
            local = [i.sent_at.astimezone(LA) for i in sent]
            assert all(8 <= t.hour < 21 for t in local)
            assert (local[0].day, local[0].hour, local[0].minute) == (6, 8, 0)

    async def test_reply_resets(self, autojump_clock):
        """A reply on day 4 cancels the old schedule and starts again from it."""
        clock = TrioWallClock.start(epoch=T0.timestamp())
        async with open_rig(CFG, clock=clock) as rig:
            await rig.say(C, "hello")
            await rig.wait_until(T0 + timedelta(days=4))
            assert local_days(await nudges(rig), T0) == [2]
            await rig.say(C, "divorce")
            await rig.wait_until(T0 + timedelta(days=12))
            assert local_days(await nudges(rig), T0) == [2, 6, 9, 12]


class TestCadenceStops:
    async def run_then_check_silence(self, rig: Rig, since: datetime) -> None:
        before = len(await nudges(rig))
        await rig.wait_until(since + timedelta(days=200))
        assert len(await nudges(rig)) == before
        assert await rig.store.zset_range(FOLLOWUPS, max_score=float("inf")) == []

    async def test_opt_out(self, autojump_clock):
        """STOP on day 3 ends the cadence: no nudge ever after."""
        clock = TrioWallClock.start(epoch=T0.timestamp())
        async with open_rig(CFG, clock=clock) as rig:
            await rig.say(C, "hello")
            await rig.wait_until(T0 + timedelta(days=3))
            await rig.say(C, "STOP")
            await rig.settle()
            await self.run_then_check_silence(rig, T0)
            assert local_days(await nudges(rig), T0) == [2]
            texts = [i.text for i in await rig.sms(C)]
            assert texts[-1].startswith("You're unsubscribed")

    async def test_pause(self, autojump_clock):
        """A pause by command ends the cadence until resumed."""
        clock = TrioWallClock.start(epoch=T0.timestamp())
        async with open_rig(CFG, clock=clock) as rig:
            await rig.say(C, "hello")
            await rig.wait_until(T0 + timedelta(days=1))
            await rig.command(C, "pause")
            await self.run_then_check_silence(rig, T0)
            assert await nudges(rig) == []

    async def test_booking(self, autojump_clock):
        """A booked hot seller gets no follow-ups."""
        ghl = CalendarGhl(free=[T0 + timedelta(days=1), T0 + timedelta(days=2)])
        cfg = attrs.evolve(
            CFG,
            ghl=GhlConfig(token="t", location_id="loc", calendar_id="cal"),
        )
        clock = TrioWallClock.start(epoch=T0.timestamp())
        async with open_rig(cfg, clock=clock, ghl=ghl) as rig:
            await rig.say(
                C,
                "job transfer to Austin, need to sell in 3 weeks, move in ready, 410k",
            )
            await rig.wait_until(T0 + timedelta(minutes=1))
            await rig.say(C, "the first one")
            await rig.wait_until(T0 + timedelta(minutes=2))
            state = await rig.state(C)
            assert state.flags.booked
            assert ghl.booked == [(C, T0 + timedelta(days=1))]
            await self.run_then_check_silence(rig, T0)
            assert await nudges(rig) == []


class TestRestart:
    async def test_restarts_neither_lose_nor_repeat(self, autojump_clock):
        """Restarts between, and exactly at, due times leave the cadence intact."""
        clock = TrioWallClock.start(epoch=T0.timestamp())
        store = None
        restarts = [
            T0 + timedelta(days=3, hours=5),
            # The moment the third nudge is due (the first reply went out 2 s
            # after the message, at the end of the batch window).
            local(8, seconds=2),
            local(8, seconds=3),
            T0 + timedelta(days=30),
            local(57, seconds=2),  # a long-term nudge's due moment
            T0 + timedelta(days=400),
        ]
        async with open_rig(CFG, clock=clock) as rig:
            store = rig.store
            await rig.say(C, "hello")
            await rig.wait_until(restarts[0])
        for until in restarts[1:]:
            async with open_rig(CFG, clock=clock, store=store) as rig:
                await rig.settle()
                await rig.wait_until(until)
        async with open_rig(CFG, clock=clock, store=store) as rig:
            await rig.settle()
            assert local_days(await nudges(rig), T0) == CADENCE_DAYS


class TestStall:
    async def stalled_at(self, rig: Rig, start: datetime, hours: float) -> datetime:
        """Step an hour at a time from `start` until the conversation is stalled."""
        for hour in range(1, int(hours) + 48):
            await rig.wait_until(start + timedelta(hours=hour, minutes=1))
            state = await rig.state(C)
            if state is not None and state.flags.stalled:
                return start + timedelta(hours=hour)
        msg = "never stalled"
        raise AssertionError(msg)

    async def test_a_paused_conversation_stalls(self, autojump_clock):
        """No cadence (a human took over), still stalled 48 h after the last text."""
        clock = TrioWallClock.start(epoch=T0.timestamp())
        async with open_rig(CFG, clock=clock) as rig:
            await rig.say(C, "hello")
            await rig.wait_until(T0 + timedelta(hours=1))
            await rig.command(C, "pause")
            assert await self.stalled_at(rig, T0, 48) == T0 + timedelta(hours=48)
            stalled = [e for e in rig.events if e.kind is EventKind.SELLER_STALLED]
            assert [e.contact_id for e in stalled] == [C]
            assert await rig.store.zset_range(STALLS, max_score=float("inf")) == []

    async def test_stall_hours_shorter_than_the_first_nudge(self, autojump_clock):
        """With stall_hours = 20 the flag comes at 20 h, not with the day-2 nudge."""
        cfg = attrs.evolve(CFG, seller=SellerConfig(stall_hours=20))
        clock = TrioWallClock.start(epoch=T0.timestamp())
        async with open_rig(cfg, clock=clock) as rig:
            await rig.say(C, "hello")
            assert await self.stalled_at(rig, T0, 20) == T0 + timedelta(hours=20)
            assert await nudges(rig) == []

    async def test_a_restart_keeps_the_check_and_a_reply_moves_it(self, autojump_clock):
        """The check is persisted across a restart; a text sets it 48 h later."""
        clock = TrioWallClock.start(epoch=T0.timestamp())
        async with open_rig(CFG, clock=clock) as rig:
            store = rig.store
            await rig.say(C, "hello")
            await rig.wait_until(T0 + timedelta(hours=30))
            await rig.say(C, "divorce")
            await rig.wait_until(T0 + timedelta(hours=31))
        async with open_rig(CFG, clock=clock, store=store) as rig:
            await rig.settle()
            assert rig.scheduler.pending(TimerKind.STALL) == {
                C: (0, (T0 + timedelta(hours=78)).timestamp())
            }
            await rig.wait_until(T0 + timedelta(hours=77))
            assert not (await rig.state(C)).flags.stalled
            await rig.wait_until(T0 + timedelta(hours=78, minutes=1))
            assert (await rig.state(C)).flags.stalled


class TestStallChecksOfOlderConversations:
    async def test_conversations_stored_without_a_check_get_one(self, autojump_clock):
        """On start, conversations with no stall check get theirs (once)."""
        store = DictStore()
        for contact, hours_ago in (("quiet-60h", 60), ("quiet-10h", 10)):
            then = T0 - timedelta(hours=hours_ago)
            state, _ = step(None, Activate(contact_id=contact), then, CFG.seller)
            await store.put(state_key(contact), dumps(state))
            await store.set_add(ACTIVE_SET, contact)
        clock = TrioWallClock.start(epoch=T0.timestamp())
        async with open_rig(CFG, clock=clock, store=store) as rig:
            await rig.wait_until(T0 + timedelta(minutes=1))
            assert (await rig.state("quiet-60h")).flags.stalled
            assert not (await rig.state("quiet-10h")).flags.stalled
            due = T0 + timedelta(hours=38)
            assert rig.scheduler.pending(TimerKind.STALL) == {
                "quiet-10h": (0, due.timestamp())
            }
            assert await store.get(STALL_CHECKS_SET) == b"1"


@attrs.define
class SlowStore(DictStore):
    """A store whose sorted-set writes take a second (a slow Redis)."""

    async def zset_add(self, key: str, member: str, score: float) -> None:
        await trio.sleep(1)
        await super().zset_add(key, member, score)


class TestScheduler:
    async def test_timer_due_while_handling_does_not_cut_it_short(self, autojump_clock):
        """A timer falling due during a slow write does not lose the message."""
        clock = TrioWallClock.start(epoch=T0.timestamp())
        store = SlowStore()
        fired: list[FollowupDue] = []

        async def fire(item: FollowupDue) -> None:
            fired.append(item)

        send, recv = trio.open_memory_channel[SchedulerMsg](10)
        scheduler = Scheduler(store=store, clock=clock, inbox=recv, fire=fire)
        async with trio.open_nursery() as nursery:
            await nursery.start(scheduler.run)
            await send.send(
                Schedule(contact_id="a", index=0, due=T0 + timedelta(seconds=1.5))
            )
            await trio.sleep(1.2)
            # Handling this takes 1 s; "a" falls due half-way through.
            await send.send(
                Schedule(contact_id="b", index=0, due=T0 + timedelta(seconds=10))
            )
            await trio.sleep(20)
            assert [f.contact_id for f in fired] == ["a", "b"]
            stored = await store.zset_range(FOLLOWUPS, max_score=float("inf"))
            assert [m for m, _s in stored] == ["a|0", "b|0"]
            nursery.cancel_scope.cancel()


OPS = st.lists(
    st.tuples(
        st.sampled_from(["schedule", "cancel"]),
        st.sampled_from("abcde"),
        st.integers(0, 3),
        st.integers(1, 100),
    ),
    max_size=60,
)


class TestTimerHeap:
    @settings(max_examples=60, deadline=None)
    @given(ops=OPS)
    def test_fires_each_live_timer_once_in_due_order(self, ops):
        """Whatever was replaced or cancelled, the timers left fire once, by due time,
        and the store holds exactly them: messages handled one by one, or all
        waiting in the inbox at once (handled, and stored, as one batch)."""
        expected: dict[str, tuple[int, int]] = {}
        for op, contact, index, due in ops:
            if op == "schedule":
                expected[contact] = (index, due)
            else:
                expected.pop(contact, None)
        for buffer in (0, len(ops)):
            clock = trio.testing.MockClock(autojump_threshold=0)
            fired, stored = trio.run(_play, ops, buffer, clock=clock)
            assert fired == sorted((d, c, i) for c, (i, d) in expected.items())
            assert stored == sorted(
                (T0.timestamp() + d, f"{c}|{i}") for c, (i, d) in expected.items()
            )

    def test_replaced_timers_do_not_pile_up(self):
        """Rescheduling one contact again and again keeps the heap small."""

        async def main() -> int:
            clock = TrioWallClock.start(epoch=T0.timestamp())
            send, recv = trio.open_memory_channel[SchedulerMsg](0)

            async def fire(_item: FollowupDue) -> None:
                pass

            scheduler = Scheduler(store=DictStore(), clock=clock, inbox=recv, fire=fire)
            async with trio.open_nursery() as nursery:
                await nursery.start(scheduler.run)
                for k in range(5000):
                    due = T0 + timedelta(days=2, seconds=k)
                    await send.send(Schedule(contact_id="a", index=k % 3, due=due))
                nursery.cancel_scope.cancel()
            return len(scheduler._heap)

        assert trio.run(main, clock=trio.testing.MockClock(autojump_threshold=0)) <= (
            COMPACT_MIN + 1
        )


async def _play(
    ops: list[tuple[str, str, int, int]], buffer: int
) -> tuple[list[tuple[int, str, int]], list[tuple[float, str]]]:
    """Apply `ops` at T0 through an inbox of `buffer`: the timers stored (due epoch,
    member) before any fires; after 200 s, (due s, contact, index) fired."""
    clock = TrioWallClock.start(epoch=T0.timestamp())
    fired: list[tuple[int, str, int]] = []

    async def fire(item: FollowupDue) -> None:
        due = round(clock.epoch() - T0.timestamp())
        fired.append((due, item.contact_id, item.index))

    send, recv = trio.open_memory_channel[SchedulerMsg](buffer)
    store = DictStore()
    scheduler = Scheduler(store=store, clock=clock, inbox=recv, fire=fire)
    async with trio.open_nursery() as nursery:
        await nursery.start(scheduler.run)
        for op, contact, index, due in ops:
            if op == "schedule":
                at = T0 + timedelta(seconds=due)
                await send.send(Schedule(contact_id=contact, index=index, due=at))
            else:
                await send.send(Cancel(contact_id=contact))
        await trio.testing.wait_all_tasks_blocked()
        stored = await store.zset_range(FOLLOWUPS, max_score=float("inf"))
        await trio.sleep(200)
        nursery.cancel_scope.cancel()
    return fired, sorted((score, member) for member, score in stored)
