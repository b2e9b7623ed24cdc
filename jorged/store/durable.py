"""`DurableStore`: every write on disk first, mirrored to Redis when it is reachable.

Promises (losing a conversation is unforgivable):

- A write returns once it is on disk (SQLite `synchronous=FULL`). Each write gets the
  next `seq` of a persisted, monotonic counter; both copies keep the seq of every
  record and take a record only when its seq is newer, so replays and duplicate
  writes change nothing.
- Reads come from disk, which holds every write; Redis is the shared mirror.
- When Redis fails, a circuit breaker opens: later calls skip Redis at once (no
  thread hop, no retry storm) and each write notes its key in the persisted
  journal of unsynced writes. `run()` probes Redis when the breaker allows it and
  replays the journal in order (the disk state of each noted record, at its seq;
  a record written many times is sent once), then compacts it. Until the journal
  is empty, new writes join it, so Redis never sees them out of order.
- When Redis is first reached (at start, or after it restarted), the two copies
  are reconciled: records newer on disk (or missing from Redis, as after FLUSHALL)
  are pushed; records newer in Redis are taken to disk.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path
from typing import Literal, NoReturn, TypeVar

import attrs
import structlog
import trio

from jorged.config import Config
from jorged.exceptions import StoreUnavailable
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
from jorged.store.disk import DiskBackend, Write
from jorged.store.ids import IdMaker
from jorged.store.journal import InboundJournal
from jorged.store.members import Change, Delta
from jorged.store.observe import OperationSample, StoreStatistics, StoreTransition
from jorged.store.records import now_plus
from jorged.store.redis_backend import RedisBackend

T = TypeVar("T")

log = structlog.get_logger("jorged.store")

_BATCH = 256
_RECORD = "record"
_STREAM = "stream"


@attrs.define(eq=False)
class _Write:
    """One record change or stream append, waiting for its commit."""

    op: str
    key: str
    #: A record write and its seq, or None for a stream append.
    change: Write | None = None
    seq: int = 0
    entries: list[tuple[str, bytes]] = attrs.field(factory=list)
    maxlen: int = 0
    error: Exception | None = None

    @property
    def what(self) -> str:
        return _RECORD if self.change is not None else _STREAM


@attrs.define(eq=False)
class _Submission:
    """The writes of one call: committed together, in one transaction."""

    writes: list[_Write]
    started: float = attrs.field(factory=time.perf_counter)
    #: Set when the writes are committed, or when this call is to lead the next commit.
    turn: trio.Event = attrs.field(factory=trio.Event)
    done: bool = False
    error: BaseException | None = None

    def finish(self, error: BaseException | None = None) -> None:
        self.error = error or next((w.error for w in self.writes if w.error), None)
        self.done = True
        self.turn.set()


@attrs.define(kw_only=True)
class _Committed:
    """What a commit's thread hop did: the records written, and Redis's answer."""

    changes: list[Change | Exception]
    streams_error: Exception | None
    redis_error: StoreUnavailable | None


@attrs.define(kw_only=True)
class DurableStore:
    """The `Store` of the daemon (see the module docstring for its promises)."""

    disk: DiskBackend
    redis: RedisBackend | None
    breaker: CircuitBreaker
    inbound: InboundJournal | None = None
    resync_interval_s: float = 1.0
    stream_maxlen: int = 100_000
    #: The ttl of closed conversations (config `store.closed_ttl_days`).
    closed_ttl_s: float = 7 * 86400.0
    on_operation: Callable[[OperationSample], None] | None = None
    on_transition: Callable[[StoreTransition], None] | None = None
    _seq: int = 0
    _backlog: int = 0
    _degraded: bool = False
    _server_id: str | None = None
    _last_error: str | None = None
    _queue: list[_Submission] = attrs.field(factory=list)
    _committing: bool = False
    _ids: IdMaker = attrs.field(factory=IdMaker)
    _maxlens: dict[str, int] = attrs.field(factory=dict)
    _wake: trio.Event = attrs.field(factory=trio.Event)
    _counts: dict[str, int] = attrs.field(factory=dict)

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
        await self._resync_once()
        if self._server_id is None:
            self._set_degraded(self._last_error or "redis unreachable at start")

    async def run(
        self, *, task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED
    ) -> NoReturn:
        """Probe Redis and replay the journal every `resync_interval_s` (or sooner)."""
        task_status.started()
        while True:
            await self._resync_once()
            with trio.move_on_after(self.resync_interval_s):
                await self._wake.wait()
            self._wake = trio.Event()

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

    def _write_of(self, one: WriteOp) -> _Write:
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
        write = _Write(op="stream_append", key=key, entries=entries, maxlen=maxlen)
        await self._submit([write])
        return [entry_id for entry_id, _data in entries]

    async def stream_read(
        self, key: str, *, after: str = "0-0", limit: int = 100
    ) -> list[tuple[str, bytes]]:
        rows = self.disk.stream_range(key, after=after, limit=limit)
        return await self._measure("stream_read", "disk", rows, self._degraded)

    async def stream_tail(self, key: str, *, count: int) -> list[tuple[str, bytes]]:
        rows = self.disk.stream_tail(key, count=count)
        return await self._measure("stream_tail", "disk", rows, self._degraded)

    # --- writes: group commit ---------------------------------------------------

    def _change(
        self, op: str, key: str, change: Callable[[Record | None, int], Record]
    ) -> _Write:
        """A record write with the next seq (seqs follow the order of the queue)."""
        self._seq += 1
        seq = self._seq
        return _Write(op=op, key=key, change=partial(_with_seq, change, seq), seq=seq)

    def _delta(self, op: str, key: str, delta: Delta) -> _Write:
        self._seq += 1
        return _Write(op=op, key=key, change=delta, seq=self._seq)

    async def _submit(self, writes: list[_Write]) -> None:
        """Queue writes; return once they are on disk and in Redis or its journal.

        Group commit: one call at a time commits everything queued so far, in one
        thread hop (one disk transaction, then one Redis pipeline). Calls that arrive
        meanwhile wait; the first of them leads the next commit, taking all of them
        at once. The queue's order is the commit order, so writes to one key keep
        the order of their calls without a lock. A queued write always finishes,
        like a thread hop: the wait is shielded from cancellation.
        """
        submission = _Submission(writes)
        with trio.CancelScope(shield=True):
            self._queue.append(submission)
            if self._committing:
                await submission.turn.wait()
            if not submission.done:
                self._committing = True
                batch, self._queue = self._queue, []
                try:
                    await self._commit(batch)
                finally:
                    if self._queue:
                        self._queue[0].turn.set()
                    else:
                        self._committing = False
        if submission.error is not None:
            raise submission.error

    async def _commit(self, batch: list[_Submission]) -> None:
        writes = [w for s in batch for w in s.writes]
        push = (
            self.redis is not None
            and self.breaker.state is BreakerState.CLOSED
            and self._backlog == 0
        )
        try:
            done = await trio.to_thread.run_sync(
                self._commit_blocking, writes, push, limiter=self.disk.limiter
            )
            for write, outcome in zip(
                (w for w in writes if w.change is not None), done.changes, strict=True
            ):
                if isinstance(outcome, Exception):
                    write.error = outcome
            if done.streams_error is not None:
                for write in writes:
                    if write.change is None:
                        write.error = done.streams_error
            ok = [w for w in writes if w.error is None]
            self._count("writes", len(ok))
            sent = push and done.redis_error is None
            if done.redis_error is not None:
                self._redis_failed(done.redis_error)
            if sent:
                self._count("redis_writes", len(ok))
            elif self.redis is not None and ok:
                await self._journal(ok)
        except BaseException as exc:
            for submission in batch:
                submission.finish(exc)
            if not isinstance(exc, Exception):
                raise
            return
        for submission in batch:
            submission.finish()
            self._sample(submission, sent=sent)

    def _commit_blocking(self, writes: list[_Write], push: bool) -> _Committed:
        """The thread side of a commit: the disk, then (when `push`) Redis."""
        changes = self.disk.apply(
            [(w.key, w.seq, w.change) for w in writes if w.change is not None]
        )
        streams = _stream_groups(w for w in writes if w.change is None)
        streams_error: Exception | None = None
        try:
            if streams:
                self.disk.stream_add_many(streams)
        except Exception as exc:  # noqa: BLE001 -- reported to the stream writes
            streams_error = exc
        redis_error: StoreUnavailable | None = None
        if push and self.redis is not None:
            try:
                self.redis.push(
                    [c for c in changes if isinstance(c, Change)],
                    [] if streams_error else streams,
                    whole=self.disk.whole,
                )
            except StoreUnavailable as exc:
                redis_error = exc
        return _Committed(
            changes=changes, streams_error=streams_error, redis_error=redis_error
        )

    async def _journal(self, writes: list[_Write]) -> None:
        """Note writes that did not reach Redis, for the replay."""
        entries = [(w.key, w.what) for w in writes]
        await trio.to_thread.run_sync(
            self.disk.journal_add_many, entries, limiter=self.disk.limiter
        )
        self._backlog += len(entries)
        self._count("journaled", len(entries))
        if self.breaker.state is BreakerState.CLOSED:
            self._wake.set()

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

    def _sample(self, submission: _Submission, *, sent: bool) -> None:
        if self.on_operation is None:
            return
        # One call is one operation: a single write, or the values of a put_many.
        self.on_operation(
            OperationSample(
                op=submission.writes[0].op,
                backend="redis" if sent else "disk",
                latency_s=time.perf_counter() - submission.started,
                fallback=self.redis is not None and not sent,
            )
        )

    def _count(self, name: str, n: int = 1) -> None:
        self._counts[name] = self._counts.get(name, 0) + n

    # --- Redis health and resync ---------------------------------------------------

    def _redis_failed(self, exc: StoreUnavailable) -> None:
        self.breaker.failure()
        self._count("redis_failures")
        self._last_error = exc.reason
        self._set_degraded(exc.reason)

    def _set_degraded(self, reason: str) -> None:
        if self._degraded:
            return
        self._degraded = True
        log.warning("store_degraded", reason=reason, backlog=self._backlog)
        self._transition(degraded=True, reason=reason)

    def _transition(self, *, degraded: bool, reason: str) -> None:
        if self.on_transition is not None:
            self.on_transition(
                StoreTransition(degraded=degraded, reason=reason, backlog=self._backlog)
            )

    async def _resync_once(self) -> None:
        """Probe Redis when the breaker allows it; reconcile and replay the journal.

        The probe (one INFO) also runs while all is well: it notices a Redis that
        went away between writes, or one that restarted empty (a new run id).
        """
        if self.redis is None or not self.breaker.allow():
            return
        try:
            server_id = await self.redis.server_id()
            if server_id != self._server_id:
                if self._server_id is not None:
                    log.info("store_redis_restarted", server_id=server_id)
                await self._reconcile()
                self._server_id = server_id
            while self._backlog > 0 and await self._replay_batch():
                pass
        except StoreUnavailable as exc:
            self._redis_failed(exc)
            return
        self.breaker.success()
        if self._degraded and self._backlog == 0:
            self._degraded = False
            self._last_error = None
            log.info("store_recovered", replayed=self._counts.get("replayed", 0))
            self._transition(degraded=False, reason="redis reachable, journal replayed")

    async def _replay_batch(self) -> int:
        """Send the oldest journal entries to Redis, then drop them; how many."""
        assert self.redis is not None  # noqa: S101 -- only called with Redis
        entries = await self.disk.journal_read(_BATCH)
        if not entries:
            return 0
        keys = list(dict.fromkeys(k for _, k, what in entries if what == _RECORD))
        streams = list(dict.fromkeys(k for _, k, what in entries if what == _STREAM))
        records = [r for r in await self.disk.read_many(keys) if r is not None]
        await self.redis.write(records)
        for stream in streams:
            await self._sync_stream(stream)
        dropped = await self.disk.journal_drop(entries[-1][0])
        self._backlog = max(self._backlog - dropped, 0)
        self._count("replayed", len(entries))
        return len(entries)

    async def _sync_stream(self, key: str) -> None:
        """Send Redis the disk entries after its newest one, in order."""
        assert self.redis is not None  # noqa: S101 -- only called with Redis
        maxlen = self._maxlens.get(key, self.stream_maxlen)
        after = await self.redis.stream_last_id(key) or "0-0"
        while rows := await self.disk.stream_range(key, after=after, limit=1000):
            await self.redis.stream_add(key, rows, maxlen=maxlen)
            after = rows[-1][0]

    async def _reconcile(self) -> None:
        """Make both copies hold the newest version of every record and stream."""
        assert self.redis is not None  # noqa: S101 -- only called with Redis
        redis_seqs = await self.redis.seqs()
        self._seq = max(self._seq, max(redis_seqs.values(), default=0))
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
        self._count("to_redis", len(push))
        self._count("from_redis", len(pull))
        if push or pull:
            log.info("store_reconciled", to_redis=len(push), from_redis=len(pull))

    async def _pull_stream(self, key: str) -> None:
        """Take to disk the Redis entries newer than the disk's newest."""
        assert self.redis is not None  # noqa: S101 -- only called with Redis
        maxlen = self._maxlens.get(key, self.stream_maxlen)
        after = await self.disk.stream_last_id(key) or "0-0"
        while rows := await self.redis.stream_range(key, after=after, limit=1000):
            await self.disk.stream_add(key, rows, maxlen=maxlen)
            self._ids.observe(rows[-1][0])
            after = rows[-1][0]


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


def _with_seq(
    change: Callable[[Record | None, int], Record], seq: int, current: Record | None
) -> Record:
    return change(current, seq)


def _stream_groups(
    writes: Iterable[_Write],
) -> list[tuple[str, list[tuple[str, bytes]], int]]:
    """Stream appends grouped by stream, entries in order (the newest maxlen wins)."""
    groups: dict[str, tuple[list[tuple[str, bytes]], int]] = {}
    for write in writes:
        entries, _ = groups.get(write.key, ([], 0))
        entries.extend(write.entries)
        groups[write.key] = (entries, write.maxlen)
    return [(key, entries, maxlen) for key, (entries, maxlen) in groups.items()]


@asynccontextmanager
async def open_durable_store(
    cfg: Config,
    *,
    on_operation: Callable[[OperationSample], None] | None = None,
    on_transition: Callable[[StoreTransition], None] | None = None,
) -> AsyncIterator[DurableStore]:
    """The daemon's store under `cfg.state_dir()`, synced with Redis; closed on exit.

    Run `store.run` in a nursery to keep probing Redis and replaying the journal.
    """
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
