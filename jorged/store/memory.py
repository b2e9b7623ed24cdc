"""`DictStore`: the `Store` Protocol in memory, for unit tests (no threads, no I/O).

Expiry follows trio's clock, so tests under `autojump_clock` can watch a key expire.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

import attrs
import trio

from jorged.store.ids import IdMaker, parse_id
from jorged.store.store_protocol import Put, SetAdd, SetRemove, WriteOp, ZAdd, ZRemove


@attrs.define
class DictStore:
    """An in-memory `Store`; every method completes at once (after a checkpoint)."""

    _values: dict[str, bytes] = attrs.field(factory=dict)
    _expiry: dict[str, float] = attrs.field(factory=dict)
    _sets: dict[str, set[str]] = attrs.field(factory=dict)
    _zsets: dict[str, dict[str, float]] = attrs.field(factory=dict)
    _streams: dict[str, list[tuple[tuple[int, int], bytes]]] = attrs.field(factory=dict)
    _ids: IdMaker = attrs.field(factory=IdMaker)

    def _expire(self, key: str) -> None:
        due = self._expiry.get(key)
        if due is not None and trio.current_time() >= due:
            self._values.pop(key, None)
            self._expiry.pop(key, None)

    async def get(self, key: str) -> bytes | None:
        await trio.lowlevel.checkpoint()
        self._expire(key)
        return self._values.get(key)

    async def put(self, key: str, data: bytes, *, ttl_s: float | None = None) -> None:
        await trio.lowlevel.checkpoint()
        if not isinstance(data, bytes):
            msg = f"put {key}: data must be bytes, got {type(data).__name__}"
            raise TypeError(msg)
        self._values[key] = data
        if ttl_s is None:
            self._expiry.pop(key, None)
        else:
            self._expiry[key] = trio.current_time() + ttl_s

    async def put_many(self, items: Sequence[tuple[str, bytes]]) -> None:
        await self.write([Put(key, data) for key, data in items])

    async def write(self, ops: Sequence[WriteOp]) -> None:
        for op in ops:  # checked first, so a bad batch changes nothing
            if isinstance(op, Put) and not isinstance(op.data, bytes):
                msg = f"put {op.key}: data must be bytes, got {type(op.data).__name__}"
                raise TypeError(msg)
        for op in ops:
            match op:
                case Put(key, data, ttl_s):
                    await self.put(key, data, ttl_s=ttl_s)
                case SetAdd(key, members):
                    await self.set_add(key, *members)
                case SetRemove(key, members):
                    await self.set_remove(key, *members)
                case ZAdd(key, member, score):
                    await self.zset_add(key, member, score)
                case ZRemove(key, members):
                    await self.zset_remove(key, *members)

    async def delete(self, key: str) -> None:
        await trio.lowlevel.checkpoint()
        for table in (self._values, self._expiry, self._sets, self._zsets):
            table.pop(key, None)

    async def scan(self, prefix: str) -> list[tuple[str, bytes]]:
        await trio.lowlevel.checkpoint()
        for key in list(self._values):
            self._expire(key)
        return sorted((k, v) for k, v in self._values.items() if k.startswith(prefix))

    async def set_add(self, key: str, *members: str) -> None:
        await trio.lowlevel.checkpoint()
        self._sets.setdefault(key, set()).update(members)

    async def set_remove(self, key: str, *members: str) -> None:
        await trio.lowlevel.checkpoint()
        remaining = self._sets.get(key, set()) - set(members)
        if remaining:
            self._sets[key] = remaining
        else:
            self._sets.pop(key, None)

    async def set_members(self, key: str) -> frozenset[str]:
        await trio.lowlevel.checkpoint()
        return frozenset(self._sets.get(key, ()))

    async def zset_add(self, key: str, member: str, score: float) -> None:
        await trio.lowlevel.checkpoint()
        self._zsets.setdefault(key, {})[member] = float(score)

    async def zset_remove(self, key: str, *members: str) -> None:
        await trio.lowlevel.checkpoint()
        zset = self._zsets.get(key, {})
        for member in members:
            zset.pop(member, None)
        if not zset:
            self._zsets.pop(key, None)

    async def zset_range(
        self, key: str, *, max_score: float, limit: int | None = None
    ) -> list[tuple[str, float]]:
        await trio.lowlevel.checkpoint()
        items = sorted(
            ((m, s) for m, s in self._zsets.get(key, {}).items() if s <= max_score),
            key=lambda item: (item[1], item[0]),
        )
        return items if limit is None else items[:limit]

    async def stream_append(self, key: str, data: bytes, *, maxlen: int) -> str:
        await trio.lowlevel.checkpoint()
        new_id = self._ids.next()
        entries = self._streams.setdefault(key, [])
        entries.append((parse_id(new_id), data))
        del entries[: max(0, len(entries) - maxlen)]
        return new_id

    async def stream_append_many(
        self, key: str, items: Sequence[bytes], *, maxlen: int
    ) -> list[str]:
        return [await self.stream_append(key, data, maxlen=maxlen) for data in items]

    async def stream_read(
        self, key: str, *, after: str = "0-0", limit: int = 100
    ) -> list[tuple[str, bytes]]:
        await trio.lowlevel.checkpoint()
        entries = self._streams.get(key, [])
        start = bisect.bisect_right(entries, parse_id(after), key=lambda e: e[0])
        return [(f"{i[0]}-{i[1]}", d) for i, d in entries[start : start + limit]]

    async def stream_tail(self, key: str, *, count: int) -> list[tuple[str, bytes]]:
        await trio.lowlevel.checkpoint()
        entries = self._streams.get(key, [])[-count:] if count > 0 else []
        return [(f"{i[0]}-{i[1]}", d) for i, d in entries]
