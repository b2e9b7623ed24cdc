"""`RedisMirror`: keeps Redis in step with the disk (its health, replay and reconcile).

The disk holds every write; Redis is kept a mirror of it:

- When Redis fails, a circuit breaker opens: later calls skip Redis at once (no
  thread hop, no retry storm) and each write notes its key in the persisted
  journal of unsynced writes (`backlog`). `run()` probes Redis when the breaker
  allows it and replays the journal in order (the disk state of each noted record,
  at its seq; a record written many times is sent once), then compacts it. Until
  the journal is empty, new writes join it (see `commit`), so Redis never sees them
  out of order.
- When Redis is first reached (at start, or after it restarted), the two copies
  are reconciled: records newer on disk (or missing from Redis, as after FLUSHALL)
  are pushed; records newer in Redis are taken to disk.

A `RedisMirror` exists only when Redis is configured, so it holds a `RedisBackend`,
never None: `DurableStore` builds one (or none) and hands it to its `GroupCommit`,
which asks it whether a commit may go to Redis (`may_push`) and tells it of Redis
failures (`failed`) and journaled writes (`journaled`). The mirror alone drives the
breaker and keeps the degraded flag, the last error, the stream maxlens and its own
counts. The journal (`Backlog`), the seq counter and the stream id maker are
separate objects, each the one keeper of its state, which the parts share.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import NoReturn

import attrs
import structlog
import trio

from jorged.exceptions import StoreUnavailable
from jorged.store.backlog import RECORD, STREAM, Backlog
from jorged.store.breaker import BreakerState, CircuitBreaker
from jorged.store.disk import DiskBackend
from jorged.store.diskhealth import DiskHealth, disk_failure
from jorged.store.ids import IdMaker, SeqCounter
from jorged.store.observe import StoreTransition
from jorged.store.redis_backend import RedisBackend
from jorged.store.store_protocol import Kind

log = structlog.get_logger("jorged.store")

_BATCH = 256


@attrs.define(kw_only=True)
class RedisMirror:
    """Keeps Redis in step with the disk (see the module docstring)."""

    redis: RedisBackend
    disk: DiskBackend
    breaker: CircuitBreaker
    backlog: Backlog
    seqs: SeqCounter
    ids: IdMaker
    #: Whether the disk takes writes now (shared with the store and its journal).
    disk_health: DiskHealth
    #: Told when Redis is lost, or back with the journal replayed.
    on_transition: Callable[[StoreTransition], None]
    resync_interval_s: float = 1.0
    stream_maxlen: int = 100_000
    #: redis_failures, replayed, to_redis, from_redis, resyncs.
    counts: Counter[str] = attrs.field(factory=Counter)
    _degraded: bool = False
    _server_id: str | None = None
    _last_error: str | None = None
    _maxlens: dict[str, int] = attrs.field(factory=dict)
    _wake: trio.Event = attrs.field(factory=trio.Event)

    async def run(
        self, *, task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED
    ) -> NoReturn:
        """Probe Redis and replay the journal every `resync_interval_s` (or sooner)."""
        task_status.started()
        while True:
            try:
                await self._resync_once()
            except Exception as exc:
                # A full disk stops the replay, not the store: tried again next round.
                reason = disk_failure(exc)
                if reason is None:
                    raise
                self.disk_health.failed(reason)
            with trio.move_on_after(self.resync_interval_s):
                await self._wake.wait()
            self._wake = trio.Event()

    # --- what the store and the write path ask -------------------------------------

    @property
    def degraded(self) -> bool:
        """Is Redis lost, or its journal not yet replayed?"""
        return self._degraded

    @property
    def up(self) -> bool:
        """Was Redis reached, and is the breaker closed?"""
        return self._server_id is not None and self.breaker.state is BreakerState.CLOSED

    @property
    def last_error(self) -> str | None:
        return self._last_error

    def may_push(self) -> bool:
        """May a commit go to Redis now (breaker closed, nothing waits before it)?"""
        return self.breaker.state is BreakerState.CLOSED and self.backlog.size == 0

    def journaled(self) -> None:
        """Writes joined the journal: replay them soon if Redis seems up."""
        if self.breaker.state is BreakerState.CLOSED:
            self._wake.set()

    def stream_written(self, key: str, maxlen: int) -> None:
        """Remember the maxlen of stream `key`, for the replay and reconcile."""
        self._maxlens[key] = maxlen

    async def start(self) -> None:
        """Reach Redis and reconcile; degraded (not failing) if it does not answer."""
        await self._resync_once()
        if self._server_id is None:
            self._set_degraded(self._last_error or "redis unreachable at start")

    # --- Redis health and resync ---------------------------------------------------

    def failed(self, exc: StoreUnavailable) -> None:
        """A Redis call failed: open the breaker and report the store degraded."""
        self.breaker.failure()
        self.counts["redis_failures"] += 1
        self._last_error = exc.reason
        self._set_degraded(exc.reason)

    def _set_degraded(self, reason: str) -> None:
        if self._degraded:
            return
        self._degraded = True
        log.warning("store_degraded", reason=reason, backlog=self.backlog.size)
        self._transition(degraded=True, reason=reason)

    def _transition(self, *, degraded: bool, reason: str) -> None:
        self.on_transition(
            StoreTransition(degraded=degraded, reason=reason, backlog=self.backlog.size)
        )

    async def _resync_once(self) -> None:
        """Probe Redis when the breaker allows it; reconcile and replay the journal.

        The probe (one INFO) also runs while all is well: it notices a Redis that
        went away between writes, or one that restarted empty (a new run id).
        """
        if not self.breaker.allow():
            return
        try:
            server_id = await self.redis.server_id()
            if server_id != self._server_id:
                if self._server_id is not None:
                    # Restarted or flushed: the copy lacks what it held.
                    log.warning("store_redis_copy_lost", server_id=server_id)
                    self.counts["resyncs"] += 1
                # Marked before the reconcile: a flush during it is seen next round.
                server_id = await self.redis.mark_copy()
                await self._reconcile()
                self._server_id = server_id
            while self.backlog.size > 0 and await self._replay_batch():
                pass
        except StoreUnavailable as exc:
            self.failed(exc)
            return
        self.breaker.success()
        if self._degraded and self.backlog.size == 0:
            self._degraded = False
            self._last_error = None
            log.info("store_recovered", replayed=self.counts["replayed"])
            self._transition(degraded=False, reason="redis reachable, journal replayed")

    async def _replay_batch(self) -> int:
        """Send the oldest journal entries to Redis, then drop them; how many."""
        entries = await self.backlog.oldest(_BATCH)
        if not entries:
            return 0
        keys = list(dict.fromkeys(k for _, k, what in entries if what == RECORD))
        streams = list(dict.fromkeys(k for _, k, what in entries if what == STREAM))
        records = [r for r in await self.disk.read_many(keys) if r is not None]
        await self.redis.write(records)
        for stream in streams:
            await self._sync_stream(stream)
        await self.backlog.drop(entries[-1][0])
        self.counts["replayed"] += len(entries)
        return len(entries)

    async def _sync_stream(self, key: str) -> None:
        """Send Redis the disk entries after its newest one, in order."""
        maxlen = self._maxlens.get(key, self.stream_maxlen)
        after = await self.redis.stream_last_id(key) or "0-0"
        while rows := await self.disk.stream_range(key, after=after, limit=1000):
            await self.redis.stream_add(key, rows, maxlen=maxlen)
            after = rows[-1][0]

    async def _reconcile(self) -> None:
        """Make both copies hold the newest version of every record and stream."""
        await self._migrate_keys()
        redis_seqs = await self.redis.seqs()
        self.seqs.observe(max(redis_seqs.values(), default=0))
        disk_records = await self.disk.records()
        disk_seqs = {r.key: r.seq for r in disk_records}
        push = [r for r in disk_records if r.seq > redis_seqs.get(r.key, 0)]
        for start in range(0, len(push), _BATCH):
            await self.redis.write(push[start : start + _BATCH])
        pull = [k for k, s in redis_seqs.items() if s > disk_seqs.get(k, 0)]
        for start in range(0, len(pull), _BATCH):
            fetched = await self.redis.read_many(pull[start : start + _BATCH])
            # A seq whose key is gone from both copies (expired) is only dropped.
            gone = [
                r.key
                for r in fetched
                if r is not None and r.kind is Kind.DELETED and r.key not in disk_seqs
            ]
            await self.disk.write(
                [r for r in fetched if r is not None and r.key not in gone]
            )
            await self.redis.forget(gone)
        streams = set(await self.disk.stream_names())
        streams.update(await self.redis.stream_names())
        for name in sorted(streams):
            await self._pull_stream(name)
            await self._sync_stream(name)
        self.counts["to_redis"] += len(push)
        self.counts["from_redis"] += len(pull)
        if push or pull:
            log.info("store_reconciled", to_redis=len(push), from_redis=len(pull))

    async def _migrate_keys(self) -> None:
        """Move keys written before `redis.key_prefix` existed under it (once)."""
        done = await self.redis.migrate()
        if done.moved or done.kept:
            log.info("store_keys_migrated", moved=done.moved, kept=done.kept)

    async def _pull_stream(self, key: str) -> None:
        """Take to disk the Redis entries newer than the disk's newest."""
        maxlen = self._maxlens.get(key, self.stream_maxlen)
        after = await self.disk.stream_last_id(key) or "0-0"
        while rows := await self.redis.stream_range(key, after=after, limit=1000):
            await self.disk.stream_add(key, rows, maxlen=maxlen)
            self.ids.observe(rows[-1][0])
            after = rows[-1][0]
