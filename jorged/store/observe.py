"""What the store reports about itself: operation samples, transitions, statistics."""

from __future__ import annotations

from typing import Literal

import attrs


@attrs.frozen(kw_only=True)
class OperationSample:
    """One store operation, for the tracker."""

    op: str
    backend: Literal["redis", "disk"]
    latency_s: float
    fallback: bool


@attrs.frozen(kw_only=True)
class StoreTransition:
    """Redis was lost (`degraded`) or is back with everything synced."""

    degraded: bool
    reason: str
    backlog: int


@attrs.frozen(kw_only=True)
class StoreStatistics:
    backend: Literal["redis", "disk"]
    redis_enabled: bool
    redis_up: bool
    breaker: str
    backlog: int
    last_error: str | None
    writes: int
    reads: int
    redis_writes: int
    redis_failures: int
    journaled: int
    replayed: int
    reconciled_to_redis: int
    reconciled_from_redis: int
    #: Times the Redis copy was found restarted or flushed and rebuilt from disk.
    redis_resyncs: int = 0
