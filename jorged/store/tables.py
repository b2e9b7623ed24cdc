"""The disk backend's SQLite database: streams, and the journal of unsynced writes.

`SqliteTables` holds the connection, shared by threads behind one lock, and its
write transactions (the sets and sorted sets of `members`, held in memory, follow
each one). Beside the tables of those sets it holds two of its own: `stream`, and
`unsynced`, the keys written while Redis was unreachable, in the order they were
written. `DiskBackend` builds on it; its module docstring says how durable a write
to this database is.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

import attrs
import trio

from jorged.store.ids import format_id, parse_id
from jorged.store.members import Collections

T = TypeVar("T")

SCHEMA = """
CREATE TABLE IF NOT EXISTS stream (
    name TEXT NOT NULL, ms INTEGER NOT NULL, n INTEGER NOT NULL, data BLOB NOT NULL,
    PRIMARY KEY (name, ms, n)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS unsynced (
    id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL, what TEXT NOT NULL
);
"""


@attrs.define(kw_only=True)
class SqliteTables:
    """The database connection, its streams and the unsynced journal."""

    db: sqlite3.Connection
    collections: Collections
    limiter: trio.CapacityLimiter = attrs.field(factory=lambda: trio.CapacityLimiter(4))
    _lock: threading.Lock = attrs.field(factory=threading.Lock)
    _stream_sizes: dict[str, int] = attrs.field(factory=dict)

    async def _run(self, fn: Callable[..., T], *args: Any) -> T:
        return await trio.to_thread.run_sync(fn, *args, limiter=self.limiter)

    @contextmanager
    def _sql(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            yield self.db

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction of the database; the collections in memory follow
        it (their changes are kept on commit, undone on rollback)."""
        with self._sql() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
                db.execute("COMMIT")
            except BaseException:
                # A failed COMMIT (a full disk) may have ended the transaction
                # already: a second ROLLBACK would hide the real error.
                if db.in_transaction:
                    db.execute("ROLLBACK")
                self.collections.rolled_back()
                raise
            self.collections.committed()

    # --- streams -----------------------------------------------------------------

    def _stream_rows(
        self, db: sqlite3.Connection, key: str, entries: list[tuple[str, bytes]]
    ) -> list[tuple[Any, ...]]:
        last = db.execute(
            "SELECT ms, n FROM stream WHERE name = ? ORDER BY ms DESC, n DESC LIMIT 1",
            (key,),
        ).fetchone()
        floor = tuple(last) if last else (-1, -1)
        if key not in self._stream_sizes:
            (size,) = db.execute(
                "SELECT COUNT(*) FROM stream WHERE name = ?", (key,)
            ).fetchone()
            self._stream_sizes[key] = size
        return [
            (key, *pair, data)
            for entry_id, data in entries
            if (pair := parse_id(entry_id)) > floor
        ]

    def stream_add_many(
        self, groups: Sequence[tuple[str, list[tuple[str, bytes]], int]]
    ) -> None:
        """Append (stream, entries, maxlen) groups in one transaction (blocking).

        Entries not newer than a stream's last one are skipped, so a replay is a
        no-op; each stream is then trimmed to its newest `maxlen` entries.
        """
        trimmed: dict[str, int] = {}
        try:
            with self._transaction() as db:
                for key, entries, maxlen in groups:
                    rows = self._stream_rows(db, key, entries)
                    db.executemany("INSERT INTO stream VALUES (?, ?, ?, ?)", rows)
                    excess = self._stream_sizes[key] + len(rows) - maxlen
                    if excess > 0:
                        db.execute(
                            "DELETE FROM stream WHERE name = ? AND (ms, n) IN (SELECT"
                            " ms, n FROM stream WHERE name = ? ORDER BY ms, n LIMIT ?)",
                            (key, key, excess),
                        )
                    trimmed[key] = len(rows) - max(excess, 0)
        except Exception:
            for key, _entries, _maxlen in groups:
                self._stream_sizes.pop(key, None)  # counted again when next used
            raise
        for key, change in trimmed.items():
            self._stream_sizes[key] += change

    async def stream_add(
        self, key: str, entries: list[tuple[str, bytes]], *, maxlen: int
    ) -> None:
        await self._run(self.stream_add_many, [(key, entries, maxlen)])

    def _select(self, sql: str, *args: Any) -> list[tuple[str, bytes]]:
        with self._sql() as db:
            rows = db.execute(sql, args).fetchall()
        return [(format_id((ms, n)), bytes(data)) for ms, n, data in rows]

    async def stream_range(
        self, key: str, *, after: str, limit: int
    ) -> list[tuple[str, bytes]]:
        ms, n = parse_id(after)
        return await self._run(
            self._select,
            "SELECT ms, n, data FROM stream WHERE name = ? AND (ms, n) > (?, ?)"
            " ORDER BY ms, n LIMIT ?",
            key,
            ms,
            n,
            limit,
        )

    async def stream_tail(self, key: str, *, count: int) -> list[tuple[str, bytes]]:
        rows = await self._run(
            self._select,
            "SELECT ms, n, data FROM stream WHERE name = ? ORDER BY ms DESC, n DESC"
            " LIMIT ?",
            key,
            max(count, 0),
        )
        return rows[::-1]

    async def stream_last_id(self, key: str) -> str | None:
        tail = await self.stream_tail(key, count=1)
        return tail[0][0] if tail else None

    async def stream_names(self) -> list[str]:
        def names() -> list[str]:
            with self._sql() as db:
                return [r[0] for r in db.execute("SELECT DISTINCT name FROM stream")]

        return await self._run(names)

    # --- the journal of writes not yet in Redis ----------------------------------

    def journal_add_many(self, entries: Sequence[tuple[str, str]]) -> None:
        """Note (key, what) pairs not yet in Redis, in order (blocking)."""
        with self._transaction() as db:
            db.executemany("INSERT INTO unsynced (key, what) VALUES (?, ?)", entries)

    async def journal_add(self, key: str, what: str) -> None:
        """Note that `key` (`what` is "record" or "stream") is not yet in Redis."""
        await self._run(self.journal_add_many, [(key, what)])

    async def journal_read(self, limit: int) -> list[tuple[int, str, str]]:
        """The oldest `limit` entries as (id, key, what), in order."""

        def read() -> list[tuple[int, str, str]]:
            with self._sql() as db:
                rows = db.execute(
                    "SELECT id, key, what FROM unsynced ORDER BY id LIMIT ?", (limit,)
                )
                return [(int(i), str(k), str(w)) for i, k, w in rows]

        return await self._run(read)

    async def journal_drop(self, upto: int) -> int:
        """Remove entries up to id `upto` (they are in Redis now); how many."""

        def drop() -> int:
            with self._sql() as db:
                sql = "DELETE FROM unsynced WHERE id <= ?"
                return db.execute(sql, (upto,)).rowcount

        return await self._run(drop)

    async def journal_size(self) -> int:
        def size() -> int:
            with self._sql() as db:
                return int(db.execute("SELECT COUNT(*) FROM unsynced").fetchone()[0])

        return await self._run(size)
