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

The store is built in layers: `RedisMirror` (`mirror`: Redis health, the journal's
replay, reconciliation), `GroupCommit` on it (`commit`: the write path), and
`DurableStore` here on top (the `Store` Protocol, reads, the lifecycle).
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path
from typing import Literal, TypeVar

import attrs
import structlog
import trio

from jorged.config import Config
from jorged.store.base import (
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
from jorged.store.breaker import BreakerState, CircuitBreaker
from jorged.store.commit import GroupCommit, QueuedWrite
from jorged.store.disk import DiskBackend
from jorged.store.diskhealth import DiskHealth
from jorged.store.journal import InboundJournal
from jorged.store.members import Delta
from jorged.store.observe import OperationSample, StoreStatistics, StoreTransition
from jorged.store.records import now_plus
from jorged.store.redis_backend import RedisBackend

T = TypeVar("T")

log = structlog.get_logger("jorged.store")


@attrs.define(kw_only=True)
class DurableStore(GroupCommit):
    """The `Store` of the daemon (see the module docstring for its promises).

    `open_durable_store` opens and starts one; run its `run()` (from `RedisMirror`)
    in a nursery.
    """

    #: The journal of inbound webhooks, on the same disk.
    inbound: InboundJournal
    #: The ttl of closed conversations (config `store.closed_ttl_days`).
    closed_ttl_s: float = 7 * 86400.0
    #: Reconcile with Redis in `run()` rather than in `start()` when the disk holds
    #: data (the daemon: a restart must not wait for a full pass over the store).
    resync_in_background: bool = False

    # --- lifecycle -----------------------------------------------------------------

    async def start(self) -> None:
        """Load the counters from disk, then sync with Redis if it answers."""
        self._seq = await self.disk.max_seq()
        self._backlog = await self.disk.journal_size()
        for name in await self.disk.stream_names():
            last = await self.disk.stream_last_id(name)
            if last is not None:
                self._ids.observe(last)
        if self.redis is None:
            log.info("store_disk_only", reason="redis disabled")
            return
        if self.resync_in_background and self._seq > 0:
            # Every write reaches the disk first, so the disk is never behind a
            # Redis it wrote to; an empty disk (a new or restored one) takes what
            # Redis holds before anything else is done.
            return
        await self._resync_once()
        if self._server_id is None:
            self._set_degraded(self._last_error or "redis unreachable at start")

    async def sync(self) -> None:
        """Make every write so far durable against a power cut, not only a crash."""
        await self.disk.sync()

    def statistics(self) -> StoreStatistics:
        """A snapshot of the store's health and counts."""
        redis_up = (
            self.redis is not None
            and self._server_id is not None
            and self.breaker.state is BreakerState.CLOSED
        )
        return StoreStatistics(
            backend="redis" if redis_up and self._backlog == 0 else "disk",
            redis_enabled=self.redis is not None,
            redis_up=redis_up,
            breaker=self.breaker.state.value,
            backlog=self._backlog,
            last_error=self._last_error,
            writes=self._counts.get("writes", 0),
            reads=self._counts.get("reads", 0),
            redis_writes=self._counts.get("redis_writes", 0),
            redis_failures=self._counts.get("redis_failures", 0),
            journaled=self._counts.get("journaled", 0),
            replayed=self._counts.get("replayed", 0),
            reconciled_to_redis=self._counts.get("to_redis", 0),
            reconciled_from_redis=self._counts.get("from_redis", 0),
            redis_resyncs=self._counts.get("resyncs", 0),
        )

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
            await self._submit(writes)

    def _write_of(self, one: WriteOp) -> QueuedWrite:
        match one:
            case Put(key, data, ttl_s):
                expires_at = now_plus(ttl_s)
                return self._change(
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
                return self._delta("set_add", key, Delta(Kind.SET, add=add))
            case SetRemove(key, members):
                return self._delta("set_remove", key, Delta(Kind.SET, remove=members))
            case ZAdd(key, member, score):
                add = ((member, float(score)),)
                return self._delta("zset_add", key, Delta(Kind.ZSET, add=add))
            case ZRemove(key, members):
                return self._delta("zset_remove", key, Delta(Kind.ZSET, remove=members))

    async def delete(self, key: str) -> None:
        await self._submit(
            [
                self._change(
                    "delete",
                    key,
                    lambda _c, seq: Record(key=key, kind=Kind.DELETED, seq=seq),
                )
            ]
        )

    async def scan(self, prefix: str) -> list[tuple[str, bytes]]:
        records = await self._measure(
            "scan", "disk", self.disk.records(prefix), fallback=self._degraded
        )
        self._count("reads")
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
        self._maxlens[key] = maxlen
        entries = [(self._ids.next(), data) for data in items]
        write = QueuedWrite(op="stream_append", key=key, entries=entries, maxlen=maxlen)
        # History, not state: a disk that refuses it is reported at once
        # (`DiskUnavailable`), so the live feed goes on without waiting.
        await self._submit([write], retry=False)
        return [entry_id for entry_id, _data in entries]

    async def stream_read(
        self, key: str, *, after: str = "0-0", limit: int = 100
    ) -> list[tuple[str, bytes]]:
        rows = self.disk.stream_range(key, after=after, limit=limit)
        return await self._measure("stream_read", "disk", rows, self._degraded)

    async def stream_tail(self, key: str, *, count: int) -> list[tuple[str, bytes]]:
        rows = self.disk.stream_tail(key, count=count)
        return await self._measure("stream_tail", "disk", rows, self._degraded)

    # --- reads ---------------------------------------------------------------------

    async def _read(self, op: str, key: str) -> Record | None:
        record = await self._measure(op, "disk", self.disk.read(key), self._degraded)
        self._count("reads")
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
