"""The tracker actor: measures everything, answers percentile and count queries.

Producers (webhook routes, the GHL client, the LLM analyser, the store, the seller
actor) call `Tracker.record(rec)`. It never waits and never raises: when the inbox
is full the record is dropped and counted. Call it from the trio thread (trio tasks,
or asyncio callbacks in guest mode, which run on the same thread).

`run()` restores the window from `metrics:snapshot`, reports started, then applies
records, saves a snapshot every `snapshot_interval_s`, and saves once more when it
stops (shielded, bounded by `save_timeout_s`). Readers call `performance()`,
`timeseries()` and `statistics()`, which build frozen snapshots and change nothing.

Time: records are stamped with `clock()` (wall-clock epoch seconds) when applied, so
hourly buckets survive restarts; snapshots are scheduled on trio's clock.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import NoReturn

import attrs
import structlog
import trio

from jorged.config import TrackerConfig
from jorged.exceptions import StoreError
from jorged.metrics.performance import (
    HourPoint,
    PerformanceSnapshot,
    apply,
    performance,
    timeseries,
)
from jorged.metrics.records import GhlCall, MetricRecord
from jorged.metrics.window import Window, WindowData, hour_of
from jorged.store import codec
from jorged.store.store_protocol import Store

__all__ = ["SNAPSHOT_KEY", "Tracker", "TrackerStatistics"]

log = structlog.get_logger()

SNAPSHOT_KEY = "metrics:snapshot"


@attrs.frozen(kw_only=True)
class TrackerStatistics:
    """Queue depth and drops of the inbox, and how snapshots went.

    `recorded` and `drops` count since this process started; times are epoch seconds.
    """

    queued: int
    queue_capacity: float
    recorded: int
    drops: int
    snapshots: int
    snapshot_failures: int
    last_snapshot_at: float | None
    last_error: str | None


@attrs.define(kw_only=True, eq=False)
class Tracker:
    """Keeps the metric window; see the module docstring for the protocol.

    `app.py` builds it with `Tracker.create(...)` (or hands in both ends of a
    bounded memory channel) and runs `run` under supervision.
    """

    cfg: TrackerConfig
    store: Store
    inbox: trio.MemoryReceiveChannel[MetricRecord]
    sender: trio.MemorySendChannel[MetricRecord]
    clock: Callable[[], float] = time.time
    save_timeout_s: float = 5.0
    _window: Window = attrs.field(init=False)
    _version: int = attrs.field(default=0, init=False)
    _recorded: int = attrs.field(default=0, init=False)
    _drops: int = attrs.field(default=0, init=False)
    _next_drop_log: int = attrs.field(default=1, init=False)
    _snapshots: int = attrs.field(default=0, init=False)
    _snapshot_failures: int = attrs.field(default=0, init=False)
    _last_snapshot_at: float | None = attrs.field(default=None, init=False)
    _last_error: str | None = attrs.field(default=None, init=False)
    _ghl_remaining: int | None = attrs.field(default=None, init=False)
    _cache: tuple[int, int, PerformanceSnapshot] | None = attrs.field(
        default=None, init=False
    )
    _save_lock: trio.Lock = attrs.field(factory=trio.Lock, init=False)

    def __attrs_post_init__(self) -> None:
        if self.save_timeout_s <= 0:
            msg = f"save_timeout_s: must be greater than 0, got {self.save_timeout_s!r}"
            raise ValueError(msg)
        self._window = self._fresh_window()

    @classmethod
    def create(
        cls,
        *,
        cfg: TrackerConfig,
        store: Store,
        capacity: int,
        clock: Callable[[], float] = time.time,
        save_timeout_s: float = 5.0,
    ) -> Tracker:
        """A tracker with its own inbox of `capacity` records."""
        if capacity < 1:
            msg = f"capacity: must be at least 1, got {capacity!r}"
            raise ValueError(msg)
        send, recv = trio.open_memory_channel[MetricRecord](capacity)
        return cls(
            cfg=cfg,
            store=store,
            inbox=recv,
            sender=send,
            clock=clock,
            save_timeout_s=save_timeout_s,
        )

    # --- producers -------------------------------------------------------------

    def record(self, rec: MetricRecord) -> None:
        """Queue `rec` without waiting; a full or closed inbox drops it (counted)."""
        try:
            self.sender.send_nowait(rec)
        except (trio.WouldBlock, trio.BrokenResourceError, trio.ClosedResourceError):
            self._drops += 1
            if self._drops >= self._next_drop_log:  # 1, 10, 100, ... drops
                self._next_drop_log *= 10
                log.warning("metrics_dropped", drops=self._drops)

    # --- the actor -------------------------------------------------------------

    async def run(
        self, *, task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED
    ) -> NoReturn:
        with structlog.contextvars.bound_contextvars(actor="tracker"):
            await self._restore()
            task_status.started()
            try:
                await self._serve()
            finally:
                with trio.move_on_after(self.save_timeout_s, shield=True) as scope:
                    await self._save_logged("shutdown")
                if scope.cancelled_caught:
                    log.warning("metrics_snapshot_timed_out", reason="shutdown")

    async def _serve(self) -> NoReturn:
        interval = self.cfg.snapshot_interval_s
        deadline = trio.current_time() + interval
        while True:
            with trio.move_on_at(deadline):
                async for rec in self.inbox:
                    self._apply(rec)
                await trio.sleep_forever()  # the inbox was closed: keep snapshotting
            self._window.forget(self.clock())
            await self._save_logged("periodic")
            # Keep the cadence; after a save that overran, wait half an interval
            # rather than saving back to back.
            deadline = max(deadline + interval, trio.current_time() + interval / 2)

    def _apply(self, rec: MetricRecord) -> None:
        apply(self._window, rec, at=self.clock())
        if isinstance(rec, GhlCall) and rec.rate_limit_remaining is not None:
            self._ghl_remaining = rec.rate_limit_remaining
        self._recorded += 1
        self._version += 1

    # --- persistence -----------------------------------------------------------

    def _fresh_window(self) -> Window:
        return Window(
            hours=self.cfg.window_hours,
            relative_accuracy=self.cfg.relative_accuracy,
            started_at=self.clock(),
        )

    async def _restore(self) -> None:
        data = await self.store.get(SNAPSHOT_KEY)
        if data is None:
            self._window = self._fresh_window()
            log.info("metrics_started_fresh")
        else:
            try:
                stored = codec.loads(data, WindowData)
            except StoreError as exc:
                self._window = self._fresh_window()
                log.error("metrics_snapshot_unreadable", error=str(exc))
            else:
                self._window = Window.from_data(
                    stored,
                    hours=self.cfg.window_hours,
                    relative_accuracy=self.cfg.relative_accuracy,
                    now=self.clock(),
                )
                log.info(
                    "metrics_restored",
                    saved_at=stored.saved_at,
                    buckets=len(self._window.bucket_hours()),
                )
        self._version += 1

    async def _save(self) -> str:
        async with self._save_lock:
            now = self.clock()
            data = codec.dumps(self._window.to_data(now=now))
            try:
                await self.store.put(SNAPSHOT_KEY, data)
            except StoreError as exc:
                self._snapshot_failures += 1
                self._last_error = str(exc)
                raise
            self._snapshots += 1
            self._last_snapshot_at = now
        hours = len(self._window.bucket_hours())
        return (
            f"{SNAPSHOT_KEY}: {hours} hourly buckets, "
            f"{self._window.total('latency_count'):.0f} timings since start, "
            f"{len(data)} bytes"
        )

    async def _save_logged(self, reason: str) -> None:
        try:
            await self._save()
        except StoreError as exc:
            log.warning("metrics_snapshot_failed", reason=reason, error=str(exc))

    async def snapshot_now(self) -> str:
        """Save the snapshot now (`jorgectl snapshot`); says what was saved."""
        return await self._save()

    # --- readers ---------------------------------------------------------------

    def performance(self) -> PerformanceSnapshot:
        """Percentiles, counts and rates over the window, and totals since start."""
        now = self.clock()
        hour = hour_of(now)
        if self._cache is not None and self._cache[:2] == (self._version, hour):
            return attrs.evolve(self._cache[2], at=now, drops=self._drops)
        snap = performance(
            self._window,
            now=now,
            drops=self._drops,
            ghl_rate_limit_remaining=self._ghl_remaining,
        )
        self._cache = (self._version, hour, snap)
        return snap

    def timeseries(self, hours: int) -> list[HourPoint]:
        """The last `hours` hours (at most the window), oldest first."""
        return timeseries(self._window, now=self.clock(), hours=hours)

    def totals_by_labels(self, name: str) -> dict[tuple[str, ...], float]:
        """Counter `name` since start, per label combination (see `performance`)."""
        return self._window.totals_by_labels(name)

    def statistics(self) -> TrackerStatistics:
        queue = self.inbox.statistics()
        return TrackerStatistics(
            queued=queue.current_buffer_used,
            queue_capacity=queue.max_buffer_size,
            recorded=self._recorded,
            drops=self._drops,
            snapshots=self._snapshots,
            snapshot_failures=self._snapshot_failures,
            last_snapshot_at=self._last_snapshot_at,
            last_error=self._last_error,
        )
