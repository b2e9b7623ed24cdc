from __future__ import annotations

from datetime import UTC, datetime

import attrs
import httpx
import pytest
import trio

from jorged.config import GhlConfig
from jorged.exceptions import GhlError
from jorged.ghl import GhlClient
from jorged.ghl.api_call import retry_delay
from tests.fakes.ghl_server import FakeGhl

NOW = datetime(2026, 7, 1, tzinfo=UTC)


class TestRetryDelay:
    def test_retry_after_seconds_wins(self):
        """A Retry-After in seconds is the wait."""
        headers = httpx.Headers({"Retry-After": "7", "X-RateLimit-Remaining": "0"})
        assert retry_delay(headers, 1, GhlConfig(), NOW) == 7.0

    def test_retry_after_http_date(self):
        """A Retry-After date is the time left until it."""
        headers = httpx.Headers({"Retry-After": "Wed, 01 Jul 2026 00:00:30 GMT"})
        assert retry_delay(headers, 1, GhlConfig(), NOW) == 30.0

    def test_exhausted_window_waits_the_interval(self):
        """With no burst left, GHL's interval header is the wait."""
        headers = httpx.Headers(
            {"X-RateLimit-Remaining": "0", "X-RateLimit-Interval-Milliseconds": "10000"}
        )
        assert retry_delay(headers, 1, GhlConfig(), NOW) == 10.0

    def test_otherwise_exponential(self):
        """Without headers the wait doubles per attempt from retry_backoff_s."""
        cfg = GhlConfig(retry_backoff_s=0.5)
        waits = [retry_delay(httpx.Headers(), n, cfg, NOW) for n in (1, 2, 3)]
        assert waits == [0.5, 1.0, 2.0]


class TestRateLimited:
    async def test_429_backs_off_by_the_header(self, client, fake_ghl: FakeGhl, calls):
        """A 429 saying the window is used up is retried after the header's interval."""
        fake_ghl.fail_next(
            1,
            429,
            {"X-RateLimit-Remaining": "0", "X-RateLimit-Interval-Milliseconds": "50"},
        )
        await client.send_sms("c1", "Hi")
        first, second = calls.records
        assert (first.status, first.backoff_s, second.status) == (429, 0.05, 200)
        assert fake_ghl.requests[1].at - fake_ghl.requests[0].at >= 0.05

    async def test_daily_limit_429_is_final(self, client, fake_ghl: FakeGhl):
        """A 429 with no daily quota left is not retried."""
        fake_ghl.fail_next(1, 429, {"X-RateLimit-Daily-Remaining": "0"})
        with pytest.raises(GhlError, match="daily limit"):
            await client.get_contact("c1")
        assert len(fake_ghl.requests) == 1


class TestServerErrors:
    async def test_5xx_retried_then_error(self, client, fake_ghl: FakeGhl, calls):
        """A 5xx is retried max_retries times, then surfaces as GhlError."""
        fake_ghl.fail_next(3, 503)
        with pytest.raises(GhlError) as info:
            await client.add_tags("c1", ["Hot-Seller"])
        assert info.value.status == 503
        assert [r.attempt for r in calls.records] == [1, 2, 3]
        assert len(fake_ghl.requests) == 3

    async def test_5xx_then_success(self, client, fake_ghl: FakeGhl):
        """A passing 5xx is absorbed by a retry."""
        fake_ghl.fail_next(1, 502)
        await client.add_tags("c1", ["Hot-Seller"])
        assert fake_ghl.contacts["c1"]["tags"] == ["Hot-Seller"]

    @pytest.mark.parametrize("status", [400, 401, 404, 422])
    async def test_4xx_not_retried(self, client, fake_ghl: FakeGhl, status):
        """Any 4xx but 429 fails at once."""
        fake_ghl.fail_next(1, status)
        with pytest.raises(GhlError) as info:
            await client.get_contact("c1")
        assert info.value.status == status
        assert len(fake_ghl.requests) == 1

    async def test_wrong_token_is_401(self, ghl_cfg, fake_ghl: FakeGhl):
        """GHL refusing the token is a final GhlError 401."""
        async with GhlClient(attrs.evolve(ghl_cfg, token="wrong")) as client:
            with pytest.raises(GhlError) as info:
                await client.get_contact("c1")
        assert info.value.status == 401


