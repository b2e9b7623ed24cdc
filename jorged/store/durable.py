"""`DurableStore`: every write on disk first, mirrored to Redis when it is reachable.

Promises (losing a conversation is unforgivable):

- A write returns once it is on disk (SQLite in WAL mode, `synchronous=NORMAL`: it
  survives the process being killed); `sync()` makes everything written so far
  survive a power cut too, and runs before inbound webhooks are marked handled.
- Each write gets the next `seq` of a persisted, monotonic counter; both copies
  keep the seq of every record and take a record only when its seq is newer, so
  replays and duplicate writes change nothing.
- Reads come from disk, which holds every write; Redis is the shared mirror.
- When Redis fails or restarts, the disk keeps every write and Redis is brought
  back in step: the journal of unsynced writes is replayed in order, and the two
  copies are reconciled (`mirror` says how).

The store is composed of parts, each the one keeper of its state, which
`DurableStore` here builds from its constructor's keywords, holds and delegates to:

- `GroupCommit` (`commit`): the write path, its queue and write counts.
- `RedisMirror` (`mirror`), only when Redis is configured (else None): Redis
  health (it alone drives the breaker; degraded or not), the journal's replay,
  reconciliation.
- `Backlog` (`backlog`): the journal of unsynced writes and its size, shared by
  the write path and the mirror; `SeqCounter` (`ids`): the next record seq, taken
  by the write path and raised by the mirror; `IdMaker` (`ids`): the next stream
  id, taken here and raised by the mirror. Only their own methods change them.

`DurableStore` itself keeps the `Store` Protocol, reads, the lifecycle (`start`,
`run`, `statistics`) and the hooks `on_operation`/`on_transition`, which may be set
after construction.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path
from typing import Literal, NoReturn, TypeVar

import attrs
import structlog
import trio

from jorged.config import Config
from jorged.store.backlog import Backlog
from jorged.store.breaker import CircuitBreaker
from jorged.store.commit import GroupCommit, QueuedWrite
from jorged.store.disk import DiskBackend
from jorged.store.disk_records import now_plus
from jorged.store.diskhealth import DiskHealth
from jorged.store.ids import IdMaker, SeqCounter
from jorged.store.journal import InboundJournal
from jorged.store.members import Delta
from jorged.store.mirror import RedisMirror
from jorged.store.observe import OperationSample, StoreStatistics, StoreTransition
from jorged.store.redis_backend import RedisBackend
from jorged.store.store_protocol import (
    Kind,
    Put,
    Record,
    SetAdd,
    SetRemove,
    WriteOp,
    ZAdd,
    ZRemove,
    expect_kind,
    members_of,
    scores_of,
)

T = TypeVar("T")

log = structlog.get_logger("jorged.store")


@attrs.define(kw_only=True)
class DurableStore:
    """The `Store` of the daemon (see the module docstring for its promises).

    `open_durable_store` opens and starts one; run its `run()` in a nursery.
    """

    disk: DiskBackend
    redis: RedisBackend | None
    breaker: CircuitBreaker
    #: The journal of inbound webhooks, on the same disk.
    inbound: InboundJournal
    resync_interval_s: float = 1.0
    stream_maxlen: int = 100_000
    on_transition: Callable[[StoreTransition], None] | None = None
    on_operation: Callable[[OperationSample], None] | None = None
    #: Whether the disk takes writes now (shared with the inbound journal).
    disk_health: DiskHealth = attrs.field(factory=DiskHealth)
    #: The ttl of closed conversations (config `store.closed_ttl_days`).
    closed_ttl_s: float = 7 * 86400.0
    #: Reconcile with Redis in `run()` rather than in `start()` when the disk holds
    #: data (the daemon: a restart must not wait for a full pass over the store).
    resync_in_background: bool = False
    _seqs: SeqCounter = attrs.field(factory=SeqCounter, init=False)
    _ids: IdMaker = attrs.field(factory=IdMaker, init=False)
    _backlog: Backlog = attrs.field(init=False)
    _mirror: RedisMirror | None = attrs.field(init=False)
    _commit: GroupCommit = attrs.field(init=False)
    _reads: int = attrs.field(default=0, init=False)

    def __attrs_post_init__(self) -> None:
        self._backlog = Backlog(disk=self.disk)
        self._mirror = None
        if self.redis is not None:
            self._mirror = RedisMirror(
                redis=self.redis,
                disk=self.disk,
                breaker=self.breaker,
                backlog=self._backlog,
                seqs=self._seqs,
                ids=self._ids,
                disk_health=self.disk_health,
                on_transition=self._transitioned,
                resync_interval_s=self.resync_interval_s,
                stream_maxlen=self.stream_maxlen,
            )
        self._commit = GroupCommit(
            disk=self.disk,
            backlog=self._backlog,
            seqs=self._seqs,
            disk_health=self.disk_health,
            mirror=self._mirror,
            on_operation=self._operated,
        )

    # --- lifecycle -----------------------------------------------------------------

    async def start(self) -> None:
        """Load the counters from disk, then sync with Redis if it answers."""
        self._seqs.observe(await self.disk.max_seq())
        await self._backlog.load()
        for name in await self.disk.stream_names():
            last = await self.disk.stream_last_id(name)
            if last is not None:
                self._ids.observe(last)
        if self._mirror is None:
            log.info("store_disk_only", reason="redis disabled")
            return
        if self.resync_in_background and self._seqs.last > 0:
            # Every write reaches the disk first, so the disk is never behind a
            # Redis it wrote to; an empty disk (a new or restored one) takes what
            # Redis holds before anything else is done.
            return
        await self._mirror.start()

    async def run(
        self, *, task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED
    ) -> NoReturn:
        """Keep Redis in step with the disk (`RedisMirror.run`); without it, wait."""
        if self._mirror is None:
            task_status.started()
            await trio.sleep_forever()
        await self._mirror.run(task_status=task_status)

    async def sync(self) -> None:
        """Make every write so far durable against a power cut, not only a crash."""
        await self.disk.sync()

    def statistics(self) -> StoreStatistics:
        """A snapshot of the store's health and counts."""
        mirror = self._mirror
        redis_up = mirror is not None and mirror.up
        written = self._commit.counts
        mirrored = Counter[str]() if mirror is None else mirror.counts
        return StoreStatistics(
            backend="redis" if redis_up and self._backlog.size == 0 else "disk",
            redis_enabled=mirror is not None,
            redis_up=redis_up,
            breaker=self.breaker.state.value,
            backlog=self._backlog.size,
            last_error=None if mirror is None else mirror.last_error,
            writes=written["writes"],
            reads=self._reads,
            redis_writes=written["redis_writes"],
            redis_failures=mirrored["redis_failures"],
            journaled=written["journaled"],
            replayed=mirrored["replayed"],
            reconciled_to_redis=mirrored["to_redis"],
            reconciled_from_redis=mirrored["from_redis"],
            redis_resyncs=mirrored["resyncs"],
        )

    def _operated(self, sample: OperationSample) -> None:
        if self.on_operation is not None:
            self.on_operation(sample)

    def _transitioned(self, transition: StoreTransition) -> None:
        if self.on_transition is not None:
            self.on_transition(transition)

    @property
    def _fallback(self) -> bool:
        """Do reads stand in for Redis (it is lost, or its journal not replayed)?"""
        return self._mirror is not None and self._mirror.degraded

    # --- the Store protocol: records -----------------------------------------------

    async def get(self, key: str) -> bytes | None:
        record = await self._read("get", key)
        if record is None:
            return None
        expect_kind(record, Kind.VALUE, "a value")
        return record.value

    async def put(self, key: str, data: bytes, *, ttl_s: float | None = None) -> None:
        await self.write([Put(key, data, ttl_s)])

    async def put_many(self, items: Sequence[tuple[str, bytes]]) -> None:
        """Store several values at once: one disk transaction, one Redis round trip.

        Each value is durable as `put` makes it; use it for the writes of one turn.
        """
        await self.write([Put(key, data) for key, data in items], op="put_many")

    async def write(self, ops: Sequence[WriteOp], *, op: str = "write") -> None:
        """Apply `ops` in one commit (one thread hop, one Redis pipeline).

        Values land in one transaction and sets in another, committed one after
        the other: sets first, so a crash between the two leaves a set naming a
        value not yet written, never a written value missing from its set.
        """
        for one in ops:
            if isinstance(one, Put):
                _check_bytes(one.key, one.data)
        writes = [self._write_of(one) for one in ops]
        if len(writes) == 1:
            writes[0].op = _OP_NAMES[type(ops[0])]
        elif writes:
            writes[0].op = op
        if writes:
            await self._commit.submit(writes)

    def _write_of(self, one: WriteOp) -> QueuedWrite:
        match one:
            case Put(key, data, ttl_s):
                expires_at = now_plus(ttl_s)
                return self._commit.change(
                    "put",
                    key,
                    lambda _c, seq: Record(
                        key=key,
                        kind=Kind.VALUE,
                        seq=seq,
                        value=data,
                        expires_at=expires_at,
                    ),
                )
            case SetAdd(key, members):
                add = tuple((m, 0.0) for m in members)
                return self._commit.delta("set_add", key, Delta(Kind.SET, add=add))
            case SetRemove(key, members):
                return self._commit.delta(
                    "set_remove", key, Delta(Kind.SET, remove=members)
                )
            case ZAdd(key, member, score):
                add = ((member, float(score)),)
                return self._commit.delta("zset_add", key, Delta(Kind.ZSET, add=add))
            case ZRemove(key, members):
                return self._commit.delta(
                    "zset_remove", key, Delta(Kind.ZSET, remove=members)
                )

    async def delete(self, key: str) -> None:
        await self._commit.submit(
            [
                self._commit.change(
                    "delete",
                    key,
                    lambda _c, seq: Record(key=key, kind=Kind.DELETED, seq=seq),
                )
            ]
        )

    async def scan(self, prefix: str) -> list[tuple[str, bytes]]:
        records = await self._measure(
            "scan", "disk", self.disk.records(prefix), fallback=self._fallback
        )
        self._reads += 1
        now = time.time()
        return sorted(
            (r.key, r.value)
            for r in records
            if r.kind is Kind.VALUE and (r.expires_at is None or r.expires_at > now)
        )

    async def set_add(self, key: str, *members: str) -> None:
        await self.write([SetAdd(key, members)])

    async def set_remove(self, key: str, *members: str) -> None:
        await self.write([SetRemove(key, members)])

    async def set_members(self, key: str) -> frozenset[str]:
        return members_of(await self._read("set_members", key))

    async def zset_add(self, key: str, member: str, score: float) -> None:
        await self.write([ZAdd(key, member, score)])

    async def zset_remove(self, key: str, *members: str) -> None:
        await self.write([ZRemove(key, members)])

    async def zset_range(
        self, key: str, *, max_score: float, limit: int | None = None
    ) -> list[tuple[str, float]]:
        scores = scores_of(await self._read("zset_range", key))
        items = sorted(
            ((m, s) for m, s in scores.items() if s <= max_score),
            key=lambda item: (item[1], item[0]),
        )
        return items if limit is None else items[:limit]

    # --- the Store protocol: streams -----------------------------------------------

    async def stream_append(self, key: str, data: bytes, *, maxlen: int) -> str:
        (entry_id,) = await self.stream_append_many(key, [data], maxlen=maxlen)
        return entry_id

    async def stream_append_many(
        self, key: str, items: Sequence[bytes], *, maxlen: int
    ) -> list[str]:
        if maxlen < 1:
            msg = f"stream_append {key}: maxlen must be 1 or more, got {maxlen}"
            raise ValueError(msg)
        if not items:
            return []
        if self._mirror is not None:
            self._mirror.stream_written(key, maxlen)
        entries = [(self._ids.next(), data) for data in items]
        write = QueuedWrite(op="stream_append", key=key, entries=entries, maxlen=maxlen)
        # History, not state: a disk that refuses it is reported at once
        # (`DiskUnavailable`), so the live feed goes on without waiting.
        await self._commit.submit([write], retry=False)
        return [entry_id for entry_id, _data in entries]

    async def stream_read(
        self, key: str, *, after: str = "0-0", limit: int = 100
    ) -> list[tuple[str, bytes]]:
        rows = self.disk.stream_range(key, after=after, limit=limit)
        return await self._measure("stream_read", "disk", rows, self._fallback)

    async def stream_tail(self, key: str, *, count: int) -> list[tuple[str, bytes]]:
        rows = self.disk.stream_tail(key, count=count)
        return await self._measure("stream_tail", "disk", rows, self._fallback)

    # --- reads ---------------------------------------------------------------------

    async def _read(self, op: str, key: str) -> Record | None:
        record = await self._measure(op, "disk", self.disk.read(key), self._fallback)
        self._reads += 1
        return record

    async def _measure(
        self,
        op: str,
        backend: Literal["redis", "disk"],
        work: Awaitable[T],
        fallback: bool,
    ) -> T:
        started = time.perf_counter()
        result = await work
        if self.on_operation is not None:
            latency = time.perf_counter() - started
            self.on_operation(
                OperationSample(
                    op=op, backend=backend, latency_s=latency, fallback=fallback
                )
            )
        return result


