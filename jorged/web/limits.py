"""Per-key request rate limits (per contact for webhooks, per client for the API)."""

from __future__ import annotations

import time
from collections import OrderedDict

import attrs


@attrs.define(kw_only=True)
class RateLimiter:
    """A token bucket per key: `rate` requests per `per_s` seconds, bursts included."""

    rate: int
    per_s: float = 60.0
    max_keys: int = 100_000
    _buckets: OrderedDict[str, tuple[float, float]] = attrs.field(
        factory=OrderedDict, init=False
    )

    def allow(self, key: str, now: float | None = None) -> float:
        """0.0 when `key` may go now, else the seconds until it may."""
        now = time.monotonic() if now is None else now
        tokens, last = self._buckets.pop(key, (float(self.rate), now))
        tokens = min(float(self.rate), tokens + (now - last) * self.rate / self.per_s)
        wait = 0.0
        if tokens >= 1.0:
            tokens -= 1.0
        else:
            wait = (1.0 - tokens) * self.per_s / self.rate
        self._buckets[key] = (tokens, now)
        while len(self._buckets) > self.max_keys:
            self._buckets.popitem(last=False)
        return wait
