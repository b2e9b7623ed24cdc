"""`GroupCommit`: the write path of `DurableStore`, queued writes committed together.

A write returns once it is on disk and either in Redis (when Redis is up and the
journal of unsynced writes is empty) or noted in that journal (`backlog`) for the
replay in `mirror`; with Redis disabled, once it is on disk. While the journal holds
anything, new writes join it instead of going to Redis, so Redis never sees them
out of order.

Each write takes the next seq as it joins the queue, and the queue's order is the
commit order: writes to one key land in the order of their calls.

`DurableStore` holds a `GroupCommit` and hands it what it needs: the disk, the
journal and the seq counter, and the `RedisMirror` when Redis is configured (or
None). The commit asks the mirror whether it may push to Redis, and tells it of
Redis failures and journaled writes; it owns its queue and its counts.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable
from functools import partial

import attrs
import trio

from jorged.exceptions import DiskUnavailable, StoreUnavailable
from jorged.store.backlog import RECORD, STREAM, Backlog
from jorged.store.disk import DiskBackend, Write
from jorged.store.diskhealth import DiskHealth, disk_failure, retry_while_unwritable
from jorged.store.ids import SeqCounter
from jorged.store.members import Change, Delta
from jorged.store.mirror import RedisMirror
from jorged.store.observe import OperationSample
from jorged.store.redis_backend import RedisBackend
from jorged.store.store_protocol import Record


@attrs.define(eq=False)
class QueuedWrite:
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
        return RECORD if self.change is not None else STREAM


@attrs.define(eq=False)
class _Submission:
    """The writes of one call: committed together, in one transaction."""

    writes: list[QueuedWrite]
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
class GroupCommit:
    """Commits queued writes to disk, then Redis or the journal (see the module)."""

    disk: DiskBackend
    backlog: Backlog
    seqs: SeqCounter
    #: Whether the disk takes writes now (shared with the store and its journal).
    disk_health: DiskHealth
    #: The Redis side, or None when Redis is disabled.
    mirror: RedisMirror | None
    #: Told of each call's commit: its op, latency and where it went.
    on_operation: Callable[[OperationSample], None]
    #: writes, redis_writes, journaled.
    counts: Counter[str] = attrs.field(factory=Counter)
    _queue: list[_Submission] = attrs.field(factory=list)
    _committing: bool = False

    def change(
        self, op: str, key: str, change: Callable[[Record | None, int], Record]
    ) -> QueuedWrite:
        """A record write with the next seq (seqs follow the order of the queue)."""
        seq = self.seqs.next()
        return QueuedWrite(
            op=op, key=key, change=partial(_with_seq, change, seq), seq=seq
        )

    def delta(self, op: str, key: str, delta: Delta) -> QueuedWrite:
        """A set or sorted-set change with the next seq."""
        return QueuedWrite(op=op, key=key, change=delta, seq=self.seqs.next())

    async def submit(self, writes: list[QueuedWrite], *, retry: bool = True) -> None:
        """`_submit_once`, again with a growing wait while the disk refuses writes.

        The caller waits (cancellably) instead of failing, so an actor persisting
        its state rides out a full disk and goes on when space returns. With
        `retry=False` it gets `DiskUnavailable` at once.
        """

        async def once() -> None:
            for write in writes:
                write.error = None
            await self._submit_once(writes)

        if not retry:
            await once()
            return
        await retry_while_unwritable(writes[0].key, once, health=self.disk_health)

    async def _submit_once(self, writes: list[QueuedWrite]) -> None:
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
            reason = disk_failure(submission.error)
            if reason is not None and not isinstance(submission.error, DiskUnavailable):
                self.disk_health.failed(reason)
                raise DiskUnavailable(reason=reason) from submission.error
            raise submission.error

    async def _commit(self, batch: list[_Submission]) -> None:
        writes = [w for s in batch for w in s.writes]
        mirror = self.mirror
        pusher = mirror if mirror is not None and mirror.may_push() else None
        try:
            done = await trio.to_thread.run_sync(
                self._commit_blocking,
                writes,
                None if pusher is None else pusher.redis,
                limiter=self.disk.limiter,
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
            if done.streams_error is None:
                self.disk_health.written()
            self.counts["writes"] += len(ok)
            sent = pusher is not None and done.redis_error is None
            if pusher is not None and done.redis_error is not None:
                pusher.failed(done.redis_error)
            if sent:
                self.counts["redis_writes"] += len(ok)
            elif mirror is not None and ok:
                await self._journal(ok, mirror)
        except BaseException as exc:
            reason = disk_failure(exc) if isinstance(exc, Exception) else None
            if reason is not None:
                self.disk_health.failed(reason)
                exc = DiskUnavailable(reason=reason)
            for submission in batch:
                submission.finish(exc)
            if not isinstance(exc, Exception):
                raise
            return
        for submission in batch:
            submission.finish()
            self._sample(submission, sent=sent)

    def _commit_blocking(
        self, writes: list[QueuedWrite], redis: RedisBackend | None
    ) -> _Committed:
        """The thread side of a commit: the disk, then (when given) Redis."""
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
        if redis is not None:
            try:
                redis.push(
                    [c for c in changes if isinstance(c, Change)],
                    [] if streams_error else streams,
                    whole=self.disk.whole,
                )
            except StoreUnavailable as exc:
                redis_error = exc
        return _Committed(
            changes=changes, streams_error=streams_error, redis_error=redis_error
        )

    async def _journal(self, writes: list[QueuedWrite], mirror: RedisMirror) -> None:
        """Note writes that did not reach Redis, for the mirror's replay."""
        entries = [(w.key, w.what) for w in writes]
        await self.backlog.add(entries)
        self.counts["journaled"] += len(entries)
        mirror.journaled()

    def _sample(self, submission: _Submission, *, sent: bool) -> None:
        # One call is one operation: a single write, or the values of a put_many.
        self.on_operation(
            OperationSample(
                op=submission.writes[0].op,
                backend="redis" if sent else "disk",
                latency_s=time.perf_counter() - submission.started,
                fallback=self.mirror is not None and not sent,
            )
        )


def _with_seq(
    change: Callable[[Record | None, int], Record], seq: int, current: Record | None
) -> Record:
    return change(current, seq)


def _stream_groups(
    writes: Iterable[QueuedWrite],
) -> list[tuple[str, list[tuple[str, bytes]], int]]:
    """Stream appends grouped by stream, entries in order (the newest maxlen wins)."""
    groups: dict[str, tuple[list[tuple[str, bytes]], int]] = {}
    for write in writes:
        entries, _ = groups.get(write.key, ([], 0))
        entries.extend(write.entries)
        groups[write.key] = (entries, write.maxlen)
    return [(key, entries, maxlen) for key, (entries, maxlen) in groups.items()]