_OP_NAMES = {
    Put: "put",
    SetAdd: "set_add",
    SetRemove: "set_remove",
    ZAdd: "zset_add",
    ZRemove: "zset_remove",
}


def _check_bytes(key: str, data: object) -> None:
    if not isinstance(data, bytes):
        msg = f"put {key}: data must be bytes, got {type(data).__name__}"
        raise TypeError(msg)


@asynccontextmanager
async def open_durable_store(
    cfg: Config,
    *,
    on_operation: Callable[[OperationSample], None] | None = None,
    on_transition: Callable[[StoreTransition], None] | None = None,
    disk_health: DiskHealth | None = None,
    resync_in_background: bool = False,
) -> AsyncIterator[DurableStore]:
    """The daemon's store under `cfg.state_dir()`, synced with Redis; closed on exit.

    Run `store.run` in a nursery to keep probing Redis and replaying the journal.
    `disk_health` (shared by the store and its inbound journal) hears of every
    write the disk refuses or takes.
    """
    health = DiskHealth() if disk_health is None else disk_health
    directory: Path = cfg.state_dir()
    disk = await trio.to_thread.run_sync(
        partial(
            DiskBackend.open,
            directory / "store",
            tombstone_ttl_s=cfg.store.closed_ttl_days * 86400.0,
        )
    )
    redis = RedisBackend.from_config(cfg.redis) if cfg.redis.enabled else None
    inbound: InboundJournal | None = None
    try:
        inbound = await trio.to_thread.run_sync(
            InboundJournal.open, directory / "inbound.sqlite3"
        )
        inbound.health = health
        store = DurableStore(
            disk=disk,
            redis=redis,
            inbound=inbound,
            breaker=CircuitBreaker(
                cooldown_s=cfg.redis.breaker_cooldown_s,
                max_cooldown_s=cfg.redis.breaker_max_cooldown_s,
            ),
            resync_interval_s=cfg.redis.resync_interval_s,
            stream_maxlen=cfg.events.stream_maxlen,
            closed_ttl_s=cfg.store.closed_ttl_days * 86400.0,
            on_operation=on_operation,
            on_transition=on_transition,
            disk_health=health,
            resync_in_background=resync_in_background,
        )
        await store.start()
        yield store
    finally:
        # Closing is local and quick (no network round trip), so it runs inline.
        if redis is not None:
            redis.close()
        if inbound is not None:
            inbound.close()
        disk.close()
