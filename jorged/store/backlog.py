"""`Backlog`: the persisted journal of writes Redis has not seen yet, and its size.

A write that cannot go to Redis (it is down, or older writes still wait) is noted
here by the write path (`commit`); the mirror (`mirror`) replays the entries in
order and drops them once Redis holds them. Each entry names a record or a stream
by key; the replay sends its state on disk, so a key noted many times is sent once.
"""

from __future__ import annotations

import attrs
import trio

from jorged.store.disk import DiskBackend

#: What a journal entry names: a record, or a stream.
RECORD = "record"
STREAM = "stream"


@attrs.define(kw_only=True)
class Backlog:
    """The journal of unsynced writes on `disk`; the one keeper of its size."""

    disk: DiskBackend
    _size: int = 0

    @property
    def size(self) -> int:
        """How many entries wait for the replay."""
        return self._size

    async def load(self) -> None:
        """Count the entries left on disk (by an earlier run)."""
        self._size = await self.disk.journal_size()

    async def add(self, entries: list[tuple[str, str]]) -> None:
        """Note (key, `RECORD` or `STREAM`) pairs, in order."""
        await trio.to_thread.run_sync(
            self.disk.journal_add_many, entries, limiter=self.disk.limiter
        )
        self._size += len(entries)

    async def oldest(self, limit: int) -> list[tuple[int, str, str]]:
        """The oldest `limit` entries as (id, key, what), in order."""
        return await self.disk.journal_read(limit)

    async def drop(self, upto: int) -> None:
        """Remove the entries up to id `upto` (Redis holds them now)."""
        dropped = await self.disk.journal_drop(upto)
        self._size = max(self._size - dropped, 0)
