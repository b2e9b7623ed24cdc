from __future__ import annotations

import pytest

from jorged.metrics.performance import apply, performance, timeseries
from jorged.metrics.records import (
    ConversationQualified,
    GhlCall,
    LeadResolved,
    LlmCall,
    MessageReceived,
    ReplyProduced,
    SmsSent,
    StoreOperation,
    WebhookHandled,
)
from jorged.metrics.window import HOUR_S, Window

T0 = 1_800_000_000.0
ACC = 0.005


@pytest.fixture(name="window")
def _window() -> Window:
    return Window(hours=24, relative_accuracy=ACC, started_at=T0)


def _feed(window: Window, records, at: float = T0) -> None:
    for rec in records:
        apply(window, rec, at=at)


class TestCounts:
    def test_webhook_error_rate_leaves_out_duplicates(self, window):
        """Errors are 4xx/5xx answers other than duplicates, over all webhooks."""
        _feed(window, [
            WebhookHandled(event_type="InboundMessage", status=200, latency_s=0.01),
            WebhookHandled(event_type="InboundMessage", status=409, latency_s=0.01, duplicate=True),
            WebhookHandled(event_type="InboundMessage", status=401, latency_s=0.01),
            WebhookHandled(event_type="ContactCreate", status=200, latency_s=0.01),
        ])
        w = performance(window, now=T0).window
        assert (w.webhooks, w.webhook_errors, w.webhook_duplicates) == (4, 1, 1)
        assert w.webhook_error_rate == 0.25

    def test_ghl_errors_rate_limits_and_remaining(self, window):
        """GHL failures and 429s are counted apart."""
        _feed(window, [
            GhlCall(operation="send_sms", status=200, latency_s=0.2, rate_limit_remaining=99),
            GhlCall(operation="send_sms", status=429, latency_s=0.1),
            GhlCall(operation="add_tags", status=None, latency_s=10.0, error="timeout"),
        ])
        w = performance(window, now=T0, ghl_rate_limit_remaining=99)
        assert (w.window.ghl_calls, w.window.ghl_errors, w.window.ghl_rate_limited) == (3, 1, 1)
        assert w.ghl_rate_limit_remaining == 99
        assert w.ghl.count == 3

    def test_llm_spend_and_lead_sources(self, window):
        """LLM tokens, cost, cache hits and misses, pattern share and money saved add up."""
        _feed(window, [
            LeadResolved(source="pattern", saved_usd=0.05),
            LeadResolved(source="pattern", saved_usd=0.05),
            LeadResolved(source="cache", saved_usd=0.05),
            LeadResolved(source="llm", llm_called=True),
            LlmCall(model="m", input_tokens=1000, output_tokens=200, latency_s=1.5, cost_usd=0.002),
            LeadResolved(source="pattern", llm_called=True),
            LlmCall(model="m", input_tokens=0, output_tokens=0, latency_s=10.0, cost_usd=0.0, failed=True),
        ])
        w = performance(window, now=T0).window
        assert (w.leads_resolved, w.pattern_resolved, w.cache_hits, w.cache_misses) == (5, 2, 1, 2)
        assert (w.pattern_rate, w.cache_hit_rate) == (0.4, pytest.approx(1 / 3))
        assert w.saved_usd == pytest.approx(0.15)
        assert (w.llm_calls, w.llm_failures, w.llm_input_tokens, w.llm_output_tokens) == (2, 1, 1000, 200)
        assert w.llm_cost_usd == pytest.approx(0.002)

    def test_messages_replies_qualified_and_store(self, window):
        """Conversation and store records land in their counters."""
        _feed(window, [
            MessageReceived(), MessageReceived(), ReplyProduced(latency_s=0.8),
            SmsSent(), SmsSent(sandboxed=True),
            ConversationQualified(temperature="hot"), ConversationQualified(temperature="cold"),
            StoreOperation(backend="redis", op="put", latency_s=0.001),
            StoreOperation(backend="disk", op="put", latency_s=0.003, fallback=True),
        ])
        w = performance(window, now=T0).window
        assert (w.messages_in, w.messages_out, w.sms_sandboxed, w.replies) == (2, 2, 1, 1)
        assert (w.qualified, w.qualified_hot, w.qualified_warm, w.qualified_cold) == (2, 1, 0, 1)
        assert (w.store_operations, w.store_fallbacks) == (2, 1)

    def test_empty_system_shows_zeros_and_no_percentiles(self, window):
        """Nothing recorded: zero counts, zero rates, no percentile values."""
        snap = performance(window, now=T0)
        assert snap.window.webhook_error_rate == snap.window.cache_hit_rate == 0.0
        assert [(s.count, s.p50, s.p95, s.p99) for s in snap.latencies()] == [(0, None, None, None)] * 5


class TestWindowAndTotals:
    def test_window_forgets_totals_remember(self, window):
        """A day later the window is empty and the totals still hold the records."""
        _feed(window, [ReplyProduced(latency_s=2.0), MessageReceived()])
        snap = performance(window, now=T0 + 25 * HOUR_S)
        assert (snap.window.replies, snap.reply.count, snap.reply.p95) == (0, 0, None)
        assert (snap.totals.replies, snap.reply.total_count, snap.reply.total_sum_s) == (1, 1, 2.0)

    def test_percentiles_of_reply_latency(self, window):
        """p50/p95/p99 of reply latency come from the window's sketches."""
        _feed(window, [ReplyProduced(latency_s=0.01 * i) for i in range(1, 101)])
        snap = performance(window, now=T0)
        assert snap.reply.p50 == pytest.approx(0.50, rel=0.01)
        assert snap.reply.p95 == pytest.approx(0.95, rel=0.01)
        assert snap.reply.p99 == pytest.approx(0.99, rel=0.01)


class TestTimeseries:
    def test_points_per_hour(self, window):
        """Each hour shows its messages, p95 reply latency, qualified, webhooks and errors."""
        _feed(window, [MessageReceived(), SmsSent(), ReplyProduced(latency_s=0.4)], at=T0 + 10)
        _feed(window, [
            WebhookHandled(event_type="InboundMessage", status=500, latency_s=0.1),
            GhlCall(operation="send_sms", status=503, latency_s=0.1),
            ConversationQualified(temperature="warm"),
        ], at=T0 + HOUR_S + 10)
        first, second = timeseries(window, now=T0 + HOUR_S + 20, hours=2)
        assert (first.start, first.messages_in, first.messages_out, first.errors) == (T0, 1, 1, 0)
        assert first.reply_p95_s == pytest.approx(0.4, rel=ACC)
        assert (second.qualified, second.webhooks, second.errors, second.reply_p95_s) == (1, 1, 2, None)

    def test_at_most_the_window(self, window):
        """Asking for more hours than the window holds gives the window's hours."""
        assert len(timeseries(window, now=T0, hours=48)) == 24
        with pytest.raises(ValueError, match=r"^hours: must be at least 1, got 0$"):
            timeseries(window, now=T0, hours=0)
