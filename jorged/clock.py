"""Wall-clock time read through trio's clock, so tests can drive it with MockClock.

`TrioWallClock.now()` is the epoch offset taken at start plus `trio.current_time()`:
in production it tracks the wall clock; under `MockClock` it moves with virtual time.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

import attrs
import trio


@attrs.define(kw_only=True)
class TrioWallClock:
    """Aware UTC datetimes and epoch seconds that advance with trio's clock."""

    offset: float

    @classmethod
    def start(cls, epoch: float | None = None) -> TrioWallClock:
        """A clock reading `epoch` (default: the wall clock) now; call inside trio."""
        now = time.time() if epoch is None else epoch
        return cls(offset=now - trio.current_time())

    def epoch(self) -> float:
        return self.offset + trio.current_time()

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.epoch(), UTC)

    def trio_time(self, at: datetime) -> float:
        """The trio clock reading at which wall time `at` is reached."""
        return at.timestamp() - self.offset
