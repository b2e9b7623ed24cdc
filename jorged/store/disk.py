"""The disk backend: records in diskcache, streams and the unsynced journal in SQLite.

Records and streams are written with SQLite in WAL mode, `synchronous=NORMAL`: a
write survives the process being killed as soon as the call returns, and `sync()`
(one fsync of each write-ahead log) makes everything written so far survive a power
cut too. The daemon calls it before it marks inbound webhooks handled, so a webhook
is never forgotten before the state it produced is on stable storage.

Values are bytes only (a `Disk` that refuses anything else: no pickle), and never
spill to side files. Blocking calls run in threads behind a limiter.

Reads keep the records they read, and writes the records they wrote once committed,
decoded in memory (`Recent`): a turn's state is written once and read at once by
several actors, and reading it from memory costs a dict lookup instead of a query.
"""

from __future__ import annotations

import math
import os
import sqlite3
import struct
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import attrs
import diskcache
import orjson
import trio

from jorged.exceptions import StoreError
from jorged.store import members
from jorged.store.base import Kind, Record
from jorged.store.ids import format_id, parse_id
from jorged.store.members import Change, Collections, Delta

#: A change of a set or sorted set, or a function from the live record to the new.
Write = Delta | Callable[[Record | None], Record]

T = TypeVar("T")