class TestConnectionFailures:
    async def test_timeout_of_idempotent_call_is_retried(
        self, ghl_cfg, fake_ghl: FakeGhl, calls
    ):
        """A read that times out is retried and can then succeed."""
        fake_ghl.hang_next(1)
        cfg = attrs.evolve(ghl_cfg, timeout_s=0.05)
        async with GhlClient(cfg, on_call=calls) as client:
            contact = await client.get_contact("c1")
        assert contact.id == "c1"
        assert calls.records[0].error == "timed out after 0.05 s"

    async def test_timeout_of_sms_is_not_retried(self, ghl_cfg, fake_ghl: FakeGhl):
        """A send that timed out may have gone out, so it is not sent again."""
        fake_ghl.hang_next(1)
        cfg = attrs.evolve(ghl_cfg, timeout_s=0.05)
        async with GhlClient(cfg) as client:
            with pytest.raises(GhlError, match="may have processed"):
                await client.send_sms("c1", "Hi")
        assert len(fake_ghl.calls("send-a-new-message")) == 1

    async def test_refused_connection_retried_then_error(self, calls):
        """With nobody listening the call is retried, then fails with no status."""
        with trio.socket.socket() as sock:
            await sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        cfg = GhlConfig(
            token="t",
            location_id="L",
            base_url=f"http://127.0.0.1:{port}",
            max_retries=1,
            retry_backoff_s=0.001,
        )
        async with GhlClient(cfg, on_call=calls) as client:
            with pytest.raises(GhlError) as info:
                await client.send_sms("c1", "Hi")
        assert info.value.status is None
        assert [r.attempt for r in calls.records] == [1, 2]


class TestCallRecords:
    async def test_every_attempt_is_recorded(self, client, fake_ghl: FakeGhl, calls):
        """Each attempt reports operation, path template, status and rate-limit state."""
        fake_ghl.fail_next(1, 500)
        await client.remove_tags("c1", ["x"])
        await client.trigger_workflow("c1", "wf")
        summary = [(r.operation, r.path, r.status, r.attempt) for r in calls.records]
        assert summary == [
            ("remove_tags", "/contacts/{contactId}/tags", 500, 1),
            ("remove_tags", "/contacts/{contactId}/tags", 200, 2),
            ("trigger_workflow", "/contacts/{contactId}/workflow/{workflowId}", 200, 1),
        ]
        assert [r.rate_limit_remaining for r in calls.records] == [99, 98, 97]
        assert all(r.latency_s > 0 for r in calls.records)
        assert (
            calls.records[0].error == "GHL remove_tags failed (HTTP 500): injected 500"
        )


class TestRateLimitAccounting:
    async def test_call_past_the_burst_waits(self, ghl_cfg, fake_ghl: FakeGhl):
        """With the burst used up, the next call waits in the limiter, unsent."""
        cfg = attrs.evolve(ghl_cfg, rate_burst=10, rate_window_s=60.0)
        async with GhlClient(cfg) as client:
            for i in range(10):
                await client.add_tags("c1", [f"t{i}"])
            with trio.move_on_after(0.05) as scope:
                await client.add_tags("c1", ["one too many"])
            stats = client.statistics()
        assert scope.cancelled_caught
        assert (stats.acquired, stats.waits, stats.window_used) == (10, 1, 10)
        assert len(fake_ghl.requests) == 10

    async def test_server_headers_tighten_the_limiter(self, client, fake_ghl: FakeGhl):
        """GHL reporting fewer calls left than counted makes the limiter count them."""
        fake_ghl.fail_next(1, 400, {"X-RateLimit-Remaining": "5"})
        with pytest.raises(GhlError):
            await client.get_contact("c1")
        assert client.statistics().window_used == 95
