from __future__ import annotations

from collections.abc import Callable

import attrs
import pytest
import structlog
import trio
import trio.testing

from jorged.actors.tracker import SNAPSHOT_KEY, Tracker
from jorged.config import SuperviseConfig, TrackerConfig
from jorged.exceptions import StoreUnavailable
from jorged.metrics.records import (
    ConversationQualified,
    GhlCall,
    LeadResolved,
    LlmCall,
    MessageReceived,
    ReplyProduced,
    StoreOperation,
    WebhookHandled,
)
from jorged.metrics.window import HOUR_S, WindowData
from jorged.store import DictStore, codec
from jorged.supervise import Supervisor

T0 = 1_800_000_000.0  # an hour boundary (epoch seconds)
CFG = TrackerConfig()

RECORDS = [
    WebhookHandled(event_type="InboundMessage", status=200, latency_s=0.012),
    WebhookHandled(event_type="InboundMessage", status=401, latency_s=0.003),
    MessageReceived(),
    ReplyProduced(latency_s=0.85),
    ReplyProduced(latency_s=1.7),
    ConversationQualified(temperature="warm"),
    GhlCall(operation="send_sms", status=200, latency_s=0.21, rate_limit_remaining=97),
    LlmCall(
        model="m", input_tokens=900, output_tokens=80, latency_s=1.1, cost_usd=0.0013
    ),
    LeadResolved(source="cache", saved_usd=0.05),
    StoreOperation(backend="redis", op="put", latency_s=0.0007),
]


def wall_clock() -> Callable[[], float]:
    """Epoch seconds that start at T0 and move with trio's (virtual) clock."""
    base = trio.current_time()
    return lambda: T0 + trio.current_time() - base


@attrs.define
class RecordingStore(DictStore):
    """A DictStore noting the trio time of every snapshot write."""

    saved_at: list[float] = attrs.field(factory=list)

    async def put(self, key: str, data: bytes, *, ttl_s: float | None = None) -> None:
        if key == SNAPSHOT_KEY:
            self.saved_at.append(trio.current_time())
        await super().put(key, data, ttl_s=ttl_s)


@attrs.define
class StuckStore(DictStore):
    """A DictStore whose writes never finish."""

    async def put(self, key: str, data: bytes, *, ttl_s: float | None = None) -> None:
        await trio.sleep_forever()


@attrs.define
class DownStore(DictStore):
    """A DictStore whose writes always fail."""

    async def put(self, key: str, data: bytes, *, ttl_s: float | None = None) -> None:
        await trio.lowlevel.checkpoint()
        raise StoreUnavailable(key=key, reason="redis and disk are down")


@attrs.define
class FlakyStore(DictStore):
    """A DictStore whose first read fails."""

    failed: bool = False

    async def get(self, key: str) -> bytes | None:
        if not self.failed:
            self.failed = True
            raise OSError("disk hiccup")
        return await super().get(key)


def make(store: DictStore, *, capacity: int = 1024, **kw) -> Tracker:
    return Tracker.create(
        cfg=CFG, store=store, capacity=capacity, clock=wall_clock(), **kw
    )


def stored(store: DictStore) -> WindowData:
    data = store._values[SNAPSHOT_KEY]
    return codec.loads(data, WindowData)


