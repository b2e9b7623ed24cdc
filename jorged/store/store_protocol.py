"""The store's shapes: the `Store` Protocol actors use, and the backends' records.

Actors see `Store` (bytes in, bytes out; build the bytes with `codec`). `DurableStore`
implements it over two `Backend`s (Redis and disk) that keep whole records, each with
the `seq` of its last write, so that a newer record wins and an equal one is a no-op.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Sequence
from typing import Protocol

import attrs

from jorged.exceptions import StoreError


@attrs.frozen
class Put:
    """Store `data` at `key` (see `Store.put`)."""

    key: str
    data: bytes
    ttl_s: float | None = None


@attrs.frozen
class SetAdd:
    """Add members to the set at `key`."""

    key: str
    members: tuple[str, ...]


@attrs.frozen
class SetRemove:
    """Remove members from the set at `key`."""

    key: str
    members: tuple[str, ...]


@attrs.frozen
class ZAdd:
    """Add or rescore `member` in the sorted set at `key`."""

    key: str
    member: str
    score: float


@attrs.frozen
class ZRemove:
    """Remove members from the sorted set at `key`."""

    key: str
    members: tuple[str, ...]


#: One write of a `Store.write` batch.
WriteOp = Put | SetAdd | SetRemove | ZAdd | ZRemove


class Store(Protocol):
    """Keys, sets, sorted sets and bounded streams of bytes."""

    async def get(self, key: str) -> bytes | None:
        """The value at `key`, or None."""
        ...

    async def put(self, key: str, data: bytes, *, ttl_s: float | None = None) -> None:
        """Store `data` at `key`; with `ttl_s` it expires that many seconds later."""
        ...

    async def put_many(self, items: Sequence[tuple[str, bytes]]) -> None:
        """Store several values together (one transaction where the backend can)."""
        ...

    async def write(self, ops: Sequence[WriteOp]) -> None:
        """Apply several writes together, in order (one commit where the backend can).

        Use it for the writes of one turn: they land together, and cost one commit.
        """
        ...

    async def delete(self, key: str) -> None:
        """Remove `key` whatever it holds."""
        ...

    async def scan(self, prefix: str) -> list[tuple[str, bytes]]:
        """Every value whose key starts with `prefix`, sorted by key."""
        ...

    async def set_add(self, key: str, *members: str) -> None:
        """Add members to the set at `key`."""
        ...

    async def set_remove(self, key: str, *members: str) -> None:
        """Remove members from the set at `key`."""
        ...

    async def set_members(self, key: str) -> frozenset[str]:
        """The members of the set at `key` (empty when absent)."""
        ...

    async def zset_add(self, key: str, member: str, score: float) -> None:
        """Add or rescore `member` in the sorted set at `key`."""
        ...

    async def zset_remove(self, key: str, *members: str) -> None:
        """Remove members from the sorted set at `key`."""
        ...

    async def zset_range(
        self, key: str, *, max_score: float, limit: int | None = None
    ) -> list[tuple[str, float]]:
        """Members scored at most `max_score`, lowest score first."""
        ...

    async def stream_append(self, key: str, data: bytes, *, maxlen: int) -> str:
        """Append to the stream at `key`, keeping about `maxlen` entries; the id."""
        ...

    async def stream_append_many(
        self, key: str, items: Sequence[bytes], *, maxlen: int
    ) -> list[str]:
        """Append several entries in order, in one commit where the backend can."""
        ...

    async def stream_read(
        self, key: str, *, after: str = "0-0", limit: int = 100
    ) -> list[tuple[str, bytes]]:
        """Up to `limit` entries with an id after `after`, oldest first."""
        ...

    async def stream_tail(self, key: str, *, count: int) -> list[tuple[str, bytes]]:
        """The last `count` entries, oldest first."""
        ...


class Kind(enum.Enum):
    """What a record holds."""

    VALUE = "v"
    SET = "s"
    ZSET = "z"
    DELETED = "x"


@attrs.frozen(kw_only=True)
class Record:
    """The whole state of one key at one `seq`.

    `value` is set for VALUE, `members` for SET, `scores` for ZSET; a DELETED record
    is a tombstone that keeps the seq of the delete. `expires_at` is a wall-clock
    UNIX time (or None).
    """

    key: str
    kind: Kind
    seq: int
    value: bytes = b""
    members: frozenset[str] = frozenset()
    scores: tuple[tuple[str, float], ...] = ()
    expires_at: float | None = None

    def ttl_s(self, now: float | None = None) -> float | None:
        """Seconds left before expiry (None when it never expires)."""
        if self.expires_at is None:
            return None
        return self.expires_at - (time.time() if now is None else now)


class Backend(Protocol):
    """Whole-record storage used by DurableStore; writes are guarded by `seq`."""

    async def read(self, key: str) -> Record | None:
        """The live record at `key` (None when absent, deleted or expired)."""
        ...

    async def write(self, records: list[Record]) -> None:
        """Store each record unless the stored one has an equal or newer seq."""
        ...

    async def seqs(self) -> dict[str, int]:
        """The seq of every record held (tombstones included)."""
        ...

    async def read_many(self, keys: list[str]) -> list[Record | None]:
        """`read` for several keys at once, tombstones included."""
        ...

    async def stream_add(
        self, key: str, entries: list[tuple[str, bytes]], *, maxlen: int
    ) -> None:
        """Append entries with the given ids; ids not after the last are skipped."""
        ...

    async def stream_range(
        self, key: str, *, after: str, limit: int
    ) -> list[tuple[str, bytes]]:
        """Up to `limit` entries after `after`, oldest first."""
        ...

    async def stream_tail(self, key: str, *, count: int) -> list[tuple[str, bytes]]:
        """The last `count` entries, oldest first."""
        ...

    async def stream_last_id(self, key: str) -> str | None:
        """The id of the newest entry, or None for an empty stream."""
        ...

    async def aclose(self) -> None:
        """Release connections and files."""
        ...


def expect_kind(record: Record, kind: Kind, what: str) -> None:
    if record.kind is not kind:
        msg = f"{record.key}: holds {record.kind.name.lower()}, not {what}"
        raise StoreError(msg)


def members_of(record: Record | None) -> frozenset[str]:
    if record is None:
        return frozenset()
    expect_kind(record, Kind.SET, "a set")
    return record.members


def scores_of(record: Record | None) -> dict[str, float]:
    if record is None:
        return {}
    expect_kind(record, Kind.ZSET, "a sorted set")
    return dict(record.scores)


def zset_record(key: str, seq: int, scores: dict[str, float]) -> Record:
    if not scores:
        return Record(key=key, kind=Kind.DELETED, seq=seq)
    items = tuple(sorted(scores.items(), key=lambda item: (item[1], item[0])))
    return Record(key=key, kind=Kind.ZSET, seq=seq, scores=items)
