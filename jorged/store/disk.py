"""The disk backend: records in diskcache, streams and the unsynced journal in SQLite.

Records and streams are written with SQLite in WAL mode, `synchronous=NORMAL`: a
write survives the process being killed as soon as the call returns, and `sync()`
(one fsync of each write-ahead log) makes everything written so far survive a power
cut too. The daemon calls it before it marks inbound webhooks handled, so a webhook
is never forgotten before the state it produced is on stable storage.

Values are bytes only (a `Disk` that refuses anything else: no pickle), and never
spill to side files. Blocking calls run in threads behind a limiter.
"""

from __future__ import annotations

import math
import os
import sqlite3
import struct
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import attrs
import diskcache
import orjson
import trio

from jorged.store.base import Kind, Record
from jorged.store.ids import format_id, parse_id

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
        return head + orjson.dumps(sorted(record.members))
    if record.kind is Kind.ZSET:
        return head + orjson.dumps([list(item) for item in record.scores])
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
        scores = tuple((m, float(s)) for m, s in orjson.loads(body))
        return Record(key=key, kind=kind, seq=seq, scores=scores)
    return Record(key=key, kind=kind, seq=seq, expires_at=expires_at)


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
        db.executescript(_SCHEMA)
        return cls(
            cache=cache, db=db, tombstone_ttl_s=tombstone_ttl_s, directory=directory
        )

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

    # --- records -----------------------------------------------------------------

    def _get(self, key: str) -> Record | None:
        raw = self.cache.get(_RECORD_PREFIX + key)
        return None if raw is None else decode_record(key, raw)

    def _put(self, record: Record) -> None:
        if record.kind is Kind.DELETED:
            expire: float | None = self.tombstone_ttl_s
        else:
            ttl = record.ttl_s()
            expire = None if ttl is None else max(ttl, 0.001)
        self.cache.set(
            _RECORD_PREFIX + record.key, encode_record(record), expire=expire
        )
        if record.seq > int(self.cache.get(_SEQ_KEY, b"0")):
            self.cache.set(_SEQ_KEY, str(record.seq).encode())

    def _update(self, key: str, change: Callable[[Record | None], Record]) -> Record:
        with self.cache.transact():
            current = self._get(key)
            if current is not None and current.kind is Kind.DELETED:
                current = None
            record = change(current)
            self._put(record)
            return record

    def _write(self, records: list[Record]) -> None:
        with self.cache.transact():
            for record in records:
                current = self._get(record.key)
                if current is None or current.seq < record.seq:
                    self._put(record)

    def _put_many(self, records: list[Record]) -> None:
        with self.cache.transact():
            for record in records:
                self._put(record)

    async def put_many(self, records: list[Record]) -> None:
        """Write `records` (new seqs, so they win) in one transaction."""
        await self._run(self._put_many, records)

    async def update(
        self, key: str, change: Callable[[Record | None], Record]
    ) -> Record:
        """Replace the live record at `key` by `change(it)` in one transaction."""
        return await self._run(self._update, key, change)

    async def read(self, key: str) -> Record | None:
        record = await self._run(self._get, key)
        return None if record is None or record.kind is Kind.DELETED else record

    async def read_many(self, keys: list[str]) -> list[Record | None]:
        return await self._run(lambda: [self._get(k) for k in keys])

    async def write(self, records: list[Record]) -> None:
        await self._run(self._write, records)

    def _records(self, prefix: str) -> list[Record]:
        out = []
        for name in self.cache.iterkeys():
            if isinstance(name, str) and name.startswith(_RECORD_PREFIX + prefix):
                record = self._get(name.removeprefix(_RECORD_PREFIX))
                if record is not None:
                    out.append(record)
        return out

    async def records(self, prefix: str = "") -> list[Record]:
        """Every record whose key starts with `prefix` (tombstones included)."""
        return await self._run(self._records, prefix)

    async def seqs(self) -> dict[str, int]:
        return {r.key: r.seq for r in await self.records()}

    async def max_seq(self) -> int:
        """The highest seq ever written here."""
        return int(await self._run(self.cache.get, _SEQ_KEY, b"0"))

    # --- streams -----------------------------------------------------------------

    def _stream_add(
        self, key: str, entries: list[tuple[str, bytes]], maxlen: int
    ) -> None:
        with self._sql() as db:
            last = db.execute(
                "SELECT ms, n FROM stream WHERE name = ?"
                " ORDER BY ms DESC, n DESC LIMIT 1",
                (key,),
            ).fetchone()
            floor = tuple(last) if last else (-1, -1)
            rows = [
                (key, *pair, data)
                for entry_id, data in entries
                if (pair := parse_id(entry_id)) > floor
            ]
            if key not in self._stream_sizes:
                (size,) = db.execute(
                    "SELECT COUNT(*) FROM stream WHERE name = ?", (key,)
                ).fetchone()
                self._stream_sizes[key] = size
            db.execute("BEGIN IMMEDIATE")
            try:
                db.executemany("INSERT INTO stream VALUES (?, ?, ?, ?)", rows)
                excess = self._stream_sizes[key] + len(rows) - maxlen
                if excess > 0:
                    db.execute(
                        "DELETE FROM stream WHERE name = ? AND (ms, n) IN (SELECT ms, n"
                        " FROM stream WHERE name = ? ORDER BY ms, n LIMIT ?)",
                        (key, key, excess),
                    )
                db.execute("COMMIT")
            except Exception:
                db.execute("ROLLBACK")
                self._stream_sizes.pop(key, None)
                raise
            self._stream_sizes[key] += len(rows) - max(excess, 0)

    async def stream_add(
        self, key: str, entries: list[tuple[str, bytes]], *, maxlen: int
    ) -> None:
        await self._run(self._stream_add, key, entries, maxlen)

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

    def _journal_add(self, key: str, what: str) -> None:
        with self._sql() as db:
            db.execute("INSERT INTO unsynced (key, what) VALUES (?, ?)", (key, what))

    async def journal_add(self, key: str, what: str) -> None:
        """Note that `key` (`what` is "record" or "stream") is not yet in Redis."""
        await self._run(self._journal_add, key, what)

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
