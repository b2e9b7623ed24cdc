from __future__ import annotations

import pytest
import trio

from jorged.config import GhlConfig
from jorged.ghl import RateLimiter
from jorged.ghl.ratelimit import DAY_S, DailyCapReached, RollingCounter, SlidingWindow


@pytest.fixture(name="limiter")
def _limiter() -> RateLimiter:
    return RateLimiter.from_config(GhlConfig())


class TestBurst:
    async def test_thousand_actions_respect_the_window(self, limiter, autojump_clock):
        """1,000 concurrent actions go out 100 per 10 s: never 101 in any window."""
        times: list[float] = []

        async def act() -> None:
            await limiter.acquire("L")
            times.append(trio.current_time())

        async with trio.open_nursery() as nursery:
            for _ in range(1000):
                nursery.start_soon(act)
        times.sort()
        assert all(
            later - first >= 10.0
            for first, later in zip(times, times[100:], strict=False)
        )
        assert times[-1] - times[0] == 90.0
        assert limiter.statistics("L").acquired == 1000

    async def test_locations_are_separate(self, limiter, autojump_clock):
        """One location's burst does not slow another location."""
        for _ in range(100):
            await limiter.acquire("A")
        start = trio.current_time()
        await limiter.acquire("B")
        assert trio.current_time() == start

    async def test_server_exhausted_window_blocks(self, limiter, autojump_clock):
        """GHL saying no calls are left holds the next call for its interval."""
        start = trio.current_time()
        limiter.observe("L", remaining=0, interval_s=4.5)
        await limiter.acquire("L")
        assert trio.current_time() - start == 4.5

    async def test_server_remaining_counts_as_used(self, limiter, autojump_clock):
        """GHL reporting 3 calls left leaves room for 3 before waiting."""
        limiter.observe("L", remaining=3)
        start = trio.current_time()
        for _ in range(4):
            await limiter.acquire("L")
        assert trio.current_time() - start == 10.0


class TestDailyCap:
    async def test_cap_reached_raises_with_retry_time(self, autojump_clock):
        """Past the daily cap an acquire fails at once, saying when room frees up."""
        limiter = RateLimiter(burst=100, window_s=10.0, daily_cap=3)
        for _ in range(3):
            await limiter.acquire("L")
        with pytest.raises(DailyCapReached) as info:
            await limiter.acquire("L")
        assert 0 < info.value.retry_in_s <= DAY_S + 600

    async def test_cap_frees_up_after_a_day(self, autojump_clock):
        """A day (and one slot) later the cap has room again."""
        limiter = RateLimiter(burst=100, window_s=10.0, daily_cap=1)
        await limiter.acquire("L")
        await trio.sleep(DAY_S + 600)
        await limiter.acquire("L")
        assert limiter.statistics("L").daily_used == 1

    async def test_server_daily_remaining_tightens(self, limiter, autojump_clock):
        """GHL reporting no daily quota left stops calls."""
        limiter.observe("L", daily_remaining=0)
        with pytest.raises(DailyCapReached):
            await limiter.acquire("L")


class TestPieces:
    def test_sliding_window_wait(self):
        """A full window waits until its oldest event leaves it."""
        window = SlidingWindow(2, 10.0)
        window.take(0.0)
        window.take(3.0)
        assert window.wait_time(4.0) == 6.0
        assert window.wait_time(10.0) == 0.0

    def test_rolling_counter_never_undercounts(self):
        """An event is counted until its whole slot is older than the window."""
        counter = RollingCounter(cap=10, window_s=100.0, slots=10)
        counter.add(5.0)
        assert counter.used(105.0) == 1
        assert counter.used(110.0) == 0