class TestSnapshots:
    async def test_snapshot_every_interval(self, autojump_clock, nursery):
        """A snapshot is written every 60 s of trio time."""
        store = RecordingStore()
        start = trio.current_time()
        tracker = make(store)
        await nursery.start(tracker.run)
        tracker.record(MessageReceived())
        await trio.sleep(185)
        assert [t - start for t in store.saved_at] == [60.0, 120.0, 180.0]
        assert tracker.statistics().snapshots == 3

    async def test_restart_restores_the_state_before(self, autojump_clock):
        """A new tracker on the same store answers exactly like the one that stopped."""
        store = DictStore()
        async with trio.open_nursery() as n:
            first = make(store)
            await n.start(first.run)
            for rec in RECORDS:
                first.record(rec)
            await trio.sleep(60)
            before = first.performance()
            n.cancel_scope.cancel()
        async with trio.open_nursery() as n:
            second = make(store)
            await n.start(second.run)
            after = second.performance()
            n.cancel_scope.cancel()
        assert attrs.evolve(
            after, at=0.0, ghl_rate_limit_remaining=None
        ) == attrs.evolve(before, at=0.0, ghl_rate_limit_remaining=None)
        assert after.totals.webhooks == 2

    async def test_state_is_restored_before_started(self, autojump_clock, nursery):
        """Queries see the stored window as soon as `run` reports started."""
        store = DictStore()
        async with trio.open_nursery() as n:
            first = make(store)
            await n.start(first.run)
            first.record(ReplyProduced(latency_s=0.5))
            await trio.testing.wait_all_tasks_blocked()
            n.cancel_scope.cancel()
        second = make(store)
        await nursery.start(second.run)
        assert second.performance().reply.count == 1

    async def test_shutdown_saves_what_came_after_the_last_snapshot(
        self, autojump_clock
    ):
        """Stopping writes a final snapshot holding the latest records."""
        store = DictStore()
        async with trio.open_nursery() as n:
            tracker = make(store)
            await n.start(tracker.run)
            await trio.sleep(61)
            tracker.record(MessageReceived())
            await trio.testing.wait_all_tasks_blocked()
            n.cancel_scope.cancel()
        totals = {(e.name, e.labels): e.value for e in stored(store).totals}
        assert totals[("messages_in", ())] == 1.0

    async def test_shutdown_save_is_bounded(self, autojump_clock):
        """A store that never answers delays shutdown by `save_timeout_s` at most."""
        tracker = make(StuckStore(), save_timeout_s=2.0)
        with structlog.testing.capture_logs() as logs:
            async with trio.open_nursery() as n:
                await n.start(tracker.run)
                stopped_at = trio.current_time()
                n.cancel_scope.cancel()
        assert trio.current_time() - stopped_at == 2.0
        assert {
            "event": "metrics_snapshot_timed_out",
            "reason": "shutdown",
            "log_level": "warning",
        } in [{k: v for k, v in e.items() if k != "actor"} for e in logs]

    async def test_failed_snapshot_is_counted_and_tracking_goes_on(
        self, autojump_clock, nursery
    ):
        """A store failure is logged and counted; records keep being applied."""
        tracker = make(DownStore())
        await nursery.start(tracker.run)
        await trio.sleep(60)
        tracker.record(MessageReceived())
        await trio.testing.wait_all_tasks_blocked()
        stats = tracker.statistics()
        assert (stats.snapshots, stats.snapshot_failures, stats.recorded) == (0, 1, 1)
        assert (
            stats.last_error
            == "store unavailable for metrics:snapshot: redis and disk are down"
        )

    async def test_snapshot_now_says_what_it_saved(self, autojump_clock, nursery):
        """`jorgectl snapshot` gets a one-line description of the saved snapshot."""
        store = DictStore()
        tracker = make(store)
        await nursery.start(tracker.run)
        tracker.record(ReplyProduced(latency_s=0.3))
        await trio.testing.wait_all_tasks_blocked()
        size = (
            len(codec.dumps(stored(store))) if SNAPSHOT_KEY in store._values else None
        )
        text = await tracker.snapshot_now()
        assert size is None
        assert (
            text
            == f"metrics:snapshot: 1 hourly buckets, 1 timings since start, {len(store._values[SNAPSHOT_KEY])} bytes"
        )

    async def test_snapshot_now_reports_a_store_failure(self, autojump_clock, nursery):
        """An explicit snapshot raises the store's error for the control socket."""
        tracker = make(DownStore())
        await nursery.start(tracker.run)
        with pytest.raises(
            StoreUnavailable, match=r"^store unavailable for metrics:snapshot"
        ):
            await tracker.snapshot_now()

    async def test_unreadable_snapshot_starts_fresh(self, autojump_clock, nursery):
        """A damaged snapshot is logged and the tracker starts from zero."""
        store = DictStore()
        await store.put(SNAPSHOT_KEY, b"not json")
        tracker = make(store)
        with structlog.testing.capture_logs() as logs:
            await nursery.start(tracker.run)
        assert tracker.performance().totals.webhooks == 0
        assert [e["event"] for e in logs] == ["metrics_snapshot_unreadable"]


class TestRecording:
    async def test_flood_never_blocks_and_drops_are_counted(
        self, autojump_clock, nursery
    ):
        """10,000 records at once: no checkpoint, nothing raised, every loss counted."""
        tracker = make(DictStore(), capacity=16)
        await nursery.start(tracker.run)
        with trio.testing.assert_no_checkpoints():
            for _ in range(10_000):
                tracker.record(MessageReceived())
        await trio.testing.wait_all_tasks_blocked()
        stats = tracker.statistics()
        assert stats.recorded + stats.drops == 10_000
        assert stats.drops >= 10_000 - 17
        assert stats.queued == 0
        assert tracker.performance().drops == stats.drops

    async def test_record_after_the_inbox_closed_is_a_drop(self):
        """A producer outliving the tracker's inbox loses the record, not its own work."""
        tracker = make(DictStore())
        await tracker.sender.aclose()
        tracker.record(MessageReceived())
        assert tracker.statistics().drops == 1

    async def test_queries_follow_new_records(self, autojump_clock, nursery):
        """A query after new records reflects them."""
        tracker = make(DictStore())
        await nursery.start(tracker.run)
        assert tracker.performance().window.messages_in == 0
        tracker.record(MessageReceived())
        await trio.testing.wait_all_tasks_blocked()
        assert tracker.performance().window.messages_in == 1

    async def test_window_forgets_after_a_day(self, autojump_clock, nursery):
        """25 hours on, the window is empty while the totals keep the record."""
        tracker = make(DictStore())
        await nursery.start(tracker.run)
        tracker.record(ReplyProduced(latency_s=2.5))
        await trio.sleep(25 * HOUR_S)
        snap = tracker.performance()
        assert (snap.reply.count, snap.reply.p95, snap.window.replies) == (0, None, 0)
        assert (snap.reply.total_count, snap.totals.replies) == (1, 1)

    async def test_timeseries_by_hour(self, autojump_clock, nursery):
        """The chart series has one point per hour with that hour's counts."""
        tracker = make(DictStore())
        await nursery.start(tracker.run)
        tracker.record(MessageReceived())
        await trio.sleep(HOUR_S)
        tracker.record(MessageReceived())
        tracker.record(MessageReceived())
        await trio.testing.wait_all_tasks_blocked()
        points = tracker.timeseries(3)
        assert [(p.start - T0, p.messages_in) for p in points] == [
            (-HOUR_S, 0),
            (0.0, 1),
            (HOUR_S, 2),
        ]


class TestSupervision:
    async def test_restart_keeps_the_inbox(self, autojump_clock, nursery):
        """A tracker restarted by the supervisor applies what producers sent meanwhile."""
        tracker = make(FlakyStore())
        supervisor = Supervisor(cfg=SuperviseConfig())
        tracker.record(MessageReceived())
        await nursery.start(supervisor.supervise, "tracker", tracker.run)
        await trio.testing.wait_all_tasks_blocked()
        assert supervisor.statuses()[0].restarts == 1
        assert tracker.performance().totals.messages_in == 1
