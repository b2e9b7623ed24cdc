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

This module holds `DiskBackend` and its records (values in diskcache, sets and
sorted sets in the database); the record encoding and `Recent` are in `records`,
the database with the streams and the unsynced journal in `tables`.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import attrs
import diskcache

from jorged.exceptions import StoreError
from jorged.store import members, tables
from jorged.store.disk_records import (
    FOREVER,
    BytesDisk,
    Recent,
    decode_record,
    encode_record,
)
from jorged.store.members import Change, Collections, Delta
from jorged.store.store_protocol import Kind, Record
from jorged.store.tables import SqliteTables

#: A change of a set or sorted set, or a function from the live record to the new.
Write = Delta | Callable[[Record | None], Record]

_RECORD_PREFIX = "r:"
_SEQ_KEY = "m:seq"


@attrs.define(kw_only=True)
class DiskBackend(SqliteTables):
    """Records, streams and the unsynced journal under one directory."""

    cache: diskcache.Cache
    tombstone_ttl_s: float
    directory: Path
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
        db: sqlite3.Connection | None = None
        try:
            db = sqlite3.connect(
                directory / "disk.sqlite3",
                check_same_thread=False,
                isolation_level=None,
            )
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(tables.SCHEMA + members.SCHEMA)
            backend = cls(
                cache=cache,
                db=db,
                tombstone_ttl_s=tombstone_ttl_s,
                directory=directory,
                collections=Collections(tombstone_ttl_s),
            )
            backend.load_collections()
        except BaseException:
            # Opened again later (a full disk): leave no handle behind.
            cache.close()
            if db is not None:
                db.close()
            raise
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
            (record, FOREVER if expire is None else time.time() + expire)
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

    def close(self) -> None:
        """Close the cache and the database (blocking)."""
        self.cache.close()
        with self._sql() as db:
            db.close()

    async def aclose(self) -> None:
        await self._run(self.close)
