"""The inbound journal: webhooks written to disk (fsync'd) before they are answered.

A separate SQLite file with `synchronous=FULL`, so `append` returns only once the
entry is on stable storage. Entries get increasing sequence numbers; the ingress
actor marks each one done after handling it, and `pending()` lists what a crash left.
An entry the quarantine holds is set aside (`done = 2`): not pending, not compacted,
until it is restored (retried) or discarded (dropped).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TypeVar

import attrs
import trio

from jorged.exceptions import DiskUnavailable
from jorged.store.diskhealth import DiskHealth, disk_failure

T = TypeVar("T")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS inbound (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    data BLOB NOT NULL,
    done INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS inbound_pending ON inbound (done, seq);
CREATE TABLE IF NOT EXISTS seen (
    key TEXT PRIMARY KEY,
    at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS seen_at ON seen (at);
"""


#: The `done` of an entry set aside by the quarantine.
SET_ASIDE = 2


@attrs.frozen(kw_only=True)
class JournalStatistics:
    pending: int
    appended: int
    done: int


@attrs.define(kw_only=True)
class InboundJournal:
    """Durable, ordered entries of raw bytes; one writer thread at a time."""

    path: Path
    _db: sqlite3.Connection
    _lock: threading.Lock = attrs.field(factory=threading.Lock)
    _limiter: trio.CapacityLimiter = attrs.field(
        factory=lambda: trio.CapacityLimiter(1)
    )
    _appended: int = 0
    _done: int = 0
    #: Told of every write the disk refused or took (shared with the store).
    health: DiskHealth = attrs.field(factory=DiskHealth)

    @classmethod
    def open(cls, path: Path) -> InboundJournal:
        """Open (creating) the journal file; blocking."""
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            db.executescript(_SCHEMA)
        except BaseException:
            db.close()  # opened again later (a full disk): leave no handle behind
            raise
        return cls(path=path, db=db)

    def _call(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        with self._lock:
            return fn(self._db)

    async def _run(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        return await trio.to_thread.run_sync(self._call, fn, limiter=self._limiter)

    async def _write(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """`_run` for a write: a refusal of the disk is `DiskUnavailable`."""
        try:
            result = await self._run(fn)
        except Exception as exc:
            reason = disk_failure(exc)
            if reason is None:
                raise
            self.health.failed(reason)
            raise DiskUnavailable(reason=reason) from exc
        self.health.written()
        return result

    async def append(self, data: bytes) -> int:
        """Write `data`; on return it is on disk. Its sequence number."""
        if not isinstance(data, bytes):
            msg = f"journal entry must be bytes, got {type(data).__name__}"
            raise TypeError(msg)

        def insert(db: sqlite3.Connection) -> int:
            cursor = db.execute("INSERT INTO inbound (data) VALUES (?)", (data,))
            return int(cursor.lastrowid or 0)

        seq = await self._write(insert)
        self._appended += 1
        return seq

    async def append_batch(
        self, items: Sequence[tuple[str, bytes]], *, now: float | None = None
    ) -> list[int | None]:
        """Write entries keyed for dedupe in one transaction (one fsync).

        Each item is `(dedupe_key, data)`; an item whose key was seen before (in this
        batch or any earlier one) is not written and gets None instead of a sequence
        number. On return every written entry is on disk.
        """
        stamp = time.time() if now is None else now

        def insert(db: sqlite3.Connection) -> list[int | None]:
            out: list[int | None] = []
            db.execute("BEGIN IMMEDIATE")
            try:
                for key, data in items:
                    cur = db.execute(
                        "INSERT OR IGNORE INTO seen (key, at) VALUES (?, ?)",
                        (key, stamp),
                    )
                    if cur.rowcount == 0:
                        out.append(None)
                        continue
                    cur = db.execute("INSERT INTO inbound (data) VALUES (?)", (data,))
                    out.append(int(cur.lastrowid or 0))
                db.execute("COMMIT")
            except BaseException:
                _rollback(db)
                raise
            return out

        seqs = await self._write(insert)
        self._appended += sum(s is not None for s in seqs)
        return seqs

    async def forget_seen(self, *, before: float) -> int:
        """Drop dedupe keys first seen before `before` (epoch seconds)."""
        return await self._write(
            lambda db: db.execute("DELETE FROM seen WHERE at < ?", (before,)).rowcount
        )

    async def mark_done_many(self, seqs: Sequence[int]) -> None:
        """The entries `seqs` have been handled (one transaction)."""

        def update(db: sqlite3.Connection) -> int:
            sql = "UPDATE inbound SET done = 1 WHERE seq = ? AND done = 0"
            db.execute("BEGIN IMMEDIATE")
            try:
                n = sum(db.execute(sql, (s,)).rowcount for s in seqs)
                db.execute("COMMIT")
            except BaseException:
                _rollback(db)
                raise
            return n

        self._done += await self._write(update)

    async def mark_done(self, seq: int) -> None:
        """The entry `seq` has been handled."""

        def update(db: sqlite3.Connection) -> int:
            sql = "UPDATE inbound SET done = 1 WHERE seq = ? AND done = 0"
            return db.execute(sql, (seq,)).rowcount

        self._done += await self._write(update)

    async def set_aside(self, seq: int) -> None:
        """Keep the pending entry `seq` out of `pending()` (it is quarantined)."""
        sql = "UPDATE inbound SET done = ? WHERE seq = ? AND done = 0"
        await self._run(lambda db: db.execute(sql, (SET_ASIDE, seq)))

    async def restore(self, seq: int) -> bytes | None:
        """Make the set-aside entry `seq` pending again; its data (None if none)."""

        def update(db: sqlite3.Connection) -> bytes | None:
            sql = "UPDATE inbound SET done = 0 WHERE seq = ? AND done = ?"
            db.execute(sql, (seq, SET_ASIDE))
            row = db.execute(
                "SELECT data FROM inbound WHERE seq = ? AND done = 0", (seq,)
            ).fetchone()
            return None if row is None else bytes(row[0])

        return await self._run(update)

    async def discard(self, seq: int) -> None:
        """The set-aside entry `seq` is done with for good (compacted later)."""
        sql = "UPDATE inbound SET done = 1 WHERE seq = ? AND done = ?"
        await self._run(lambda db: db.execute(sql, (seq, SET_ASIDE)))

    async def pending(self, *, limit: int = 1000) -> list[tuple[int, bytes]]:
        """Entries not marked done, oldest first."""

        def select(db: sqlite3.Connection) -> list[tuple[int, bytes]]:
            sql = "SELECT seq, data FROM inbound WHERE done = 0 ORDER BY seq LIMIT ?"
            return [(int(s), bytes(d)) for s, d in db.execute(sql, (limit,))]

        return await self._run(select)

    async def compact(self) -> int:
        """Remove the entries marked done; how many were removed."""
        return await self._write(
            lambda db: db.execute("DELETE FROM inbound WHERE done = 1").rowcount
        )

    async def statistics(self) -> JournalStatistics:
        """Pending entries now, and entries appended and done since opening."""

        def count(db: sqlite3.Connection) -> int:
            sql = "SELECT COUNT(*) FROM inbound WHERE done = 0"
            return int(db.execute(sql).fetchone()[0])

        pending = await self._run(count)
        return JournalStatistics(
            pending=pending, appended=self._appended, done=self._done
        )

    def close(self) -> None:
        self._call(lambda db: db.close())


def _rollback(db: sqlite3.Connection) -> None:
    # A failed COMMIT (a full disk) may have ended the transaction already: a
    # second ROLLBACK would raise "no transaction is active" and hide the cause.
    if db.in_transaction:
        db.execute("ROLLBACK")


@asynccontextmanager
async def open_inbound_journal(path: Path) -> AsyncIterator[InboundJournal]:
    """The journal at `path`, closed on exit."""
    journal = await trio.to_thread.run_sync(InboundJournal.open, path)
    try:
        yield journal
    finally:
        journal.close()
