"""How long a GHL call waits between attempts, on trio's virtual clock.

The fake GHL answers over real HTTP on loopback; the clock jumps only after 20 ms of
real idleness, so it never jumps while a request is on its way.
"""

from __future__ import annotations

import itertools

import attrs
import pytest
import trio
import trio.testing

from jorged.config import GhlConfig
from jorged.exceptions import GhlError
from jorged.ghl import GhlClient
from tests.fakes.ghl_server import FakeGhl


@pytest.fixture(name="clock")
def _clock(mock_clock: trio.testing.MockClock) -> trio.testing.MockClock:
    mock_clock.autojump_threshold = 0.02
    return mock_clock


def gaps(fake: FakeGhl) -> list[float]:
    """Virtual seconds between the requests the fake received."""
    times = [r.at for r in fake.requests]
    return [round(b - a, 6) for a, b in itertools.pairwise(times)]


class TestJitter:
    async def test_waits_are_backoff_plus_jitter(
        self, clock, ghl_cfg: GhlConfig, fake_ghl: FakeGhl, calls
    ):
        """Each retry waits its backoff plus up to retry_jitter_s, not always the same."""
        cfg = attrs.evolve(ghl_cfg, retry_backoff_s=1.0, retry_jitter_s=2.0)
        async with GhlClient(cfg, on_call=calls) as client:
            for _ in range(6):
                fake_ghl.fail_next(1, 503)
                await client.add_tags("c1", ["x"])
        waits = [r.backoff_s for r in calls.records if r.status == 503]
        assert all(1.0 <= w <= 3.0 for w in waits)
        assert len(set(waits)) > 1
        assert gaps(fake_ghl)[::2] == [pytest.approx(w, abs=1e-3) for w in waits]


class TestRetryAfter:
    async def test_honoured_up_to_the_cap(
        self, clock, ghl_cfg: GhlConfig, fake_ghl: FakeGhl
    ):
        """A Retry-After within retry_after_max_s is waited for exactly."""
        cfg = attrs.evolve(ghl_cfg, retry_after_max_s=60.0)
        fake_ghl.fail_next(1, 429, {"Retry-After": "45"})
        async with GhlClient(cfg) as client:
            await client.get_contact("c1")
        assert gaps(fake_ghl) == [pytest.approx(45.0, abs=1e-3)]

    async def test_longer_ask_fails_at_once(
        self, clock, ghl_cfg: GhlConfig, fake_ghl: FakeGhl
    ):
        """A Retry-After beyond the cap is not waited for: the call fails now."""
        cfg = attrs.evolve(ghl_cfg, retry_after_max_s=60.0)
        fake_ghl.fail_next(1, 429, {"Retry-After": "3600"})
        start = trio.current_time()
        async with GhlClient(cfg) as client:
            with pytest.raises(GhlError) as info:
                await client.get_contact("c1")
        assert info.value.status == 429
        assert "asked to wait 3600 s, more than ghl.retry_after_max_s" in str(
            info.value
        )
        assert (len(fake_ghl.requests), trio.current_time() - start) == (1, 0)

    async def test_own_backoff_stops_growing_at_the_cap(
        self, clock, ghl_cfg: GhlConfig, fake_ghl: FakeGhl
    ):
        """jorged's doubling backoff is held at retry_after_max_s, not given up."""
        cfg = attrs.evolve(
            ghl_cfg,
            retry_backoff_s=50.0,
            retry_after_max_s=60.0,
            max_retries=3,
            call_deadline_s=1000.0,
        )
        fake_ghl.fail_next(3, 503)
        async with GhlClient(cfg) as client:
            await client.add_tags("c1", ["x"])
        assert gaps(fake_ghl) == [pytest.approx(w, abs=1e-3) for w in (50, 60, 60)]


class TestDeadline:
    async def test_no_retry_past_the_deadline(
        self, clock, ghl_cfg: GhlConfig, fake_ghl: FakeGhl
    ):
        """Backoff 4 s then 8 s: the second retry would end past 10 s, so none."""
        cfg = attrs.evolve(
            ghl_cfg, retry_backoff_s=4.0, max_retries=5, call_deadline_s=10.0
        )
        fake_ghl.fail_next(10, 503)
        start = trio.current_time()
        async with GhlClient(cfg) as client:
            with pytest.raises(GhlError, match=r"would pass the 10 s deadline"):
                await client.add_tags("c1", ["x"])
        assert gaps(fake_ghl) == [pytest.approx(4.0, abs=1e-3)]
        assert trio.current_time() - start == pytest.approx(4.0, abs=1e-3)

    async def test_rate_limit_queueing_counts(
        self, clock, ghl_cfg: GhlConfig, fake_ghl: FakeGhl
    ):
        """A call that cannot get a rate-limit slot in time fails at the deadline."""
        cfg = attrs.evolve(
            ghl_cfg, rate_burst=1, rate_window_s=60.0, call_deadline_s=10.0
        )
        async with GhlClient(cfg) as client:
            await client.get_contact("c1")
            start = trio.current_time()
            with pytest.raises(GhlError, match=r"no rate limit slot before the 10 s"):
                await client.get_contact("c1")
        assert trio.current_time() - start == pytest.approx(10.0, abs=1e-3)
        assert len(fake_ghl.requests) == 1

    async def test_sms_send_that_may_have_gone_is_never_retried(
        self, clock, ghl_cfg: GhlConfig, fake_ghl: FakeGhl
    ):
        """Within the deadline or not, a timed-out send is not sent again."""
        fake_ghl.hang_next(1)
        cfg = attrs.evolve(ghl_cfg, timeout_s=3.0, call_deadline_s=100.0)
        async with GhlClient(cfg) as client:
            with pytest.raises(GhlError, match="may have processed"):
                await client.send_sms("c1", "Hi")
        assert len(fake_ghl.calls("send-a-new-message")) == 1
