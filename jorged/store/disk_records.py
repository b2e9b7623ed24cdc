"""How the disk backend holds a record: its encoding in diskcache, and `Recent`.

A record is stored as a fixed header (kind, seq, expiry) and a body: the bytes of a
value, or the JSON of a set's members or a sorted set's scores. Values are bytes
only (`BytesDisk` refuses anything else: no pickle).

Reads keep the records they read, and writes the records they wrote once committed,
decoded in memory (`Recent`): a turn's state is written once and read at once by
several actors, and reading it from memory costs a dict lookup instead of a query.
"""

from __future__ import annotations

import math
import struct
import threading
import time
from typing import Any

import attrs
import diskcache
import orjson

from jorged.store.store_protocol import Kind, Record

_HEADER = struct.Struct(">cQd")
_NEVER = -1.0

#: How many records `Recent` keeps (about a few megabytes of conversation states).
RECENT_MAX = 4096
#: The expiry of a record that never expires.
FOREVER = math.inf


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


def now_plus(ttl_s: float | None) -> float | None:
    """The wall-clock expiry for a ttl (None stays None)."""
    if ttl_s is None:
        return None
    if not math.isfinite(ttl_s) or ttl_s <= 0:
        msg = f"ttl_s: must be a positive number of seconds, got {ttl_s!r}"
        raise ValueError(msg)
    return time.time() + ttl_s


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
        expires = FOREVER
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