_HEADER = struct.Struct(">cQd")
_RECORD_PREFIX = "r:"
_SEQ_KEY = "m:seq"
_NEVER = -1.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS stream (
    name TEXT NOT NULL, ms INTEGER NOT NULL, n INTEGER NOT NULL, data BLOB NOT NULL,
    PRIMARY KEY (name, ms, n)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS unsynced (
    id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL, what TEXT NOT NULL
);
"""


class BytesDisk(diskcache.Disk):  # type: ignore[misc]
    """A diskcache `Disk` for str keys and bytes values only (never pickle)."""

    def put(self, key: Any) -> Any:
        if type(key) is not str:
            msg = f"disk store keys must be str, got {type(key).__name__}"
            raise TypeError(msg)
        return super().put(key)

    def store(self, value: Any, read: bool, key: Any = diskcache.UNKNOWN) -> Any:
        if read or type(value) is not bytes:
            msg = f"disk store values must be bytes, got {type(value).__name__}"
            raise TypeError(msg)
        return super().store(value, read, key=key)


def encode_record(record: Record) -> bytes:
    expires = _NEVER if record.expires_at is None else record.expires_at
    head = _HEADER.pack(record.kind.value.encode(), record.seq, expires)
    if record.kind is Kind.VALUE:
        return head + record.value
    if record.kind is Kind.SET:
        return head + orjson.dumps(list(record.members))
    if record.kind is Kind.ZSET:
        return head + orjson.dumps(record.scores)
    return head


def decode_record(key: str, raw: bytes) -> Record:
    kind_byte, seq, expires = _HEADER.unpack_from(raw)
    kind = Kind(kind_byte.decode())
    body = raw[_HEADER.size :]
    expires_at = None if expires == _NEVER else expires
    if kind is Kind.VALUE:
        return Record(key=key, kind=kind, seq=seq, value=body, expires_at=expires_at)
    if kind is Kind.SET:
        members = frozenset(orjson.loads(body))
        return Record(key=key, kind=kind, seq=seq, members=members)
    if kind is Kind.ZSET:
        scores = tuple(map(tuple, orjson.loads(body)))
        return Record(key=key, kind=kind, seq=seq, scores=scores)
    return Record(key=key, kind=kind, seq=seq, expires_at=expires_at)


#: How many records `Recent` keeps (about a few megabytes of conversation states).
RECENT_MAX = 4096
_FOREVER = math.inf


@attrs.define
class Recent:
    """Records lately read or committed, by key (None: known absent).

    Read from any thread; filled by readers and by the committing thread. A reader
    keeps what it read only if no commit was published since it began (the
    generation is unchanged), so a read racing a commit never leaves the older
    record behind. Each entry holds the moment its disk row expires.
    """

    limit: int = RECENT_MAX
    _items: dict[str, tuple[Record | None, float]] = attrs.field(factory=dict)
    _lock: threading.Lock = attrs.field(factory=threading.Lock)
    generation: int = 0

    def get(self, key: str) -> tuple[Record | None, bool]:
        """(record, found): found is False when memory does not know the key."""
        hit = self._items.get(key)
        if hit is None or hit[1] <= time.time():
            return None, False
        return hit[0], True

    def keep(self, key: str, record: Record | None, since: int) -> None:
        """Keep what a read that began at generation `since` found.

        A tombstone is not kept: when its row expires is not in the record.
        """
        if record is not None and record.kind is Kind.DELETED:
            return
        expires = _FOREVER
        if record is not None and record.expires_at is not None:
            expires = record.expires_at
        with self._lock:
            if since == self.generation and key not in self._items:
                self._items[key] = (record, expires)
                self._trim()

    def publish(self, committed: list[tuple[Record, float]]) -> None:
        """Records a transaction committed, with their disk expiry (epoch s)."""
        with self._lock:
            self.generation += 1
            for record, expires in committed:
                self._items.pop(record.key, None)  # re-inserted last: trimmed last
                self._items[record.key] = (record, expires)
            self._trim()

    def forget(self, key: str) -> None:
        with self._lock:
            self.generation += 1
            self._items.pop(key, None)

    def _trim(self) -> None:
        items = self._items
        while len(items) > self.limit:
            del items[next(iter(items))]


@attrs.define(kw_only=True)
class DiskBackend:
    """Records, streams and the unsynced journal under one directory."""

    cache: diskcache.Cache
    db: sqlite3.Connection
    tombstone_ttl_s: float
    directory: Path
    limiter: trio.CapacityLimiter = attrs.field(factory=lambda: trio.CapacityLimiter(4))
    _lock: threading.Lock = attrs.field(factory=threading.Lock)
    _stream_sizes: dict[str, int] = attrs.field(factory=dict)
    collections: Collections
    recent: Recent = attrs.field(factory=Recent)
    #: Records put by the open transaction, published to `recent` on its commit.
    _uncommitted: list[tuple[Record, float]] = attrs.field(factory=list)

    @classmethod
    def open(cls, directory: Path, *, tombstone_ttl_s: float) -> DiskBackend:
        """Open (creating) the store under `directory`; blocking, call in a thread."""
        directory.mkdir(parents=True, exist_ok=True)
        cache = diskcache.Cache(
            str(directory / "records"),
            disk=BytesDisk,
            eviction_policy="none",
            sqlite_synchronous=1,
            disk_min_file_size=2**62,
        )
        db = sqlite3.connect(
            directory / "disk.sqlite3", check_same_thread=False, isolation_level=None
        )
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.executescript(_SCHEMA + members.SCHEMA)
        backend = cls(
            cache=cache,
            db=db,
            tombstone_ttl_s=tombstone_ttl_s,
            directory=directory,
            collections=Collections(tombstone_ttl_s),
        )
        backend.load_collections()
        return backend

    def load_collections(self) -> None:
        """Read the sets and sorted sets into memory (blocking, at open).

        A store written before collections had their own table keeps them as whole
        records among the values: they move to the table once. A collection that a
        newer value replaced (a crash between the two writes) is dropped.
        """
        with self._transaction() as db:
            self.collections.load(db)
            (version,) = db.execute("PRAGMA user_version").fetchone()
            if version < 1:
                self._move_collections(db)
                db.execute("PRAGMA user_version = 1")
            for record in list(self.collections.records("")):
                other = self._cached(record.key)
                if other is not None and other.seq > record.seq:
                    self.collections.drop(db, record.key)

    def _move_collections(self, db: sqlite3.Connection) -> None:
        for name in list(self.cache.iterkeys()):
            if not (isinstance(name, str) and name.startswith(_RECORD_PREFIX)):
                continue
            record = self._cached(name.removeprefix(_RECORD_PREFIX))
            if record is not None and record.kind in (Kind.SET, Kind.ZSET):
                self.collections.replace(db, record)
                self.cache.delete(name)

    def _sync(self) -> None:
        for wal in (
            self.directory / "records" / "cache.db-wal",
            self.directory / "disk.sqlite3-wal",
        ):
            try:
                fd = os.open(wal, os.O_RDONLY)
            except FileNotFoundError:
                continue
            try:
                os.fsync(fd)
            finally:
                os.close(fd)

    async def sync(self) -> None:
        """Make every write so far durable against a power cut (one fsync a log)."""
        await self._run(self._sync)

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
                db.execute("ROLLBACK")
                self.collections.rolled_back()
                raise
            self.collections.committed()

    # --- records -----------------------------------------------------------------

    def _get(self, key: str) -> Record | None:
        found = self.collections.get(key)
        return found if found is not None else self._cached(key)

    def _cached(self, key: str) -> Record | None:
        raw = self.cache.get(_RECORD_PREFIX + key)
        return None if raw is None else decode_record(key, raw)

    def _put(self, record: Record, *, note_seq: bool = True) -> None:
        if record.kind is Kind.DELETED:
            expire: float | None = self.tombstone_ttl_s
        else:
            ttl = record.ttl_s()
            expire = None if ttl is None else max(ttl, 0.001)
        self.cache.set(
            _RECORD_PREFIX + record.key, encode_record(record), expire=expire
        )
        self._uncommitted.append(
            (record, _FOREVER if expire is None else time.time() + expire)
        )
        if note_seq:
            self._note_seq(record.seq)

    def _note_seq(self, seq: int) -> None:
        if seq > int(self.cache.get(_SEQ_KEY, b"0")):
            self.cache.set(_SEQ_KEY, str(seq).encode())

    def apply(
        self, writes: Sequence[tuple[str, int, Write]]
    ) -> list[Change | Exception]:
        """Apply (key, seq, write) in order, all in one transaction (blocking).

        A write is a `Delta` of a set or sorted set, or a function from the live
        record at `key` to the new one. Each sees the writes before it; one that
        raises writes nothing and its exception takes its place in the result.
        """
        out: list[Change | Exception] = []
        # The database (collections) commits first, inside the cache's transaction.
        with self._publishing(), self.cache.transact(), self._transaction() as db:
            for key, seq, write in writes:
                try:
                    out.append(self._apply_one(db, key, seq, write))
                except (StoreError, TypeError, ValueError) as exc:
                    out.append(exc)  # the caller's mistake: nothing written
            written = [c.seq for c in out if isinstance(c, Change)]
            if written:
                self._note_seq(max(written))
        return out

    def _apply_one(
        self, db: sqlite3.Connection, key: str, seq: int, write: Write
    ) -> Change:
        if isinstance(write, Delta):
            other = None if self.collections.seq(key) is not None else self._cached(key)
            return self.collections.apply(db, key, seq, write, other)
        before = self._get(key)
        live = None if before is None or before.kind is Kind.DELETED else before
        record = write(live)
        self._put(record, note_seq=False)
        self.collections.drop(db, key)
        return Change(
            key=key,
            seq=record.seq,
            before_seq=0 if before is None else before.seq,
            record=record,
        )

    def whole(self, key: str) -> Record | None:
        """The record at `key` now, tombstones included (blocking)."""
        return self._get(key)

    @contextmanager
    def _publishing(self) -> Iterator[None]:
        """Around a cache transaction: publish its records to `recent` on commit."""
        self._uncommitted = []
        try:
            yield
        except BaseException:
            self._uncommitted = []
            raise
        committed, self._uncommitted = self._uncommitted, []
        if committed:
            self.recent.publish(committed)

    def _write(self, records: list[Record]) -> None:
        with self._publishing(), self.cache.transact(), self._transaction() as db:
            for record in records:
                current = self._get(record.key)
                if current is not None and current.seq >= record.seq:
                    continue
                if record.kind in (Kind.SET, Kind.ZSET):
                    self.collections.replace(db, record)
                else:
                    self._put(record)
                    self.collections.drop(db, record.key)

    async def read(self, key: str) -> Record | None:
        """The live record at `key`, read on the calling thread.

        A read from SQLite in WAL mode never waits for a writer and costs far less
        than a thread hop, so it does not take one.
        """
        record = self._read_recent(key)
        return None if record is None or record.kind is Kind.DELETED else record

    def _read_recent(self, key: str) -> Record | None:
        """The committed record at `key` (tombstones included), from memory if
        known there. Never inside a write transaction: it does not see the
        transaction's own writes."""
        found = self.collections.get(key)
        if found is not None:
            return found
        record, known = self.recent.get(key)
        if known:
            return record
        since = self.recent.generation
        record = self._cached(key)
        self.recent.keep(key, record, since)
        return record

    async def read_many(self, keys: list[str]) -> list[Record | None]:
        return await self._run(lambda: [self._read_recent(k) for k in keys])

    async def write(self, records: list[Record]) -> None:
        await self._run(self._write, records)

    def _records(self, prefix: str) -> list[Record]:
        out = list(self.collections.records(prefix))
        for key, raw in self._cached_range(prefix):
            if self.collections.seq(key) is None:
                out.append(decode_record(key, raw))
        return out

    def _cached_range(self, prefix: str) -> Iterator[tuple[str, bytes]]:
        """(key, encoded record) for the live cache rows whose key has `prefix`.

        One range query on diskcache's table (its key index) instead of walking
        every key, which matters when a rebuild reads 100,000 conversations out of
        a store holding several times as many keys. Values are always inline (the
        store never spills to files), so the row holds the record.
        """
        low = _RECORD_PREFIX + prefix
        with self._reader() as db:
            rows = db.execute(
                "SELECT key, value FROM Cache WHERE key >= ? AND key < ? AND raw = 1"
                " AND (expire_time IS NULL OR expire_time > ?) ORDER BY key",
                (low, low + "\U0010ffff", time.time()),
            )
            for key, value in rows:
                yield str(key).removeprefix(_RECORD_PREFIX), bytes(value)

    @contextmanager
    def _reader(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(
            f"file:{self.directory / 'records' / 'cache.db'}?mode=ro", uri=True
        )
        try:
            yield db
        finally:
            db.close()

    async def records(self, prefix: str = "") -> list[Record]:
        """Every record whose key starts with `prefix` (tombstones included)."""
        return await self._run(self._records, prefix)

    async def seqs(self) -> dict[str, int]:
        return {r.key: r.seq for r in await self.records()}

    async def max_seq(self) -> int:
        """The highest seq ever written here."""
        cached = int(await self._run(self.cache.get, _SEQ_KEY, b"0"))
        return max(cached, self.collections.max_seq())

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

    def close(self) -> None:
        """Close the cache and the database (blocking)."""
        self.cache.close()
        with self._sql() as db:
            db.close()

    async def aclose(self) -> None:
        await self._run(self.close)


def now_plus(ttl_s: float | None) -> float | None:
    """The wall-clock expiry for a ttl (None stays None)."""
    if ttl_s is None:
        return None
    if not math.isfinite(ttl_s) or ttl_s <= 0:
        msg = f"ttl_s: must be a positive number of seconds, got {ttl_s!r}"
        raise ValueError(msg)
    return time.time() + ttl_s
