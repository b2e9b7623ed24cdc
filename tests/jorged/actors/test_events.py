from __future__ import annotations

import re
import time
from datetime import UTC, datetime

import pytest
import trio
import trio.testing

from jorged.actors.event_bus import STREAM_KEY, EventsActor, masked
from jorged.config import EventsConfig
from jorged.events import Event, EventKind
from jorged.exceptions import Invalid
from jorged.store.memory import DictStore

AT = datetime(2025, 6, 1, 12, tzinfo=UTC)
PHONE = re.compile(r"\d{3}\D{0,2}\d{3}\D?\d{4}")


def ev(n: int = 0, **data) -> Event:
    return Event(kind=EventKind.SELLER_UPDATED, at=AT, contact_id=f"c{n}", data=data)


@pytest.fixture(name="store")
def _store() -> DictStore:
    return DictStore()


@pytest.fixture(name="events")
def _events(store) -> EventsActor:
    return EventsActor(
        cfg=EventsConfig(stream_maxlen=50, subscriber_buffer=8), store=store
    )


async def drain(events: EventsActor) -> None:
    await trio.testing.wait_all_tasks_blocked()
    assert events.statistics().queued == 0


class TestMasking:
    def test_phone_and_email_are_masked_in_string_values(self):
        """Phone numbers and emails in string values are masked, others kept."""
        event = masked(ev(text="call 909-555-1234 or ann@example.com", count=3))
        assert event.data == {
            "text": "call ***-***-1234 or a***@example.com",
            "count": 3,
        }

    async def test_no_pii_reaches_the_stream(self, nursery, events, store):
        """Stored events hold no unmasked phone number or email."""
        await nursery.start(events.run)
        events.publish(ev(phone="+1 909 555 1234", email="bob.smith@mail.com"))
        await drain(events)
        stored = b"".join(d for _, d in await store.stream_tail(STREAM_KEY, count=10))
        assert not PHONE.search(stored.decode())
        assert b"bob.smith@" not in stored
        assert b"***-***-1234" in stored


class TestPublish:
    async def test_events_get_stream_ids_and_reach_subscribers(self, nursery, events):
        """A subscriber sees every event, each with the id of its stream entry."""
        await nursery.start(events.run)
        with events.subscribe() as sub:
            events.publish(ev(1))
            events.publish(ev(2))
            got = [await sub.receive.receive(), await sub.receive.receive()]
        assert [e.contact_id for e in got] == ["c1", "c2"]
        assert [e.id for e in got] == [e.id for e in await events.recent()]

    def test_full_inbox_drops_without_blocking(self, store):
        """With the inbox full, publish returns False at once and counts the drop."""
        events = EventsActor(cfg=EventsConfig(), store=store, inbox_size=2)
        assert [events.publish(ev(i)) for i in range(3)] == [True, True, False]
        assert events.statistics().producer_drops == 1

    async def test_stuck_subscriber_never_slows_producers(self, nursery, events, store):
        """10,000 events: all stored, a stuck reader dropped, a live one gets them all."""
        events = EventsActor(cfg=EventsConfig(subscriber_buffer=8), store=store)
        await nursery.start(events.run)
        stuck, live = events.subscribe(), events.subscribe()
        seen: list[str] = []

        async def read() -> None:
            async for event in live:
                seen.append(event.id)

        nursery.start_soon(read)
        for i in range(10_000):
            assert events.publish(ev(i))
            if i % 500 == 0:
                await trio.testing.wait_all_tasks_blocked()
        await drain(events)
        stats = events.statistics()
        assert (stats.stored, stats.dropped_subscribers, stats.subscribers) == (
            10_000,
            1,
            1,
        )
        assert stuck.dropped
        assert not live.dropped
        assert len(seen) == len(set(seen)) == 10_000
        live.close()

    async def test_closed_subscription_ends_iteration(self, nursery, events):
        """Closing a subscription removes it; its iteration ends."""
        await nursery.start(events.run)
        sub = events.subscribe()
        sub.close()
        events.publish(ev())
        await drain(events)
        assert events.statistics().subscribers == 0
        assert not sub.dropped


class TestHistory:
    async def test_stream_stays_bounded(self, nursery, events, store):
        """The stream keeps at most `stream_maxlen` entries, the newest."""
        await nursery.start(events.run)
        for i in range(120):
            events.publish(ev(i))
        await drain(events)
        entries = await store.stream_read(STREAM_KEY, limit=1000)
        assert len(entries) == 50
        assert [e.contact_id for e in await events.recent(limit=2)] == ["c118", "c119"]

    async def test_recent_after_an_id(self, nursery, events):
        """`since` returns the events after that id, up to `limit`, oldest first."""
        await nursery.start(events.run)
        for i in range(5):
            events.publish(ev(i))
        await drain(events)
        first = (await events.recent(limit=5))[1]
        after = await events.recent(since=first.id, limit=2)
        assert [e.contact_id for e in after] == ["c2", "c3"]

    async def test_events_past_retention_are_left_out(self, nursery, events):
        """Entries older than `retention_days` are not returned, with or without since."""
        await nursery.start(events.run)
        events.publish(ev())
        await drain(events)
        later = time.time() + 7 * 86_400 + 60
        assert await events.recent(now=later) == []
        assert await events.recent(since="0-0", now=later) == []
        assert len(await events.recent(since="0-0")) == 1

    async def test_bad_parameters_are_named(self, events):
        """A malformed since or an out-of-range limit is a Invalid naming it."""
        with pytest.raises(Invalid, match=r"^since: a stream id looks like"):
            await events.recent(since="yesterday")
        with pytest.raises(Invalid, match=r"^limit: must be between 1 and 1000$"):
            await events.recent(limit=0)

    @pytest.mark.parametrize(
        "since", ["0", "0-0", "1-18446744073709551615", "9223372036854775806-99"]
    )
    async def test_old_or_odd_ids_start_at_the_oldest_kept(
        self, nursery, events, since
    ):
        """An id at or before the retention, however written, reads from the oldest kept."""
        await nursery.start(events.run)
        events.publish(ev())
        await drain(events)
        expected = 1 if since.startswith(("0", "1-")) else 0
        assert len(await events.recent(since=since)) == expected

    @pytest.mark.parametrize(
        "since", [f"{2**63}-0", f"{2**64 - 1}-{2**64 - 1}", f"{2**64}-0", "9" * 20]
    )
    async def test_ids_past_any_store_have_nothing_after(self, nursery, events, since):
        """An id at or past 2^63 (no store holds one) has no events after it."""
        await nursery.start(events.run)
        events.publish(ev())
        await drain(events)
        assert await events.recent(since=since) == []

    @pytest.mark.parametrize("since", ["1" * 21, " 5", "+5", "5-", "-5", "\u0665"])
    async def test_ids_not_in_digits_are_refused(self, events, since):
        """Not `<ms>-<n>` in at most 20 ASCII digits each: a Invalid naming since."""
        with pytest.raises(Invalid, match=r"^since: a stream id looks like"):
            await events.recent(since=since)
