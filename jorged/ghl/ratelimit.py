"""Client-side rate limits for GHL, per location, on trio's clock.

GHL allows `rate_burst` requests per `rate_window_s` (100 per 10 s) and `daily_cap` a
day (200,000). A plain token bucket refilling at 10/s would let 200 requests through in
some 10 s windows (a full bucket, then the refill), so the burst limit is kept as a
sliding window log instead: a request waits until fewer than `rate_burst` requests were
let through in the last `rate_window_s`. The daily cap counts requests in time slots
over a rolling 24 h and lets a slot go only once all of it is older than 24 h, so no
24 h window ever holds more than the cap. What GHL reports in its rate-limit headers
tightens both (never loosens them).
"""

from __future__ import annotations

import math
from collections import deque

import attrs
import trio

from jorged.config import GhlConfig

DAY_S = 86_400.0
#: Slots of the rolling daily window (10 minutes each).
DAY_SLOTS = 144


class DailyCapReached(Exception):
    """The daily request cap of a location is used up."""

    def __init__(self, *, cap: int, retry_in_s: float) -> None:
        super().__init__(
            f"daily cap of {cap} requests reached; capacity frees up in "
            f"{math.ceil(retry_in_s)} s"
        )
        self.cap = cap
        self.retry_in_s = retry_in_s


@attrs.define
class SlidingWindow:
    """At most `limit` events in any `window_s`, kept as the last `limit` times."""

    limit: int
    window_s: float
    _times: deque[float] = attrs.field(init=False, factory=deque)
    _blocked_until: float = attrs.field(init=False, default=-math.inf)

    def wait_time(self, now: float) -> float:
        """Seconds until one more event is allowed (0 when it is allowed now)."""
        while self._times and self._times[0] <= now - self.window_s:
            self._times.popleft()
        wait = max(0.0, self._blocked_until - now)
        if len(self._times) >= self.limit:
            wait = max(wait, self._times[0] + self.window_s - now)
        return wait

    def take(self, now: float) -> None:
        self._times.append(now)
        while len(self._times) > self.limit:
            self._times.popleft()

    def block_until(self, when: float) -> None:
        """Allow nothing before `when` (GHL said the window is used up)."""
        self._blocked_until = max(self._blocked_until, when)

    def used(self, now: float) -> int:
        self.wait_time(now)
        return len(self._times)

    def tighten(self, now: float, remaining: int) -> None:
        """Count as used whatever GHL says is gone beyond what we counted."""
        for _ in range((self.limit - remaining) - self.used(now)):
            self.take(now)


@attrs.define
class _Slot:
    start: float
    count: int


@attrs.define
class RollingCounter:
    """At most `cap` events in any `window_s`, counted in `slots` time slots."""

    cap: int
    window_s: float = DAY_S
    slots: int = DAY_SLOTS
    _counts: deque[_Slot] = attrs.field(init=False, factory=deque)
    _total: int = attrs.field(init=False, default=0)

    @property
    def _slot_s(self) -> float:
        return self.window_s / self.slots

    def _expire(self, now: float) -> None:
        # A slot goes once its *end* is a whole window old: conservative, never lax.
        while (
            self._counts and self._counts[0].start + self._slot_s + self.window_s <= now
        ):
            self._total -= self._counts.popleft().count

    def used(self, now: float) -> int:
        self._expire(now)
        return self._total

    def wait_time(self, now: float) -> float:
        """Seconds until one more event fits (0 when it fits now)."""
        self._expire(now)
        if self._total < self.cap:
            return 0.0
        return self._counts[0].start + self._slot_s + self.window_s - now

    def add(self, now: float, count: int = 1) -> None:
        start = math.floor(now / self._slot_s) * self._slot_s
        if self._counts and self._counts[-1].start == start:
            self._counts[-1].count += count
        else:
            self._counts.append(_Slot(start, count))
        self._total += count

    def tighten(self, now: float, remaining: int) -> None:
        """Count as used whatever GHL says is gone beyond what we counted."""
        gap = (self.cap - remaining) - self.used(now)
        if gap > 0:
            self.add(now, gap)


@attrs.frozen(kw_only=True)
class RateLimitStatistics:
    """What the limiter let through for one location."""

    acquired: int
    waits: int
    waited_s: float
    window_used: int
    daily_used: int


@attrs.define
class _Location:
    burst: SlidingWindow
    daily: RollingCounter
    lock: trio.Lock = attrs.field(factory=trio.Lock)
    acquired: int = 0
    waits: int = 0
    waited_s: float = 0.0


@attrs.define
class RateLimiter:
    """The burst window and the daily cap of every location, shared by all callers."""

    burst: int
    window_s: float
    daily_cap: int
    _locations: dict[str, _Location] = attrs.field(init=False, factory=dict)

    @classmethod
    def from_config(cls, cfg: GhlConfig) -> RateLimiter:
        return cls(
            burst=cfg.rate_burst, window_s=cfg.rate_window_s, daily_cap=cfg.daily_cap
        )

    def _location(self, location_id: str) -> _Location:
        loc = self._locations.get(location_id)
        if loc is None:
            loc = _Location(
                burst=SlidingWindow(self.burst, self.window_s),
                daily=RollingCounter(self.daily_cap),
            )
            self._locations[location_id] = loc
        return loc

    async def acquire(self, location_id: str) -> None:
        """Wait (first come, first served) until a request may go out, and count it.

        Raises DailyCapReached instead of waiting when the daily cap is used up.
        """
        loc = self._location(location_id)
        async with loc.lock:
            while True:
                now = trio.current_time()
                daily_wait = loc.daily.wait_time(now)
                if daily_wait > 0:
                    raise DailyCapReached(cap=self.daily_cap, retry_in_s=daily_wait)
                wait = loc.burst.wait_time(now)
                if wait <= 0:
                    break
                loc.waits += 1
                loc.waited_s += wait
                await trio.sleep(wait)
            loc.burst.take(now)
            loc.daily.add(now)
            loc.acquired += 1

    def observe(
        self,
        location_id: str,
        *,
        remaining: int | None = None,
        interval_s: float | None = None,
        daily_remaining: int | None = None,
    ) -> None:
        """Tighten the limits with what GHL's rate-limit headers reported."""
        loc = self._location(location_id)
        now = trio.current_time()
        if remaining is not None and remaining <= 0:
            loc.burst.block_until(now + (interval_s or self.window_s))
        elif remaining is not None:
            loc.burst.tighten(now, remaining)
        if daily_remaining is not None:
            loc.daily.tighten(now, daily_remaining)

    def statistics(self, location_id: str) -> RateLimitStatistics:
        loc = self._location(location_id)
        now = trio.current_time()
        return RateLimitStatistics(
            acquired=loc.acquired,
            waits=loc.waits,
            waited_s=loc.waited_s,
            window_used=loc.burst.used(now),
            daily_used=loc.daily.used(now),
        )
